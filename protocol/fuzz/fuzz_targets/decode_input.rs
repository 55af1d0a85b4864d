//! The inspector's decode-any-input (hex, base64, SDP, RTSP, pcap and the lenient MIKEY
//! decoder behind them) on arbitrary bytes: never panics, and whatever it finds has a field
//! for every byte.
#![no_main]

use dmikey::sim::{DecodeKeys, InputFormat, decode_input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else { return };
    let format = InputFormat::ALL[usize::from(selector) % InputFormat::ALL.len()];
    let keys = DecodeKeys { psk: Some(vec![0x5A; 16]), ..DecodeKeys::default() };
    if let Ok(out) = decode_input(input, format, &keys) {
        for m in &out.messages {
            assert!(m.inspection.check_coverage().is_ok());
        }
    }
    let i = dmikey::sim::Inspection::of_bytes(input, &keys);
    assert!(i.check_coverage().is_ok());
});
