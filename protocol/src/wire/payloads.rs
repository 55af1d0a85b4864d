//! One struct per RFC 3830 payload, each with its wire encoding and its reader.
//!
//! The `Next payload` byte is not part of these structs: [`super::message::Message`] writes
//! it from the order of the payloads and checks it when decoding. HDR is the exception in
//! that its `Next payload` byte sits in the middle of it, so [`Hdr`] has its own
//! `encode_with_next` / `read_with_next` instead of [`Codec`].
//!
//! Readers are strict: version must be 1, reserved bits must be 0, lengths implied by a code
//! point (TS type, MAC alg, hash func, DH group) must be known, and every length-prefixed
//! region is consumed exactly.

use crate::error::Error;

use super::codec::{Codec, LenWidth, Reader, with_len_prefix};
use super::time::format_ntp;
use super::types::*;

fn hex_preview(b: &[u8]) -> String {
    let shown: String = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    if b.len() > 8 { format!("{shown}…") } else { shown }
}

/// Reads one byte as a strict code point, with "value = name" as its meaning.
fn read_code<T: Copy>(
    r: &mut Reader<'_>,
    payload: &'static str,
    field: &'static str,
    from: fn(u8) -> Option<T>,
    name: fn(T) -> &'static str,
    reason: &'static str,
) -> Result<T, Error> {
    let v = r.u8(payload, field)?;
    let t = from(v).ok_or(Error::InvalidValue { payload, field, value: u64::from(v), reason })?;
    r.explain(format!("{v} = {}", name(t)));
    Ok(t)
}

/// Reads `n` bytes as one field and describes them as "`n` bytes of `what`".
fn read_bytes(
    r: &mut Reader<'_>,
    n: usize,
    payload: &'static str,
    field: &'static str,
    what: &str,
) -> Result<Vec<u8>, Error> {
    let b = r.take(n, payload, field)?.to_vec();
    r.explain(format!("{n} bytes of {what}: {}", hex_preview(&b)));
    Ok(b)
}

fn read_len16(
    r: &mut Reader<'_>,
    payload: &'static str,
    field: &'static str,
    what: &str,
) -> Result<usize, Error> {
    let n = r.u16(payload, field)?;
    r.explain(format!("{n} bytes of {what} follow"));
    Ok(usize::from(n))
}

fn read_len8(
    r: &mut Reader<'_>,
    payload: &'static str,
    field: &'static str,
    what: &str,
) -> Result<usize, Error> {
    let n = r.u8(payload, field)?;
    r.explain(format!("{n} bytes of {what} follow"));
    Ok(usize::from(n))
}

// ---- HDR ---------------------------------------------------------------------------------

/// One crypto session of an SRTP-ID map (RFC 3830 §6.1.1): 9 bytes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrtpCs {
    /// Policy number (refers to an SP payload).
    pub policy_no: u8,
    /// SRTP SSRC (0 if the Initiator cannot choose it).
    pub ssrc: u32,
    /// SRTP roll-over counter.
    pub roc: u32,
}

/// CS ID map of HDR. Note RFC 3830 §6.1's "CS ID map info (16 bits)" is wrong: the map is
/// variable, 9 bytes per crypto session for SRTP-ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsIdMap {
    /// SRTP-ID map: one entry per crypto session (#CS = number of entries).
    SrtpId(Vec<SrtpCs>),
    /// Empty map (RFC 4563): no map info; #CS still counts the crypto sessions.
    Empty {
        /// Number of crypto sessions (#CS).
        cs_count: u8,
    },
}

impl CsIdMap {
    /// #CS, the number of crypto sessions.
    pub fn cs_count(&self) -> u8 {
        match self {
            CsIdMap::SrtpId(v) => u8::try_from(v.len()).unwrap_or(u8::MAX),
            CsIdMap::Empty { cs_count } => *cs_count,
        }
    }
}

