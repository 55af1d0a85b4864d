//! Building a [`ForgeSpec`] into RFC 3830 bytes with what the intruder holds (see
//! [`super::forge`]): the same message builders as the honest roles, keyed with the
//! intruder's keys; a protection whose key it does not hold is computed under a key it made
//! up (a MAC, a KEMAC) or filled with random bytes (a signature) — garbage the receiver
//! refuses.

use zeroize::Zeroizing;

use super::forge::{Bytes, FieldValue, ForgeField, ForgeSpec, Forged, OwnDh, Pick, Protection};
use super::intruder::Intruder;
use super::knowledge::{Fact, FactId, FactKind, Knowledge};
use super::{MsgKind, Node, SimTime};
use crate::cost::Meter;
use crate::crypto::derive::{self, MessageKeys};
use crate::crypto::rng::{Rng, SimRng};
use crate::error::Error;
use crate::mikey::core::{self as mcore, crypto_prf};
use crate::mikey::pkix::{self, RsaPublic};
use crate::mikey::{dh, distributed, pk, psk};
use crate::roles::{Identities, SessionConfig};
use crate::wire::genext::TypedId;
use crate::wire::{
    Cert, CertType, DataType, DmikeyExt, GenExt, Hdr, Id, IdType, KeyData, KeyDataType,
    KeyValidity, Message, Rand, T, Timestamp,
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

/// A signature: the protection every signed message needs.
fn signature(k: &Knowledge, signer: Node) -> Protection {
    let key = k.find(&FactKind::RsaPrivateKey { owner: signer }).map(|f| f.id);
    need("SIGN", format!("the RSA private key of {}", super::event::role_name(signer)), key)
}

/// The certificate a signed message carries: public, but the intruder must have read it.
fn certificate(k: &Knowledge, owner: Node, published: bool) -> Protection {
    let cert = k.find(&FactKind::Certificate { owner }).map(|f| f.id);
    Protection {
        what: format!("CERT of {}", super::event::role_name(owner)),
        needs: format!("the certificate of {} (public)", super::event::role_name(owner)),
        fact: cert,
        can: cert.is_some() || published,
    }
}

/// The protections of `spec`, given `k` (what the intruder holds).
pub(crate) fn assess(spec: &ForgeSpec, k: &Knowledge) -> Vec<Protection> {
    let psk_of =
        |tp: Option<u8>| tp.and_then(|tp| k.find(&FactKind::PskWithTp { tp })).map(|f| f.id);
    let tp_name = |n: Node| n.label();
    let tgk_fact = match &spec.tgk {
        Some(Pick::Fact(id)) => k.get(*id).map(|f| f.id),
        Some(Pick::Typed(_)) => Some(usize::MAX), // typed by the audience: it knows it
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
        MsgKind::TpR | MsgKind::PkInit => vec![
            certificate(k, spec.from, false),
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
            signature(k, spec.from),
        ],
        MsgKind::DhInit | MsgKind::DhResp => vec![
            certificate(k, spec.from, spec.from == Node::Responder),
            Protection {
                what: "DH value".into(),
                needs: "an exponent the intruder chooses (its own g^x)".into(),
                fact: None,
                can: true,
            },
            signature(k, spec.from),
        ],
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
        MsgKind::Error => vec![Protection {
            what: "the message".into(),
            needs: "a kind the intruder cannot compose".into(),
            fact: None,
            can: false,
        }],
    }
}

/// The identities a captured message carries in clear: (IDi, IDr).
fn identities(
    kind: MsgKind,
    m: &Message,
    ext: Option<&DmikeyExt>,
) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    let ids = m.ids();
    let initiator_first = matches!(kind, MsgKind::ITp | MsgKind::PskInit | MsgKind::DhResp);
    let id_i = ext
        .and_then(|e| e.sensor_id.as_ref().map(|i| i.data.clone()))
        .or_else(|| initiator_first.then(|| ids.first().map(|i| i.data.clone())).flatten());
    let id_r = if initiator_first { ids.get(1) } else { ids.first() }.map(|i| i.data.clone());
    (id_i, id_r)
}

