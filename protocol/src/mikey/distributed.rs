//! The five messages of the paper's distributed mode (§3.3, Fig. 4) on RFC 3830 data types,
//! with these layouts (docs/distributed-mode.md, "Message mapping"):
//!
//! ```text
//! I_TPi = HDR(dt0) T(T_I) RAND ID(sensor) ID(TPi) SP GenExt(ROLE=1, SCHEME, K, N, INDEX,
//!         SECRET_LEN, FINAL_R_ID, KCV) KEMAC(E_PSKi(KeyData{TGK share_i}))
//! TPi_I = HDR(dt1) T(T_I) ID(TPi) GenExt(ROLE=2) V(auth_key from PSKi)
//! TPi_R = HDR(dt2, PRF/CSB ID/#CS/map copied) T(T_P) RAND(copied) CERT(TPi) ID(R) SP(copied)
//!         GenExt(ROLE=3, SCHEME, K, N, INDEX, SECRET_LEN, SENSOR_ID, T_I, KCV)
//!         KEMAC(E_env(ID(TPi) || KeyData{TGK share_i})) PKE(RSA(PK_R, env_key)) SIGN(TPi)
//! R_TPi = HDR(dt3) T(T_P) ID(R) GenExt(ROLE=4) V(auth_key from env_key)
//! R_I   = HDR(dt1) T(T_I) ID(R) GenExt(ROLE=5, USED_INDICES) V(auth_key_RI from the TGK)
//! ```

use zeroize::Zeroizing;

use super::pk::{self, PkInit, PkKeys};
use super::psk::{self, ParsedVerify, PskInit};
use crate::cost::Meter;
use crate::crypto::derive::MessageKeys;
use crate::crypto::kemac::KemacProfile;
use crate::crypto::rng::Rng;
use crate::error::Error;
use crate::sharing::Scheme;
use crate::wire::genext::TypedId;
use crate::wire::{
    Cert, DataType, Decoded, DmikeyExt, Hdr, Id, KeyData, KeyDataType, KeyValidity, MsgKind, Sp,
    Timestamp,
};

/// The sharing metadata every share carries (GenExt tags SCHEME … KCV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareMeta {
    pub scheme: Scheme,
    pub k: u8,
    pub n: u8,
    pub index: u8,
    pub secret_len: u16,
    pub kcv: [u8; 8],
}

fn missing(label: &str, tag: &'static str) -> Error {
    Error::ExtensionTagMissing { message: label.to_string(), tag }
}

fn meta_of(e: &DmikeyExt, label: &str) -> Result<ShareMeta, Error> {
    Ok(ShareMeta {
        scheme: e.scheme.ok_or_else(|| missing(label, "SCHEME"))?,
        k: e.k.ok_or_else(|| missing(label, "K"))?,
        n: e.n.ok_or_else(|| missing(label, "N"))?,
        index: e.index.ok_or_else(|| missing(label, "INDEX"))?,
        secret_len: e.secret_len.ok_or_else(|| missing(label, "SECRET_LEN"))?,
        kcv: e.kcv.ok_or_else(|| missing(label, "KCV"))?,
    })
}

fn put_meta(e: &mut DmikeyExt, m: &ShareMeta) {
    e.scheme = Some(m.scheme);
    e.k = Some(m.k);
    e.n = Some(m.n);
    e.index = Some(m.index);
    e.secret_len = Some(m.secret_len);
    e.kcv = Some(m.kcv);
}

fn ext_with_role(role: MsgKind) -> DmikeyExt {
    DmikeyExt { role: Some(role), ..DmikeyExt::default() }
}

fn ext_of(g: Option<&crate::wire::GenExt>, role: MsgKind, label: &str) -> Result<DmikeyExt, Error> {
    let g = g.ok_or_else(|| Error::PayloadMissing {
        message: label.to_string(),
        payload: "General Extension (D-MIKEY)",
    })?;
    let e = DmikeyExt::from_genext(g)?;
    match e.role {
        Some(r) if r == role => Ok(e),
        Some(r) => Err(Error::ExtensionRoleMismatch {
            message: label.to_string(),
            expected: role.role_code().unwrap_or(0),
            found: r.role_code().unwrap_or(0),
        }),
        None => Err(missing(label, "ROLE")),
    }
}

/// The single TGK Key data sub-payload that carries a share.
fn share_key_data(share: &[u8]) -> KeyData {
    KeyData { key_type: KeyDataType::Tgk, key: share.to_vec(), salt: None, kv: KeyValidity::Null }
}

