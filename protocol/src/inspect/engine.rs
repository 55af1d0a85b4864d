//! Inspection of one message: decode (leniently), then every check and derivation a receiver
//! makes, each as a [`Calculation`], with the keys of a [`Context`].

use core::ops::Range;

use zeroize::Zeroizing;

use super::calc::{self, hex, prf_calc, value};
use super::hexdump;
use super::{
    CalcKind, Calculation, Check, DecodeKeys, DecryptedView, Finding, Inspection, Level,
    NamedValue, Opened, Viewer,
};
use crate::cost::Meter;
use crate::crypto::derive;
use crate::crypto::kemac::{KemacProfile, ccm_nonce, iv_aes_cm};
use crate::crypto::prf::{PrfFunc, prf};
use crate::crypto::rsa::{PkePadding, RsaPrivateKey};
use crate::roles::{EPOCH_UNIX, MsgKind, Node};
use crate::sim::{FactKind, How, Origin, PacketId, Simulation};
use crate::wire::{
    DataType, Dh, EncrAlg, GenExt, GenExtType, Id, KeyDataType, KeyValidity, Layout, MacAlg,
    Message, Partial, Payload, PayloadKind, Pke, Rand, Sign, Timestamp, V, decode_key_data_chain,
};

/// A secret: its value if the viewer holds it, its name and who holds it.
#[derive(Clone, Default)]
pub(super) struct Slot {
    pub value: Option<Zeroizing<Vec<u8>>>,
    pub name: String,
    pub holders: Vec<Node>,
}

impl Slot {
    fn known(name: &str, value: &[u8]) -> Slot {
        Slot { value: Some(Zeroizing::new(value.to_vec())), name: name.into(), holders: Vec::new() }
    }
}

/// What the I_MESSAGE a verification message answers says (its V MAC needs them).
#[derive(Clone)]
pub(super) struct InitFacts {
    pub csb_id: u32,
    pub rand: Vec<u8>,
    /// The initiator's identity (ID data), the IDi of §5.2.
    pub id_i: Vec<u8>,
    /// The IDr of §5.2 when the message carries no ID payload (an ERR: its sender).
    pub id_r: Option<Vec<u8>>,
}

/// The keys and facts one viewer brings to one message.
#[derive(Clone, Default)]
pub(super) struct Context {
    pub viewer: String,
    pub psk: Option<Slot>,
    pub envelope: Option<Slot>,
    /// The viewer's RSA private key (opens a PKE addressed to it) and its PKCS#8 DER.
    pub rsa: Option<(RsaPrivateKey, Vec<u8>)>,
    pub rsa_holders: Vec<Node>,
    pub pke_padding: Option<PkePadding>,
    pub tgk: Option<Slot>,
    pub ca_cert: Option<Vec<u8>>,
    pub now_unix: u64,
    pub init: Option<InitFacts>,
    pub kind: Option<MsgKind>,
    /// Diffie–Hellman mode: the viewer's exponent (if it holds one) and the peer's value.
    pub dh: Option<DhFacts>,
}

/// What a viewer brings to a DH message (RFC 3830 §3.3).
#[derive(Clone, Default)]
pub(super) struct DhFacts {
    /// The viewer's own secret exponent, if it holds it.
    pub exponent: Option<Zeroizing<Vec<u8>>>,
    /// Why the viewer holds no exponent.
    pub why_not: String,
    /// DHr, when the message itself does not carry it (an I_MESSAGE): from its answer.
    pub dh_r: Option<Vec<u8>>,
}

/// The DH facts of packet `id` for `viewer`: only the sensor keeps its exponent x for the
/// session; R erases y once it computed g^(xy), and the intruder never sees either.
fn dh_facts(sim: &Simulation, id: PacketId, viewer: Viewer) -> Option<DhFacts> {
    let p = sim.capture().get(id)?;
    if !matches!(p.kind, MsgKind::DhInit | MsgKind::DhResp) {
        return None;
    }
    let dh_r = sim
        .capture()
        .iter()
        .filter(|q| q.kind == MsgKind::DhResp && q.origin == Origin::Role)
        .find_map(|q| q.decoded().ok()?.message.first::<Dh>().map(|d| d.value.clone()));
    let (exponent, why_not) = match viewer {
        Node::Sensor => (
            sim.sensor().dh_exponent().map(|x| Zeroizing::new(x.to_vec())),
            "the sensor holds no DH session".to_string(),
        ),
        Node::Responder => (
            None,
            "R's secret exponent y was erased as soon as R computed g^(xy): R keeps only the TGK"
                .into(),
        ),
        Node::Intruder => (None, "the intruder holds neither of them".into()),
        n => (None, format!("{} takes no part in the DH exchange", n.label())),
    };
    Some(DhFacts { exponent, why_not, dh_r })
}

fn holders_words(h: &[Node]) -> String {
    if h.is_empty() {
        return String::new();
    }
    let names: Vec<String> = h.iter().map(Node::label).collect();
    format!(" (held by {})", names.join(", "))
}

pub(super) fn of_packet(sim: &Simulation, id: PacketId, viewer: Viewer) -> Option<Inspection> {
    let p = sim.capture().get(id)?;
    let ctx = context_for(sim, id, viewer)?;
    let mut i = inspect(&p.bytes, &ctx);
    i.label = p.label.clone();
    Some(i)
}

/// The packet that `id` answers, and the initiator's identity, for V MACs.
fn init_of(sim: &Simulation, id: PacketId) -> Option<InitFacts> {
    let cap = sim.capture();
    let p = cap.get(id)?;
    let ids = &sim.pki().ids;
    let (init, id_i) = match p.kind {
        MsgKind::PskVerify => (
            cap.iter().find(|q| q.kind == MsgKind::PskInit && q.origin == Origin::Role)?,
            ids.sensor.clone(),
        ),
        MsgKind::PkVerify => (
            cap.iter().find(|q| q.kind == MsgKind::PkInit && q.origin == Origin::Role)?,
            ids.sensor.clone(),
        ),
        MsgKind::TpI => (
            cap.iter()
                .find(|q| q.kind == MsgKind::ITp && q.to == p.from && q.origin == Origin::Role)?,
            ids.sensor.clone(),
        ),
        MsgKind::RTp => {
            let Node::Tp(i) = p.to else { return None };
            (
                cap.iter().find(|q| {
                    q.kind == MsgKind::TpR && q.from == p.to && q.origin == Origin::Role
                })?,
                ids.tp(i)?.to_vec(),
            )
        }
        MsgKind::RI => (
            cap.iter().find(|q| q.kind == MsgKind::ITp && q.origin == Origin::Role)?,
            ids.sensor.clone(),
        ),
        // The DH R_MESSAGE: its TEKs use the I_MESSAGE's RAND.
        MsgKind::DhResp => (
            cap.iter().find(|q| q.kind == MsgKind::DhInit && q.origin == Origin::Role)?,
            ids.sensor.clone(),
        ),
        // An authenticated ERR answers the message that failed, under its keys, with the
        // ERR's sender as IDr (docs/distributed-mode.md, "Errors").
        MsgKind::Error => {
            let (init, id_i, id_r) = match (p.from, p.to) {
                (Node::Tp(i), Node::Sensor) => (
                    cap.iter().find(|q| {
                        q.kind == MsgKind::ITp && q.to == p.from && q.origin == Origin::Role
                    })?,
                    ids.sensor.clone(),
                    ids.tp(i)?.to_vec(),
                ),
                (Node::Responder, Node::Tp(i)) => (
                    cap.iter().find(|q| {
                        q.kind == MsgKind::TpR && q.from == p.to && q.origin == Origin::Role
                    })?,
                    ids.tp(i)?.to_vec(),
                    ids.responder.clone(),
                ),
                _ => return None,
            };
            let d = init.decoded().ok()?;
            return Some(InitFacts {
                csb_id: d.message.hdr.csb_id,
                rand: d.message.first::<Rand>()?.0.clone(),
                id_i,
                id_r: Some(id_r),
            });
        }
        _ => return None,
    };
    let d = init.decoded().ok()?;
    Some(InitFacts {
        csb_id: d.message.hdr.csb_id,
        rand: d.message.first::<Rand>()?.0.clone(),
        id_i,
        id_r: None,
    })
}