/// Common header (RFC 3830 §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hdr {
    /// Version, always 1.
    pub version: u8,
    /// Data type (which message this is).
    pub data_type: DataType,
    /// V flag: a verification message is expected.
    pub v_flag: bool,
    /// PRF used for key derivation.
    pub prf: PrfFunc,
    /// Crypto session bundle ID.
    pub csb_id: u32,
    /// CS ID map (type and info; #CS follows from it).
    pub cs_map: CsIdMap,
}

impl Hdr {
    /// Payload name used in errors and layouts.
    pub const NAME: &'static str = "HDR";

    /// Writes HDR with `next` as the type of the first payload.
    pub fn encode_with_next(&self, next: u8, out: &mut Vec<u8>) {
        out.push(self.version);
        out.push(self.data_type.to_u8());
        out.push(next);
        out.push((u8::from(self.v_flag) << 7) | (self.prf.to_u8() & 0x7F));
        out.extend_from_slice(&self.csb_id.to_be_bytes());
        out.push(self.cs_map.cs_count());
        match &self.cs_map {
            CsIdMap::SrtpId(list) => {
                out.push(CsIdMapType::SrtpId.to_u8());
                for cs in list {
                    out.push(cs.policy_no);
                    out.extend_from_slice(&cs.ssrc.to_be_bytes());
                    out.extend_from_slice(&cs.roc.to_be_bytes());
                }
            }
            CsIdMap::Empty { .. } => out.push(CsIdMapType::Empty.to_u8()),
        }
    }

    /// Reads HDR; returns it with the `Next payload` value (type of the first payload).
    pub fn read_with_next(r: &mut Reader<'_>) -> Result<(Hdr, u8), Error> {
        const P: &str = Hdr::NAME;
        let version = r.u8(P, "Version")?;
        if version != 1 {
            return Err(Error::BadVersion { value: version });
        }
        r.explain("1: MIKEY version 1 (RFC 3830)");
        let dt = r.u8(P, "Data type")?;
        let data_type = DataType::from_u8(dt);
        r.explain(format!("{dt} = {}", data_type.name()));
        let next = r.u8(P, "Next payload")?;
        r.explain(PayloadKind::next_meaning(next));
        let b = r.u8(P, "V flag / PRF func")?;
        let v_flag = b & 0x80 != 0;
        let prf = PrfFunc::from_u8(b & 0x7F).ok_or(Error::InvalidValue {
            payload: P,
            field: "PRF func",
            value: u64::from(b & 0x7F),
            reason: "only PRF 0 (MIKEY-1) and 1 (HMAC-SHA-256) are known",
        })?;
        r.explain(format!(
            "V = {} ({}), PRF = {} ({})",
            u8::from(v_flag),
            if v_flag { "a verification message is expected" } else { "no verification message" },
            prf.to_u8(),
            prf.name()
        ));
        let csb_id = r.u32(P, "CSB ID")?;
        r.explain(format!("crypto session bundle 0x{csb_id:08X}"));
        let n_cs = r.u8(P, "#CS")?;
        r.explain(format!("{n_cs} crypto session{}", if n_cs == 1 { "" } else { "s" }));
        let map_type = read_code(
            r,
            P,
            "CS ID map type",
            CsIdMapType::from_u8,
            CsIdMapType::name,
            "only SRTP-ID (0) and Empty map (1) are supported",
        )?;
        let cs_map = match map_type {
            CsIdMapType::SrtpId => {
                let mut list = Vec::with_capacity(usize::from(n_cs));
                for i in 1..=n_cs {
                    let policy_no = r.u8(P, "Policy_no")?;
                    r.explain(format!("crypto session {i} (CS ID {i}) uses SP policy {policy_no}"));
                    let ssrc = r.u32(P, "SSRC")?;
                    r.explain(format!("SSRC 0x{ssrc:08X} of crypto session {i}"));
                    let roc = r.u32(P, "ROC")?;
                    r.explain(format!("roll-over counter {roc} of crypto session {i}"));
                    list.push(SrtpCs { policy_no, ssrc, roc });
                }
                CsIdMap::SrtpId(list)
            }
            CsIdMapType::Empty => CsIdMap::Empty { cs_count: n_cs },
        };
        Ok((Hdr { version, data_type, v_flag, prf, csb_id, cs_map }, next))
    }
}