fn the_share(keys: &[KeyData], label: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    match keys {
        [k] if k.key_type == KeyDataType::Tgk && k.salt.is_none() => {
            Ok(Zeroizing::new(k.key.clone()))
        }
        [] => Err(Error::PayloadMissing {
            message: label.to_string(),
            payload: "Key data (TGK share)",
        }),
        _ => Err(Error::ExtraPayload {
            message: label.to_string(),
            payload: "Key data (more than one TGK share)",
        }),
    }
}

/// Everything the sensor puts into I_TPi.
#[derive(Debug, Clone)]
pub struct ITp {
    pub hdr: Hdr,
    pub t_i: Timestamp,
    pub rand: Vec<u8>,
    pub sensor_id: Id,
    pub tp_id: Id,
    pub sp: Vec<Sp>,
    pub meta: ShareMeta,
    pub final_r_id: Id,
}

/// Builds I_TPi carrying `share` (PSK mode under the PSK shared with TPi).
pub fn build_i_tp(
    m: &ITp,
    share: &[u8],
    psk_i: &[u8],
    profile: KemacProfile,
    meter: &mut Meter,
) -> Result<(Vec<u8>, MessageKeys), Error> {
    let mut ext = ext_with_role(MsgKind::ITp);
    put_meta(&mut ext, &m.meta);
    ext.final_r_id =
        Some(TypedId { id_type: m.final_r_id.id_type, data: m.final_r_id.data.clone() });
    let c = PskInit {
        hdr: m.hdr.clone(),
        t: m.t_i,
        rand: m.rand.clone(),
        id_i: Some(m.sensor_id.clone()),
        id_r: Some(m.tp_id.clone()),
        sp: m.sp.clone(),
        ext: Some(ext.to_genext()),
    };
    psk::build_init(&c, psk_i, &[share_key_data(share)], profile, meter)
}

/// A structurally valid I_TPi (MAC not yet verified).
#[derive(Debug, Clone)]
pub struct ITpParsed<'a> {
    pub init: psk::ParsedInit<'a>,
    pub meta: ShareMeta,
    pub sensor_id: Id,
    pub tp_id: Id,
    pub final_r_id: TypedId,
}

/// Checks a decoded I_TPi: PSK I_MESSAGE with both IDs and a D-MIKEY extension of role 1.
pub fn parse_i_tp<'a>(decoded: &'a Decoded, label: &str) -> Result<ITpParsed<'a>, Error> {
    let init = psk::parse_init(decoded, label)?;
    let ext = ext_of(init.content.ext.as_ref(), MsgKind::ITp, label)?;
    let meta = meta_of(&ext, label)?;
    let sensor_id = init.content.id_i.clone().ok_or_else(|| Error::PayloadMissing {
        message: label.to_string(),
        payload: "ID (IDi, the sensor)",
    })?;
    let tp_id = init.content.id_r.clone().ok_or_else(|| Error::PayloadMissing {
        message: label.to_string(),
        payload: "ID (IDr, the TP)",
    })?;
    let final_r_id = ext.final_r_id.clone().ok_or_else(|| missing(label, "FINAL_R_ID"))?;
    Ok(ITpParsed { init, meta, sensor_id, tp_id, final_r_id })
}

/// Verifies the MAC of I_TPi under `psk_i` and returns the message keys and the share.
pub fn open_i_tp(
    p: &ITpParsed<'_>,
    psk_i: &[u8],
    profile: KemacProfile,
    label: &str,
    meter: &mut Meter,
) -> Result<(MessageKeys, Zeroizing<Vec<u8>>), Error> {
    let o = psk::open_init(&p.init, psk_i, profile, label, meter)?;
    let share = the_share(&o.key_data, label)?;
    Ok((o.keys, share))
}

/// Builds TPi_I: the TP's optional answer to the sensor (V under auth_key from PSKi).
pub fn build_tp_i(
    i_hdr: &Hdr,
    t_i: Timestamp,
    tp_id: &Id,
    sensor_id: &[u8],
    auth_key: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let ext = ext_with_role(MsgKind::TpI).to_genext();
    psk::build_verify(
        i_hdr,
        DataType::PskVerify,
        t_i,
        Some(tp_id),
        Some(ext),
        auth_key,
        sensor_id,
        &tp_id.data,
        meter,
    )
}

/// A parsed verification message of the distributed mode with its extension.
#[derive(Debug, Clone)]
pub struct VerParsed<'a> {
    pub v: ParsedVerify<'a>,
    pub ext: DmikeyExt,
    pub id_r: Id,
}

