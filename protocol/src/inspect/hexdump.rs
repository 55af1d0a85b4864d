//! Fields flattened from a [`Layout`], an "Undecoded" field for bytes the decoder could not
//! read, and the hex rows tied to them.

use core::ops::Range;

use super::{Field, HexRow, PayloadBox};
use crate::wire::{FieldSpan, Layout};

/// Bytes per hex row.
pub const ROW: usize = 16;

/// Flattens a layout into payload boxes and fields; bytes from the end of the layout up to
/// `len` become one "Undecoded" payload with one field saying why.
pub fn flatten(layout: &Layout, len: usize, rest_why: &str) -> (Vec<PayloadBox>, Vec<Field>) {
    let mut payloads = Vec::new();
    let mut fields = Vec::new();
    let mut end = 0usize;
    for p in &layout.payloads {
        let first = fields.len();
        for f in &p.fields {
            fields.push(Field { payload: payloads.len(), span: f.clone() });
        }
        payloads.push(PayloadBox {
            name: p.kind.name(),
            range: p.range.clone(),
            fields: first..fields.len(),
        });
        end = end.max(p.range.end);
    }
    if end < len {
        let first = fields.len();
        fields.push(Field {
            payload: payloads.len(),
            span: FieldSpan { range: end..len, label: "Undecoded", meaning: rest_why.to_string() },
        });
        payloads.push(PayloadBox {
            name: "Undecoded",
            range: end..len,
            fields: first..fields.len(),
        });
    }
    (payloads, fields)
}

/// The hex rows of `bytes` with each byte's field.
pub fn rows(bytes: &[u8], payloads: &[PayloadBox], fields: &[Field]) -> Vec<HexRow> {
    let field_of = |at: usize| fields.iter().position(|f| f.span.range.contains(&at)).unwrap_or(0);
    let starts: Vec<usize> = payloads.iter().map(|p| p.range.start).collect();
    bytes
        .chunks(ROW)
        .enumerate()
        .map(|(i, chunk)| {
            let offset = i * ROW;
            let range: Range<usize> = offset..offset + chunk.len();
            HexRow {
                offset,
                bytes: chunk.to_vec(),
                field_of: range.clone().map(field_of).collect(),
                payload_start: range.map(|at| starts.contains(&at)).collect(),
                ascii: chunk
                    .iter()
                    .map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '.' })
                    .collect(),
            }
        })
        .collect()
}

/// Checks that `fields` cover `0..len` exactly once, in order.
pub fn check_fields(fields: &[Field], len: usize) -> Result<(), String> {
    let mut at = 0usize;
    for f in fields {
        if f.span.range.start != at {
            return Err(format!(
                "field {:?} starts at byte {} but the previous field ended at {at}",
                f.span.label, f.span.range.start
            ));
        }
        if f.span.range.end < f.span.range.start {
            return Err(format!("field {:?} has a reversed range", f.span.label));
        }
        at = f.span.range.end;
    }
    if at != len {
        return Err(format!("the fields cover {at} bytes of {len}"));
    }
    Ok(())
}