/// The value fact `f` gives `field` (see [`ForgeField::read`]).
pub(crate) fn read_field(field: ForgeField, f: &Fact) -> Option<FieldValue> {
    use ForgeField as F;
    let bytes = |v: &[u8]| (!v.is_empty()).then(|| FieldValue::Bytes(v.to_vec()));
    match (&f.kind, field) {
        (FactKind::Tgk { .. } | FactKind::DhSecret { .. }, F::Tgk) => bytes(&f.value),
        (FactKind::Share { .. }, F::Share) => bytes(&f.value),
        (FactKind::Share { index }, F::Index) => Some(FieldValue::Number(u64::from(*index))),
        (FactKind::Captured { kind, .. }, _) => {
            let d = Message::decode(&f.value).ok()?;
            let m = &d.message;
            let ext = m.first::<GenExt>().and_then(|g| DmikeyExt::from_genext(g).ok());
            let num = |v: Option<u8>| v.map(|v| FieldValue::Number(u64::from(v)));
            match field {
                F::Rand => m.first::<Rand>().map(|r| FieldValue::Bytes(r.0.clone())),
                F::Csb => Some(FieldValue::Number(u64::from(m.hdr.csb_id))),
                F::T => m.first::<T>().map(|t| {
                    FieldValue::Number(match t.0 {
                        Timestamp::NtpUtc(v) | Timestamp::Ntp(v) => v,
                        Timestamp::Counter(c) => u64::from(c),
                    })
                }),
                F::Index => num(ext.as_ref()?.index),
                F::K => num(ext.as_ref()?.k),
                F::N => num(ext.as_ref()?.n),
                F::Kcv => ext.as_ref()?.kcv.map(|k| FieldValue::Bytes(k.to_vec())),
                F::IdI => identities(*kind, m, ext.as_ref()).0.map(FieldValue::Bytes),
                F::IdR => identities(*kind, m, ext.as_ref()).1.map(FieldValue::Bytes),
                F::Tgk | F::Share => None,
            }
        }
        _ => None,
    }
}

/// A field's value as given: typed, or read from the fact picked.
fn picked(
    field: ForgeField,
    p: &Pick<impl Clone + Into<FieldValue>>,
    k: &Knowledge,
) -> Result<FieldValue, Error> {
    match p {
        Pick::Typed(v) => Ok(v.clone().into()),
        Pick::Fact(id) => {
            let f = k.get(*id).ok_or(Error::NoSuchFact { fact: *id })?;
            read_field(field, f).ok_or_else(|| Error::ForgeField {
                field: field.key(),
                reason: format!(
                    "fact #{id} ({}) gives no {}",
                    super::knowledge::short_name(f),
                    field.label()
                ),
            })
        }
    }
}

fn bytes_of(field: ForgeField, p: &Option<Bytes>, k: &Knowledge) -> Result<Option<Vec<u8>>, Error> {
    match p.as_ref().map(|p| picked(field, p, k)).transpose()? {
        None => Ok(None),
        Some(FieldValue::Bytes(b)) => Ok(Some(b)),
        Some(FieldValue::Number(_)) => Err(Error::ForgeField {
            field: field.key(),
            reason: "a number where bytes belong".into(),
        }),
    }
}

fn number_of<T: TryFrom<u64> + Clone + Into<FieldValue>>(
    field: ForgeField,
    p: &Option<Pick<T>>,
    k: &Knowledge,
) -> Result<Option<T>, Error> {
    match p.as_ref().map(|p| picked(field, p, k)).transpose()? {
        None => Ok(None),
        Some(FieldValue::Number(n)) => T::try_from(n).map(Some).map_err(|_| Error::ForgeField {
            field: field.key(),
            reason: format!("{n} is out of range"),
        }),
        Some(FieldValue::Bytes(_)) => Err(Error::ForgeField {
            field: field.key(),
            reason: "bytes where a number belongs".into(),
        }),
    }
}

