//! Building a [`ForgeSpec`] into RFC 3830 bytes with what the intruder holds (see
//! [`super::forge`]): the same message builders as the honest roles, keyed with the
//! intruder's keys; a protection whose key it does not hold is computed under a key it made
//! up (a MAC, a KEMAC) or filled with random bytes (a signature) — garbage the receiver
//! refuses.

use zeroize::Zeroizing;

use super::forge::{Bytes, ForgeSpec, Forged, Protection};
use super::intruder::Intruder;
use super::knowledge::{FactId, FactKind, Knowledge};
use super::{MsgKind, Node, SimTime};
use crate::cost::Meter;
use crate::crypto::derive::{self, MessageKeys};
use crate::crypto::rng::{Rng, SimRng};
use crate::error::Error;
use crate::mikey::core::{self as mcore, Coverage, crypto_prf};
use crate::mikey::pkix::{self, RsaPrivate, RsaPublic};
use crate::mikey::{distributed, pk, psk};
use crate::roles::{Identities, SessionConfig};
use crate::wire::genext::TypedId;
use crate::wire::{
    Cert, CertType, DataType, DmikeyExt, Hdr, Id, IdType, KeyData, KeyDataType, KeyValidity,
    Payload, Pke, PkeCache, Rand, Sign, T, Timestamp, encode_key_data_chain,
};

/// What a forgery may use besides the intruder: public values only.
pub(crate) struct Public<'a> {
    pub cfg: &'a SessionConfig,
    pub ids: &'a Identities,
    /// R's certificate (published by the CA) and the CA's.
    pub r_cert: &'a [u8],
    pub ca_cert: &'a [u8],
    pub now: SimTime,
}

fn tp_of(n: Node) -> Option<u8> {
    match n {
        Node::Tp(i) => Some(i),
        _ => None,
    }
}

fn field(field: &'static str, reason: impl Into<String>) -> Error {
    Error::ForgeField { field, reason: reason.into() }
}

/// The key a protection needs, found in the intruder's knowledge.
fn need(what: &str, needs: String, fact: Option<FactId>) -> Protection {
    Protection { what: what.into(), needs, fact, can: fact.is_some() }
}

/// The protections of `spec`, given `k` (what the intruder holds).
pub(crate) fn assess(spec: &ForgeSpec, k: &Knowledge) -> Vec<Protection> {
    let psk_of =
        |tp: Option<u8>| tp.and_then(|tp| k.find(&FactKind::PskWithTp { tp })).map(|f| f.id);
    let tp_name = |n: Node| n.label();
    let tgk_fact = match &spec.tgk {
        Some(Bytes::Fact(id)) => k.get(*id).map(|f| f.id),
        Some(Bytes::Typed(_)) => Some(usize::MAX), // typed by the audience: it knows it
        None => k.facts().iter().find(|f| matches!(f.kind, FactKind::Tgk { .. })).map(|f| f.id),
    };
    let typed = |f: Option<FactId>| f.filter(|id| *id != usize::MAX);
    match spec.kind {
        MsgKind::ITp => {
            let tp = tp_of(spec.to);
            vec![need(
                "KEMAC MAC and encryption",
                format!("the PSK of {} with the sensor", tp_name(spec.to)),
                psk_of(tp),
            )]
        }
        MsgKind::TpI => vec![need(
            "V MAC",
            format!("the PSK of {} with the sensor", tp_name(spec.from)),
            psk_of(tp_of(spec.from)),
        )],
        MsgKind::TpR | MsgKind::PkInit => {
            let signer = spec.from;
            let key = k.find(&FactKind::RsaPrivateKey { owner: signer }).map(|f| f.id);
            let cert = k.find(&FactKind::Certificate { owner: signer }).map(|f| f.id);
            vec![
                Protection {
                    what: format!("CERT of {}", signer.label()),
                    needs: format!("the certificate of {} (public)", signer.label()),
                    fact: cert,
                    can: cert.is_some(),
                },
                Protection {
                    what: "KEMAC MAC and encryption".into(),
                    needs: "an envelope key the intruder chooses".into(),
                    fact: None,
                    can: true,
                },
                Protection {
                    what: "PKE to R".into(),
                    needs: "R's public key (from its certificate, public)".into(),
                    fact: None,
                    can: true,
                },
                need("SIGN", format!("the RSA private key of {}", signer.label()), key),
            ]
        }
        MsgKind::RTp | MsgKind::PkVerify => {
            // The message it answers: TPi_R of the TP it goes to, or the PK I_MESSAGE.
            let answered = k.facts().iter().find_map(|f| match &f.kind {
                FactKind::Captured { packet, label, kind }
                    if (spec.kind == MsgKind::RTp
                        && *kind == MsgKind::TpR
                        && Some(label.as_str())
                            == tp_of(spec.to).map(|i| format!("TP{i}_R")).as_deref())
                        || (spec.kind == MsgKind::PkVerify && *kind == MsgKind::PkInit) =>
                {
                    Some(*packet)
                }
                _ => None,
            });
            let env = answered
                .and_then(|packet| k.find(&FactKind::EnvelopeKey { packet }))
                .filter(|f| !f.value.is_empty())
                .map(|f| f.id);
            vec![need("V MAC", "the envelope key of the message it answers".into(), env)]
        }
        MsgKind::RI => {
            let mut p = need("V MAC", "the TGK (auth_key_RI is derived from it)".into(), None);
            p.can = tgk_fact.is_some();
            p.fact = typed(tgk_fact);
            vec![p]
        }
        MsgKind::PskInit => vec![need(
            "KEMAC MAC and encryption",
            "the PSK of the sensor with R".into(),
            k.find(&FactKind::PskWithR).map(|f| f.id),
        )],
        MsgKind::PskVerify => vec![need(
            "V MAC",
            "the PSK of the sensor with R".into(),
            k.find(&FactKind::PskWithR).map(|f| f.id),
        )],
        _ => vec![Protection {
            what: "the message".into(),
            needs: "a kind the intruder cannot compose".into(),
            fact: None,
            can: false,
        }],
    }
}

