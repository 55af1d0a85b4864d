//! Shared machinery of the message modules: payload templates,
//! byte ranges of received payloads, and the three protections of RFC 3830 applied to encoded
//! bytes — the KEMAC (PSK coverage or PK coverage), the V payload MAC and the SIGN payload.

use core::ops::Range;

use zeroize::Zeroizing;

use crate::cost::Meter;
use crate::crypto::derive::MessageKeys;
use crate::crypto::kemac::{self, Covered, KemacProfile};
use crate::crypto::mac;
use crate::crypto::prf;
use crate::error::Error;
use crate::wire::{
    DataType, Decoded, EncrAlg, Hdr, Kemac, MacAlg, Message, Payload, PayloadKind, PrfFunc, Rand,
    Timestamp, V,
};

/// The PRF of the crypto layer named by a HDR PRF func.
pub fn crypto_prf(p: PrfFunc) -> prf::PrfFunc {
    match p {
        PrfFunc::Mikey1 => prf::PrfFunc::Mikey1,
        PrfFunc::HmacSha256 => prf::PrfFunc::HmacSha256,
    }
}

/// The 8-byte timestamp used as crypto input (COUNTER zero-extended; see
/// docs/wire-format.md, "Timestamps as crypto input").
pub fn t64(ts: &Timestamp) -> [u8; 8] {
    ts.as_u64().to_be_bytes()
}

/// Byte range of `message.payloads[idx]` in the received bytes.
pub fn payload_range(d: &Decoded, idx: usize) -> Result<Range<usize>, Error> {
    d.layout
        .payloads
        .get(idx + 1)
        .map(|p| p.range.clone())
        .ok_or(Error::LayoutMissing { payload: idx })
}

/// A sub-slice that must exist (our own arithmetic on decoded lengths).
pub fn slice(bytes: &[u8], r: Range<usize>) -> Result<&[u8], Error> {
    let (start, end) = (r.start, r.end);
    bytes.get(r).ok_or(Error::LayoutOutOfRange { start, end, len: bytes.len() })
}

fn patch(bytes: &mut [u8], at: usize, with: &[u8]) -> Result<(), Error> {
    let len = bytes.len();
    let end = at + with.len();
    bytes
        .get_mut(at..end)
        .ok_or(Error::LayoutOutOfRange { start: at, end, len })?
        .copy_from_slice(with);
    Ok(())
}

/// Checks the data type in HDR.
pub fn expect_data_type(hdr: &Hdr, dt: DataType, label: &str) -> Result<(), Error> {
    if hdr.data_type == dt {
        Ok(())
    } else {
        Err(Error::WrongDataType {
            message: label.to_string(),
            expected: dt.name(),
            found: hdr.data_type.to_u8(),
        })
    }
}

/// One slot of a message template: `min..=max` payloads of `kind`, in order.
#[derive(Debug, Clone, Copy)]
pub struct Slot(pub PayloadKind, pub u8, pub u8);

/// Checks that the payload chain follows `template` exactly.
pub fn check_template(msg: &Message, label: &str, template: &[Slot]) -> Result<(), Error> {
    let kinds = msg.kinds();
    let mut i = 0usize;
    for Slot(kind, min, max) in template {
        let mut count = 0u8;
        while count < *max && kinds.get(i) == Some(kind) {
            count += 1;
            i += 1;
        }
        if count < *min {
            return Err(Error::PayloadMissing { message: label.to_string(), payload: kind.name() });
        }
    }
    if let Some(extra) = kinds.get(i) {
        return Err(Error::ExtraPayload { message: label.to_string(), payload: extra.name() });
    }
    Ok(())
}

/// A payload the message must carry: its type name for the error.
fn required<T>(v: Option<T>, label: &str, payload: &'static str) -> Result<T, Error> {
    v.ok_or_else(|| Error::PayloadMissing { message: label.to_string(), payload })
}