impl From<Vec<u8>> for FieldValue {
    fn from(v: Vec<u8>) -> Self {
        FieldValue::Bytes(v)
    }
}
impl From<u8> for FieldValue {
    fn from(v: u8) -> Self {
        FieldValue::Number(u64::from(v))
    }
}
impl From<u32> for FieldValue {
    fn from(v: u32) -> Self {
        FieldValue::Number(u64::from(v))
    }
}
impl From<u64> for FieldValue {
    fn from(v: u64) -> Self {
        FieldValue::Number(v)
    }
}

/// Every field of a spec, resolved to its value (`None`: left to the session).
struct Fields {
    tgk: Option<Zeroizing<Vec<u8>>>,
    tgk_given: bool,
    share: Option<Vec<u8>>,
    index: Option<u8>,
    k: Option<u8>,
    n: Option<u8>,
    kcv: Option<Vec<u8>>,
    t: Option<u64>,
    id_i: Option<Vec<u8>>,
    id_r: Option<Vec<u8>>,
    rand: Option<Vec<u8>>,
    csb: Option<u32>,
}

fn resolve(spec: &ForgeSpec, intruder: &Intruder) -> Result<Fields, Error> {
    use ForgeField as F;
    let k = intruder.knowledge();
    let given = bytes_of(F::Tgk, &spec.tgk, k)?;
    Ok(Fields {
        tgk_given: given.is_some(),
        tgk: given
            .map(Zeroizing::new)
            .or_else(|| intruder.tgk().map(|t| Zeroizing::new(t.to_vec()))),
        share: bytes_of(F::Share, &spec.share, k)?,
        index: number_of(F::Index, &spec.index, k)?,
        k: number_of(F::K, &spec.k, k)?,
        n: number_of(F::N, &spec.n, k)?,
        kcv: bytes_of(F::Kcv, &spec.kcv, k)?,
        t: number_of(F::T, &spec.timestamp, k)?,
        id_i: bytes_of(F::IdI, &spec.id_i, k)?,
        id_r: bytes_of(F::IdR, &spec.id_r, k)?,
        rand: bytes_of(F::Rand, &spec.rand, k)?,
        csb: number_of(F::Csb, &spec.csb_id, k)?,
    })
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

/// What every builder below works with.
struct Ctx<'a, 'b> {
    spec: &'a ForgeSpec,
    f: &'a Fields,
    intruder: &'a Intruder,
    public: &'a Public<'b>,
    rng: &'a mut SimRng,
    meter: &'a mut Meter,
    now_t: Timestamp,
    sensor_id: Vec<u8>,
}

impl Ctx<'_, '_> {
    fn responder_id(&self) -> Vec<u8> {
        self.f.id_r.clone().unwrap_or_else(|| self.public.ids.responder.clone())
    }

    /// The certificate of `node` the intruder holds, R's as the CA published it, else random
    /// bytes (the receiver's certificate check refuses them).
    fn cert_of(&mut self, node: Node) -> Vec<u8> {
        match self.intruder.certificate(node) {
            Some((_, c)) => c.to_vec(),
            None if node == Node::Responder => self.public.r_cert.to_vec(),
            None => random(self.rng, 64),
        }
    }

    /// Signs the message's tail with `signer`'s key if the intruder holds it, else fills the
    /// signature with random bytes.
    fn sign(&mut self, bytes: &mut [u8], signer: Node) -> Result<(), Error> {
        let sig_len = self.sig_len();
        match self.intruder.rsa_key(signer).map(|(_, k)| k) {
            Some(key) if pkix::modulus_len(key) == sig_len => {
                pk::sign_tail(bytes, sig_len, key, self.public.cfg.sign, self.rng, self.meter)
            }
            _ => {
                let garbage = random(self.rng, sig_len);
                let start = bytes.len().saturating_sub(sig_len);
                if let Some(slot) = bytes.get_mut(start..) {
                    slot.copy_from_slice(&garbage);
                }
                Ok(())
            }
        }
    }

    fn sig_len(&self) -> usize {
        match self.intruder.rsa_key(self.spec.from) {
            Some((_, key)) => pkix::modulus_len(key),
            None => self.public.cfg.rsa_bits.bits() / 8,
        }
    }
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
    let f = resolve(spec, intruder)?;
    let mut meter = Meter::new();
    let mut c = Ctx {
        spec,
        f: &f,
        intruder,
        public,
        rng,
        meter: &mut meter,
        now_t: Timestamp::NtpUtc(f.t.unwrap_or_else(|| public.now.ntp())),
        sensor_id: f.id_i.clone().unwrap_or_else(|| public.ids.sensor.clone()),
    };
    let mut own_dh = None;
    let bytes = match spec.kind {
        MsgKind::ITp | MsgKind::TpR | MsgKind::TpI | MsgKind::RI => distributed_message(&mut c)?,
        MsgKind::RTp => {
            let tp = tp_of(spec.to).ok_or_else(|| field("to", "R_TPi goes to a TP"))?;
            let (id, d) = intruder
                .captured_labelled(&format!("TP{tp}_R"))
                .ok_or_else(|| field("session", format!("no TP{tp}_R captured yet to answer")))?;
            let p = distributed::parse_tp_r(d, "TPi_R")?;
            let auth = envelope_auth(k, id, &p.pk.content.hdr, &p.pk.content.rand, c.meter)
                .unwrap_or_else(|| Zeroizing::new(random(c.rng, 20)));
            let tp_id = public.ids.tp(tp).unwrap_or_default().to_vec();
            let t = f.t.map_or(p.pk.content.t, Timestamp::NtpUtc);
            distributed::build_r_tp(
                &p.pk.content.hdr,
                t,
                &nai(&c.responder_id()),
                &tp_id,
                &auth,
                c.meter,
            )?
        }
        MsgKind::PskInit => {
            let (_, d) = intruder
                .captured_message(MsgKind::PskInit)
                .ok_or_else(|| field("session", "no I_MESSAGE captured yet to copy HDR from"))?;
            let p = psk::parse_init(d, "I_MESSAGE")?;
            let mut m = p.content.clone();
            if let Some(csb) = f.csb {
                m.hdr.csb_id = csb;
            }
            if let Some(r) = &f.rand {
                m.rand = r.clone();
            }
            if let Some(i) = &f.id_i {
                m.id_i = Some(nai(i));
            }
            if let Some(r) = &f.id_r {
                m.id_r = Some(nai(r));
            }
            m.t = c.now_t;
            let key = f.tgk.clone().map(|t| t.to_vec()).unwrap_or_else(|| random(c.rng, 16));
            let psk =
                intruder.psk_with_r().map(|(_, p)| p.to_vec()).unwrap_or_else(|| random(c.rng, 16));
            let kd = KeyData { key_type: KeyDataType::Tgk, key, salt: None, kv: KeyValidity::Null };
            psk::build_init(&m, &psk, &[kd], public.cfg.kemac, c.meter)?.0
        }
        MsgKind::PskVerify | MsgKind::PkVerify => verify_message(&mut c)?,
        MsgKind::PkInit => {
            let (_, d) = intruder
                .captured_message(MsgKind::PkInit)
                .ok_or_else(|| field("session", "no I_MESSAGE captured yet to copy HDR from"))?;
            let p = pk::parse_init(d, "I_MESSAGE")?;
            let mut m = p.content.clone();
            m.t = c.now_t;
            if let Some(csb) = f.csb {
                m.hdr.csb_id = csb;
            }
            if let Some(r) = &f.rand {
                m.rand = r.clone();
            }
            if let Some(r) = &f.id_r {
                m.id_r = Some(nai(r));
            }
            if let Some(cert) = intruder.certificate(spec.from) {
                m.certs = vec![Cert { cert_type: CertType::X509v3Sign, data: cert.1.to_vec() }];
            }
            let key = f.tgk.clone().map(|t| t.to_vec()).unwrap_or_else(|| random(c.rng, 16));
            let kd = KeyData { key_type: KeyDataType::Tgk, key, salt: None, kv: KeyValidity::Null };
            let id_i = nai(&c.sensor_id);
            signed_pk_init(&mut c, &m, &id_i, &[kd])?
        }
        MsgKind::DhInit | MsgKind::DhResp => {
            let (bytes, x) = dh_message(&mut c)?;
            own_dh = Some(OwnDh(x));
            bytes
        }
        MsgKind::Error => {
            return Err(field("kind", "the intruder cannot compose this kind of message"));
        }
    };
    Ok(Forged { spec: spec.clone(), label: spec.label(), bytes, protections, own_dh })
}

/// I_TPi, TPi_I, TPi_R and R_I, on the captured I_TPi's session.
fn distributed_message(c: &mut Ctx<'_, '_>) -> Result<Vec<u8>, Error> {
    let (spec, f) = (c.spec, c.f);
    let s = session(c.intruder, f.csb)?;
    let rand = f.rand.clone().unwrap_or_else(|| s.rand.clone());
    let prf = crypto_prf(s.hdr.prf);
    let mut meta = s.meta.clone();
    let claimed_tp = tp_of(if spec.kind == MsgKind::ITp { spec.to } else { spec.from });
    if let Some(i) = f.index.or(claimed_tp) {
        meta.index = i;
    }
    if let Some(v) = f.k {
        meta.k = v;
    }
    if let Some(v) = f.n {
        meta.n = v;
    }
    meta.kcv = match (&f.kcv, &f.tgk) {
        (Some(b), _) => b.clone().try_into().map_err(|_| field("kcv", "the KCV is 8 bytes"))?,
        (None, Some(t)) if f.tgk_given => derive::kcv(prf, t, s.hdr.csb_id, &rand, c.meter),
        (None, _) => s.meta.kcv,
    };
    let t_i = f.t.map_or(s.t_i, Timestamp::NtpUtc);
    match spec.kind {
        MsgKind::ITp | MsgKind::TpR => {
            let share = share_of(c, &meta)?;
            let tp = claimed_tp.ok_or_else(|| field("to", "a share travels to or from a TP"))?;
            if spec.kind == MsgKind::ITp {
                let tp_id = f
                    .id_r
                    .clone()
                    .or_else(|| c.public.ids.tp(tp).map(<[u8]>::to_vec))
                    .unwrap_or_default();
                let m = distributed::ITp {
                    hdr: s.hdr.clone(),
                    t_i: c.now_t,
                    rand,
                    sensor_id: nai(&c.sensor_id),
                    tp_id: nai(&tp_id),
                    sp: s.sp.clone(),
                    meta,
                    final_r_id: Id {
                        id_type: s.final_r_id.id_type,
                        data: s.final_r_id.data.clone(),
                    },
                };
                let psk = c
                    .intruder
                    .psk_with_tp(tp)
                    .map(|(_, p)| p.to_vec())
                    .unwrap_or_else(|| random(c.rng, 16));
                Ok(distributed::build_i_tp(&m, &share, &psk, c.public.cfg.kemac, c.meter)?.0)
            } else {
                forge_tp_r(c, &s, rand, meta, &share)
            }
        }
        MsgKind::TpI => {
            let tp = tp_of(spec.from).ok_or_else(|| field("from", "TPi_I comes from a TP"))?;
            let psk = c
                .intruder
                .psk_with_tp(tp)
                .map(|(_, p)| p.to_vec())
                .unwrap_or_else(|| random(c.rng, 16));
            let keys =
                MessageKeys::derive(prf, &psk, s.hdr.csb_id, &rand, c.public.cfg.kemac, c.meter);
            let tp_id = f
                .id_r
                .clone()
                .or_else(|| c.public.ids.tp(tp).map(<[u8]>::to_vec))
                .unwrap_or_default();
            distributed::build_tp_i(&s.hdr, t_i, &nai(&tp_id), &c.sensor_id, &keys.auth, c.meter)
        }
        _ => {
            let auth = match &f.tgk {
                Some(t) => derive::auth_key_ri(prf, t, s.hdr.csb_id, &rand, c.meter),
                None => Zeroizing::new(random(c.rng, 20)),
            };
            let used: Vec<u8> = (1..=meta.k).collect();
            distributed::build_r_i(
                &s.hdr,
                t_i,
                &nai(&c.responder_id()),
                &c.sensor_id,
                &used,
                &auth,
                c.meter,
            )
        }
    }
}

/// R_MESSAGE of the PSK or PK mode, answering the captured I_MESSAGE.
fn verify_message(c: &mut Ctx<'_, '_>) -> Result<Vec<u8>, Error> {
    let psk_mode = c.spec.kind == MsgKind::PskVerify;
    let init_kind = if psk_mode { MsgKind::PskInit } else { MsgKind::PkInit };
    let (id, d) = c
        .intruder
        .captured_message(init_kind)
        .ok_or_else(|| field("session", "no I_MESSAGE captured yet to answer"))?;
    let mut hdr = d.message.hdr.clone();
    if let Some(csb) = c.f.csb {
        hdr.csb_id = csb;
    }
    let t = match c.f.t {
        Some(t) => Timestamp::NtpUtc(t),
        None => mcore::timestamp(&d.message, "I_MESSAGE")?,
    };
    let rand = match &c.f.rand {
        Some(r) => r.clone(),
        None => mcore::rand(&d.message, "I_MESSAGE")?,
    };
    let auth = if psk_mode {
        c.intruder.psk_with_r().map(|(_, p)| {
            MessageKeys::derive(
                crypto_prf(hdr.prf),
                p,
                hdr.csb_id,
                &rand,
                c.public.cfg.kemac,
                c.meter,
            )
            .auth
        })
    } else {
        envelope_auth(c.intruder.knowledge(), id, &hdr, &rand, c.meter)
    }
    .unwrap_or_else(|| Zeroizing::new(random(c.rng, 20)));
    let dt = if psk_mode { DataType::PskVerify } else { DataType::PkVerify };
    let r_id = nai(&c.responder_id());
    psk::build_verify(&hdr, dt, t, Some(&r_id), None, &auth, &c.sensor_id, &r_id.data, c.meter)
}

/// The DH I_MESSAGE or R_MESSAGE with the intruder's own DH value g^x: the I_MESSAGE on the
/// captured one's session, the R_MESSAGE answering it (its T, IDi and DHi echoed). Returns
/// the bytes and x.
fn dh_message(c: &mut Ctx<'_, '_>) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), Error> {
    let (_, d) = c
        .intruder
        .captured_message(MsgKind::DhInit)
        .ok_or_else(|| field("session", "no DH I_MESSAGE captured yet to copy HDR from"))?;
    let p = dh::parse_init(d, "I_MESSAGE (DH)")?;
    let mut m = p.content.clone();
    if let Some(csb) = c.f.csb {
        m.hdr.csb_id = csb;
    }
    let x = Zeroizing::new(random(c.rng, (crate::crypto::dh::EXPONENT_BITS / 8) as usize));
    let pair = crate::crypto::dh::DhKeyPair::from_exponent(x.clone(), c.meter)?;
    let own = pkix::dh_public(&pair);
    let cert = c.cert_of(c.spec.from);
    let (pad, sig_len) = (c.public.cfg.sign, c.sig_len());
    let mut bytes = if c.spec.kind == MsgKind::DhInit {
        m.t = c.now_t;
        if let Some(r) = &c.f.rand {
            m.rand = r.clone();
        }
        if let Some(r) = &c.f.id_r {
            m.id_r = Some(nai(r));
        }
        m.cert_i = cert;
        m.dh_i = own;
        dh::build_init_unsigned(&m, pad, sig_len)
    } else {
        let r = dh::DhResp {
            hdr: m.hdr.clone(),
            t: c.f.t.map_or(m.t, Timestamp::NtpUtc),
            cert_r: cert,
            id_i: nai(&c.sensor_id),
            dh_r: own,
            dh_i: m.dh_i.clone(),
        };
        dh::build_resp_unsigned(&r, pad, sig_len)
    };
    c.sign(&mut bytes, c.spec.from)?;
    Ok((bytes, x))
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
fn share_of(c: &Ctx<'_, '_>, meta: &distributed::ShareMeta) -> Result<Vec<u8>, Error> {
    if let Some(b) = &c.f.share {
        return Ok(b.clone());
    }
    if let Some(t) = &c.f.tgk {
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
    c.intruder.share(meta.index).map(|(_, s)| s.to_vec()).ok_or_else(|| {
        field("share", "give share= or tgk=: the intruder holds neither share nor TGK")
    })
}

/// TPi_R: a PK I_MESSAGE from TPi carrying the share, with the D-MIKEY extension.
fn forge_tp_r(
    c: &mut Ctx<'_, '_>,
    s: &Session,
    rand: Vec<u8>,
    meta: distributed::ShareMeta,
    share: &[u8],
) -> Result<Vec<u8>, Error> {
    let tp = tp_of(c.spec.from).ok_or_else(|| field("from", "TPi_R comes from a TP"))?;
    let tp_id = c.public.ids.tp(tp).unwrap_or_default().to_vec();
    let mut ext = DmikeyExt { role: Some(MsgKind::TpR), ..DmikeyExt::default() };
    ext.scheme = Some(meta.scheme);
    ext.k = Some(meta.k);
    ext.n = Some(meta.n);
    ext.index = Some(meta.index);
    ext.secret_len = Some(meta.secret_len);
    ext.kcv = Some(meta.kcv);
    ext.sensor_id = Some(TypedId { id_type: IdType::Nai, data: c.sensor_id.clone() });
    ext.t_i = Some(s.t_i);
    // The intruder asks for no R_TPi: the TP it impersonates has no session to match it.
    let mut hdr = s.hdr.clone();
    hdr.v_flag = false;
    // Without the certificate the CERT payload carries random bytes: R's parser refuses it.
    let cert = c.cert_of(c.spec.from);
    let m = pk::PkInit {
        hdr,
        t: c.now_t,
        rand,
        certs: vec![Cert { cert_type: CertType::X509v3Sign, data: cert }],
        id_r: Some(nai(&c.responder_id())),
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
    signed_pk_init(c, &m, &nai(&tp_id), &[kd])
}

/// A PK I_MESSAGE (RFC 3830 §3.2) as [`pk::build_init`] builds it, under an envelope key the
/// intruder chooses, signed with the claimed sender's RSA key if the intruder holds it, else
/// with random bytes in the SIGN payload.
fn signed_pk_init(
    c: &mut Ctx<'_, '_>,
    m: &pk::PkInit,
    id_i: &Id,
    keys: &[KeyData],
) -> Result<Vec<u8>, Error> {
    let r_key: RsaPublic = pkix::responder_key(
        &mut None,
        c.public.r_cert,
        c.public.ca_cert,
        c.public.now.unix_secs(),
        c.meter,
    )?;
    let env_key = Zeroizing::new(random(c.rng, 16));
    let envelope = pk::Envelope { env_key: &env_key, responder: &r_key, pke: c.public.cfg.pke };
    let sig_len = c.sig_len();
    let (mut bytes, _) = pk::build_init_unsigned(
        m,
        id_i,
        keys,
        &envelope,
        c.public.cfg.sign,
        sig_len,
        c.rng,
        c.meter,
    )?;
    c.sign(&mut bytes, c.spec.from)?;
    Ok(bytes)
}