/// The bytes of a [`Bytes`] field.
fn value(b: &Bytes, k: &Knowledge) -> Result<Vec<u8>, Error> {
    match b {
        Bytes::Typed(v) => Ok(v.clone()),
        Bytes::Fact(id) => match k.get(*id) {
            Some(f) if !f.value.is_empty() => Ok(f.value.clone()),
            Some(_) => Err(field("fact", format!("fact #{id} holds no value"))),
            None => Err(Error::NoSuchFact { fact: *id }),
        },
    }
}

/// The captured session the forgery copies its defaults from.
struct Session {
    hdr: Hdr,
    t_i: Timestamp,
    rand: Vec<u8>,
    sp: Vec<crate::wire::Sp>,
    meta: distributed::ShareMeta,
    final_r_id: TypedId,
}

fn session(intruder: &Intruder, csb_override: Option<u32>) -> Result<Session, Error> {
    let (_, d) = intruder
        .captured_message(MsgKind::ITp)
        .ok_or_else(|| field("session", "no I_TPi captured yet to copy HDR, RAND and SP from"))?;
    let p = distributed::parse_i_tp(d, "I_TPi")?;
    let c = &p.init.content;
    let mut hdr = c.hdr.clone();
    if let Some(csb) = csb_override {
        hdr.csb_id = csb;
    }
    Ok(Session {
        hdr,
        t_i: c.t,
        rand: c.rand.clone(),
        sp: c.sp.clone(),
        meta: p.meta.clone(),
        final_r_id: p.final_r_id.clone(),
    })
}

fn nai(data: &[u8]) -> Id {
    Id { id_type: IdType::Nai, data: data.to_vec() }
}

fn random(rng: &mut dyn Rng, len: usize) -> Vec<u8> {
    crate::crypto::rng::bytes(rng, len)
}