// ---- T -----------------------------------------------------------------------------------

/// A timestamp value (RFC 3830 §6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    /// NTP-UTC, 64 bits (seconds since 1900 in the high 32 bits).
    NtpUtc(u64),
    /// NTP, 64 bits.
    Ntp(u64),
    /// COUNTER, 32 bits.
    Counter(u32),
}

impl Timestamp {
    /// Its TS type.
    pub fn ts_type(&self) -> TsType {
        match self {
            Timestamp::NtpUtc(_) => TsType::NtpUtc,
            Timestamp::Ntp(_) => TsType::Ntp,
            Timestamp::Counter(_) => TsType::Counter,
        }
    }

    /// The TS value bytes as sent (8 or 4 bytes).
    pub fn value_bytes(&self) -> Vec<u8> {
        match self {
            Timestamp::NtpUtc(v) | Timestamp::Ntp(v) => v.to_be_bytes().to_vec(),
            Timestamp::Counter(c) => c.to_be_bytes().to_vec(),
        }
    }

    /// The value as 64 bits (COUNTER zero-extended; see
    /// docs/wire-format.md, "Timestamps as crypto input").
    pub fn as_u64(&self) -> u64 {
        match self {
            Timestamp::NtpUtc(v) | Timestamp::Ntp(v) => *v,
            Timestamp::Counter(c) => u64::from(*c),
        }
    }

    /// In words: "NTP-UTC 2026-11-24 18:30:00 UTC", "COUNTER 42".
    pub fn describe(&self) -> String {
        match self {
            Timestamp::NtpUtc(v) => format!("NTP-UTC {}", format_ntp(*v)),
            Timestamp::Ntp(v) => format!("NTP {}", format_ntp(*v)),
            Timestamp::Counter(c) => format!("COUNTER {c}"),
        }
    }

    /// Writes `TS type || TS value`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.ts_type().to_u8());
        out.extend_from_slice(&self.value_bytes());
    }

    /// Reads `TS type || TS value` (shared by T and the GenExt T_I tag).
    pub fn read(r: &mut Reader<'_>, payload: &'static str) -> Result<Self, Error> {
        let ty = read_code(
            r,
            payload,
            "TS type",
            TsType::from_u8,
            TsType::name,
            "only NTP-UTC (0), NTP (1) and COUNTER (2) are supported",
        )?;
        let ts = match ty {
            TsType::NtpUtc => Timestamp::NtpUtc(r.u64(payload, "TS value")?),
            TsType::Ntp => Timestamp::Ntp(r.u64(payload, "TS value")?),
            TsType::Counter => Timestamp::Counter(r.u32(payload, "TS value")?),
        };
        r.explain(ts.describe());
        Ok(ts)
    }
}

/// Timestamp payload T (RFC 3830 §6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T(pub Timestamp);

impl Codec for T {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(T(Timestamp::read(r, "T")?))
    }
}

// ---- RAND --------------------------------------------------------------------------------

/// RAND payload (RFC 3830 §6.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rand(pub Vec<u8>);

impl Codec for Rand {
    fn encode(&self, out: &mut Vec<u8>) {
        with_len_prefix(out, LenWidth::U8, |o| o.extend_from_slice(&self.0));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let n = read_len8(r, "RAND", "RAND len", "random bytes")?;
        Ok(Rand(read_bytes(r, n, "RAND", "RAND", "fresh randomness")?))
    }
}

// ---- ID / CERT / CHASH --------------------------------------------------------------------

/// ID payload (RFC 3830 §6.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    /// ID type.
    pub id_type: IdType,
    /// The identity bytes (e.g. a URI).
    pub data: Vec<u8>,
}

