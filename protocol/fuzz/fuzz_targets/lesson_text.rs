//! Fuzz target: the lesson's text reader (`lesson::parse`, the format of `chapters.md`) and its
//! assertion reader return a lesson or an error naming a line on any text, never panic; an
//! error's line is within the text.
#![no_main]

use dmikey::sim::lesson::{Assertion, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse(&text) {
        assert!(e.line >= 1 && e.line <= text.lines().count().max(1), "line {} out of the text", e.line);
    }
    let _ = Assertion::parse(&text);
});