/// Builds `spec` (see the module docs).
pub(crate) fn build(
    spec: &ForgeSpec,
    intruder: &Intruder,
    public: &Public<'_>,
    rng: &mut SimRng,
) -> Result<Forged, Error> {
    let k = intruder.knowledge();
    let protections = assess(spec, k);
    let mut meter = Meter::new();
    let now_t = Timestamp::NtpUtc(spec.timestamp.unwrap_or_else(|| public.now.ntp()));
    let tgk: Option<Zeroizing<Vec<u8>>> = match &spec.tgk {
        Some(b) => Some(Zeroizing::new(value(b, k)?)),
        None => intruder.tgk().map(|t| Zeroizing::new(t.to_vec())),
    };
    let sensor_id = spec.id_i.clone().unwrap_or_else(|| public.ids.sensor.clone());
    let bytes = match spec.kind {
        MsgKind::ITp | MsgKind::TpR | MsgKind::TpI | MsgKind::RI => {
            let s = session(intruder, spec.csb_id)?;
            let rand = match &spec.rand {
                Some(b) => value(b, k)?,
                None => s.rand.clone(),
            };
            let prf = crypto_prf(s.hdr.prf);
            let mut meta = s.meta.clone();
            if let Some(i) = spec.index.or(tp_of(match spec.kind {
                MsgKind::ITp => spec.to,
                _ => spec.from,
            })) {
                meta.index = i;
            }
            if let Some(v) = spec.k {
                meta.k = v;
            }
            if let Some(v) = spec.n {
                meta.n = v;
            }
            meta.kcv = match (&spec.kcv, &tgk) {
                (Some(b), _) => {
                    value(b, k)?.try_into().map_err(|_| field("kcv", "the KCV is 8 bytes"))?
                }
                (None, Some(t)) if spec.tgk.is_some() => {
                    derive::kcv(prf, t, s.hdr.csb_id, &rand, &mut meter)
                }
                (None, _) => s.meta.kcv,
            };
            match spec.kind {
                MsgKind::ITp | MsgKind::TpR => {
                    let share = share_of(spec, k, intruder, &tgk, &meta)?;
                    if spec.kind == MsgKind::ITp {
                        forge_i_tp(
                            spec, &s, &rand, meta, &share, now_t, &sensor_id, intruder, public,
                            rng, &mut meter,
                        )?
                    } else {
                        forge_tp_r(
                            spec, &s, &rand, meta, &share, now_t, &sensor_id, intruder, public,
                            rng, &mut meter,
                        )?
                    }
                }
                MsgKind::TpI => {
                    let tp =
                        tp_of(spec.from).ok_or_else(|| field("from", "TPi_I comes from a TP"))?;
                    let psk = intruder
                        .psk_with_tp(tp)
                        .map(|(_, p)| p.to_vec())
                        .unwrap_or_else(|| random(rng, 16));
                    let keys = MessageKeys::derive(
                        prf,
                        &psk,
                        s.hdr.csb_id,
                        &rand,
                        public.cfg.kemac,
                        &mut meter,
                    );
                    let tp_id = spec
                        .id_r
                        .clone()
                        .or_else(|| public.ids.tp(tp).map(<[u8]>::to_vec))
                        .unwrap_or_default();
                    distributed::build_tp_i(
                        &s.hdr,
                        s.t_i,
                        &nai(&tp_id),
                        &sensor_id,
                        &keys.auth,
                        &mut meter,
                    )?
                }
                _ => {
                    let auth = match &tgk {
                        Some(t) => derive::auth_key_ri(prf, t, s.hdr.csb_id, &rand, &mut meter),
                        None => Zeroizing::new(random(rng, 20)),
                    };
                    let r_id = spec.id_r.clone().unwrap_or_else(|| public.ids.responder.clone());
                    let used: Vec<u8> = (1..=meta.k).collect();
                    distributed::build_r_i(
                        &s.hdr,
                        s.t_i,
                        &nai(&r_id),
                        &sensor_id,
                        &used,
                        &auth,
                        &mut meter,
                    )?
                }
            }
        }
        MsgKind::RTp => {
            let tp = tp_of(spec.to).ok_or_else(|| field("to", "R_TPi goes to a TP"))?;
            let (id, d) = intruder
                .captured_labelled(&format!("TP{tp}_R"))
                .ok_or_else(|| field("session", format!("no TP{tp}_R captured yet to answer")))?;
            let p = distributed::parse_tp_r(d, "TPi_R")?;
            let auth = envelope_auth(k, id, &p.pk.content.hdr, &p.pk.content.rand, &mut meter)
                .unwrap_or_else(|| Zeroizing::new(random(rng, 20)));
            let r_id = spec.id_r.clone().unwrap_or_else(|| public.ids.responder.clone());
            let tp_id = public.ids.tp(tp).unwrap_or_default().to_vec();
            distributed::build_r_tp(
                &p.pk.content.hdr,
                p.pk.content.t,
                &nai(&r_id),
                &tp_id,
                &auth,
                &mut meter,
            )?
        }
        MsgKind::PskInit => {
            let (_, d) = intruder
                .captured_message(MsgKind::PskInit)
                .ok_or_else(|| field("session", "no I_MESSAGE captured yet to copy HDR from"))?;
            let p = psk::parse_init(d, "I_MESSAGE")?;
            let mut c = p.content.clone();
            if let Some(csb) = spec.csb_id {
                c.hdr.csb_id = csb;
            }
            if let Some(b) = &spec.rand {
                c.rand = value(b, k)?;
            }
            c.t = now_t;
            let key = tgk.clone().map(|t| t.to_vec()).unwrap_or_else(|| random(rng, 16));
            let psk =
                intruder.psk_with_r().map(|(_, p)| p.to_vec()).unwrap_or_else(|| random(rng, 16));
            let kd = KeyData { key_type: KeyDataType::Tgk, key, salt: None, kv: KeyValidity::Null };
            psk::build_init(&c, &psk, &[kd], public.cfg.kemac, &mut meter)?.0
        }
        MsgKind::PskVerify | MsgKind::PkVerify => {
            let init_kind =
                if spec.kind == MsgKind::PskVerify { MsgKind::PskInit } else { MsgKind::PkInit };
            let (id, d) = intruder
                .captured_message(init_kind)
                .ok_or_else(|| field("session", "no I_MESSAGE captured yet to answer"))?;
            let hdr = d.message.hdr.clone();
            let t = mcore::timestamp(&d.message, "I_MESSAGE")?;
            let rand = mcore::rand(&d.message, "I_MESSAGE")?;
            let auth = if spec.kind == MsgKind::PskVerify {
                intruder.psk_with_r().map(|(_, p)| {
                    MessageKeys::derive(
                        crypto_prf(hdr.prf),
                        p,
                        hdr.csb_id,
                        &rand,
                        public.cfg.kemac,
                        &mut meter,
                    )
                    .auth
                })
            } else {
                envelope_auth(k, id, &hdr, &rand, &mut meter)
            }
            .unwrap_or_else(|| Zeroizing::new(random(rng, 20)));
            let dt = if spec.kind == MsgKind::PskVerify {
                DataType::PskVerify
            } else {
                DataType::PkVerify
            };
            let r_id = nai(&spec.id_r.clone().unwrap_or_else(|| public.ids.responder.clone()));
            psk::build_verify(
                &hdr,
                dt,
                t,
                Some(&r_id),
                None,
                &auth,
                &sensor_id,
                &r_id.data,
                &mut meter,
            )?
        }
        MsgKind::PkInit => {
            let (_, d) = intruder
                .captured_message(MsgKind::PkInit)
                .ok_or_else(|| field("session", "no I_MESSAGE captured yet to copy HDR from"))?;
            let p = pk::parse_init(d, "I_MESSAGE")?;
            let mut c = p.content.clone();
            c.t = now_t;
            if let Some(csb) = spec.csb_id {
                c.hdr.csb_id = csb;
            }
            if let Some(cert) = intruder.certificate(spec.from) {
                c.certs = vec![Cert { cert_type: CertType::X509v3Sign, data: cert.1.to_vec() }];
            }
            let key = tgk.clone().map(|t| t.to_vec()).unwrap_or_else(|| random(rng, 16));
            let kd = KeyData { key_type: KeyDataType::Tgk, key, salt: None, kv: KeyValidity::Null };
            signed_pk_init(
                &c,
                &nai(&sensor_id),
                &[kd],
                spec.from,
                intruder,
                public,
                rng,
                &mut meter,
            )?
        }
        _ => return Err(field("kind", "the intruder cannot compose this kind of message")),
    };
    Ok(Forged { spec: spec.clone(), label: spec.label(), bytes, protections })
}