impl Id {
    /// A URI identity.
    pub fn uri(s: &str) -> Self {
        Id { id_type: IdType::Uri, data: s.as_bytes().to_vec() }
    }
}

fn text_or_hex(b: &[u8]) -> String {
    match core::str::from_utf8(b) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => format!("\"{s}\""),
        _ => hex_preview(b),
    }
}

impl Codec for Id {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.id_type.to_u8());
        with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(&self.data));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let t = r.u8("ID", "ID type")?;
        let id_type = IdType::from_u8(t);
        r.explain(format!("{t} = {}", id_type.name()));
        let n = read_len16(r, "ID", "ID len", "identity")?;
        let data = r.take(n, "ID", "ID data")?.to_vec();
        r.explain(format!("identity {}", text_or_hex(&data)));
        Ok(Id { id_type, data })
    }
}

/// CERT payload (RFC 3830 §6.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cert {
    /// Cert type.
    pub cert_type: CertType,
    /// The certificate (DER for X.509v3).
    pub data: Vec<u8>,
}

impl Codec for Cert {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.cert_type.to_u8());
        with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(&self.data));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let t = r.u8("CERT", "Cert type")?;
        let cert_type = CertType::from_u8(t);
        r.explain(format!("{t} = {}", cert_type.name()));
        let n = read_len16(r, "CERT", "Cert len", "certificate")?;
        let data = read_bytes(r, n, "CERT", "Certificate", "certificate (DER)")?;
        Ok(Cert { cert_type, data })
    }
}

/// CHASH payload (RFC 3830 §6.8): hash of the responder's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chash {
    /// Hash function (decides the hash length).
    pub func: HashFunc,
    /// The hash.
    pub hash: Vec<u8>,
}

impl Codec for Chash {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.func.to_u8());
        out.extend_from_slice(&self.hash);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let func = read_code(
            r,
            "CHASH",
            "Hash func",
            HashFunc::from_u8,
            HashFunc::name,
            "only SHA-1 (0), MD5 (1) and SHA-256 (2) are known",
        )?;
        let hash = read_bytes(r, func.hash_len(), "CHASH", "Hash", "certificate hash")?;
        Ok(Chash { func, hash })
    }
}

// ---- V -----------------------------------------------------------------------------------

/// Verification payload V (RFC 3830 §6.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V {
    /// Auth alg (values of the MAC alg table).
    pub alg: MacAlg,
    /// The verification MAC.
    pub data: Vec<u8>,
}

impl Codec for V {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.alg.to_u8());
        out.extend_from_slice(&self.data);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let alg = read_code(
            r,
            "V",
            "Auth alg",
            MacAlg::from_u8,
            MacAlg::name,
            "only NULL (0), HMAC-SHA-1-160 (1) and HMAC-SHA-256-256 (2) are known",
        )?;
        let n = alg.hmac_len().ok_or(Error::InvalidValue {
            payload: "V",
            field: "Auth alg",
            value: u64::from(alg.to_u8()),
            reason: "the CCM tag is only defined for KEMAC",
        })?;
        let data = read_bytes(r, n, "V", "Ver data", "verification MAC")?;
        Ok(V { alg, data })
    }
}

// ---- SP ----------------------------------------------------------------------------------

/// One SP policy parameter TLV (RFC 3830 §6.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpParam {
    /// Parameter type (see [`srtp_param_name`]).
    pub typ: u8,
    /// Value bytes.
    pub value: Vec<u8>,
}

/// Security policy payload SP (RFC 3830 §6.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp {
    /// Policy number (referred to by the CS ID map).
    pub policy_no: u8,
    /// Security protocol.
    pub prot_type: ProtType,
    /// Parameters; empty = all SRTP defaults.
    pub params: Vec<SpParam>,
}

