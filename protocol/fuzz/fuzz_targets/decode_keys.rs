//! The decoder's key reader (the app's decode box and `dmikey decode --rsa-key/--ca`): PEM,
//! hex or DER of an RSA private key and a CA certificate, hex PSK and envelope key, on
//! arbitrary bytes: never panics, and a key it accepts reads back the same.
#![no_main]

use dmikey::sim::{KeyInputs, decode_keys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else { return };
    let (a, b) = rest.split_at(usize::from(cut).min(rest.len()));
    let text = String::from_utf8_lossy(a);
    let inputs = KeyInputs { psk: &text, envelope_key: &text, rsa_private_key: b, ca_cert: b };
    if let Ok(keys) = decode_keys(&inputs) {
        if let Some(der) = &keys.rsa_private_key {
            let again = KeyInputs { rsa_private_key: der, ..KeyInputs::default() };
            assert_eq!(decode_keys(&again).ok().and_then(|k| k.rsa_private_key).as_ref(), Some(der));
        }
    }
    let _ = decode_keys(&KeyInputs { ca_cert: a, rsa_private_key: a, ..KeyInputs::default() });
});
