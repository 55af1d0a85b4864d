//! The D-MIKEY General Extension (type 241, docs/distributed-mode.md, "Share metadata"): share
//! metadata and end-to-end identities that ride, authenticated, next to the standard payloads.
//!
//! Data layout: `ext_version u8 (= 1) || TLV*`, each TLV `tag u8 | len u8 | value`. Unknown
//! tags are skipped (and annotated as such); a tag that appears twice is an error. Decoding
//! records a field span for every tag, length and value so the inspector can annotate TLVs.

use crate::error::Error;

use super::codec::{LenWidth, Reader, with_len_prefix};
use super::layout::FieldSpan;
use super::payloads::{GenExt, Timestamp};
use super::types::{GenExtType, IdType, MsgKind};
use crate::sharing::Scheme;

const P: &str = "D-MIKEY extension";

/// Version of the extension data this crate writes and accepts.
pub const EXT_VERSION: u8 = 1;

/// TLV tags.
pub mod tag {
    /// Which D-MIKEY message this is.
    pub const ROLE: u8 = 0x01;
    /// Sharing scheme.
    pub const SCHEME: u8 = 0x02;
    /// Threshold k.
    pub const K: u8 = 0x03;
    /// Number of shares n.
    pub const N: u8 = 0x04;
    /// Share index i (1..=n).
    pub const INDEX: u8 = 0x05;
    /// TGK length (u16).
    pub const SECRET_LEN: u8 = 0x06;
    /// Sensor identity (ID type ‖ data).
    pub const SENSOR_ID: u8 = 0x07;
    /// Final responder identity (ID type ‖ data).
    pub const FINAL_R_ID: u8 = 0x08;
    /// The sensor's original timestamp (TS type ‖ value).
    pub const T_I: u8 = 0x09;
    /// Key check value, 8 bytes.
    pub const KCV: u8 = 0x0A;
    /// Share indices R used.
    pub const USED_INDICES: u8 = 0x0B;
    /// The TPs the sensor chose (ID type ‖ len ‖ data)*.
    pub const TP_SET: u8 = 0x0C;
}

/// Name of a tag, "unknown tag" otherwise.
pub fn tag_name(t: u8) -> &'static str {
    match t {
        tag::ROLE => "ROLE",
        tag::SCHEME => "SCHEME",
        tag::K => "K",
        tag::N => "N",
        tag::INDEX => "INDEX",
        tag::SECRET_LEN => "SECRET_LEN",
        tag::SENSOR_ID => "SENSOR_ID",
        tag::FINAL_R_ID => "FINAL_R_ID",
        tag::T_I => "T_I",
        tag::KCV => "KCV",
        tag::USED_INDICES => "USED_INDICES",
        tag::TP_SET => "TP_SET",
        _ => "unknown tag",
    }
}

/// An identity with its type, as carried in SENSOR_ID, FINAL_R_ID and TP_SET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedId {
    /// ID type (Table 6.7.a).
    pub id_type: IdType,
    /// Identity bytes.
    pub data: Vec<u8>,
}

/// The typed contents of a D-MIKEY General Extension. Absent tags are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DmikeyExt {
    /// ROLE: which of the five distributed-mode messages this is (a kind without a ROLE
    /// value, [`MsgKind::role_code`], is not written).
    pub role: Option<MsgKind>,
    /// SCHEME.
    pub scheme: Option<Scheme>,
    /// K (threshold).
    pub k: Option<u8>,
    /// N (number of shares).
    pub n: Option<u8>,
    /// INDEX (this share's x-coordinate).
    pub index: Option<u8>,
    /// SECRET_LEN (TGK length in bytes).
    pub secret_len: Option<u16>,
    /// SENSOR_ID.
    pub sensor_id: Option<TypedId>,
    /// FINAL_R_ID.
    pub final_r_id: Option<TypedId>,
    /// T_I.
    pub t_i: Option<Timestamp>,
    /// KCV (8 bytes).
    pub kcv: Option<[u8; 8]>,
    /// USED_INDICES.
    pub used_indices: Option<Vec<u8>>,
    /// TP_SET.
    pub tp_set: Option<Vec<TypedId>>,
}

