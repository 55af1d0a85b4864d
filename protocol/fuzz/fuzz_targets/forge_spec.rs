//! Fuzz target: the inject grammar (`ForgeSpec::parse`, the CLI's `--inject` and a link's
//! `inject:` command) must return `Ok` or a named `BadForgeSpec` on any text, never panic; a
//! spec that parses is written back to text that parses to the same spec, written the same way
//! (every field typed or `fact:N`, the DH kinds included). The same bytes, taken as a captured
//! packet, go through the reader that picks a field out of a captured message
//! (`ForgeField::read`): any value or none, never a panic.
#![no_main]

use dmikey::Error;
use dmikey::sim::{Fact, FactKind, ForgeField, ForgeSpec, How, MsgKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match ForgeSpec::parse(&text) {
        Ok(spec) => {
            let written = spec.to_text();
            let again = ForgeSpec::parse(&written)
                .unwrap_or_else(|e| panic!("a written spec does not parse: {e} ({written})"));
            assert_eq!(again, spec, "parse(write(spec)) differs from spec");
            assert_eq!(again.to_text(), written, "the spec is not written one way");
        }
        Err(Error::BadForgeSpec { part, .. }) => {
            assert!(part.chars().count() <= 60, "an error echoes more than 60 characters");
        }
        Err(e) => panic!("the spec parser returned another error: {e:?}"),
    }
    for kind in dmikey::sim::FORGEABLE.into_iter().chain([MsgKind::Error]) {
        let fact = Fact {
            id: 0,
            kind: FactKind::Captured { packet: 0, label: "fuzz".into(), kind },
            how: How::Observed,
            parents: Vec::new(),
            sentence: String::new(),
            value: data.to_vec(),
            secret: false,
        };
        for field in ForgeField::ALL {
            let _ = field.read(&fact);
        }
    }
});
