//! The inject grammar: a [`ForgeSpec`] as one line of text (docs/attacks.md, "The inject
//! grammar"), for the CLI's `--inject` and for permalinks.
//!
//! ```text
//! SPEC  = KIND " " FROM ">" TO *(" " FIELD "=" VALUE)
//! KIND  = I_TP | TP_I | TP_R | R_TP | R_I | PSK_I | PSK_R | PK_I | PK_R | DH_I | DH_R
//! FROM, TO = I | R | TPn | X
//! every field               : fact:N (read from fact N of the intruder's knowledge) or typed:
//! bytes fields  tgk share kcv rand : hex:HEX
//! number fields index k n (0..=255), csb (0..=2^32-1), t (NTP-UTC 64-bit) : decimal
//! identity fields idi idr            : hex:HEX | text:UTF8 (no spaces)
//! ```
//!
//! Example: `TP_R TP1>R tgk=hex:000102030405060708090a0b0c0d0e0f csb=fact:0`.
//! Each field at most once; errors name the token that is wrong.

use super::MsgKind;
use super::Node;
use super::forge::{Bytes, ForgeField, ForgeSpec, Pick};
use crate::error::Error;
use crate::export::json::to_hex;

/// Longest spec text accepted, in bytes.
pub const MAX_SPEC_LEN: usize = 4096;

/// The grammar's name of each forgeable kind.
const KINDS: [(&str, MsgKind); 11] = [
    ("I_TP", MsgKind::ITp),
    ("TP_I", MsgKind::TpI),
    ("TP_R", MsgKind::TpR),
    ("R_TP", MsgKind::RTp),
    ("R_I", MsgKind::RI),
    ("PSK_I", MsgKind::PskInit),
    ("PSK_R", MsgKind::PskVerify),
    ("PK_I", MsgKind::PkInit),
    ("PK_R", MsgKind::PkVerify),
    ("DH_I", MsgKind::DhInit),
    ("DH_R", MsgKind::DhResp),
];

/// The grammar's name of a kind (`None`: not forgeable).
pub fn kind_name(kind: MsgKind) -> Option<&'static str> {
    KINDS.iter().find(|(_, k)| *k == kind).map(|(n, _)| *n)
}

fn bad(part: &str, reason: &'static str) -> Error {
    let part: String = part.chars().take(60).collect();
    Error::BadForgeSpec { part, reason }
}

fn write_pick<T>(s: &mut String, key: &str, p: &Option<Pick<T>>, typed: impl Fn(&T) -> String) {
    match p {
        None => {}
        Some(Pick::Fact(id)) => s.push_str(&format!(" {key}=fact:{id}")),
        Some(Pick::Typed(v)) => s.push_str(&format!(" {key}={}", typed(v))),
    }
}

#[allow(clippy::ptr_arg)] // called as `Fn(&Vec<u8>)` by write_pick
fn hex_text(v: &Vec<u8>) -> String {
    format!("hex:{}", to_hex(v))
}

#[allow(clippy::ptr_arg)] // called as `Fn(&Vec<u8>)` by write_pick
fn id_text(v: &Vec<u8>) -> String {
    let printable = !v.is_empty() && v.iter().all(|b| b.is_ascii_graphic());
    match core::str::from_utf8(v) {
        Ok(t) if printable => format!("text:{t}"),
        _ => hex_text(v),
    }
}

/// `spec` in the grammar.
pub fn write(spec: &ForgeSpec) -> String {
    let mut s = String::new();
    s.push_str(kind_name(spec.kind).unwrap_or("ERR"));
    s.push(' ');
    s.push_str(&spec.from.label());
    s.push('>');
    s.push_str(&spec.to.label());
    let num = |v: &u8| v.to_string();
    write_pick(&mut s, "tgk", &spec.tgk, hex_text);
    write_pick(&mut s, "share", &spec.share, hex_text);
    write_pick(&mut s, "index", &spec.index, num);
    write_pick(&mut s, "k", &spec.k, num);
    write_pick(&mut s, "n", &spec.n, num);
    write_pick(&mut s, "kcv", &spec.kcv, hex_text);
    write_pick(&mut s, "t", &spec.timestamp, u64::to_string);
    write_pick(&mut s, "idi", &spec.id_i, id_text);
    write_pick(&mut s, "idr", &spec.id_r, id_text);
    write_pick(&mut s, "rand", &spec.rand, hex_text);
    write_pick(&mut s, "csb", &spec.csb_id, u32::to_string);
    s
}