/// The T payload's timestamp.
pub fn timestamp(msg: &Message, label: &str) -> Result<Timestamp, Error> {
    required(msg.timestamp(), label, "T")
}

/// The RAND bytes.
pub fn rand(msg: &Message, label: &str) -> Result<Vec<u8>, Error> {
    required(msg.first::<Rand>().map(|r| r.0.clone()), label, "RAND")
}

/// The KEMAC payload and its index.
pub fn kemac(msg: &Message, label: &str) -> Result<(usize, Kemac), Error> {
    required(msg.position::<Kemac>().zip(msg.kemac().cloned()), label, "KEMAC")
}

/// The KEMAC profile named by a KEMAC payload, if it is the one `expected`.
pub fn kemac_profile(
    k: &Kemac,
    expected: KemacProfile,
    label: &str,
) -> Result<KemacProfile, Error> {
    match KemacProfile::from_codes(k.encr_alg.to_u8(), k.mac_alg.to_u8()) {
        Some(p) if p == expected => Ok(p),
        _ => Err(Error::KemacAlgorithms {
            message: label.to_string(),
            encr_alg: k.encr_alg.to_u8(),
            mac_alg: k.mac_alg.to_u8(),
        }),
    }
}

fn wire_kemac_algs(profile: KemacProfile) -> Result<(EncrAlg, MacAlg), Error> {
    let e = EncrAlg::from_u8(profile.encr_alg_code());
    let m = MacAlg::from_u8(profile.mac_alg_code());
    match (e, m) {
        (Some(e), Some(m)) => Ok((e, m)),
        _ => Err(Error::KemacAlgorithms {
            message: "a message being built".into(),
            encr_alg: profile.encr_alg_code(),
            mac_alg: profile.mac_alg_code(),
        }),
    }
}

/// How the KEMAC MAC is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// PSK mode: the whole message up to the MAC (KEMAC is the last payload).
    WholeMessage,
    /// PK mode: only `0x00 || Encr alg || Encr data len || Encr data || Mac alg`.
    KemacOnly,
}

/// Appends a KEMAC (at position `payloads.len()`) and then `after` (PK mode: [CHASH], PKE),
/// encodes, encrypts `plain` and patches ciphertext and MAC into the bytes. If `sign` is given
/// it is the length of the SIGN placeholder to append; the caller signs afterwards.
#[allow(clippy::too_many_arguments)]
pub fn encode_with_kemac(
    hdr: Hdr,
    mut payloads: Vec<Payload>,
    after: Vec<Payload>,
    plain: &[u8],
    keys: &MessageKeys,
    profile: KemacProfile,
    coverage: Coverage,
    t: &Timestamp,
    meter: &mut Meter,
) -> Result<(Message, Vec<u8>), Error> {
    let (encr_alg, mac_alg) = wire_kemac_algs(profile)?;
    let csb_id = hdr.csb_id;
    let kemac_idx = payloads.len();
    let start = Message { hdr: hdr.clone(), payloads: payloads.clone() }.encode().len();
    payloads.push(Payload::Kemac(Kemac {
        encr_alg,
        encr_data: vec![0; plain.len()],
        mac_alg,
        mac: vec![0; profile.mac_len()],
    }));
    payloads.extend(after);
    let mut msg = Message { hdr, payloads };
    let mut bytes = msg.encode();
    let encr_start = start + 4;
    let encr_end = encr_start + plain.len();
    let (ct, tag) = {
        let before_owned;
        let before: &[u8] = match coverage {
            Coverage::WholeMessage => slice(&bytes, 0..encr_start)?,
            Coverage::KemacOnly => {
                let mut b = vec![0u8];
                b.extend_from_slice(slice(&bytes, start + 1..encr_start)?);
                before_owned = b;
                &before_owned
            }
        };
        let after = slice(&bytes, encr_end..encr_end + 1)?;
        kemac::encrypt(profile, keys, csb_id, t64(t), plain, Covered { before, after }, meter)?
    };
    patch(&mut bytes, encr_start, &ct)?;
    patch(&mut bytes, encr_end + 1, &tag)?;
    if let Some(Payload::Kemac(k)) = msg.payloads.get_mut(kemac_idx) {
        k.encr_data = ct;
        k.mac = tag;
    }
    Ok((msg, bytes))
}

