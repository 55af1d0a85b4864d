//! Fuzz target: every wire decoder must return `Ok` or a named `Error` on any input, never
//! panic. On success the message must re-encode to the same bytes and its layout must cover
//! every byte exactly once.
#![no_main]

use dmikey::wire::{DmikeyExt, Message, decode_key_data_chain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = Message::decode(data) {
        assert_eq!(d.message.encode(), data, "decode/encode round trip");
        assert!(d.layout.check_coverage(data.len()).is_ok(), "layout coverage");
        let _ = d.message.dmikey_ext();
    }
    for id_first in [false, true] {
        if let Ok((id, keys, layout)) = decode_key_data_chain(data, id_first) {
            assert_eq!(dmikey::wire::encode_key_data_chain(id.as_ref(), &keys), data);
            assert!(layout.check_coverage(data.len()).is_ok());
        }
    }
    if let Ok((ext, _spans)) = DmikeyExt::decode(data) {
        let _ = ext.encode();
    }
});