fn id_words(id: &TypedId) -> String {
    match core::str::from_utf8(&id.data) {
        Ok(s) => format!("{} \"{s}\"", id.id_type.name()),
        Err(_) => format!("{} ({} bytes)", id.id_type.name(), id.data.len()),
    }
}

impl DmikeyExt {
    /// The extension data: `ext_version || TLV*`, tags in increasing order.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![EXT_VERSION];
        let mut tlv = |t: u8, f: &dyn Fn(&mut Vec<u8>)| {
            out.push(t);
            with_len_prefix(&mut out, LenWidth::U8, |o| f(o));
        };
        if let Some(v) = self.role.and_then(MsgKind::role_code) {
            tlv(tag::ROLE, &|o| o.push(v));
        }
        if let Some(v) = self.scheme {
            tlv(tag::SCHEME, &|o| o.push(v.code()));
        }
        if let Some(v) = self.k {
            tlv(tag::K, &|o| o.push(v));
        }
        if let Some(v) = self.n {
            tlv(tag::N, &|o| o.push(v));
        }
        if let Some(v) = self.index {
            tlv(tag::INDEX, &|o| o.push(v));
        }
        if let Some(v) = self.secret_len {
            tlv(tag::SECRET_LEN, &|o| o.extend_from_slice(&v.to_be_bytes()));
        }
        if let Some(id) = &self.sensor_id {
            tlv(tag::SENSOR_ID, &|o| {
                o.push(id.id_type.to_u8());
                o.extend_from_slice(&id.data);
            });
        }
        if let Some(id) = &self.final_r_id {
            tlv(tag::FINAL_R_ID, &|o| {
                o.push(id.id_type.to_u8());
                o.extend_from_slice(&id.data);
            });
        }
        if let Some(t) = &self.t_i {
            tlv(tag::T_I, &|o| t.encode(o));
        }
        if let Some(k) = &self.kcv {
            tlv(tag::KCV, &|o| o.extend_from_slice(k));
        }
        if let Some(u) = &self.used_indices {
            tlv(tag::USED_INDICES, &|o| o.extend_from_slice(u));
        }
        if let Some(set) = &self.tp_set {
            tlv(tag::TP_SET, &|o| {
                for id in set {
                    o.push(id.id_type.to_u8());
                    with_len_prefix(o, LenWidth::U8, |o| o.extend_from_slice(&id.data));
                }
            });
        }
        out
    }

    /// The General Extension payload (type 241) carrying this data.
    pub fn to_genext(&self) -> GenExt {
        GenExt { ext_type: GenExtType::Dmikey, data: self.encode() }
    }

    /// Decodes extension data on its own; field offsets are relative to `data`.
    pub fn decode(data: &[u8]) -> Result<(Self, Vec<FieldSpan>), Error> {
        let mut r = Reader::new(data);
        let ext = Self::read(&mut r)?;
        r.expect_empty(P)?;
        Ok((ext, r.drain_spans(0)))
    }

    /// Decodes the data of a General Extension payload, which must be of type 241.
    pub fn from_genext(g: &GenExt) -> Result<Self, Error> {
        if g.ext_type != GenExtType::Dmikey {
            return Err(Error::InvalidValue {
                payload: "General Extension",
                field: "Type",
                value: u64::from(g.ext_type.to_u8()),
                reason: "the D-MIKEY extension has type 241",
            });
        }
        Ok(Self::decode(&g.data)?.0)
    }

    /// Reads `ext_version || TLV*` up to the reader's limit, recording spans.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let v = r.u8(P, "Ext version")?;
        if v != EXT_VERSION {
            return Err(Error::InvalidValue {
                payload: P,
                field: "Ext version",
                value: u64::from(v),
                reason: "only version 1 is defined",
            });
        }
        r.explain("1: D-MIKEY extension version 1");
        let mut ext = DmikeyExt::default();
        let mut seen = [false; 256];
        while r.left() > 0 {
            let t = r.u8(P, "Tag")?;
            let name = tag_name(t);
            r.explain(format!("0x{t:02X}: {name}"));
            let len = usize::from(r.u8(P, "Length")?);
            r.explain(format!("{len} byte{} of {name}", if len == 1 { "" } else { "s" }));
            let slot = seen.get_mut(usize::from(t)).ok_or(Error::InvalidValue {
                payload: P,
                field: "Tag",
                value: u64::from(t),
                reason: "tag out of range",
            })?;
            if *slot && name != "unknown tag" {
                return Err(Error::DuplicateTag { payload: P, tag: t, name });
            }
            *slot = true;
            let fixed = |want: usize| {
                if len == want {
                    Ok(())
                } else {
                    Err(Error::LengthMismatch {
                        payload: P,
                        field: name,
                        expected: want,
                        found: len,
                    })
                }
            };
            match t {
                tag::ROLE => {
                    fixed(1)?;
                    let v = r.u8(P, "ROLE")?;
                    let role = MsgKind::from_role_code(v).ok_or(Error::InvalidValue {
                        payload: P,
                        field: "ROLE",
                        value: u64::from(v),
                        reason: "roles are 1 to 5",
                    })?;
                    r.explain(format!("{v} = {}", role.name()));
                    ext.role = Some(role);
                }
                tag::SCHEME => {
                    fixed(1)?;
                    let v = r.u8(P, "SCHEME")?;
                    let s = Scheme::from_code(v).map_err(|_| Error::InvalidValue {
                        payload: P,
                        field: "SCHEME",
                        value: u64::from(v),
                        reason: "schemes are 1 (Shamir), 2 (XOR), 3 (RS, paper) and 4 (AONT-RS)",
                    })?;
                    r.explain(format!("{v} = {}", s.name()));
                    ext.scheme = Some(s);
                }
                tag::K | tag::N | tag::INDEX => {
                    fixed(1)?;
                    let v = r.u8(P, name)?;
                    r.explain(match t {
                        tag::K => format!("any {v} shares rebuild the TGK"),
                        tag::N => format!("the TGK was split into {v} shares"),
                        _ => format!("this is share number {v}"),
                    });
                    match t {
                        tag::K => ext.k = Some(v),
                        tag::N => ext.n = Some(v),
                        _ => ext.index = Some(v),
                    }
                }
                tag::SECRET_LEN => {
                    fixed(2)?;
                    let v = r.u16(P, "SECRET_LEN")?;
                    r.explain(format!("the TGK is {v} bytes long"));
                    ext.secret_len = Some(v);
                }
                tag::SENSOR_ID | tag::FINAL_R_ID => {
                    let id = r.within(len, P, name, |r| {
                        let ty = r.u8(P, "ID type")?;
                        let id_type = IdType::from_u8(ty);
                        r.explain(format!("{ty} = {}", id_type.name()));
                        let n = r.left();
                        let data = r.take(n, P, name)?.to_vec();
                        let id = TypedId { id_type, data };
                        r.explain(if t == tag::SENSOR_ID {
                            format!("sensor {}", id_words(&id))
                        } else {
                            format!("final responder {}", id_words(&id))
                        });
                        Ok(id)
                    })?;
                    if t == tag::SENSOR_ID {
                        ext.sensor_id = Some(id);
                    } else {
                        ext.final_r_id = Some(id);
                    }
                }
                tag::T_I => {
                    let ts = r.within(len, P, "T_I", |r| Timestamp::read(r, P))?;
                    r.explain(format!("sensor's timestamp T_I: {}", ts.describe()));
                    ext.t_i = Some(ts);
                }
                tag::KCV => {
                    fixed(8)?;
                    let b = r.take(8, P, "KCV")?;
                    let mut k = [0u8; 8];
                    k.copy_from_slice(b);
                    r.explain(format!(
                        "key check value {}",
                        k.iter().map(|x| format!("{x:02x}")).collect::<String>()
                    ));
                    ext.kcv = Some(k);
                }
                tag::USED_INDICES => {
                    let b = r.take(len, P, "USED_INDICES")?.to_vec();
                    r.explain(format!("R rebuilt the TGK from shares {b:?}"));
                    ext.used_indices = Some(b);
                }
                tag::TP_SET => {
                    let set = r.within(len, P, "TP_SET", |r| {
                        let mut set = Vec::new();
                        while r.left() > 0 {
                            let ty = r.u8(P, "ID type")?;
                            let id_type = IdType::from_u8(ty);
                            r.explain(format!("{ty} = {}", id_type.name()));
                            let n = usize::from(r.u8(P, "ID len")?);
                            r.explain(format!("{n} bytes of identity"));
                            let data = r.take(n, P, "TP identity")?.to_vec();
                            let id = TypedId { id_type, data };
                            r.explain(format!("third party {}", id_words(&id)));
                            set.push(id);
                        }
                        Ok(set)
                    })?;
                    ext.tp_set = Some(set);
                }
                _ => {
                    r.take(len, P, "Unknown value")?;
                    r.explain(format!("{len} bytes of an unknown tag, ignored"));
                }
            }
        }
        Ok(ext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> DmikeyExt {
        DmikeyExt {
            role: Some(MsgKind::TpR),
            scheme: Some(Scheme::Shamir),
            k: Some(2),
            n: Some(3),
            index: Some(2),
            secret_len: Some(16),
            sensor_id: Some(TypedId { id_type: IdType::Uri, data: b"sensor:ecg-7".to_vec() }),
            final_r_id: Some(TypedId { id_type: IdType::Uri, data: b"server:r".to_vec() }),
            t_i: Some(Timestamp::Counter(42)),
            kcv: Some([0xb1, 0x35, 0xe7, 0x62, 0xe2, 0x8c, 0xf4, 0x4c]),
            used_indices: Some(vec![1, 3]),
            tp_set: Some(vec![
                TypedId { id_type: IdType::Uri, data: b"tp:1".to_vec() },
                TypedId { id_type: IdType::Nai, data: b"tp2@h".to_vec() },
            ]),
        }
    }

    #[test]
    fn every_tag_round_trips_with_covering_spans() {
        let e = full();
        let bytes = e.encode();
        let (back, spans) = DmikeyExt::decode(&bytes).unwrap();
        assert_eq!(back, e);
        let mut at = 0;
        for s in &spans {
            assert_eq!(s.range.start, at, "span {:?} leaves a gap", s.label);
            at = s.range.end;
        }
        assert_eq!(at, bytes.len());
        assert!(spans.iter().any(|s| s.meaning.contains("Shamir")));
    }

    #[test]
    fn every_scheme_value_round_trips() {
        for s in Scheme::ALL {
            let e = DmikeyExt { scheme: Some(s), ..Default::default() };
            assert_eq!(DmikeyExt::decode(&e.encode()).unwrap().0, e);
        }
    }

    #[test]
    fn unknown_tags_are_skipped() {
        let bytes = [1, 0x01, 1, 5, 0x7F, 3, 9, 9, 9, 0x03, 1, 2];
        let (e, spans) = DmikeyExt::decode(&bytes).unwrap();
        assert_eq!(e.role, Some(MsgKind::RI));
        assert_eq!(e.k, Some(2));
        assert!(spans.iter().any(|s| s.meaning.contains("ignored")));
    }

    #[test]
    fn duplicate_tag_is_an_error() {
        let bytes = [1, 0x03, 1, 2, 0x03, 1, 3];
        let err = DmikeyExt::decode(&bytes).unwrap_err();
        assert_eq!(err, Error::DuplicateTag { payload: P, tag: 3, name: "K" });
        assert_eq!(err.to_string(), "tag 3 (K) appears twice in D-MIKEY extension");
    }

    #[test]
    fn wrong_fixed_length_is_named() {
        let bytes = [1, 0x0A, 4, 1, 2, 3, 4];
        let err = DmikeyExt::decode(&bytes).unwrap_err();
        assert_eq!(err, Error::LengthMismatch { payload: P, field: "KCV", expected: 8, found: 4 });
    }

    #[test]
    fn tlv_running_past_the_end_is_truncated() {
        let bytes = [1, 0x07, 10, 1, b'a'];
        let err = DmikeyExt::decode(&bytes).unwrap_err();
        assert!(matches!(err, Error::Truncated { .. }), "{err:?}");
    }
}