/// Verifies the KEMAC at payload `idx` of a received message (over its bytes as received)
/// and decrypts it.
#[allow(clippy::too_many_arguments)]
pub fn open_kemac(
    d: &Decoded,
    idx: usize,
    keys: &MessageKeys,
    profile: KemacProfile,
    coverage: Coverage,
    t: &Timestamp,
    label: &str,
    meter: &mut Meter,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let Some(Payload::Kemac(k)) = d.message.payloads.get(idx) else {
        return Err(Error::PayloadMissing { message: label.to_string(), payload: "KEMAC" });
    };
    let bytes = d.bytes();
    let r = payload_range(d, idx)?;
    let encr_start = r.start + 4;
    let encr_end = encr_start + k.encr_data.len();
    let before_owned;
    let before: &[u8] = match coverage {
        Coverage::WholeMessage => slice(bytes, 0..encr_start)?,
        Coverage::KemacOnly => {
            let mut b = vec![0u8];
            b.extend_from_slice(slice(bytes, r.start + 1..encr_start)?);
            before_owned = b;
            &before_owned
        }
    };
    let after = slice(bytes, encr_end..encr_end + 1)?;
    let encr_data = slice(bytes, encr_start..encr_end)?;
    let mac_field = slice(bytes, encr_end + 1..r.end)?;
    kemac::decrypt(
        profile,
        keys,
        d.message.hdr.csb_id,
        t64(t),
        encr_data,
        Covered { before, after },
        mac_field,
        label,
        meter,
    )
}

/// Appends a V payload (HMAC-SHA-1-160) computed over `M || IDi || IDr || T` (RFC 3830 §5.2;
/// identities are the ID data only, T the initiator's timestamp, COUNTER zero-extended).
pub fn encode_with_v(
    hdr: Hdr,
    mut payloads: Vec<Payload>,
    auth_key: &[u8],
    id_i: &[u8],
    id_r: &[u8],
    t: &Timestamp,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    payloads.push(Payload::V(V { alg: MacAlg::HmacSha1_160, data: vec![0; 20] }));
    let mut bytes = Message { hdr, payloads }.encode();
    let covered_end = bytes.len().saturating_sub(20);
    let tv = t64(t);
    let m = mac::compute(
        mac::MacAlg::HmacSha1_160,
        auth_key,
        &[slice(&bytes, 0..covered_end)?, id_i, id_r, &tv],
        meter,
    );
    patch(&mut bytes, covered_end, &m)?;
    Ok(bytes)
}

/// Verifies the V payload (the last one) of a received message, over its bytes as received.
#[allow(clippy::too_many_arguments)]
pub fn verify_v(
    d: &Decoded,
    auth_key: &[u8],
    id_i: &[u8],
    id_r: &[u8],
    t: &Timestamp,
    label: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    let Some(Payload::V(v)) = d.message.payloads.last() else {
        return Err(Error::PayloadMissing { message: label.to_string(), payload: "V" });
    };
    if v.alg != MacAlg::HmacSha1_160 {
        return Err(Error::KemacAlgorithms {
            message: label.to_string(),
            encr_alg: 0,
            mac_alg: v.alg.to_u8(),
        });
    }
    let bytes = d.bytes();
    let covered_end = bytes.len().saturating_sub(v.data.len());
    let tv = t64(t);
    mac::verify(
        mac::MacAlg::HmacSha1_160,
        auth_key,
        &[slice(bytes, 0..covered_end)?, id_i, id_r, &tv],
        &v.data,
        label,
        "V",
        meter,
    )
}