/// The message whose PKE carries the envelope key of packet `id` (itself for a TPi_R or a PK
/// I_MESSAGE; the one answered for R_TPi and the PK verification message).
fn envelope_source(sim: &Simulation, id: PacketId) -> Option<PacketId> {
    let cap = sim.capture();
    let p = cap.get(id)?;
    match p.kind {
        MsgKind::TpR | MsgKind::PkInit => Some(id),
        MsgKind::RTp | MsgKind::Error if p.from == Node::Responder => cap
            .iter()
            .find(|q| q.kind == MsgKind::TpR && q.from == p.to && q.origin == Origin::Role)
            .map(|q| q.id),
        MsgKind::PkVerify => {
            cap.iter().find(|q| q.kind == MsgKind::PkInit && q.origin == Origin::Role).map(|q| q.id)
        }
        _ => None,
    }
}

/// Whether the intruder holds the envelope key of packet `id`: it decrypted the PKE that
/// carries it (with a stolen RSA key of R, a fact of its knowledge), or it compromised the TP
/// that drew it after that TP had sent its TPi_R (a compromise hands over everything the TP
/// holds, the envelope keys it drew included; a compromise before the TP drew the key cannot).
fn intruder_holds_envelope(sim: &Simulation, id: PacketId) -> bool {
    let Some(src) = envelope_source(sim, id) else { return false };
    let k = sim.intruder().knowledge();
    if k.holds(&FactKind::EnvelopeKey { packet: src }) {
        return true;
    }
    let Some(Node::Tp(tp)) = sim.capture().get(src).map(|p| p.from) else { return false };
    let captured = k
        .facts()
        .iter()
        .position(|f| matches!(f.kind, FactKind::Captured { packet, .. } if packet == src));
    let compromised = k.facts().iter().position(|f| {
        f.kind == FactKind::PskWithTp { tp } && matches!(f.how, How::Compromise { .. })
    });
    matches!((captured, compromised), (Some(c), Some(x)) if x > c)
}

/// The viewer's keys for packet `id` of `sim`. The intruder's keys are those of its
/// knowledge (`sim::Knowledge`): the PSKs and RSA private keys it was handed or stole, the
/// envelope keys it decrypted or was handed, the TGK it rebuilt or opened.
pub(super) fn context_for(sim: &Simulation, id: PacketId, viewer: Viewer) -> Option<Context> {
    let p = sim.capture().get(id)?;
    let pki = sim.pki();
    let x = sim.intruder();
    let mut ctx = Context {
        viewer: match viewer {
            Node::Intruder => "the intruder".into(),
            n => n.label(),
        },
        pke_padding: Some(sim.config().pke),
        ca_cert: Some(pki.ca.cert_der.clone()),
        now_unix: EPOCH_UNIX + p.sent_at.0 / 1000,
        init: init_of(sim, id),
        kind: Some(p.kind),
        ..Context::default()
    };
    let give = |holders: &[Node], v: Option<&[u8]>| {
        if holders.contains(&viewer) { v.map(|k| Zeroizing::new(k.to_vec())) } else { None }
    };
    // An ERR is keyed like the message it answers: a TP's like its I_TPi, R's like the
    // TPi_R it rejects.
    let keyed_as = match (p.kind, p.from) {
        (MsgKind::Error, Node::Tp(_)) => MsgKind::TpI,
        (MsgKind::Error, Node::Responder) => MsgKind::RTp,
        (k, _) => k,
    };
    match keyed_as {
        MsgKind::ITp | MsgKind::TpI => {
            let i = match (p.from, p.to) {
                (Node::Tp(i), _) | (_, Node::Tp(i)) => i,
                _ => 0,
            };
            let mut holders = vec![Node::Sensor, Node::Tp(i)];
            let stolen = x.psk_with_tp(i).map(|(_, k)| k);
            if stolen.is_some() {
                holders.push(Node::Intruder);
            }
            ctx.psk = Some(Slot {
                value: if viewer == Node::Intruder {
                    stolen.map(|k| Zeroizing::new(k.to_vec()))
                } else {
                    give(&holders, pki.psk_with_tp(i))
                },
                name: format!("the PSK shared by I and TP{i}"),
                holders,
            });
        }
        MsgKind::PskInit | MsgKind::PskVerify => {
            let mut holders = vec![Node::Sensor, Node::Responder];
            let stolen = x.psk_with_r().map(|(_, k)| k);
            if stolen.is_some() {
                holders.push(Node::Intruder);
            }
            ctx.psk = Some(Slot {
                value: if viewer == Node::Intruder {
                    stolen.map(|k| Zeroizing::new(k.to_vec()))
                } else {
                    give(&holders, pki.psk_with_r())
                },
                name: "the PSK shared by I and R".into(),
                holders,
            });
        }
        MsgKind::TpR | MsgKind::PkInit | MsgKind::RTp | MsgKind::PkVerify => {
            let sender = match keyed_as {
                MsgKind::TpR | MsgKind::PkInit => p.from,
                _ => p.to,
            };
            let mut holders = vec![sender, Node::Responder];
            let intruder_env = intruder_holds_envelope(sim, id);
            if intruder_env {
                holders.push(Node::Intruder);
            }
            let env = envelope_source(sim, id).and_then(|src| sim.envelope_key_of(src));
            ctx.rsa_holders = vec![Node::Responder];
            let stolen_r = x.rsa_key(Node::Responder).map(|(_, k)| k.clone());
            if stolen_r.is_some() {
                ctx.rsa_holders.push(Node::Intruder);
            }
            let rsa = match viewer {
                Node::Responder => Some(pki.responder.key.clone()),
                Node::Intruder => stolen_r,
                _ => None,
            };
            // Whoever holds R's RSA key opens an I_MESSAGE's PKE with it (shown as a
            // calculation); the envelope key of a verification message is known from that.
            let opens_pke = rsa.is_some() && matches!(p.kind, MsgKind::TpR | MsgKind::PkInit);
            if let Some(key) = rsa
                && let Ok(der) = key.to_pkcs8_der()
            {
                ctx.rsa = Some((key, der.to_vec()));
            }
            ctx.envelope = Some(Slot {
                value: if opens_pke {
                    None
                } else if viewer == Node::Intruder {
                    if intruder_env {
                        env.as_deref().map(|v| Zeroizing::new(v.to_vec()))
                    } else {
                        None
                    }
                } else {
                    give(&holders, env.as_deref().map(|v| v.as_slice()))
                },
                name: format!(
                    "the envelope key of {}",
                    if matches!(keyed_as, MsgKind::TpR | MsgKind::RTp) {
                        format!("{}_R", sender.label())
                    } else {
                        "the PK I_MESSAGE".into()
                    }
                ),
                holders,
            });
        }
        _ => {}
    }
    let mut tgk_holders = vec![Node::Sensor];
    if sim.responder().tgk().is_some() {
        tgk_holders.push(Node::Responder);
    }
    if x.tgk().is_some() {
        tgk_holders.push(Node::Intruder);
    }
    let tgk_value = match viewer {
        Node::Sensor => sim.sensor().tgk(),
        Node::Responder => sim.responder().tgk(),
        Node::Intruder => x.tgk(),
        _ => None,
    };
    ctx.tgk = Some(Slot {
        value: tgk_value.map(|t| Zeroizing::new(t.to_vec())),
        name: "the TGK".into(),
        holders: tgk_holders,
    });
    ctx.dh = dh_facts(sim, id, viewer);
    Some(ctx)
}

/// The context of pasted bytes: the keys given.
pub(super) fn context_of_keys(keys: &DecodeKeys) -> Context {
    let rsa = keys.rsa_private_key.as_deref().and_then(|k| {
        let der = pem_or_der(k, "PRIVATE KEY");
        RsaPrivateKey::from_pkcs8_der(&der).ok().map(|key| (key, der))
    });
    Context {
        viewer: "you".into(),
        psk: keys.psk.as_deref().map(|k| Slot::known("the PSK given", k)),
        envelope: keys.envelope_key.as_deref().map(|k| Slot::known("the envelope key given", k)),
        rsa,
        ca_cert: keys.ca_cert.as_deref().map(|c| pem_or_der(c, "CERTIFICATE")),
        now_unix: EPOCH_UNIX,
        ..Context::default()
    }
}

/// DER bytes from PEM text (the first block with `label`) or DER as given.
fn pem_or_der(b: &[u8], label: &str) -> Vec<u8> {
    let Ok(text) = core::str::from_utf8(b) else { return b.to_vec() };
    let begin = format!("-----BEGIN {label}-----");
    let Some(start) = text.find(&begin) else { return b.to_vec() };
    let body = &text[start + begin.len()..];
    let end = body.find("-----END").unwrap_or(body.len());
    super::input::base64_decode(&body[..end]).unwrap_or_else(|_| b.to_vec())
}