impl Codec for Sp {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.policy_no);
        out.push(self.prot_type.to_u8());
        with_len_prefix(out, LenWidth::U16, |o| {
            for p in &self.params {
                o.push(p.typ);
                with_len_prefix(o, LenWidth::U8, |o| o.extend_from_slice(&p.value));
            }
        });
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        const P: &str = "SP";
        let policy_no = r.u8(P, "Policy no")?;
        r.explain(format!("policy number {policy_no}"));
        let t = r.u8(P, "Prot type")?;
        let prot_type = ProtType::from_u8(t);
        r.explain(format!("{t} = {}", prot_type.name()));
        let n = r.u16(P, "Policy param length")?;
        r.explain(if n == 0 {
            "0: no parameters, every SRTP default applies".to_string()
        } else {
            format!("{n} bytes of policy parameters follow")
        });
        let params = r.within(usize::from(n), P, "Policy param", |r| {
            let mut params = Vec::new();
            while r.left() > 0 {
                let typ = r.u8(P, "Param type")?;
                let srtp = prot_type == ProtType::Srtp;
                r.explain(if srtp {
                    format!("{typ}: {}", srtp_param_name(typ))
                } else {
                    format!("{typ}")
                });
                let len = r.u8(P, "Param length")?;
                r.explain(format!("{len} byte{}", if len == 1 { "" } else { "s" }));
                let value = r.take(usize::from(len), P, "Param value")?.to_vec();
                r.explain(if srtp {
                    srtp_param_value_meaning(typ, &value)
                } else {
                    hex_preview(&value)
                });
                params.push(SpParam { typ, value });
            }
            Ok(params)
        })?;
        Ok(Sp { policy_no, prot_type, params })
    }
}

// ---- KEMAC -------------------------------------------------------------------------------

/// Key data transport payload KEMAC (RFC 3830 §6.2). Encr data and MAC are opaque here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kemac {
    /// Encryption algorithm of the Encr data.
    pub encr_alg: EncrAlg,
    /// Encrypted key data chain (the plaintext is a key-data chain, see `message`).
    pub encr_data: Vec<u8>,
    /// MAC algorithm.
    pub mac_alg: MacAlg,
    /// MAC (or CCM tag for MAC alg 241).
    pub mac: Vec<u8>,
}

impl Kemac {
    /// Length of the MAC field for this pair of algorithms, or the reason it is invalid.
    pub fn mac_len(encr: EncrAlg, mac: MacAlg) -> Result<usize, &'static str> {
        match (mac, encr.ccm_tag_len()) {
            (MacAlg::CcmTag, Some(n)) => Ok(n),
            (MacAlg::CcmTag, None) => Err("MAC alg 241 (CCM tag) needs Encr alg 241 or 242"),
            (_, Some(_)) => Err("Encr alg 241/242 (AES-CCM) must be paired with MAC alg 241"),
            (m, None) => m.hmac_len().ok_or("unknown MAC length"),
        }
    }
}

impl Codec for Kemac {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.encr_alg.to_u8());
        with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(&self.encr_data));
        out.push(self.mac_alg.to_u8());
        out.extend_from_slice(&self.mac);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        const P: &str = "KEMAC";
        let encr_alg = read_code(
            r,
            P,
            "Encr alg",
            EncrAlg::from_u8,
            EncrAlg::name,
            "known values are 0-3 and the private 241/242",
        )?;
        let n = read_len16(r, P, "Encr data len", "encrypted key data")?;
        let what =
            if encr_alg == EncrAlg::Null { "key data in the clear" } else { "encrypted key data" };
        let encr_data = read_bytes(r, n, P, "Encr data", what)?;
        let mac_alg = read_code(
            r,
            P,
            "MAC alg",
            MacAlg::from_u8,
            MacAlg::name,
            "known values are 0-2 and the private 241",
        )?;
        let len = Kemac::mac_len(encr_alg, mac_alg).map_err(|reason| Error::InvalidValue {
            payload: P,
            field: "MAC alg",
            value: u64::from(mac_alg.to_u8()),
            reason,
        })?;
        let what = if mac_alg == MacAlg::CcmTag { "CCM tag" } else { "MAC" };
        let mac = read_bytes(r, len, P, "MAC", what)?;
        Ok(Kemac { encr_alg, encr_data, mac_alg, mac })
    }
}

