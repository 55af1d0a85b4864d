//! A tiny JSON writer (no serde, to keep the wasm small): the key log, the `dmikey run --json`
//! verdicts and anything else the crate exports as JSON go through it.
//!
//! The writer tracks commas itself: call `begin_object`, then `key` + a value, …, `end_object`.
//! Strings are escaped per RFC 8259 (quote, backslash, control characters as `\u00XX`).

use core::fmt::Write as _;

/// Builds one JSON text in a `String`.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// One entry per open container: `true` while nothing has been written into it yet.
    first: Vec<bool>,
    /// A key was just written, so the next value needs no comma.
    after_key: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    fn before_value(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
        }
    }

    /// `{`
    pub fn begin_object(&mut self) -> &mut Self {
        self.before_value();
        self.out.push('{');
        self.first.push(true);
        self
    }

    /// `}`
    pub fn end_object(&mut self) -> &mut Self {
        self.first.pop();
        self.out.push('}');
        self
    }

    /// `[`
    pub fn begin_array(&mut self) -> &mut Self {
        self.before_value();
        self.out.push('[');
        self.first.push(true);
        self
    }

    /// `]`
    pub fn end_array(&mut self) -> &mut Self {
        self.first.pop();
        self.out.push(']');
        self
    }

    /// An object key; the next call must write its value.
    pub fn key(&mut self, k: &str) -> &mut Self {
        self.before_value();
        escape_into(&mut self.out, k);
        self.out.push(':');
        self.after_key = true;
        self
    }

    /// A string value.
    pub fn string(&mut self, s: &str) -> &mut Self {
        self.before_value();
        escape_into(&mut self.out, s);
        self
    }

    /// Bytes as a lowercase hex string.
    pub fn hex(&mut self, bytes: &[u8]) -> &mut Self {
        let h = to_hex(bytes);
        self.string(&h)
    }

    /// An unsigned integer.
    pub fn uint(&mut self, v: u64) -> &mut Self {
        self.before_value();
        let _ = write!(self.out, "{v}");
        self
    }

    /// A float (non-finite values are written as `null`, which JSON requires).
    pub fn float(&mut self, v: f64) -> &mut Self {
        self.before_value();
        if v.is_finite() {
            let _ = write!(self.out, "{v}");
        } else {
            self.out.push_str("null");
        }
        self
    }

    /// `true` / `false`.
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.before_value();
        self.out.push_str(if v { "true" } else { "false" });
        self
    }

    /// `null`.
    pub fn null(&mut self) -> &mut Self {
        self.before_value();
        self.out.push_str("null");
        self
    }

    /// `"key": "string"` in one call.
    pub fn field_str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k).string(v)
    }

    /// `"key": "hex"` in one call.
    pub fn field_hex(&mut self, k: &str, v: &[u8]) -> &mut Self {
        self.key(k).hex(v)
    }

    /// `"key": n` in one call.
    pub fn field_uint(&mut self, k: &str, v: u64) -> &mut Self {
        self.key(k).uint(v)
    }

    /// `"key": true|false` in one call.
    pub fn field_bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k).bool(v)
    }

    /// The JSON text written so far.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn escape_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_objects_and_arrays_get_their_commas() {
        let mut w = JsonWriter::new();
        w.begin_object().field_uint("a", 1).key("b").begin_array();
        w.uint(2).string("x").begin_object().end_object().end_array();
        w.field_bool("c", false).key("d").null().end_object();
        assert_eq!(w.finish(), r#"{"a":1,"b":[2,"x",{}],"c":false,"d":null}"#);
    }

    #[test]
    fn strings_are_escaped() {
        let mut w = JsonWriter::new();
        w.string("q\"b\\n\n\u{1}é");
        assert_eq!(w.finish(), "\"q\\\"b\\\\n\\n\\u0001é\"");
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(to_hex(&[0xAB, 0x01]), "ab01");
    }
}