fn number(part: &str, value: &str, max: u64) -> Result<u64, Error> {
    if value.is_empty()
        || !value.bytes().all(|b| b.is_ascii_digit())
        || (value.len() > 1 && value.starts_with('0'))
    {
        return Err(bad(part, "not a number (decimal digits, no leading zero) nor fact:N"));
    }
    match value.parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(bad(part, "number out of range")),
    }
}

fn hex(part: &str, value: &str) -> Result<Vec<u8>, Error> {
    let b = value.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(bad(part, "hex bytes need an even number of digits"));
    }
    b.chunks(2)
        .map(|p| match p {
            [h, l] => match ((*h as char).to_digit(16), (*l as char).to_digit(16)) {
                (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
                _ => Err(bad(part, "not hex")),
            },
            _ => Err(bad(part, "hex bytes need an even number of digits")),
        })
        .collect()
}

/// `fact:N`, or the typed value read by `typed`.
fn pick<T>(
    part: &str,
    value: &str,
    typed: impl Fn(&str) -> Result<T, Error>,
) -> Result<Pick<T>, Error> {
    match value.strip_prefix("fact:") {
        Some(f) => Ok(Pick::Fact(
            usize::try_from(number(part, f, u64::from(u32::MAX))?).unwrap_or(usize::MAX),
        )),
        None => typed(value).map(Pick::Typed),
    }
}

fn bytes(part: &str, value: &str) -> Result<Bytes, Error> {
    pick(part, value, |v| match v.strip_prefix("hex:") {
        Some(h) => hex(part, h),
        None => Err(bad(part, "bytes are hex:HEX or fact:N")),
    })
}

fn identity(part: &str, value: &str) -> Result<Bytes, Error> {
    pick(part, value, |v| {
        if let Some(h) = v.strip_prefix("hex:") {
            hex(part, h)
        } else if let Some(t) = v.strip_prefix("text:") {
            Ok(t.as_bytes().to_vec())
        } else {
            Err(bad(part, "an identity is hex:HEX, text:TEXT or fact:N"))
        }
    })
}

fn set<T>(slot: &mut Option<T>, v: T, part: &str) -> Result<(), Error> {
    if slot.is_some() {
        return Err(bad(part, "field given twice"));
    }
    *slot = Some(v);
    Ok(())
}

