//! Fuzz target: the inject grammar (`ForgeSpec::parse`, the CLI's `--inject` and a link's
//! `inject:` command) must return `Ok` or a named `BadForgeSpec` on any text, never panic; a
//! spec that parses is written back to text that parses to the same spec, written the same way.
#![no_main]

use dmikey::Error;
use dmikey::sim::ForgeSpec;
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
});