pub(super) fn of_bytes(bytes: &[u8], keys: &DecodeKeys, init: Option<InitFacts>) -> Inspection {
    let mut ctx = context_of_keys(keys);
    ctx.init = init;
    inspect(bytes, &ctx)
}

/// The facts an I_MESSAGE gives the verification messages after it.
pub(super) fn init_facts(bytes: &[u8]) -> Option<InitFacts> {
    let p = Message::decode_partial(bytes);
    let hdr = p.hdr?;
    if !matches!(hdr.data_type, DataType::PskInit | DataType::PkInit | DataType::DhInit) {
        return None;
    }
    let rand = p
        .payloads
        .iter()
        .find_map(|x| if let Payload::Rand(r) = x { Some(r.0.clone()) } else { None })?;
    let id_i = p
        .payloads
        .iter()
        .find_map(|x| if let Payload::Id(i) = x { Some(i.data.clone()) } else { None })
        .or_else(|| {
            p.payloads.iter().find_map(|x| {
                if let Payload::Cert(c) = x { super::cert::subject_cn(&c.data) } else { None }
            })
        })
        .unwrap_or_default();
    Some(InitFacts { csb_id: hdr.csb_id, rand, id_i, id_r: None })
}

struct Run<'a> {
    bytes: &'a [u8],
    partial: Partial,
    ctx: &'a Context,
    calcs: Vec<Calculation>,
    findings: Vec<Finding>,
    decrypted: Vec<DecryptedView>,
    /// The TGK found in the KEMAC (standard modes), for TEK derivation.
    tgk_in_kemac: Option<Vec<u8>>,
}

fn finding(level: Level, rfc: &'static str, text: impl Into<String>) -> Finding {
    Finding { level, text: text.into(), rfc }
}

/// Inspects `bytes` with the keys of `ctx`.
pub(super) fn inspect(bytes: &[u8], ctx: &Context) -> Inspection {
    let partial = Message::decode_partial(bytes);
    let why = partial.error.as_ref().map_or_else(String::new, |e| format!("not decoded: {e}"));
    let (payloads, fields) = hexdump::flatten(&partial.layout, bytes.len(), &why);
    let hex = hexdump::rows(bytes, &payloads, &fields);
    let mut run = Run {
        bytes,
        partial,
        ctx,
        calcs: Vec::new(),
        findings: Vec::new(),
        decrypted: Vec::new(),
        tgk_in_kemac: None,
    };
    run.analyse();
    let certificates = run
        .payload_ranges()
        .into_iter()
        .filter_map(|(p, r)| match p {
            Payload::Cert(c) => {
                let data = r.end.checked_sub(c.data.len()).map(|s| s..r.end)?;
                super::cert::view(&c.data, data, ctx.ca_cert.as_deref(), ctx.now_unix)
            }
            _ => None,
        })
        .collect();
    Inspection {
        label: "message".into(),
        bytes: bytes.to_vec(),
        payloads,
        fields,
        hex,
        decrypted: run.decrypted,
        certificates,
        calculations: run.calcs,
        findings: run.findings,
        decode_error: run.partial.error.as_ref().map(|e| e.to_string()),
    }
}