/// Checks a decoded TPi_I (dt 1, role 2), R_I (dt 1, role 5) or R_TPi (dt 3, role 4).
pub fn parse_ver<'a>(
    decoded: &'a Decoded,
    dt: DataType,
    role: MsgKind,
    label: &str,
) -> Result<VerParsed<'a>, Error> {
    let v = psk::parse_verify(decoded, dt, label)?;
    let ext = ext_of(v.ext.as_ref(), role, label)?;
    let id_r = v
        .id_r
        .clone()
        .ok_or_else(|| Error::PayloadMissing { message: label.to_string(), payload: "ID (IDr)" })?;
    Ok(VerParsed { v, ext, id_r })
}

/// The ROLE of a distributed-mode verification message, if it carries a valid extension.
pub fn role_of(m: &crate::wire::Message) -> Option<MsgKind> {
    m.all::<crate::wire::GenExt>().find_map(|g| DmikeyExt::from_genext(g).ok()?.role)
}

/// Everything TPi puts into TPi_R besides its keys.
#[derive(Debug, Clone)]
pub struct TpR {
    /// HDR copied from I_TPi (PRF, CSB ID, #CS, CS ID map); V = wants R_TPi.
    pub hdr: Hdr,
    pub t_p: Timestamp,
    pub rand: Vec<u8>,
    pub tp_cert: Vec<u8>,
    pub tp_id: Id,
    pub r_id: Id,
    pub sp: Vec<Sp>,
    pub meta: ShareMeta,
    pub sensor_id: Id,
    pub t_i: Timestamp,
}

/// Builds TPi_R (PK mode: share under a fresh envelope key for R, signed by TPi).
pub fn build_tp_r(
    m: &TpR,
    share: &[u8],
    keys: &PkKeys<'_>,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<(Vec<u8>, MessageKeys), Error> {
    let mut ext = ext_with_role(MsgKind::TpR);
    put_meta(&mut ext, &m.meta);
    ext.sensor_id = Some(TypedId { id_type: m.sensor_id.id_type, data: m.sensor_id.data.clone() });
    ext.t_i = Some(m.t_i);
    let c = PkInit {
        hdr: m.hdr.clone(),
        t: m.t_p,
        rand: m.rand.clone(),
        certs: vec![Cert { cert_type: crate::wire::CertType::X509v3Sign, data: m.tp_cert.clone() }],
        id_r: Some(m.r_id.clone()),
        sp: m.sp.clone(),
        ext: Some(ext.to_genext()),
        chash: None,
    };
    pk::build_init(&c, &m.tp_id, &[share_key_data(share)], keys, rng, meter)
}

/// A structurally valid TPi_R (nothing verified yet).
#[derive(Debug, Clone)]
pub struct TpRParsed<'a> {
    pub pk: pk::ParsedInit<'a>,
    pub meta: ShareMeta,
    pub sensor_id: TypedId,
    pub t_i: Timestamp,
}

/// Checks a decoded TPi_R: PK I_MESSAGE with a D-MIKEY extension of role 3.
pub fn parse_tp_r<'a>(decoded: &'a Decoded, label: &str) -> Result<TpRParsed<'a>, Error> {
    let pk = pk::parse_init(decoded, label)?;
    let ext = ext_of(pk.content.ext.as_ref(), MsgKind::TpR, label)?;
    let meta = meta_of(&ext, label)?;
    let sensor_id = ext.sensor_id.clone().ok_or_else(|| missing(label, "SENSOR_ID"))?;
    let t_i = ext.t_i.ok_or_else(|| missing(label, "T_I"))?;
    Ok(TpRParsed { pk, meta, sensor_id, t_i })
}

/// Builds R_TPi: R's optional answer to TPi (V under auth_key from the envelope key).
pub fn build_r_tp(
    tp_hdr: &Hdr,
    t_p: Timestamp,
    r_id: &Id,
    tp_id: &[u8],
    auth_key: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let ext = ext_with_role(MsgKind::RTp).to_genext();
    psk::build_verify(
        tp_hdr,
        DataType::PkVerify,
        t_p,
        Some(r_id),
        Some(ext),
        auth_key,
        tp_id,
        &r_id.data,
        meter,
    )
}

/// Builds R_I: proof to the sensor that R rebuilt the TGK (V under auth_key_RI; see
/// docs/distributed-mode.md, "The key of R_I").
pub fn build_r_i(
    hdr: &Hdr,
    t_i: Timestamp,
    r_id: &Id,
    sensor_id: &[u8],
    used: &[u8],
    auth_key_ri: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let mut ext = ext_with_role(MsgKind::RI);
    ext.used_indices = Some(used.to_vec());
    psk::build_verify(
        hdr,
        DataType::PskVerify,
        t_i,
        Some(r_id),
        Some(ext.to_genext()),
        auth_key_ri,
        sensor_id,
        &r_id.data,
        meter,
    )
}
