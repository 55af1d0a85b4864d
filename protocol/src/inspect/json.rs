//! JSON of an inspection (for `dmikey decode --json`), written with the crate's JSON writer.

use super::{Calculation, Check, DecodedInput, Inspection, Level, Opened};
use crate::export::json::JsonWriter;

fn check(w: &mut JsonWriter, c: &Check) {
    let (status, text) = match c {
        Check::Ok(s) => ("ok", s.as_str()),
        Check::Failed(s) => ("failed", s.as_str()),
        Check::Derived => ("derived", ""),
        Check::NotChecked(s) => ("not checked", s.as_str()),
    };
    w.key("check").begin_object().field_str("status", status).field_str("text", text).end_object();
}

fn calculation(w: &mut JsonWriter, c: &Calculation) {
    w.begin_object();
    w.field_str("kind", &format!("{:?}", c.kind))
        .field_str("title", &c.title)
        .field_str("rfc", c.rfc);
    w.key("inputs").begin_array();
    for v in &c.inputs {
        w.begin_object().field_str("name", &v.name).field_hex("bytes", &v.bytes);
        match &v.range {
            Some(r) => {
                w.key("range").begin_array().uint(r.start as u64).uint(r.end as u64).end_array()
            }
            None => w.key("range").null(),
        };
        w.end_object();
    }
    w.end_array();
    w.key("formula").begin_array();
    for f in &c.formula {
        w.string(f);
    }
    w.end_array();
    w.key("output")
        .begin_object()
        .field_str("name", &c.output.name)
        .field_hex("bytes", &c.output.bytes)
        .end_object();
    check(w, &c.check);
    w.key("commands").begin_array();
    for s in &c.commands {
        w.begin_object()
            .field_str(
                "tool",
                match s.tool {
                    super::Tool::Openssl => "openssl",
                    super::Tool::Python3 => "python3",
                },
            )
            .field_str("code", &s.code)
            .field_str("prints", &s.prints)
            .end_object();
    }
    w.end_array();
    w.end_object();
}

/// Writes one inspection as a JSON object.
pub(super) fn inspection(w: &mut JsonWriter, i: &Inspection) {
    w.begin_object();
    w.field_str("label", &i.label).field_hex("bytes", &i.bytes);
    w.key("fields").begin_array();
    for f in &i.fields {
        let payload = i.payloads.get(f.payload).map_or("", |p| p.name);
        w.begin_object()
            .field_str("payload", payload)
            .field_str("label", f.span.label)
            .field_uint("start", f.span.range.start as u64)
            .field_uint("end", f.span.range.end as u64)
            .field_str("meaning", &f.span.meaning)
            .end_object();
    }
    w.end_array();
    w.key("decrypted").begin_array();
    for d in &i.decrypted {
        w.begin_object().field_str("title", &d.title).field_str("key_needed", &d.key_needed);
        match &d.opened {
            Opened::Open { plaintext, values, .. } => {
                w.field_hex("plaintext", plaintext);
                w.key("values").begin_array();
                for v in values {
                    w.begin_object()
                        .field_str("name", &v.name)
                        .field_hex("bytes", &v.bytes)
                        .end_object();
                }
                w.end_array();
            }
            Opened::Sealed { why } => {
                w.field_str("sealed", why);
            }
        }
        w.end_object();
    }
    w.end_array();
    w.key("certificates").begin_array();
    for c in &i.certificates {
        w.begin_object()
            .field_uint("version", u64::from(c.version))
            .field_str("serial", &c.serial)
            .field_str("issuer", &c.issuer)
            .field_str("subject", &c.subject)
            .field_str("not_before", &c.not_before)
            .field_str("not_after", &c.not_after)
            .field_str("key_algorithm", &c.key_algorithm)
            .field_uint("modulus_bits", c.modulus_bits as u64)
            .field_str("exponent", &c.exponent)
            .field_str("signature_algorithm", &c.signature_algorithm);
        check(w, &c.chain);
        w.end_object();
    }
    w.end_array();
    w.key("calculations").begin_array();
    for c in &i.calculations {
        calculation(w, c);
    }
    w.end_array();
    w.key("findings").begin_array();
    for f in &i.findings {
        w.begin_object()
            .field_str(
                "level",
                match f.level {
                    Level::Info => "info",
                    Level::Warning => "warning",
                    Level::Error => "error",
                },
            )
            .field_str("text", &f.text)
            .field_str("rfc", f.rfc)
            .end_object();
    }
    w.end_array();
    match &i.decode_error {
        Some(e) => w.field_str("decode_error", e),
        None => w.key("decode_error").null(),
    };
    w.end_object();
}

impl Inspection {
    /// The inspection as one JSON object (fields, decrypted parts, certificates,
    /// calculations with their commands, findings).
    pub fn to_json(&self) -> String {
        let mut w = JsonWriter::new();
        inspection(&mut w, self);
        w.finish()
    }
}

impl DecodedInput {
    /// `{"format": …, "messages": [{"origin": …, "inspection": {…}}], "skipped": […]}`.
    pub fn to_json(&self) -> String {
        let mut w = JsonWriter::new();
        w.begin_object().field_str("format", self.format.name());
        w.key("messages").begin_array();
        for m in &self.messages {
            w.begin_object().field_str("origin", &m.origin);
            w.key("inspection");
            inspection(&mut w, &m.inspection);
            w.end_object();
        }
        w.end_array();
        w.key("skipped").begin_array();
        for s in &self.skipped {
            w.string(s);
        }
        w.end_array();
        w.end_object();
        w.finish()
    }
}