// ---- Key data sub-payload ----------------------------------------------------------------

/// Key validity data (RFC 3830 §6.14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValidity {
    /// No validity restriction.
    Null,
    /// SPI / MKI.
    Spi(Vec<u8>),
    /// Validity interval (for SRTP, 48-bit packet indices).
    Interval {
        /// Valid from.
        from: Vec<u8>,
        /// Valid to.
        to: Vec<u8>,
    },
}

impl KeyValidity {
    /// Its KV type.
    pub fn kv_type(&self) -> KvType {
        match self {
            KeyValidity::Null => KvType::Null,
            KeyValidity::Spi(_) => KvType::Spi,
            KeyValidity::Interval { .. } => KvType::Interval,
        }
    }

    fn encode_data(&self, out: &mut Vec<u8>) {
        match self {
            KeyValidity::Null => {}
            KeyValidity::Spi(spi) => {
                with_len_prefix(out, LenWidth::U8, |o| o.extend_from_slice(spi))
            }
            KeyValidity::Interval { from, to } => {
                with_len_prefix(out, LenWidth::U8, |o| o.extend_from_slice(from));
                with_len_prefix(out, LenWidth::U8, |o| o.extend_from_slice(to));
            }
        }
    }

    fn read_data(kv: KvType, r: &mut Reader<'_>, payload: &'static str) -> Result<Self, Error> {
        Ok(match kv {
            KvType::Null => KeyValidity::Null,
            KvType::Spi => {
                let n = read_len8(r, payload, "SPI length", "SPI/MKI")?;
                KeyValidity::Spi(read_bytes(r, n, payload, "SPI", "SPI/MKI")?)
            }
            KvType::Interval => {
                let n = read_len8(r, payload, "VF length", "valid-from")?;
                let from = read_bytes(r, n, payload, "Valid From", "valid-from index")?;
                let n = read_len8(r, payload, "VT length", "valid-to")?;
                let to = read_bytes(r, n, payload, "Valid To", "valid-to index")?;
                KeyValidity::Interval { from, to }
            }
        })
    }
}

/// Key data sub-payload (RFC 3830 §6.13); it lives only inside KEMAC's Encr data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyData {
    /// Key type (decides whether a salt follows).
    pub key_type: KeyDataType,
    /// The key (a TGK, a TEK, or in D-MIKEY a share of the TGK).
    pub key: Vec<u8>,
    /// Salt, present iff the type includes SALT.
    pub salt: Option<Vec<u8>>,
    /// Key validity.
    pub kv: KeyValidity,
}

impl Codec for KeyData {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push((self.key_type.to_u8() << 4) | (self.kv.kv_type().to_u8() & 0x0F));
        with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(&self.key));
        if self.key_type.has_salt() {
            let salt = self.salt.as_deref().unwrap_or(&[]);
            with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(salt));
        }
        self.kv.encode_data(out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        const P: &str = "Key data";
        let b = r.u8(P, "Type / KV")?;
        let key_type = KeyDataType::from_u8(b >> 4).ok_or(Error::InvalidValue {
            payload: P,
            field: "Type",
            value: u64::from(b >> 4),
            reason: "only TGK (0), TGK+SALT (1), TEK (2) and TEK+SALT (3) are supported",
        })?;
        let kv = KvType::from_u8(b & 0x0F).ok_or(Error::InvalidValue {
            payload: P,
            field: "KV",
            value: u64::from(b & 0x0F),
            reason: "only NULL (0), SPI (1) and Interval (2) are known",
        })?;
        r.explain(format!(
            "Type {} = {}, KV {} = {}",
            key_type.to_u8(),
            key_type.name(),
            kv.to_u8(),
            kv.name()
        ));
        let n = read_len16(r, P, "Key data len", "key")?;
        let key = read_bytes(r, n, P, "Key data", key_type.name())?;
        let salt = if key_type.has_salt() {
            let n = read_len16(r, P, "Salt len", "salt")?;
            Some(read_bytes(r, n, P, "Salt data", "salt")?)
        } else {
            None
        };
        let kv = KeyValidity::read_data(kv, r, P)?;
        Ok(KeyData { key_type, key, salt, kv })
    }
}

