//! Fuzz target: the link parser (`Permalink::parse`, the text after `#` in a shared URL) must
//! return `Ok` or a named `Error` on any text, never panic. A link that parses must write a
//! link that parses back to the same run, and that second link must be written identically
//! (one spelling per run).
#![no_main]

use dmikey::Error;
use dmikey::sim::Permalink;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Links arrive as text; invalid UTF-8 is tried as the lossy text a browser would hand on.
    let text = String::from_utf8_lossy(data);
    match Permalink::parse(&text) {
        Ok(link) => {
            let fragment = link.to_fragment();
            let again = Permalink::parse(&fragment)
                .unwrap_or_else(|e| panic!("a written link does not parse: {e} ({fragment})"));
            assert_eq!(again, link, "parse(write(link)) differs from link");
            assert_eq!(again.to_fragment(), fragment, "the link is not written one way");
        }
        Err(Error::BadLink { part, .. }) => {
            assert!(part.chars().count() <= 60, "an error echoes more than 60 characters");
        }
        Err(e) => panic!("the link parser returned a non-link error: {e:?}"),
    }
});
