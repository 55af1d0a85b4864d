//! The inject grammar: a [`ForgeSpec`] as one line of text (docs/attacks.md, "The inject
//! grammar"), for the CLI's `--inject` and for permalinks.
//!
//! ```text
//! SPEC  = KIND " " FROM ">" TO *(" " FIELD "=" VALUE)
//! KIND  = I_TP | TP_I | TP_R | R_TP | R_I | PSK_I | PSK_R | PK_I | PK_R
//! FROM, TO = I | R | TPn | X
//! bytes fields  tgk share kcv rand : hex:HEX | fact:N
//! number fields index k n (0..=255), csb (0..=2^32-1), t (NTP-UTC 64-bit)
//! identity fields idi idr            : hex:HEX | text:UTF8 (no spaces)
//! ```
//!
//! Example: `TP_R TP1>R tgk=hex:000102030405060708090a0b0c0d0e0f csb=7`.
//! Each field at most once; errors name the token that is wrong.

use super::MsgKind;
use super::Node;
use super::forge::{Bytes, ForgeSpec};
use crate::error::Error;
use crate::export::json::to_hex;

/// Longest spec text accepted, in bytes.
pub const MAX_SPEC_LEN: usize = 4096;

/// The grammar's name of each forgeable kind.
const KINDS: [(&str, MsgKind); 9] = [
    ("I_TP", MsgKind::ITp),
    ("TP_I", MsgKind::TpI),
    ("TP_R", MsgKind::TpR),
    ("R_TP", MsgKind::RTp),
    ("R_I", MsgKind::RI),
    ("PSK_I", MsgKind::PskInit),
    ("PSK_R", MsgKind::PskVerify),
    ("PK_I", MsgKind::PkInit),
    ("PK_R", MsgKind::PkVerify),
];

/// The grammar's name of a kind (`None`: not forgeable).
pub fn kind_name(kind: MsgKind) -> Option<&'static str> {
    KINDS.iter().find(|(_, k)| *k == kind).map(|(n, _)| *n)
}

fn bad(part: &str, reason: &'static str) -> Error {
    let part: String = part.chars().take(60).collect();
    Error::BadForgeSpec { part, reason }
}

fn write_bytes(s: &mut String, key: &str, b: &Option<Bytes>) {
    match b {
        None => {}
        Some(Bytes::Fact(id)) => s.push_str(&format!(" {key}=fact:{id}")),
        Some(Bytes::Typed(v)) => s.push_str(&format!(" {key}=hex:{}", to_hex(v))),
    }
}