impl Run<'_> {
    /// Each decoded payload with its byte range.
    fn payload_ranges(&self) -> Vec<(Payload, Range<usize>)> {
        self.partial
            .payloads
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                Some((p.clone(), self.partial.layout.payloads.get(i + 1)?.range.clone()))
            })
            .collect()
    }

    fn layout(&self) -> &Layout {
        &self.partial.layout
    }

    /// The range of field `label` in the first payload of `kind`.
    fn field(&self, kind: PayloadKind, label: &str) -> Option<Range<usize>> {
        self.layout().find(kind).and_then(|p| p.field(label))
    }

    fn first<T>(&self, f: impl Fn(&Payload) -> Option<&T>) -> Option<&T> {
        self.partial.payloads.iter().find_map(f)
    }

    fn analyse(&mut self) {
        let Some(hdr) = self.partial.hdr.clone() else {
            if let Some(e) = &self.partial.error {
                self.findings.push(finding(
                    Level::Error,
                    "RFC 3830 §6.1",
                    format!("not a MIKEY message: {e}"),
                ));
            }
            return;
        };
        self.findings.push(finding(
            Level::Info,
            "RFC 3830 §6.1",
            format!("data type {} = {}", hdr.data_type.to_u8(), hdr.data_type.name()),
        ));
        for note in self.partial.lenient.clone() {
            self.findings.push(finding(Level::Warning, "RFC 3830 §6.4", note));
        }
        if let Some(e) = &self.partial.error {
            self.findings.push(finding(
                Level::Error,
                "RFC 3830 §6",
                format!("the bytes are not a whole MIKEY message: {e}"),
            ));
        }
        let func = match hdr.prf {
            crate::wire::PrfFunc::Mikey1 => PrfFunc::Mikey1,
            crate::wire::PrfFunc::HmacSha256 => PrfFunc::HmacSha256,
        };
        let envelope = self.envelope_key();
        self.kemac(func, &hdr, envelope.as_deref().map(|v| v.as_slice()));
        if matches!(hdr.data_type, DataType::DhInit | DataType::DhResp) {
            self.dh(hdr.data_type);
        }
        self.tek_from_tgk(func, &hdr);
        self.kcv(func, &hdr);
        self.sign(&hdr);
        self.v(func, &hdr, envelope.as_deref().map(|v| v.as_slice()));
    }

    /// Diffie–Hellman mode (RFC 3830 §3.3, §4.1): DHi = g^x mod p checked against the
    /// message, and the TGK = DHr^x mod p = g^(xy), for a viewer holding the exponent x.
    fn dh(&mut self, data_type: DataType) {
        let values: Vec<(Dh, Option<Range<usize>>)> = {
            let spans: Vec<Option<Range<usize>>> = self
                .layout()
                .payloads
                .iter()
                .filter(|p| p.kind == PayloadKind::Dh)
                .map(|p| p.field("DH-value"))
                .collect();
            let dhs = self.partial.payloads.iter().filter_map(|p| match p {
                Payload::Dh(d) => Some(d.clone()),
                _ => None,
            });
            dhs.zip(spans.into_iter().chain(core::iter::repeat(None))).collect()
        };
        // I_MESSAGE: DHi; R_MESSAGE: DHr then the echoed DHi (§3.3).
        let (dh_i, dh_r) = match data_type {
            DataType::DhResp => (values.get(1).cloned(), values.first().cloned()),
            _ => (values.first().cloned(), None),
        };
        let ctx = self.ctx;
        let facts = ctx.dh.clone().unwrap_or_default();
        let dh_r =
            dh_r.map(|(d, r)| (d.value, r)).or_else(|| facts.dh_r.clone().map(|v| (v, None)));
        let held = ctx.tgk.as_ref().and_then(|t| t.value.clone());
        let Some(x) = facts.exponent.clone() else {
            self.findings.push(finding(
                Level::Info,
                "RFC 3830 §3.3",
                format!(
                    "Diffie–Hellman mode: the TGK is g^(xy) mod p, computable only with one of the two secret exponents, which never travel; {}{}",
                    if facts.why_not.is_empty() { "no exponent given".to_string() } else { facts.why_not.clone() },
                    match &held {
                        Some(_) => format!("; {} holds the TGK (the TEKs below derive from it)", ctx.viewer),
                        None => format!("; {} does not hold the TGK", ctx.viewer),
                    }
                ),
            ));
            if let Some(tgk) = held {
                self.tgk_in_kemac = Some(tgk.to_vec());
            }
            return;
        };
        let Some((dh_i, dh_i_range)) = dh_i else { return };
        if dh_i.group != crate::wire::DhGroup::Oakley5 {
            self.findings.push(finding(
                Level::Warning,
                "RFC 3830 §6.4",
                format!(
                    "DH group {} is not one the inspector computes (OAKLEY 5 only)",
                    dh_i.group.name()
                ),
            ));
            return;
        }
        let p = crate::crypto::dh::prime_bytes();
        let group_inputs = || {
            vec![
                value("p (the OAKLEY 5 prime, RFC 3526 §2)", &p, None),
                value("g", &[2], None),
                value("x (the sensor's secret exponent)", &x, None),
            ]
        };
        let mut meter = Meter::new();
        let Ok(pair) = crate::crypto::dh::DhKeyPair::from_exponent(x.clone(), &mut meter) else {
            return;
        };
        let public = pair.public_value().to_vec();
        self.calcs.push(Calculation {
            kind: CalcKind::DhPublic,
            title: "DHi = g^x mod p (the sensor's public DH value)".into(),
            rfc: "RFC 3830 §3.3, §6.4",
            inputs: [group_inputs(), vec![value("DHi in the message", &dh_i.value, dh_i_range)]]
                .concat(),
            formula: vec![
                "group OAKLEY 5 (DH-Group 0): the 1536-bit MODP prime p of RFC 3526 §2, generator g = 2".into(),
                "DHi = g^x mod p, 192 bytes big-endian".into(),
            ],
            output: value("DHi", &public, None),
            check: if public == dh_i.value {
                Check::Ok("g^x mod p equals the DH-value of the DHi payload".into())
            } else {
                Check::Failed(format!(
                    "the DHi payload carries {}…, g^x mod p gives {}…",
                    hex(dh_i.value.get(..8).unwrap_or_default()),
                    hex(public.get(..8).unwrap_or_default())
                ))
            },
            commands: calc::dh_snippets(&p, None, &x, &public),
        });
        let Some((dh_r, dh_r_range)) = dh_r else {
            self.findings.push(finding(
                Level::Info,
                "RFC 3830 §3.3",
                "the TGK g^(xy) needs DHr, which comes in R's answer (not in this run yet)",
            ));
            return;
        };
        match pair.shared_secret(&dh_r, &mut meter) {
            Ok(tgk) => {
                let mut inputs = group_inputs();
                inputs.insert(2, value("DHr (R's public DH value, g^y mod p)", &dh_r, dh_r_range));
                self.calcs.push(Calculation {
                    kind: CalcKind::DhShared,
                    title: "TGK = DHr^x mod p = g^(xy) (the DH shared secret)".into(),
                    rfc: "RFC 3830 §3.3, §4.1",
                    inputs,
                    formula: vec![
                        "DHr is accepted only in [2, p−2] (0, 1 and p−1 force a trivial secret)".into(),
                        "TGK = DHr^x mod p = g^(xy) mod p, 192 bytes big-endian: the TGK of the DH mode".into(),
                    ],
                    output: value("TGK", &tgk, None),
                    check: Check::Derived,
                    commands: calc::dh_snippets(&p, Some(&dh_r), &x, &tgk),
                });
                self.tgk_in_kemac = Some(tgk.to_vec());
            }
            Err(e) => self.findings.push(finding(
                Level::Error,
                "RFC 3830 §3.3",
                format!("the TGK cannot be computed: {e}"),
            )),
        }
    }

    fn t64(&self) -> Option<(Timestamp, [u8; 8])> {
        let t = self.first(|p| if let Payload::T(t) = p { Some(t) } else { None })?.0;
        Some((t, crate::mikey::core::t64(&t)))
    }

    fn rand(&self) -> Option<(Vec<u8>, Option<Range<usize>>)> {
        let r = self.first(|p| if let Payload::Rand(r) = p { Some(r) } else { None })?;
        Some((r.0.clone(), self.field(PayloadKind::Rand, "RAND")))
    }

    /// The envelope key: given, known, or RSA-decrypted from PKE with the viewer's key.
    fn envelope_key(&mut self) -> Option<Zeroizing<Vec<u8>>> {
        let pke: Option<Pke> =
            self.first(|p| if let Payload::Pke(k) = p { Some(k) } else { None }).cloned();
        let known = self.ctx.envelope.as_ref().and_then(|s| s.value.clone());
        let Some(pke) = pke else { return known };
        let data_range = self.field(PayloadKind::Pke, "Data").unwrap_or(0..0);
        let slot_holders =
            self.ctx.envelope.as_ref().map(|s| s.holders.clone()).unwrap_or_default();
        let ctx = self.ctx;
        let key_needed = format!("R's RSA private key{}", holders_words(&ctx.rsa_holders));
        if let Some((key, der)) = &ctx.rsa {
            let paddings: Vec<PkePadding> = match self.ctx.pke_padding {
                Some(p) => vec![p],
                None => vec![PkePadding::Oaep, PkePadding::Pkcs1v15],
            };
            for pad in paddings {
                let mut rng = crate::crypto::rng::SimRng::from_seed(0); // RSA blinding only
                let mut meter = Meter::new();
                if let Ok(env) = crate::crypto::rsa::pke_decrypt(
                    key, pad, &mut rng, &pke.data, "PKE", &mut meter,
                ) {
                    let oaep = pad == PkePadding::Oaep;
                    self.calcs.push(Calculation {
                        kind: CalcKind::EnvelopeKey,
                        title: "envelope key from the PKE payload".into(),
                        rfc: "RFC 3830 §3.2, §4.2.5",
                        inputs: vec![value("PKE Data", &pke.data, Some(data_range.clone()))],
                        formula: vec![format!(
                            "envelope key = RSA-decrypt(R's private key, PKE Data), {}",
                            if oaep {
                                "RSAES-OAEP with SHA-256, MGF1-SHA-256, empty label"
                            } else {
                                "RSAES-PKCS1-v1_5"
                            }
                        )],
                        output: value("envelope key", &env, None),
                        check: Check::Ok(format!(
                            "the PKE decrypts under R's key ({} padding checks)",
                            if oaep { "OAEP" } else { "PKCS#1 v1.5" }
                        )),
                        commands: calc::rsa_decrypt_snippets(der, oaep, &pke.data, &env),
                    });
                    self.decrypted.push(DecryptedView {
                        title: "PKE envelope key".into(),
                        ciphertext: data_range,
                        key_needed,
                        holders: self.ctx.rsa_holders.clone(),
                        opened: Opened::Open {
                            plaintext: env.to_vec(),
                            payloads: Vec::new(),
                            fields: Vec::new(),
                            values: vec![NamedValue {
                                name: "envelope key".into(),
                                bytes: env.to_vec(),
                                text: None,
                            }],
                        },
                    });
                    return Some(env);
                }
            }
            self.findings.push(finding(
                Level::Error,
                "RFC 3830 §3.2",
                "the PKE does not decrypt under the RSA key given",
            ));
        }
        self.decrypted.push(DecryptedView {
            title: "PKE envelope key".into(),
            ciphertext: data_range,
            key_needed,
            holders: self.ctx.rsa_holders.clone(),
            opened: match &known {
                Some(env) => Opened::Open {
                    plaintext: env.to_vec(),
                    payloads: Vec::new(),
                    fields: Vec::new(),
                    values: vec![NamedValue {
                        name: format!(
                            "envelope key (known to {}{} without opening the PKE)",
                            self.ctx.viewer,
                            holders_words(&slot_holders)
                        ),
                        bytes: env.to_vec(),
                        text: None,
                    }],
                },
                None => Opened::Sealed {
                    why: format!("{} does not hold R's RSA private key", self.ctx.viewer),
                },
            },
        });
        known
    }

    /// The PRF-derived message key, as a calculation.
    #[allow(clippy::too_many_arguments)]
    fn derive_calc(
        &mut self,
        kind: CalcKind,
        func: PrfFunc,
        secret: &[u8],
        secret_name: &str,
        constant: u32,
        csb_id: u32,
        rand: &(Vec<u8>, Option<Range<usize>>),
        len: usize,
        out_name: &str,
        title: String,
    ) -> Zeroizing<Vec<u8>> {
        let label = derive::message_label(constant, csb_id, &rand.0);
        let out = prf(func, secret, &label, len, &mut Meter::new());
        let csb_range = self.field(PayloadKind::Hdr, "CSB ID");
        self.calcs.push(prf_calc(
            kind,
            title,
            "RFC 3830 §4.1.4",
            func,
            value(secret_name, secret, None),
            constant,
            0xFF,
            (csb_id, csb_range),
            (&rand.0, rand.1.clone()),
            out_name,
            &out,
        ));
        out
    }

    fn kemac(&mut self, func: PrfFunc, hdr: &crate::wire::Hdr, envelope: Option<&[u8]>) {
        let Some(idx) = self.partial.payloads.iter().position(|p| matches!(p, Payload::Kemac(_)))
        else {
            return;
        };
        let Some(Payload::Kemac(k)) = self.partial.payloads.get(idx).cloned() else { return };
        let Some(span) = self.layout().payloads.get(idx + 1).cloned() else { return };
        let psk_mode = matches!(hdr.data_type, DataType::PskInit | DataType::PskVerify);
        let pk_mode = matches!(hdr.data_type, DataType::PkInit | DataType::PkVerify);
        let r = span.range.clone();
        let encr_start = r.start + 4;
        let encr_end = encr_start + k.encr_data.len();
        let encr_range = encr_start..encr_end;
        // RFC 3830 §5.2 coverage: PSK the whole message up to the MAC; PK the KEMAC alone
        // with its Next payload byte taken as 0.
        let before: Vec<u8> = if pk_mode {
            let mut b = vec![0u8];
            b.extend_from_slice(self.bytes.get(r.start + 1..encr_start).unwrap_or_default());
            b
        } else {
            self.bytes.get(..encr_start).unwrap_or_default().to_vec()
        };
        let after = self.bytes.get(encr_end..encr_end + 1).unwrap_or_default().to_vec();
        let mac_range = encr_end + 1..r.end;
        let covered: Vec<u8> = [before.as_slice(), &k.encr_data, &after].concat();
        let covered_words = if pk_mode {
            format!(
                "0x00 (Next payload taken as 0) ‖ bytes {}..{} (Encr alg, Encr data len, Encr data, Mac alg)",
                r.start + 1,
                encr_end + 1
            )
        } else {
            format!("bytes 0..{} (HDR through the KEMAC's Mac alg byte)", encr_end + 1)
        };

        if k.mac_alg == MacAlg::Null {
            if psk_mode {
                self.findings.push(finding(
                    Level::Warning,
                    "RFC 3830 §4.2.4",
                    "NULL MAC in the pre-shared key mode: RFC 3830 says the MAC SHOULD NOT be NULL there — nothing authenticates this message or its keys, anyone on the path can change them",
                ));
            } else {
                self.findings.push(finding(
                    Level::Info,
                    "RFC 3830 §4.2.4",
                    "NULL MAC (the SIGN payload authenticates the message in the public-key mode)",
                ));
            }
        }
        if k.encr_alg == EncrAlg::Null {
            self.findings.push(finding(
                Level::Warning,
                "RFC 3830 §4.2.3",
                "NULL encryption: the key data travels in the clear; RFC 3830 allows it only when the underlying transport is already secure",
            ));
        }
        let profile = KemacProfile::from_codes(k.encr_alg.to_u8(), k.mac_alg.to_u8());
        let slot = if pk_mode { self.ctx.envelope.clone() } else { self.ctx.psk.clone() };
        let secret: Option<Zeroizing<Vec<u8>>> = if pk_mode {
            envelope.map(|e| Zeroizing::new(e.to_vec()))
        } else {
            slot.as_ref().and_then(|s| s.value.clone())
        };
        let secret_name = if pk_mode { "envelope key".to_string() } else { "PSK".to_string() };
        let slot_name = slot.as_ref().map_or_else(
            || if pk_mode { "the envelope key".to_string() } else { "the PSK".to_string() },
            |s| s.name.clone(),
        );
        let holders = slot.as_ref().map(|s| s.holders.clone()).unwrap_or_default();
        let key_needed = if k.encr_alg == EncrAlg::Null {
            "no key: NULL encryption".to_string()
        } else {
            format!("encr_key and salt_key derived from {slot_name}{}", holders_words(&holders))
        };
        let (Some((_, t64)), Some(rand)) = (self.t64(), self.rand()) else {
            self.findings.push(finding(
                Level::Error,
                "RFC 3830 §3.1",
                "the KEMAC cannot be opened: the message has no T or no RAND",
            ));
            return;
        };
        let csb = hdr.csb_id;

        // The message keys.
        let mut mykey_like = false;
        let mut plain: Option<Vec<u8>> =
            if k.encr_alg == EncrAlg::Null { Some(k.encr_data.clone()) } else { None };
        if let Some(secret) = secret.as_deref() {
            let encrypts = k.encr_alg != EncrAlg::Null;
            let (encr, salt) = if encrypts {
                let e = self.derive_calc(
                    CalcKind::EncrKey,
                    func,
                    secret,
                    &secret_name,
                    derive::C_ENCR,
                    csb,
                    &rand,
                    16,
                    "encr_key",
                    format!("encr_key from {slot_name}"),
                );
                let s = self.derive_calc(
                    CalcKind::SaltKey,
                    func,
                    secret,
                    &secret_name,
                    derive::C_SALT,
                    csb,
                    &rand,
                    14,
                    "salt_key",
                    format!("salt_key from {slot_name}"),
                );
                (Some(e), Some(s))
            } else {
                (None, None)
            };
            // MAC
            match k.mac_alg {
                MacAlg::HmacSha1_160 | MacAlg::HmacSha256_256 => {
                    let sha256 = k.mac_alg == MacAlg::HmacSha256_256;
                    let len = if sha256 { 32 } else { 20 };
                    let auth = self.derive_calc(
                        CalcKind::AuthKey,
                        func,
                        secret,
                        &secret_name,
                        derive::C_AUTH,
                        csb,
                        &rand,
                        len,
                        "auth_key",
                        format!("auth_key from {slot_name} ({} bits, §4.1.4)", len * 8),
                    );
                    let mine = hmac(sha256, &auth, &covered, len);
                    let ok = mine == k.mac;
                    let mut check = if ok {
                        Check::Ok("MAC OK: the recomputed MAC equals the MAC field".into())
                    } else {
                        Check::Failed(format!(
                            "the MAC field is {}, the recomputation gives {}",
                            hex(&k.mac),
                            hex(&mine)
                        ))
                    };
                    let mut alt = None;
                    if !ok && !sha256 {
                        // mykey derives a 256-bit auth_key for HMAC-SHA-1-160.
                        let label = derive::message_label(derive::C_AUTH, csb, &rand.0);
                        let auth256 = prf(func, secret, &label, 32, &mut Meter::new());
                        let m256 = hmac(false, &auth256, &covered, 20);
                        if m256 == k.mac {
                            mykey_like = true;
                            check = Check::Failed(format!(
                                "does not verify with the 160-bit auth_key RFC 3830 §4.1.4 derives for HMAC-SHA-1-160 (it gives {}); it verifies with a 256-bit auth_key (PRF output of 256 bits), which is what the mykey crate (2.3.1) derives",
                                hex(&mine)
                            ));
                            alt = Some(auth256);
                        }
                    }
                    self.calcs.push(Calculation {
                        kind: CalcKind::KemacMac,
                        title: format!("KEMAC MAC ({})", k.mac_alg.name()),
                        rfc: "RFC 3830 §5.2, §4.2.4",
                        inputs: vec![
                            value("auth_key", &auth, None),
                            value(
                                format!("covered bytes: {covered_words}"),
                                &covered,
                                Some(if pk_mode { r.start..encr_end + 1 } else { 0..encr_end + 1 }),
                            ),
                            value("MAC field", &k.mac, Some(mac_range.clone())),
                        ],
                        formula: vec![format!(
                            "MAC = HMAC-{}(auth_key, covered bytes)",
                            if sha256 { "SHA-256" } else { "SHA-1" }
                        )],
                        output: value("MAC", &mine, None),
                        check: check.clone(),
                        commands: calc::hmac_snippets(sha256, &auth, &covered, &mine),
                    });
                    if let Some(auth256) = alt {
                        let csb_range = self.field(PayloadKind::Hdr, "CSB ID");
                        self.calcs.push(prf_calc(
                            CalcKind::AuthKey,
                            format!("auth_key from {slot_name}, 256 bits (as mykey derives it)"),
                            "RFC 3830 §4.1.4",
                            func,
                            value(&secret_name, secret, None),
                            derive::C_AUTH,
                            0xFF,
                            (csb, csb_range),
                            (&rand.0, rand.1.clone()),
                            "auth_key (256 bits)",
                            &auth256,
                        ));
                        self.calcs.push(Calculation {
                            kind: CalcKind::KemacMac,
                            title: "KEMAC MAC under the 256-bit auth_key".into(),
                            rfc: "RFC 3830 §5.2, §4.2.4",
                            inputs: vec![
                                value("auth_key (256 bits)", &auth256, None),
                                value(
                                    format!("covered bytes: {covered_words}"),
                                    &covered,
                                    Some(0..encr_end + 1),
                                ),
                                value("MAC field", &k.mac, Some(mac_range.clone())),
                            ],
                            formula: vec![
                                "MAC = HMAC-SHA-1(auth_key of 256 bits, covered bytes)".into(),
                            ],
                            output: value("MAC", &k.mac, None),
                            check: Check::Ok(
                                "MAC OK under the 256-bit auth_key (not the RFC's 160 bits)".into(),
                            ),
                            commands: calc::hmac_snippets(false, &auth256, &covered, &k.mac),
                        });
                        self.findings.push(finding(
                            Level::Warning,
                            "RFC 3830 §4.1.4, §4.2.4",
                            "the KEMAC MAC verifies only with a 256-bit auth_key: RFC 3830 derives 160 bits for HMAC-SHA-1-160 (the auth key length SHOULD equal the hash output); the mykey crate (2.3.1) derives 256 bits, so a receiver following the RFC rejects this message",
                        ));
                    } else if let Check::Failed(_) = check {
                        self.findings.push(finding(Level::Error, "RFC 3830 §5.2", "the KEMAC MAC does not verify (nor with a 256-bit auth_key): a receiver rejects the message"));
                    }
                }
                _ => {}
            }
            // Decryption.
            if let (Some(encr), Some(salt)) = (encr, salt) {
                let mut salt14 = [0u8; 14];
                if salt.len() == 14 {
                    salt14.copy_from_slice(&salt);
                }
                let mut key16 = [0u8; 16];
                if encr.len() == 16 {
                    key16.copy_from_slice(&encr);
                }
                let t_range = self.field(PayloadKind::T, "TS value");
                let csb_range = self.field(PayloadKind::Hdr, "CSB ID");
                match (k.encr_alg, profile) {
                    (EncrAlg::AesCm128, _) => {
                        let iv = iv_aes_cm(&salt14, csb, t64);
                        self.calcs.push(Calculation {
                            kind: CalcKind::AesCmIv,
                            title: "AES-CM IV".into(),
                            rfc: "RFC 3830 §4.2.3",
                            inputs: vec![
                                value("salt_key", &salt, None),
                                value("CSB ID", &csb.to_be_bytes(), csb_range),
                                value("T (64 bits; a COUNTER zero-extended)", &t64, t_range),
                            ],
                            formula: vec![
                                "IV = (salt_key XOR (0x0000 ‖ CSB ID ‖ T)) ‖ 0x0000".into(),
                            ],
                            output: value("IV", &iv, None),
                            check: Check::Derived,
                            commands: calc::iv_snippets(&salt, csb, t64, false, &iv),
                        });
                        let mut pt = k.encr_data.clone();
                        aes_ctr(&key16, &iv, &mut pt);
                        self.calcs.push(Calculation {
                            kind: CalcKind::KemacDecrypt,
                            title: "KEMAC key data decrypted (AES-CM-128)".into(),
                            rfc: "RFC 3830 §4.2.3",
                            inputs: vec![
                                value("encr_key", &encr, None),
                                value("IV", &iv, None),
                                value("Encr data", &k.encr_data, Some(encr_range.clone())),
                            ],
                            formula: vec!["plaintext = Encr data XOR AES-128(encr_key, IV), AES(encr_key, IV+1), … (counter mode)".into()],
                            output: value("key data chain", &pt, None),
                            check: Check::Derived,
                            commands: calc::aes_ctr_snippets(&key16, &iv, &k.encr_data, &pt),
                        });
                        plain = Some(pt);
                    }
                    (_, Some(p @ (KemacProfile::AesCcm128 | KemacProfile::AesCcm128Tag8))) => {
                        let nonce = ccm_nonce(&salt14, csb, t64);
                        self.calcs.push(Calculation {
                            kind: CalcKind::CcmNonce,
                            title: "AES-CCM nonce (private profile)".into(),
                            rfc: "RFC 3830 §4.2.3 (IV), RFC 3610",
                            inputs: vec![
                                value("salt_key", &salt, None),
                                value("CSB ID", &csb.to_be_bytes(), csb_range),
                                value("T (64 bits)", &t64, t_range),
                            ],
                            formula: vec![
                                "N = (salt_key XOR (0x0000 ‖ CSB ID ‖ T))[1..14] (13 bytes)".into(),
                            ],
                            output: value("nonce", &nonce, None),
                            check: Check::Derived,
                            commands: calc::iv_snippets(&salt, csb, t64, true, &nonce),
                        });
                        let aad: Vec<u8> = [before.as_slice(), &after].concat();
                        let opened = ccm_open(p, &key16, &nonce, &aad, &k.encr_data, &k.mac);
                        let check = match &opened {
                            Some(_) => Check::Ok(
                                "CCM tag OK: the tag verifies over the AAD and the plaintext"
                                    .into(),
                            ),
                            None => Check::Failed(
                                "the CCM tag does not verify: nothing is released".into(),
                            ),
                        };
                        self.calcs.push(Calculation {
                            kind: CalcKind::KemacMac,
                            title: format!("KEMAC AES-CCM tag ({} bytes)", k.mac.len()),
                            rfc: "RFC 3610",
                            inputs: vec![
                                value("encr_key", &encr, None),
                                value("nonce", &nonce, None),
                                value(format!("AAD: {covered_words} without the Encr data"), &aad, None),
                                value("Encr data", &k.encr_data, Some(encr_range.clone())),
                                value("tag (MAC field)", &k.mac, Some(mac_range.clone())),
                            ],
                            formula: vec!["plaintext, tag check = AES-CCM-Decrypt(encr_key, nonce, AAD, Encr data ‖ tag)".into()],
                            output: value("key data chain", opened.as_deref().unwrap_or_default(), None),
                            check,
                            commands: opened
                                .as_deref()
                                .map(|pt| calc::ccm_snippets(&key16, &nonce, &aad, &k.encr_data, &k.mac, pt))
                                .unwrap_or_default(),
                        });
                        plain = opened;
                    }
                    _ => {
                        self.findings.push(finding(
                            Level::Warning,
                            "RFC 3830 §4.2.3",
                            format!(
                                "Encr alg {} is not one the inspector decrypts",
                                k.encr_alg.name()
                            ),
                        ));
                    }
                }
            }
        }
        let opened = match plain {
            Some(pt) => self.open_chain(&pt, pk_mode, mykey_like, hdr),
            None => Opened::Sealed {
                why: match &slot {
                    Some(s) if s.value.is_none() && !pk_mode => {
                        format!("needs {}, which {} does not hold", s.name, self.ctx.viewer)
                    }
                    _ if pk_mode => format!(
                        "needs the envelope key, which {} does not hold (nor R's RSA key to open the PKE)",
                        self.ctx.viewer
                    ),
                    _ => "needs the PSK (none given)".into(),
                },
            },
        };
        self.decrypted.push(DecryptedView {
            title: "KEMAC key data".into(),
            ciphertext: encr_range,
            key_needed,
            holders,
            opened,
        });
    }

    fn open_chain(
        &mut self,
        pt: &[u8],
        pk_mode: bool,
        mykey_like: bool,
        hdr: &crate::wire::Hdr,
    ) -> Opened {
        let decoded =
            decode_key_data_chain(pt, pk_mode).or_else(|_| decode_key_data_chain(pt, !pk_mode));
        let (id, keys, layout) = match decoded {
            Ok(x) => x,
            Err(e) => {
                self.findings.push(finding(
                    Level::Error,
                    "RFC 3830 §6.13",
                    format!("the decrypted key data does not decode: {e}"),
                ));
                let (payloads, fields) =
                    hexdump::flatten(&Layout::default(), pt.len(), &format!("not decoded: {e}"));
                return Opened::Open {
                    plaintext: pt.to_vec(),
                    payloads,
                    fields,
                    values: Vec::new(),
                };
            }
        };
        let (payloads, fields) = hexdump::flatten(&layout, pt.len(), "");
        let mut values = Vec::new();
        if let Some(Id { data, .. }) = &id {
            values.push(NamedValue {
                name: "IDi (the encrypted identity)".into(),
                bytes: data.clone(),
                text: core::str::from_utf8(data).ok().map(str::to_string),
            });
        }
        let index = self.dmikey().and_then(|e| e.index);
        for kd in &keys {
            let what = match (kd.key_type, index) {
                (KeyDataType::Tgk, Some(i)) => format!("share {i} (Key data, type TGK)"),
                (t, _) => t.name().to_string(),
            };
            values.push(NamedValue { name: what, bytes: kd.key.clone(), text: None });
            if let Some(s) = &kd.salt {
                values.push(NamedValue { name: "salt".into(), bytes: s.clone(), text: None });
            }
            match &kd.kv {
                KeyValidity::Spi(spi) => {
                    values.push(NamedValue {
                        name: "SPI/MKI".into(),
                        bytes: spi.clone(),
                        text: None,
                    });
                    self.findings.push(finding(
                        Level::Info,
                        "RFC 3830 §6.14",
                        format!(
                            "key validity SPI/MKI 0x{}: the key is bound to the SRTP MKI it names",
                            hex(spi)
                        ),
                    ));
                }
                KeyValidity::Interval { .. } => {
                    self.findings.push(finding(
                        Level::Info,
                        "RFC 3830 §6.14",
                        "key validity: an interval of SRTP packet indices",
                    ));
                }
                KeyValidity::Null => {}
            }
            match kd.key_type {
                KeyDataType::Tek | KeyDataType::TekSalt => self.findings.push(finding(
                    Level::Info,
                    "RFC 3830 §6.13, §4.1.3",
                    "the key data carries a TEK (type 2/3), not a TGK: it is the SRTP master key itself, nothing is derived from it",
                )),
                KeyDataType::Tgk | KeyDataType::TgkSalt if index.is_none() => {
                    self.tgk_in_kemac = Some(kd.key.clone());
                }
                _ => {}
            }
        }
        if mykey_like && let (Some(tgk), Some((rand, _))) = (self.tgk_in_kemac.clone(), self.rand())
        {
            let func = match hdr.prf {
                crate::wire::PrfFunc::Mikey1 => PrfFunc::Mikey1,
                crate::wire::PrfFunc::HmacSha256 => PrfFunc::HmacSha256,
            };
            let tek0 = derive::tek(func, &tgk, 0, hdr.csb_id, &rand, 16, &mut Meter::new());
            self.calcs.push(prf_calc(
                CalcKind::Tek,
                "TEK as mykey derives it (cs_id 0)".into(),
                "RFC 3830 §4.1.3",
                func,
                value("TGK", &tgk, None),
                derive::C_TEK,
                0,
                (hdr.csb_id, self.field(PayloadKind::Hdr, "CSB ID")),
                (&rand, self.field(PayloadKind::Rand, "RAND")),
                "TEK (cs_id 0)",
                &tek0,
            ));
            self.findings.push(finding(
                Level::Warning,
                "RFC 3830 §4.1.3, §6.1.1",
                "the mykey crate (2.3.1) derives its TEK with cs_id 0; RFC 3830 numbers crypto sessions from 1 (the CS ID map), so a peer following the RFC derives a different TEK for crypto session 1",
            ));
        }
        Opened::Open { plaintext: pt.to_vec(), payloads, fields, values }
    }

    fn dmikey(&self) -> Option<crate::wire::DmikeyExt> {
        self.partial
            .payloads
            .iter()
            .find_map(|p| match p {
                Payload::GenExt(g) if g.ext_type == GenExtType::Dmikey => Some(g),
                _ => None,
            })
            .and_then(|g: &GenExt| crate::wire::DmikeyExt::from_genext(g).ok())
    }

    fn tek_from_tgk(&mut self, func: PrfFunc, hdr: &crate::wire::Hdr) {
        let Some(tgk) = self.tgk_in_kemac.clone() else { return };
        // A DH R_MESSAGE carries no RAND: the TEKs use the I_MESSAGE's (§4.1.3).
        let rand = self.rand().or_else(|| self.ctx.init.as_ref().map(|i| (i.rand.clone(), None)));
        let Some((rand, rand_range)) = rand else { return };
        let csb_range = self.field(PayloadKind::Hdr, "CSB ID");
        for cs in 1..=hdr.cs_map.cs_count() {
            for (kind, constant, len, name) in [
                (CalcKind::Tek, derive::C_TEK, 16usize, "TEK"),
                (CalcKind::TekSalt, derive::C_SP_SALT, 14usize, "SRTP master salt"),
            ] {
                let out = prf(
                    func,
                    &tgk,
                    &derive::session_label(constant, cs, hdr.csb_id, &rand),
                    len,
                    &mut Meter::new(),
                );
                self.calcs.push(prf_calc(
                    kind,
                    format!("{name} of crypto session {cs} from the TGK"),
                    "RFC 3830 §4.1.3",
                    func,
                    value("TGK", &tgk, None),
                    constant,
                    cs,
                    (hdr.csb_id, csb_range.clone()),
                    (&rand, rand_range.clone()),
                    name,
                    &out,
                ));
            }
        }
    }

    fn kcv(&mut self, func: PrfFunc, hdr: &crate::wire::Hdr) {
        let Some(kcv) = self.dmikey().and_then(|e| e.kcv) else { return };
        let tgk = self.ctx.tgk.as_ref().and_then(|t| t.value.clone());
        let Some(tgk) = tgk else { return };
        let Some(rand) = self.rand() else { return };
        let label = derive::message_label(derive::C_KCV, hdr.csb_id, &rand.0);
        let out = prf(func, &tgk, &label, derive::KCV_LEN, &mut Meter::new());
        let mut c = prf_calc(
            CalcKind::Kcv,
            "key-check value of the TGK (D-MIKEY extension)".into(),
            "docs/distributed-mode.md (PRF of RFC 3830 §4.1.2)",
            func,
            value("TGK", &tgk, None),
            derive::C_KCV,
            0xFF,
            (hdr.csb_id, self.field(PayloadKind::Hdr, "CSB ID")),
            (&rand.0, rand.1.clone()),
            "KCV",
            &out,
        );
        c.check = if out.as_slice() == kcv.as_slice() {
            Check::Ok("the KCV in the extension equals PRF(TGK, …)".into())
        } else {
            Check::Failed(format!(
                "the extension carries {}, the TGK gives {}",
                hex(&kcv),
                hex(&out)
            ))
        };
        self.calcs.push(c);
    }

    fn sign(&mut self, hdr: &crate::wire::Hdr) {
        let Some(s) =
            self.first(|p| if let Payload::Sign(s) = p { Some(s) } else { None }).cloned()
        else {
            if matches!(hdr.data_type, DataType::DhInit | DataType::DhResp | DataType::PkInit) {
                self.findings.push(finding(
                    Level::Error,
                    "RFC 3830 §3.2, §3.3",
                    "no SIGN payload: RFC 3830 requires this message to be signed, so nothing authenticates it",
                ));
            }
            return;
        };
        let Sign { stype, signature } = s;
        let covered_end = self.bytes.len().saturating_sub(signature.len());
        let covered = self.bytes.get(..covered_end).unwrap_or_default().to_vec();
        let cert = self
            .first(|p| if let Payload::Cert(c) = p { Some(c) } else { None })
            .map(|c| c.data.clone());
        let pss = stype == crate::wire::SignType::Pss;
        let mut calc = Calculation {
            kind: CalcKind::Signature,
            title: format!("SIGN ({})", stype.name()),
            rfc: "RFC 3830 §5.2, §6.5",
            inputs: vec![
                value(
                    format!(
                        "covered bytes 0..{covered_end} (every byte up to the signature, SIGN header included)"
                    ),
                    &covered,
                    Some(0..covered_end),
                ),
                value("signature", &signature, Some(covered_end..self.bytes.len())),
            ],
            formula: vec![format!(
                "verify {} with SHA-256 under the signer's public key (its CERT payload)",
                if pss { "RSASSA-PSS (MGF1-SHA-256, 32-byte salt)" } else { "RSASSA-PKCS1-v1_5" }
            )],
            output: value("verdict", b"", None),
            check: Check::NotChecked("no CERT payload names the signer's public key".into()),
            commands: Vec::new(),
        };
        if let Some(cert) = cert
            && let Some(key) = super::cert::public_key(&cert)
        {
            let pad = crate::mikey::pkix::sign_padding(stype);
            let ok = crate::crypto::rsa::verify(
                &key,
                pad,
                &covered,
                &signature,
                "signer",
                &mut Meter::new(),
            )
            .is_ok();
            calc.inputs.push(value("signer's certificate (CERT payload)", &cert, None));
            calc.output = value("verdict", if ok { &b"OK"[..] } else { &b"FAILED"[..] }, None);
            calc.check = if ok {
                Check::Ok("signature OK under the public key of the CERT payload".into())
            } else {
                Check::Failed(
                    "the signature does not verify under the public key of the CERT payload".into(),
                )
            };
            if ok {
                calc.commands = calc::signature_snippets(&cert, pss, &covered, &signature);
            }
        }
        self.calcs.push(calc);
    }

    fn v(&mut self, func: PrfFunc, hdr: &crate::wire::Hdr, envelope: Option<&[u8]>) {
        let Some(V { alg, data }) =
            self.first(|p| if let Payload::V(v) = p { Some(v) } else { None }).cloned()
        else {
            return;
        };
        let ver_range = self.field(PayloadKind::V, "Ver data");
        if alg == MacAlg::Null {
            self.findings.push(finding(
                Level::Warning,
                "RFC 3830 §6.9",
                "the V payload has a NULL MAC: it proves nothing",
            ));
            return;
        }
        let sha256 = alg == MacAlg::HmacSha256_256;
        let len = if sha256 { 32 } else { 20 };
        let Some(init) = self.ctx.init.clone() else {
            self.calcs.push(Calculation {
                kind: CalcKind::VMac,
                title: "V payload MAC".into(),
                rfc: "RFC 3830 §5.2",
                inputs: Vec::new(),
                formula: vec!["Ver data = HMAC(auth_key, M ‖ IDi ‖ IDr ‖ T)".into()],
                output: value("Ver data", &data, ver_range),
                check: Check::NotChecked(
                    "needs the RAND and IDi of the I_MESSAGE it answers (not in the input)".into(),
                ),
                commands: Vec::new(),
            });
            return;
        };
        let is_ri = self.ctx.kind == Some(MsgKind::RI)
            || self.dmikey().and_then(|e| e.role) == Some(MsgKind::RI);
        let rand = (init.rand.clone(), None);
        let auth = if is_ri {
            let Some(tgk) = self.ctx.tgk.as_ref().and_then(|t| t.value.clone()) else {
                self.findings.push(finding(
                    Level::Info,
                    "",
                    format!(
                        "R_I's V MAC is keyed by auth_key_RI from the TGK, which {} does not hold",
                        self.ctx.viewer
                    ),
                ));
                return;
            };
            let out = derive::auth_key_ri(func, &tgk, init.csb_id, &init.rand, &mut Meter::new());
            self.calcs.push(prf_calc(
                CalcKind::AuthKeyRi,
                "auth_key_RI from the TGK".into(),
                "docs/distributed-mode.md (PRF of RFC 3830 §4.1.2)",
                func,
                value("TGK", &tgk, None),
                derive::C_AUTH,
                0xFF,
                (init.csb_id, None),
                (&init.rand, None),
                "auth_key_RI",
                &out,
            ));
            out
        } else {
            let pk = matches!(hdr.data_type, DataType::PkVerify)
                || (hdr.data_type == DataType::Error && self.ctx.envelope.is_some());
            let (secret, name) = if pk {
                (
                    envelope.map(|e| Zeroizing::new(e.to_vec())),
                    self.ctx
                        .envelope
                        .as_ref()
                        .map_or("the envelope key".into(), |s| s.name.clone()),
                )
            } else {
                (
                    self.ctx.psk.as_ref().and_then(|s| s.value.clone()),
                    self.ctx.psk.as_ref().map_or("the PSK".into(), |s| s.name.clone()),
                )
            };
            let Some(secret) = secret else {
                self.findings.push(finding(
                    Level::Info,
                    "RFC 3830 §5.2",
                    format!(
                        "the V MAC is keyed by auth_key from {name}, which {} does not hold",
                        self.ctx.viewer
                    ),
                ));
                return;
            };
            self.derive_calc(
                CalcKind::AuthKey,
                func,
                &secret,
                if pk { "envelope key" } else { "PSK" },
                derive::C_AUTH,
                init.csb_id,
                &rand,
                len,
                "auth_key",
                format!("auth_key from {name} (with the I_MESSAGE's RAND)"),
            )
        };
        let m_end = self.bytes.len().saturating_sub(data.len());
        let m = self.bytes.get(..m_end).unwrap_or_default().to_vec();
        let id_r = init.id_r.clone().unwrap_or_else(|| {
            self.first(|p| if let Payload::Id(i) = p { Some(i) } else { None })
                .map(|i| i.data.clone())
                .unwrap_or_default()
        });
        let Some((t, t64)) = self.t64() else { return };
        let input = [m.as_slice(), &init.id_i, &id_r, &t64].concat();
        let mine = hmac(sha256, &auth, &input, len);
        // What it would verify as, if a nearby reading of §5.2 matches.
        let mut nearby: Vec<(&str, Vec<u8>)> = vec![(
            "over M ‖ T only, without the identities (as libmikey computes it)",
            [m.as_slice(), &t64].concat(),
        )];
        if let Timestamp::Counter(_) = t {
            nearby.push((
                "with the 4-byte COUNTER as sent instead of its 64-bit zero-extension",
                [m.as_slice(), &init.id_i, &id_r, &t.value_bytes()].concat(),
            ));
        }
        let mut alt_calc = None;
        let check = if mine == data {
            Check::Ok("MAC OK: the recomputed V MAC equals Ver data".into())
        } else if let Some((how, alt)) =
            nearby.iter().find(|(_, alt)| hmac(sha256, &auth, alt, len) == data)
        {
            self.findings.push(finding(
                Level::Warning,
                "RFC 3830 §5.2",
                format!("the V MAC does not verify as RFC 3830 §5.2 computes it (over M ‖ IDi ‖ IDr ‖ T); it verifies {how}"),
            ));
            alt_calc = Some(Calculation {
                kind: CalcKind::VMac,
                title: format!("V payload MAC {how}"),
                rfc: "RFC 3830 §5.2",
                inputs: vec![value("auth_key", &auth, None), value("MAC input", alt, None)],
                formula: vec![format!("Ver data = HMAC(auth_key, …) {how}")],
                output: value("V MAC", &data, ver_range.clone()),
                check: Check::Ok(format!("verifies {how}")),
                commands: calc::hmac_snippets(sha256, &auth, alt, &data),
            });
            Check::Failed(format!(
                "Ver data is {}, RFC 3830 §5.2 gives {}; it verifies {how}",
                hex(&data),
                hex(&mine)
            ))
        } else {
            Check::Failed(format!(
                "Ver data is {}, the recomputation gives {}",
                hex(&data),
                hex(&mine)
            ))
        };
        self.calcs.push(Calculation {
            kind: CalcKind::VMac,
            title: "V payload MAC".into(),
            rfc: "RFC 3830 §5.2",
            inputs: vec![
                value("auth_key", &auth, None),
                value(
                    format!("M: bytes 0..{m_end} (the message up to Ver data)"),
                    &m,
                    Some(0..m_end),
                ),
                value("IDi (the initiator's identity)", &init.id_i, None),
                match init.id_r {
                    Some(_) => value("IDr (the identity of this message's sender)", &id_r, None),
                    None => value(
                        "IDr (this message's ID data)",
                        &id_r,
                        self.field(PayloadKind::Id, "ID data"),
                    ),
                },
                value("T (64 bits)", &t64, self.field(PayloadKind::T, "TS value")),
                value("Ver data", &data, ver_range),
            ],
            formula: vec![format!(
                "Ver data = HMAC-{}(auth_key, M ‖ IDi ‖ IDr ‖ T)",
                if sha256 { "SHA-256" } else { "SHA-1" }
            )],
            output: value("V MAC", &mine, None),
            check,
            commands: calc::hmac_snippets(sha256, &auth, &input, &mine),
        });
        self.calcs.extend(alt_calc);
    }
}

