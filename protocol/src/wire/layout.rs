//! Where every field of a decoded message lies: a labelled byte range with its meaning in
//! words. The decoder produces it (see [`super::codec::Reader`]); the inspector shows it; the
//! MAC and signature checks use its payload ranges.

use core::ops::Range;

use super::types::PayloadKind;

/// One field: its bytes, a short label ("CSB ID") and what the value means in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpan {
    /// Byte range in the decoded buffer (absolute offsets).
    pub range: Range<usize>,
    /// Short label, e.g. "Next payload", "Encr data len".
    pub label: &'static str,
    /// The value explained, e.g. "0x0B: a RAND payload follows".
    pub meaning: String,
}

/// One payload (HDR included, as the pseudo-kind [`PayloadKind::Hdr`]) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadSpan {
    /// Which payload.
    pub kind: PayloadKind,
    /// Its bytes, from its first field to its last.
    pub range: Range<usize>,
    /// Its fields in wire order.
    pub fields: Vec<FieldSpan>,
}

/// The layout of a message (HDR is `payloads[0]`) or of a key-data chain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// The payloads in wire order.
    pub payloads: Vec<PayloadSpan>,
}

impl Layout {
    /// The payload and field that contain byte `offset`, if any.
    pub fn field_at(&self, offset: usize) -> Option<(&PayloadSpan, &FieldSpan)> {
        self.payloads
            .iter()
            .find(|p| p.range.contains(&offset))
            .and_then(|p| p.fields.iter().find(|f| f.range.contains(&offset)).map(|f| (p, f)))
    }

    /// Checks that the fields cover bytes `0..len` exactly once, in order, with each field
    /// inside its payload and the payloads back to back. The error says where it fails.
    pub fn check_coverage(&self, len: usize) -> Result<(), String> {
        let mut at = 0usize;
        for p in &self.payloads {
            if p.range.start != at {
                return Err(format!(
                    "{} starts at byte {} but the previous payload ended at {at}",
                    p.kind.name(),
                    p.range.start
                ));
            }
            let mut f_at = p.range.start;
            for f in &p.fields {
                if f.range.start != f_at {
                    return Err(format!(
                        "field {:?} of {} starts at byte {} but the previous field ended at {f_at}",
                        f.label,
                        p.kind.name(),
                        f.range.start
                    ));
                }
                if f.range.end < f.range.start {
                    return Err(format!(
                        "field {:?} of {} has a reversed range",
                        f.label,
                        p.kind.name()
                    ));
                }
                f_at = f.range.end;
            }
            if f_at != p.range.end {
                return Err(format!(
                    "fields of {} end at byte {f_at} but the payload ends at {}",
                    p.kind.name(),
                    p.range.end
                ));
            }
            at = p.range.end;
        }
        if at != len {
            return Err(format!("the layout covers {at} bytes of {len}"));
        }
        Ok(())
    }

    /// The first payload of `kind` and its range.
    pub fn find(&self, kind: PayloadKind) -> Option<&PayloadSpan> {
        self.payloads.iter().find(|p| p.kind == kind)
    }
}

impl PayloadSpan {
    /// The range of the first field with this label.
    pub fn field(&self, label: &str) -> Option<Range<usize>> {
        self.fields.iter().find(|f| f.label == label).map(|f| f.range.clone())
    }
}