fn write_id(s: &mut String, key: &str, id: &Option<Vec<u8>>) {
    let Some(v) = id else { return };
    let printable =
        !v.is_empty() && v.iter().all(|b| b.is_ascii_graphic()) && core::str::from_utf8(v).is_ok();
    match core::str::from_utf8(v) {
        Ok(t) if printable => s.push_str(&format!(" {key}=text:{t}")),
        _ => s.push_str(&format!(" {key}=hex:{}", to_hex(v))),
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
    write_bytes(&mut s, "tgk", &spec.tgk);
    write_bytes(&mut s, "share", &spec.share);
    for (key, v) in [("index", spec.index), ("k", spec.k), ("n", spec.n)] {
        if let Some(v) = v {
            s.push_str(&format!(" {key}={v}"));
        }
    }
    write_bytes(&mut s, "kcv", &spec.kcv);
    if let Some(t) = spec.timestamp {
        s.push_str(&format!(" t={t}"));
    }
    write_id(&mut s, "idi", &spec.id_i);
    write_id(&mut s, "idr", &spec.id_r);
    write_bytes(&mut s, "rand", &spec.rand);
    if let Some(c) = spec.csb_id {
        s.push_str(&format!(" csb={c}"));
    }
    s
}

fn number(part: &str, value: &str, max: u64) -> Result<u64, Error> {
    if value.is_empty()
        || !value.bytes().all(|b| b.is_ascii_digit())
        || (value.len() > 1 && value.starts_with('0'))
    {
        return Err(bad(part, "not a number (decimal digits, no leading zero)"));
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

fn bytes(part: &str, value: &str) -> Result<Bytes, Error> {
    if let Some(h) = value.strip_prefix("hex:") {
        Ok(Bytes::Typed(hex(part, h)?))
    } else if let Some(f) = value.strip_prefix("fact:") {
        Ok(Bytes::Fact(usize::try_from(number(part, f, u64::from(u32::MAX))?).unwrap_or(0)))
    } else {
        Err(bad(part, "bytes are hex:HEX or fact:N"))
    }
}

fn identity(part: &str, value: &str) -> Result<Vec<u8>, Error> {
    if let Some(h) = value.strip_prefix("hex:") {
        hex(part, h)
    } else if let Some(t) = value.strip_prefix("text:") {
        Ok(t.as_bytes().to_vec())
    } else {
        Err(bad(part, "an identity is hex:HEX or text:TEXT"))
    }
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
            bad(kind_word, "unknown kind (I_TP, TP_I, TP_R, R_TP, R_I, PSK_I, PSK_R, PK_I, PK_R)")
        })?;
    let route = words.next().ok_or_else(|| bad(text, "missing FROM>TO"))?;
    let (from, to) = route.split_once('>').ok_or_else(|| bad(route, "expected FROM>TO"))?;
    let node =
        |t: &str| Node::from_label(t).ok_or_else(|| bad(route, "unknown node (I, R, TPi, X)"));
    let mut spec = ForgeSpec::new(kind, node(from)?, node(to)?);
    for w in words {
        let (key, value) = w.split_once('=').ok_or_else(|| bad(w, "expected FIELD=VALUE"))?;
        let small = |v: &str| number(w, v, 255).map(|v| v as u8);
        match key {
            "tgk" => set(&mut spec.tgk, bytes(w, value)?, w)?,
            "share" => set(&mut spec.share, bytes(w, value)?, w)?,
            "kcv" => set(&mut spec.kcv, bytes(w, value)?, w)?,
            "rand" => set(&mut spec.rand, bytes(w, value)?, w)?,
            "index" => set(&mut spec.index, small(value)?, w)?,
            "k" => set(&mut spec.k, small(value)?, w)?,
            "n" => set(&mut spec.n, small(value)?, w)?,
            "csb" => set(&mut spec.csb_id, number(w, value, u64::from(u32::MAX))? as u32, w)?,
            "t" => set(&mut spec.timestamp, number(w, value, u64::MAX)?, w)?,
            "idi" => set(&mut spec.id_i, identity(w, value)?, w)?,
            "idr" => set(&mut spec.id_r, identity(w, value)?, w)?,
            _ => {
                return Err(bad(
                    w,
                    "unknown field (tgk, share, index, k, n, kcv, t, idi, idr, rand, csb)",
                ));
            }
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
        s.index = Some(1);
        s.k = Some(3);
        s.n = Some(5);
        s.kcv = Some(Bytes::Typed(vec![1; 8]));
        s.timestamp = Some(u64::MAX);
        s.id_i = Some(b"sensor@x".to_vec());
        s.id_r = Some(vec![0, 1, 0x20]);
        s.rand = Some(Bytes::Fact(0));
        s.csb_id = Some(u32::MAX);
        let text = s.to_text();
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
            ("TP_R TP1>R tgk=00", "tgk=00"),
            ("TP_R TP1>R tgk=hex:0", "tgk=hex:0"),
            ("TP_R TP1>R colour=red", "colour=red"),
            ("TP_R TP1>R idi=sensor", "idi=sensor"),
        ] {
            match ForgeSpec::parse(text) {
                Err(Error::BadForgeSpec { part, .. }) => assert_eq!(part, token, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