/// The V key of an answer to a PK message whose envelope key the intruder holds.
fn envelope_auth(
    k: &Knowledge,
    packet: super::network::PacketId,
    hdr: &Hdr,
    rand: &[u8],
    meter: &mut Meter,
) -> Option<Zeroizing<Vec<u8>>> {
    let env = k.find(&FactKind::EnvelopeKey { packet }).filter(|f| !f.value.is_empty())?;
    let keys = MessageKeys::derive(
        crypto_prf(hdr.prf),
        &env.value,
        hdr.csb_id,
        rand,
        pk::PK_PROFILE,
        meter,
    );
    Some(keys.auth)
}

/// The share the message carries: typed or picked, else share `index` of the TGK (split
/// under the session's scheme, deterministically from the TGK so that the messages of one
/// forgery agree), else the share of that index the intruder holds.
fn share_of(
    spec: &ForgeSpec,
    k: &Knowledge,
    intruder: &Intruder,
    tgk: &Option<Zeroizing<Vec<u8>>>,
    meta: &distributed::ShareMeta,
) -> Result<Vec<u8>, Error> {
    if let Some(b) = &spec.share {
        return value(b, k);
    }
    if let Some(t) = tgk {
        let mut seed = [0u8; 8];
        for (i, b) in t.iter().enumerate() {
            if let Some(s) = seed.get_mut(i % 8) {
                *s ^= *b;
            }
        }
        let mut rng = SimRng::from_seed(u64::from_be_bytes(seed)).fork("forged shares");
        let shares = crate::sharing::split(meta.scheme, t, meta.n, meta.k, &mut rng)?;
        return shares
            .into_iter()
            .find(|s| s.index == meta.index)
            .map(|s| s.data.clone())
            .ok_or_else(|| field("index", format!("no share {} of {}", meta.index, meta.n)));
    }
    intruder.share(meta.index).map(|(_, s)| s.to_vec()).ok_or_else(|| {
        field("share", "give share= or tgk=: the intruder holds neither share nor TGK")
    })
}

