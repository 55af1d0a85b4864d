//! Fuzz target: the readers of what the browser keeps or passes between workers — a PKI
//! (`Pki::from_bytes`), one provisioning job's part (`PkiPart::from_bytes`) and the text form
//! of a PKI need (`PkiNeed::parse`) — return `Ok` or a named `Error` on any input, never
//! panic; a need they accept reads back from its own text form.
#![no_main]

use dmikey::roles::{Pki, PkiNeed, PkiPart};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pki) = Pki::from_bytes(data) {
        let _ = Pki::from_bytes(&pki.to_bytes());
    }
    if let Ok(part) = PkiPart::from_bytes(data) {
        let _ = PkiPart::from_bytes(&part.to_bytes());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(need) = PkiNeed::parse(text) {
            assert_eq!(PkiNeed::parse(&need.id()), Ok(need));
        }
    }
});