/// Reads a spec (see the module docs).
pub fn read(text: &str) -> Result<ForgeSpec, Error> {
    if text.len() > MAX_SPEC_LEN {
        return Err(bad("", "spec too long"));
    }
    let mut words = text.split_ascii_whitespace();
    let kind_word = words.next().ok_or_else(|| bad(text, "empty spec: KIND FROM>TO …"))?;
    let kind = KINDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(kind_word))
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            bad(
                kind_word,
                "unknown kind (I_TP, TP_I, TP_R, R_TP, R_I, PSK_I, PSK_R, PK_I, PK_R, DH_I, DH_R)",
            )
        })?;
    let route = words.next().ok_or_else(|| bad(text, "missing FROM>TO"))?;
    let (from, to) = route.split_once('>').ok_or_else(|| bad(route, "expected FROM>TO"))?;
    let node =
        |t: &str| Node::from_label(t).ok_or_else(|| bad(route, "unknown node (I, R, TPi, X)"));
    let mut spec = ForgeSpec::new(kind, node(from)?, node(to)?);
    for w in words {
        let (key, value) = w.split_once('=').ok_or_else(|| bad(w, "expected FIELD=VALUE"))?;
        let field = ForgeField::ALL.into_iter().find(|f| f.key() == key).ok_or_else(|| {
            bad(w, "unknown field (tgk, share, index, k, n, kcv, t, idi, idr, rand, csb)")
        })?;
        let small = |v: &str| pick(w, v, |v| number(w, v, 255).map(|v| v as u8));
        match field {
            ForgeField::Tgk => set(&mut spec.tgk, bytes(w, value)?, w)?,
            ForgeField::Share => set(&mut spec.share, bytes(w, value)?, w)?,
            ForgeField::Kcv => set(&mut spec.kcv, bytes(w, value)?, w)?,
            ForgeField::Rand => set(&mut spec.rand, bytes(w, value)?, w)?,
            ForgeField::Index => set(&mut spec.index, small(value)?, w)?,
            ForgeField::K => set(&mut spec.k, small(value)?, w)?,
            ForgeField::N => set(&mut spec.n, small(value)?, w)?,
            ForgeField::Csb => set(
                &mut spec.csb_id,
                pick(w, value, |v| number(w, v, u64::from(u32::MAX)).map(|v| v as u32))?,
                w,
            )?,
            ForgeField::T => {
                set(&mut spec.timestamp, pick(w, value, |v| number(w, v, u64::MAX))?, w)?
            }
            ForgeField::IdI => set(&mut spec.id_i, identity(w, value)?, w)?,
            ForgeField::IdR => set(&mut spec.id_r, identity(w, value)?, w)?,
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_survives_a_round_trip() {
        let mut s = ForgeSpec::new(MsgKind::TpR, Node::Tp(1), Node::Responder);
        s.tgk = Some(Bytes::Typed(vec![0xab; 16]));
        s.share = Some(Bytes::Fact(12));
        s.index = Some(Pick::Typed(1));
        s.k = Some(Pick::Fact(3));
        s.n = Some(Pick::Typed(5));
        s.kcv = Some(Bytes::Typed(vec![1; 8]));
        s.timestamp = Some(Pick::Typed(u64::MAX));
        s.id_i = Some(Pick::Typed(b"sensor@x".to_vec()));
        s.id_r = Some(Pick::Typed(vec![0, 1, 0x20]));
        s.rand = Some(Bytes::Fact(0));
        s.csb_id = Some(Pick::Typed(u32::MAX));
        let text = s.to_text();
        assert_eq!(ForgeSpec::parse(&text), Ok(s.clone()), "{text}");
        // Every field from a fact.
        s.tgk = Some(Pick::Fact(1));
        s.index = Some(Pick::Fact(2));
        s.n = Some(Pick::Fact(4));
        s.kcv = Some(Pick::Fact(5));
        s.timestamp = Some(Pick::Fact(6));
        s.id_i = Some(Pick::Fact(7));
        s.id_r = Some(Pick::Fact(8));
        s.csb_id = Some(Pick::Fact(9));
        let text = s.to_text();
        assert_eq!(text.matches("=fact:").count(), 11, "{text}");
        assert_eq!(ForgeSpec::parse(&text), Ok(s), "{text}");
        for (kind_name, kind) in KINDS {
            let t = ForgeSpec::new(kind, Node::Sensor, Node::Tp(2)).to_text();
            assert!(t.starts_with(kind_name));
            assert_eq!(ForgeSpec::parse(&t).map(|s| s.kind), Ok(kind));
        }
    }

    #[test]
    fn errors_name_the_wrong_token() {
        for (text, token) in [
            ("", ""),
            ("XX TP1>R", "XX"),
            ("TP_R TP1-R", "TP1-R"),
            ("TP_R TP1>Q", "TP1>Q"),
            ("TP_R TP1>R index=300", "index=300"),
            ("TP_R TP1>R index=1 index=2", "index=2"),
            ("TP_R TP1>R index=fact:1 index=2", "index=2"),
            ("TP_R TP1>R tgk=00", "tgk=00"),
            ("TP_R TP1>R tgk=hex:0", "tgk=hex:0"),
            ("TP_R TP1>R colour=red", "colour=red"),
            ("TP_R TP1>R idi=sensor", "idi=sensor"),
            ("TP_R TP1>R csb=fact:x", "csb=fact:x"),
            ("TP_R TP1>R t=fact:", "t=fact:"),
        ] {
            match ForgeSpec::parse(text) {
                Err(Error::BadForgeSpec { part, .. }) => assert_eq!(part, token, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