fn hmac(sha256: bool, key: &[u8], data: &[u8], len: usize) -> Vec<u8> {
    use hmac::{Hmac, KeyInit, Mac};
    let full = if sha256 {
        match <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(data);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    } else {
        match <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(data);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    };
    full.into_iter().take(len).collect()
}

fn aes_ctr(key: &[u8; 16], iv: &[u8; 16], buf: &mut [u8]) {
    use ctr::cipher::{KeyIvInit, StreamCipher};
    let mut c = ctr::Ctr128BE::<aes::Aes128>::new(&(*key).into(), &(*iv).into());
    c.apply_keystream(buf);
}

fn ccm_open(
    p: KemacProfile,
    key: &[u8; 16],
    nonce: &[u8; 13],
    aad: &[u8],
    ct: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    use ccm::aead::{AeadInOut, KeyInit};
    use ccm::consts::{U8, U13, U16};
    let mut buf = ct.to_vec();
    let ok = match p {
        KemacProfile::AesCcm128Tag8 => {
            let c = ccm::Ccm::<aes::Aes128, U8, U13>::new(&(*key).into());
            let tag = ccm::aead::Tag::<ccm::Ccm<aes::Aes128, U8, U13>>::try_from(tag).ok()?;
            c.decrypt_inout_detached(&(*nonce).into(), aad, buf.as_mut_slice().into(), &tag).is_ok()
        }
        _ => {
            let c = ccm::Ccm::<aes::Aes128, U16, U13>::new(&(*key).into());
            let tag = ccm::aead::Tag::<ccm::Ccm<aes::Aes128, U16, U13>>::try_from(tag).ok()?;
            c.decrypt_inout_detached(&(*nonce).into(), aad, buf.as_mut_slice().into(), &tag).is_ok()
        }
    };
    ok.then_some(buf)
}