// ---- PKE ---------------------------------------------------------------------------------

/// Envelope data payload PKE (RFC 3830 §6.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pke {
    /// Cache indicator C (2 bits).
    pub cache: PkeCache,
    /// The envelope key encrypted under the responder's public key.
    pub data: Vec<u8>,
}

impl Codec for Pke {
    fn encode(&self, out: &mut Vec<u8>) {
        let len = u16::try_from(self.data.len()).unwrap_or(0x3FFF).min(0x3FFF);
        out.extend_from_slice(&((u16::from(self.cache.to_u8()) << 14) | len).to_be_bytes());
        out.extend_from_slice(&self.data);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let v = r.u16("PKE", "C / Data len")?;
        let c = (v >> 14) as u8;
        let cache = PkeCache::from_u8(c).ok_or(Error::InvalidValue {
            payload: "PKE",
            field: "C",
            value: u64::from(c),
            reason: "cache indicator 3 is not defined",
        })?;
        let n = usize::from(v & 0x3FFF);
        r.explain(format!("C = {c} ({}), {n} bytes of envelope data follow", cache.name()));
        let data = read_bytes(r, n, "PKE", "Data", "encrypted envelope key")?;
        Ok(Pke { cache, data })
    }
}

// ---- SIGN --------------------------------------------------------------------------------

/// Signature payload SIGN (RFC 3830 §6.5): no `Next payload` byte, always last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign {
    /// S type (4 bits).
    pub stype: SignType,
    /// The signature (length in 12 bits).
    pub signature: Vec<u8>,
}

impl Codec for Sign {
    fn encode(&self, out: &mut Vec<u8>) {
        let len = u16::try_from(self.signature.len()).unwrap_or(0x0FFF).min(0x0FFF);
        out.extend_from_slice(&((u16::from(self.stype.to_u8()) << 12) | len).to_be_bytes());
        out.extend_from_slice(&self.signature);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let v = r.u16("SIGN", "S type / Signature len")?;
        let s = (v >> 12) as u8;
        let stype = SignType::from_u8(s).ok_or(Error::InvalidValue {
            payload: "SIGN",
            field: "S type",
            value: u64::from(s),
            reason: "only RSA/PKCS#1 v1.5 (0) and RSA/PSS (1) are supported",
        })?;
        let n = usize::from(v & 0x0FFF);
        r.explain(format!("S type {s} = {}, {n} bytes of signature follow", stype.name()));
        let signature = read_bytes(r, n, "SIGN", "Signature", "signature")?;
        Ok(Sign { stype, signature })
    }
}

// ---- DH ----------------------------------------------------------------------------------

/// DH data payload (RFC 3830 §6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dh {
    /// DH group (decides the value length).
    pub group: DhGroup,
    /// The public DH value, exactly `group.value_len()` bytes.
    pub value: Vec<u8>,
    /// Key validity of the TGK.
    pub kv: KeyValidity,
}

impl Codec for Dh {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.group.to_u8());
        out.extend_from_slice(&self.value);
        out.push(self.kv.kv_type().to_u8() & 0x0F);
        self.kv.encode_data(out);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let group = read_code(
            r,
            "DH",
            "DH-Group",
            DhGroup::from_u8,
            DhGroup::name,
            "only OAKLEY 5 (0), 1 (1) and 2 (2) are known",
        )?;
        let value = read_bytes(r, group.value_len(), "DH", "DH-value", "public DH value")?;
        let b = r.u8("DH", "Reserv / KV")?;
        if b >> 4 != 0 {
            return Err(Error::ReservedNotZero {
                payload: "DH",
                field: "Reserv",
                value: u64::from(b >> 4),
            });
        }
        let kv = KvType::from_u8(b & 0x0F).ok_or(Error::InvalidValue {
            payload: "DH",
            field: "KV",
            value: u64::from(b & 0x0F),
            reason: "only NULL (0), SPI (1) and Interval (2) are known",
        })?;
        r.explain(format!("reserved 0, KV {} = {}", kv.to_u8(), kv.name()));
        let kv = KeyValidity::read_data(kv, r, "DH")?;
        Ok(Dh { group, value, kv })
    }
}