#[allow(clippy::too_many_arguments)]
fn forge_i_tp(
    spec: &ForgeSpec,
    s: &Session,
    rand: &[u8],
    meta: distributed::ShareMeta,
    share: &[u8],
    t: Timestamp,
    sensor_id: &[u8],
    intruder: &Intruder,
    public: &Public<'_>,
    rng: &mut SimRng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let tp = tp_of(spec.to).ok_or_else(|| field("to", "I_TPi goes to a TP"))?;
    let tp_id =
        spec.id_r.clone().or_else(|| public.ids.tp(tp).map(<[u8]>::to_vec)).unwrap_or_default();
    let m = distributed::ITp {
        hdr: s.hdr.clone(),
        t_i: t,
        rand: rand.to_vec(),
        sensor_id: nai(sensor_id),
        tp_id: nai(&tp_id),
        sp: s.sp.clone(),
        meta,
        final_r_id: Id { id_type: s.final_r_id.id_type, data: s.final_r_id.data.clone() },
    };
    let psk = intruder.psk_with_tp(tp).map(|(_, p)| p.to_vec()).unwrap_or_else(|| random(rng, 16));
    Ok(distributed::build_i_tp(&m, share, &psk, public.cfg.kemac, meter)?.0)
}

#[allow(clippy::too_many_arguments)]
fn forge_tp_r(
    spec: &ForgeSpec,
    s: &Session,
    rand: &[u8],
    meta: distributed::ShareMeta,
    share: &[u8],
    t: Timestamp,
    sensor_id: &[u8],
    intruder: &Intruder,
    public: &Public<'_>,
    rng: &mut SimRng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let tp = tp_of(spec.from).ok_or_else(|| field("from", "TPi_R comes from a TP"))?;
    let tp_id = public.ids.tp(tp).unwrap_or_default().to_vec();
    let r_id = spec.id_r.clone().unwrap_or_else(|| public.ids.responder.clone());
    let mut ext = DmikeyExt { role: Some(MsgKind::TpR), ..DmikeyExt::default() };
    ext.scheme = Some(meta.scheme);
    ext.k = Some(meta.k);
    ext.n = Some(meta.n);
    ext.index = Some(meta.index);
    ext.secret_len = Some(meta.secret_len);
    ext.kcv = Some(meta.kcv);
    ext.sensor_id = Some(TypedId { id_type: IdType::Nai, data: sensor_id.to_vec() });
    ext.t_i = Some(s.t_i);
    // The intruder asks for no R_TPi: the TP it impersonates has no session to match it.
    let mut hdr = s.hdr.clone();
    hdr.v_flag = false;
    let certs = match intruder.certificate(spec.from) {
        Some((_, c)) => vec![Cert { cert_type: CertType::X509v3Sign, data: c.to_vec() }],
        // Without the certificate the CERT payload carries random bytes: R's parser refuses it.
        None => vec![Cert { cert_type: CertType::X509v3Sign, data: random(rng, 64) }],
    };
    let c = pk::PkInit {
        hdr,
        t,
        rand: rand.to_vec(),
        certs,
        id_r: Some(nai(&r_id)),
        sp: s.sp.clone(),
        ext: Some(ext.to_genext()),
        chash: None,
    };
    let kd = KeyData {
        key_type: KeyDataType::Tgk,
        key: share.to_vec(),
        salt: None,
        kv: KeyValidity::Null,
    };
    signed_pk_init(&c, &nai(&tp_id), &[kd], spec.from, intruder, public, rng, meter)
}