impl Dh {
    /// Reads a DH payload of group 255 — not an RFC 3830 group (§6.4), used by the mykey crate
    /// for X25519 — with a 32-byte value. Only [`super::message::Message::decode_partial`]
    /// (the inspector) calls it; the roles never accept such a payload.
    pub fn read_x25519_private(r: &mut Reader<'_>) -> Result<Self, Error> {
        let g = r.u8("DH", "DH-Group")?;
        r.explain(format!("{g} = not an RFC 3830 group (mykey: X25519, 32-byte value)"));
        let value = read_bytes(r, 32, "DH", "DH-value", "public X25519 value")?;
        let b = r.u8("DH", "Reserv / KV")?;
        let kv = KvType::from_u8(b & 0x0F).ok_or(Error::InvalidValue {
            payload: "DH",
            field: "KV",
            value: u64::from(b & 0x0F),
            reason: "only NULL (0), SPI (1) and Interval (2) are known",
        })?;
        r.explain(format!("reserved {}, KV {} = {}", b >> 4, kv.to_u8(), kv.name()));
        let kv = KeyValidity::read_data(kv, r, "DH")?;
        // The struct needs an RFC group; the caller reports the real one from the bytes.
        Ok(Dh { group: DhGroup::Oakley5, value, kv })
    }
}

// ---- ERR ---------------------------------------------------------------------------------

/// Error payload ERR (RFC 3830 §6.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Err {
    /// Error number.
    pub code: ErrorNo,
}

impl Codec for Err {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.code.to_u8());
        out.extend_from_slice(&[0, 0]);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let c = r.u8("ERR", "Error no")?;
        let code = ErrorNo::from_u8(c);
        r.explain(format!("{c} = {}", code.name()));
        let res = r.u16("ERR", "Reserved")?;
        if res != 0 {
            return Err(Error::ReservedNotZero {
                payload: "ERR",
                field: "Reserved",
                value: u64::from(res),
            });
        }
        r.explain("0 (reserved)");
        Ok(Err { code })
    }
}

// ---- General Extension -------------------------------------------------------------------

/// General Extension payload (RFC 3830 §6.15). D-MIKEY's type 241 data is decoded by
/// [`super::genext::DmikeyExt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenExt {
    /// Extension type.
    pub ext_type: GenExtType,
    /// Extension data.
    pub data: Vec<u8>,
}

impl Codec for GenExt {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.ext_type.to_u8());
        with_len_prefix(out, LenWidth::U16, |o| o.extend_from_slice(&self.data));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let t = r.u8("General Extension", "Type")?;
        let ext_type = GenExtType::from_u8(t);
        r.explain(format!("{t} = {}", ext_type.name()));
        let n = read_len16(r, "General Extension", "Length", "extension data")?;
        if ext_type == GenExtType::Dmikey {
            // D-MIKEY data is decoded here so that its TLVs get their own field spans.
            let start = r.pos();
            r.within(n, "General Extension", "Data", |r| {
                super::genext::DmikeyExt::read(r).map(|_| ())
            })?;
            let data = r.slice(start..r.pos()).map(<[u8]>::to_vec).unwrap_or_default();
            return Ok(GenExt { ext_type, data });
        }
        let data = read_bytes(r, n, "General Extension", "Data", "extension data")?;
        Ok(GenExt { ext_type, data })
    }
}