/// A PK I_MESSAGE (RFC 3830 §3.2) as [`pk::build_init`] builds it, signed with `signer`'s
/// RSA key if the intruder holds it, else with random bytes in the SIGN payload.
#[allow(clippy::too_many_arguments)]
fn signed_pk_init(
    c: &pk::PkInit,
    id_i: &Id,
    keys: &[KeyData],
    signer: Node,
    intruder: &Intruder,
    public: &Public<'_>,
    rng: &mut SimRng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let r_key: RsaPublic = pkix::responder_key(
        &mut None,
        public.r_cert,
        public.ca_cert,
        public.now.unix_secs(),
        meter,
    )?;
    let env_key = Zeroizing::new(random(rng, 16));
    let mut hdr = c.hdr.clone();
    hdr.data_type = DataType::PkInit;
    let mk = MessageKeys::derive(
        crypto_prf(hdr.prf),
        &env_key,
        hdr.csb_id,
        &c.rand,
        pk::PK_PROFILE,
        meter,
    );
    let mut payloads = vec![Payload::T(T(c.t)), Payload::Rand(Rand(c.rand.clone()))];
    payloads.extend(c.certs.iter().cloned().map(Payload::Cert));
    if let Some(r) = &c.id_r {
        payloads.push(Payload::Id(r.clone()));
    }
    payloads.extend(c.sp.iter().cloned().map(Payload::Sp));
    if let Some(g) = &c.ext {
        payloads.push(Payload::GenExt(g.clone()));
    }
    let pke = pkix::pke_encrypt(&r_key, public.cfg.pke, &env_key, rng, meter)?;
    let key: Option<&RsaPrivate> = intruder.rsa_key(signer).map(|(_, k)| k);
    let sig_len = public.cfg.rsa_bits.bits() / 8;
    let after = vec![
        Payload::Pke(Pke { cache: PkeCache::NoCache, data: pke }),
        Payload::Sign(Sign {
            stype: pkix::sign_type(public.cfg.sign),
            signature: vec![0; sig_len],
        }),
    ];
    let plain = Zeroizing::new(encode_key_data_chain(Some(id_i), keys));
    let (_, mut bytes) = mcore::encode_with_kemac(
        hdr,
        payloads,
        after,
        &plain,
        &mk,
        pk::PK_PROFILE,
        Coverage::KemacOnly,
        &c.t,
        meter,
    )?;
    match key {
        Some(key) if pkix::modulus_len(key) == sig_len => {
            pk::sign_tail(&mut bytes, sig_len, key, public.cfg.sign, rng, meter)?
        }
        _ => {
            let garbage = random(rng, sig_len);
            let start = bytes.len().saturating_sub(sig_len);
            if let Some(slot) = bytes.get_mut(start..) {
                slot.copy_from_slice(&garbage);
            }
        }
    }
    Ok(bytes)
}
