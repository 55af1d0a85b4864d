//! The sensor, MIKEY Initiator I: draws the TGK, and either runs a standard mode with R or
//! splits the TGK into n shares and sends share i to TPi (I_TPi, one T_I for all, D5). It
//! accepts TPi_I and R_I only for its outstanding session and only once, checks that R_I
//! proves knowledge of the TGK, derives the TEK(s), and fails the session when its deadline
//! passes without the answer it waits for.

use zeroize::Zeroizing;

use super::keys::{RoleKeys, derive_teks, new_hdr, nonzero_u32, srtp_policy};
use super::{
    Ctx, DerivedTek, Known, Mode, MsgKind, Node, Outgoing, Output, Pki, Role, RoleEvent,
    SensorClock, SessionConfig, SimTime,
};
use crate::crypto::derive::{self, MessageKeys};
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::core::{crypto_prf, decode};
use crate::mikey::distributed::{self, ITp, ShareMeta};
use crate::mikey::pk::{self, PkInit, PkKeys};
use crate::mikey::pkix::{self, DhKeyPair, RsaPublic};
use crate::mikey::{dh, error_msg, psk};
use crate::sharing::{self, Share};
use crate::wire::genext::Role as ExtRole;
use crate::wire::{
    Cert, CertType, DataType, Hdr, Id, IdType, KeyData, KeyDataType, KeyValidity, Timestamp,
};

/// Where the sensor's session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    /// No session started yet.
    Idle,
    /// Messages sent, waiting for an answer.
    Waiting,
    /// The TEK is derived and (if asked) R proved it holds the TGK.
    Done,
    /// The deadline passed without the answer.
    Failed,
}

#[derive(Clone)]
struct Session {
    hdr: Hdr,
    rand: Vec<u8>,
    t_i: Timestamp,
    tgk: Option<Zeroizing<Vec<u8>>>,
    shares: Vec<Share>,
    /// Message keys per TP (auth key checks TPi_I), index i-1.
    tp_keys: Vec<MessageKeys>,
    tp_answered: Vec<bool>,
    /// Message keys of the standard-mode I_MESSAGE (auth key checks R's V).
    r_keys: Option<MessageKeys>,
    env_key: Option<Zeroizing<Vec<u8>>>,
    dh: Option<std::sync::Arc<DhKeyPair>>,
    expect_r: bool,
    r_answered: bool,
    deadline: Option<SimTime>,
    state: SessionState,
}

/// The sensor role.
#[derive(Clone)]
pub struct Sensor {
    cfg: SessionConfig,
    k: RoleKeys,
    counter: u32,
    r_public: Option<RsaPublic>,
    session: Option<Session>,
    teks: Vec<DerivedTek>,
}

fn rejected(label: &str, error: Error) -> Output {
    Output::event(RoleEvent::Rejected { label: label.to_string(), error })
}

impl Sensor {
    /// A sensor provisioned from `pki` for sessions configured by `cfg`.
    pub fn new(cfg: &SessionConfig, pki: &Pki) -> Result<Sensor, Error> {
        cfg.validate()?;
        if cfg.mode == Mode::Distributed && pki.tps() < cfg.n {
            return Err(Error::NotProvisioned {
                what: format!(
                    "the sensor has PSKs for {} TPs, the session needs {}",
                    pki.tps(),
                    cfg.n
                ),
            });
        }
        let k = RoleKeys::for_node(pki, Node::Sensor)?;
        if matches!(cfg.mode, Mode::Pk | Mode::Dh) && k.key.is_none() {
            return Err(Error::NotProvisioned {
                what: "the sensor has no RSA key and certificate (provision for the PK or DH mode)"
                    .into(),
            });
        }
        Ok(Sensor {
            cfg: cfg.clone(),
            k,
            counter: 0,
            r_public: None,
            session: None,
            teks: Vec::new(),
        })
    }

    /// Where the current session stands.
    pub fn state(&self) -> SessionState {
        self.session.as_ref().map_or(SessionState::Idle, |s| s.state)
    }

    /// The TGK this role holds for its current session (drawn, rebuilt or agreed), if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        self.session.as_ref().and_then(|s| s.tgk.as_ref()).map(|t| t.as_slice())
    }

    /// The TEKs (and salts) derived so far for the current session.
    pub fn teks(&self) -> &[DerivedTek] {
        &self.teks
    }

    /// The shares of the current distributed session (index 1..=n).
    pub fn shares(&self) -> &[Share] {
        self.session.as_ref().map_or(&[], |s| s.shares.as_slice())
    }

    /// CSB ID and RAND of the current session.
    pub fn csb(&self) -> Option<(u32, &[u8])> {
        self.session.as_ref().map(|s| (s.hdr.csb_id, s.rand.as_slice()))
    }

    fn timestamp(&mut self, now: SimTime) -> Timestamp {
        match self.cfg.sensor_clock {
            SensorClock::Ntp => Timestamp::NtpUtc(now.ntp()),
            SensorClock::Counter => {
                self.counter = self.counter.wrapping_add(1);
                Timestamp::Counter(self.counter)
            }
        }
    }

    fn id(&self) -> Id {
        Id { id_type: IdType::Nai, data: self.k.ids.sensor.clone() }
    }

    fn r_id(&self) -> Id {
        Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() }
    }

    /// Starts a session: sends the first message(s) of the configured mode.
    pub fn start(&mut self, ctx: &mut Ctx) -> Output {
        match self.try_start(ctx) {
            Ok(o) => o,
            Err(error) => Output::event(RoleEvent::SessionFailed { error }),
        }
    }

    fn try_start(&mut self, ctx: &mut Ctx) -> Result<Output, Error> {
        self.teks.clear();
        let csb_id = nonzero_u32(ctx.rng);
        let rand = rng::bytes(ctx.rng, 16);
        let t_i = self.timestamp(ctx.now);
        let v_flag = match self.cfg.mode {
            Mode::Distributed => self.cfg.optional.tp_i,
            Mode::Psk | Mode::Pk => self.cfg.optional.r_i,
            Mode::Dh => true,
        };
        let dt = match self.cfg.mode {
            Mode::Psk | Mode::Distributed => DataType::PskInit,
            Mode::Pk => DataType::PkInit,
            Mode::Dh => DataType::DhInit,
        };
        let hdr = new_hdr(dt, v_flag, csb_id, ctx.rng);
        let expect_r = match self.cfg.mode {
            Mode::Distributed | Mode::Psk | Mode::Pk => self.cfg.optional.r_i,
            Mode::Dh => true,
        };
        let mut s = Session {
            hdr: hdr.clone(),
            rand: rand.clone(),
            t_i,
            tgk: None,
            shares: Vec::new(),
            tp_keys: Vec::new(),
            tp_answered: Vec::new(),
            r_keys: None,
            env_key: None,
            dh: None,
            expect_r,
            r_answered: false,
            deadline: expect_r.then(|| ctx.now.plus_ms(self.cfg.timing.sensor_timeout_ms)),
            state: SessionState::Waiting,
        };
        let mut out = Output::event(RoleEvent::SessionStarted { csb_id });
        let tgk_key = |tgk: &[u8]| KeyData {
            key_type: KeyDataType::Tgk,
            key: tgk.to_vec(),
            salt: None,
            kv: KeyValidity::Null,
        };
        match self.cfg.mode {
            Mode::Distributed => {
                let scheme = self.cfg.scheme.ok_or(Error::NoSchemeChosen)?;
                let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
                let shares = sharing::split(scheme, &tgk, self.cfg.n, self.cfg.k, ctx.rng)?;
                let kcv = derive::kcv(crypto_prf(hdr.prf), &tgk, csb_id, &rand, ctx.meter);
                for sh in &shares {
                    let i = sh.index;
                    let psk = self.k.psk_tp(i)?;
                    let tp_id = self
                        .k
                        .ids
                        .tp(i)
                        .map(|d| Id { id_type: IdType::Nai, data: d.to_vec() })
                        .ok_or_else(|| Error::NotProvisioned {
                            what: format!("no identity for TP{i}"),
                        })?;
                    let m = ITp {
                        hdr: hdr.clone(),
                        t_i,
                        rand: rand.clone(),
                        sensor_id: self.id(),
                        tp_id,
                        sp: vec![srtp_policy()],
                        meta: ShareMeta {
                            scheme,
                            k: self.cfg.k,
                            n: self.cfg.n,
                            index: i,
                            secret_len: 16,
                            kcv,
                        },
                        final_r_id: self.r_id(),
                    };
                    let (bytes, keys) =
                        distributed::build_i_tp(&m, &sh.data, psk, self.cfg.kemac, ctx.meter)?;
                    s.tp_keys.push(keys);
                    s.tp_answered.push(false);
                    out.send.push(Outgoing {
                        to: Node::Tp(i),
                        kind: MsgKind::ITp,
                        label: format!("I_TP{i}"),
                        bytes,
                    });
                }
                s.shares = shares;
                s.tgk = Some(tgk);
            }
            Mode::Psk => {
                let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
                let c = psk::PskInit {
                    hdr: hdr.clone(),
                    t: t_i,
                    rand: rand.clone(),
                    id_i: Some(self.id()),
                    id_r: Some(self.r_id()),
                    sp: vec![srtp_policy()],
                    ext: None,
                };
                let (bytes, keys) = psk::build_init(
                    &c,
                    &self.k.psk_r,
                    &[tgk_key(&tgk)],
                    self.cfg.kemac,
                    ctx.meter,
                )?;
                s.r_keys = Some(keys);
                s.tgk = Some(tgk);
                out.send.push(Outgoing {
                    to: Node::Responder,
                    kind: MsgKind::PskInit,
                    label: "I_MESSAGE (PSK)".into(),
                    bytes,
                });
            }
            Mode::Pk => {
                let r_public = self.r_public(ctx)?;
                let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
                let env_key = Zeroizing::new(rng::bytes(ctx.rng, 16));
                let key = self
                    .k
                    .key
                    .as_ref()
                    .ok_or_else(|| Error::NotProvisioned { what: "sensor RSA key".into() })?;
                let c = PkInit {
                    hdr: hdr.clone(),
                    t: t_i,
                    rand: rand.clone(),
                    certs: vec![Cert {
                        cert_type: CertType::X509v3Sign,
                        data: self.k.cert.clone(),
                    }],
                    id_r: Some(self.r_id()),
                    sp: vec![srtp_policy()],
                    ext: None,
                    chash: None,
                };
                let keys = PkKeys {
                    env_key: &env_key,
                    responder: &r_public,
                    pke: self.cfg.pke,
                    signer: key,
                    sign: self.cfg.sign,
                };
                let (bytes, mk) =
                    pk::build_init(&c, &self.id(), &[tgk_key(&tgk)], &keys, ctx.rng, ctx.meter)?;
                s.r_keys = Some(mk);
                s.env_key = Some(env_key);
                s.tgk = Some(tgk);
                out.send.push(Outgoing {
                    to: Node::Responder,
                    kind: MsgKind::PkInit,
                    label: "I_MESSAGE (PK)".into(),
                    bytes,
                });
            }
            Mode::Dh => {
                let pair = pkix::dh_generate(ctx.rng, ctx.meter)?;
                let key = self
                    .k
                    .key
                    .as_ref()
                    .ok_or_else(|| Error::NotProvisioned { what: "sensor RSA key".into() })?;
                let c = dh::DhInit {
                    hdr: hdr.clone(),
                    t: t_i,
                    rand: rand.clone(),
                    cert_i: self.k.cert.clone(),
                    id_r: Some(self.r_id()),
                    sp: vec![srtp_policy()],
                    dh_i: pkix::dh_public(&pair),
                };
                let bytes = dh::build_init(&c, key, self.cfg.sign, ctx.rng, ctx.meter)?;
                s.dh = Some(std::sync::Arc::new(pair));
                out.send.push(Outgoing {
                    to: Node::Responder,
                    kind: MsgKind::DhInit,
                    label: "I_MESSAGE (DH)".into(),
                    bytes,
                });
            }
        }
        let derive_now = !s.expect_r;
        self.session = Some(s);
        if derive_now {
            out.extend(self.finish(ctx));
        }
        for o in &out.send {
            ctx.meter.bytes_sent += o.bytes.len() as u64;
        }
        Ok(out)
    }

    fn r_public(&mut self, ctx: &mut Ctx) -> Result<RsaPublic, Error> {
        if let Some(k) = &self.r_public {
            return Ok(k.clone());
        }
        let vc = pkix::verify_cert(
            &self.k.r_cert,
            &self.k.ca_cert,
            ctx.now.unix_secs(),
            "R",
            pkix::CertRole::Responder,
            ctx.meter,
        )?;
        let key = pkix::cert_public_key(&vc);
        self.r_public = Some(key.clone());
        Ok(key)
    }

    /// Derives the TEKs of the session and marks it done.
    fn finish(&mut self, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        let Some(s) = self.session.as_mut() else { return out };
        let Some(tgk) = s.tgk.as_ref() else { return out };
        self.teks = derive_teks(&s.hdr, tgk, &s.rand, ctx.meter);
        for t in &self.teks {
            out.events.push(RoleEvent::TekDerived { cs_id: t.cs_id });
        }
        s.state = SessionState::Done;
        s.deadline = None;
        out
    }

    fn outstanding(&self, label: &str, csb_id: u32, t: &Timestamp) -> Result<&Session, Error> {
        let s = self
            .session
            .as_ref()
            .filter(|s| {
                s.state == SessionState::Waiting
                    || (s.state == SessionState::Done && !s.tp_keys.is_empty())
            })
            .ok_or_else(|| Error::NoOutstandingSession { message: label.to_string() })?;
        if s.hdr.csb_id != csb_id {
            return Err(Error::NoOutstandingSession { message: label.to_string() });
        }
        if s.t_i != *t {
            return Err(Error::EchoMismatch { message: label.to_string(), field: "timestamp T" });
        }
        Ok(s)
    }

    fn handle(
        &mut self,
        from: Node,
        bytes: &[u8],
        ctx: &mut Ctx,
    ) -> Result<Output, (String, Error)> {
        let guess = match from {
            Node::Tp(i) => format!("TP{i}_I"),
            Node::Responder => match self.cfg.mode {
                Mode::Distributed => "R_I".to_string(),
                Mode::Dh => "R_MESSAGE (DH)".to_string(),
                Mode::Pk => "R_MESSAGE (PK)".to_string(),
                Mode::Psk => "R_MESSAGE (PSK)".to_string(),
            },
            _ => "message to the sensor".to_string(),
        };
        let d = decode(bytes).map_err(|e| (guess.clone(), e))?;
        let dt = d.message.hdr.data_type;
        match (self.cfg.mode, dt) {
            (_, DataType::Error) => self.on_err(from, bytes, &guess, ctx).map_err(|e| (guess, e)),
            (Mode::Distributed, DataType::PskVerify) => match distributed::role_of(bytes) {
                Some(ExtRole::RI) => self.on_r_i(bytes, ctx).map_err(|e| ("R_I".into(), e)),
                Some(ExtRole::TpI) => self.on_tp_i(bytes, &guess, ctx),
                _ => Err((
                    guess.clone(),
                    Error::ExtensionTagMissing { message: guess, tag: "ROLE (TP_I or R_I)" },
                )),
            },
            (Mode::Psk, DataType::PskVerify) | (Mode::Pk, DataType::PkVerify) => {
                self.on_r_message(bytes, dt, &guess, ctx).map_err(|e| (guess, e))
            }
            (Mode::Dh, DataType::DhResp) => {
                self.on_dh_resp(bytes, &guess, ctx).map_err(|e| (guess, e))
            }
            _ => Err((
                guess.clone(),
                Error::UnexpectedMessage {
                    message: guess,
                    why: "the sensor does not accept this data type in its mode",
                },
            )),
        }
    }

    fn on_r_i(&mut self, bytes: &[u8], ctx: &mut Ctx) -> Result<Output, Error> {
        let label = "R_I";
        let p = distributed::parse_ver(bytes, DataType::PskVerify, ExtRole::RI, label)?;
        if p.id_r.data != self.k.ids.responder {
            return Err(Error::UnknownPeer {
                message: label.into(),
                id: String::from_utf8_lossy(&p.id_r.data).into(),
            });
        }
        let s = self.outstanding(label, p.v.hdr.csb_id, &p.v.t)?;
        if !s.expect_r {
            return Err(Error::UnexpectedMessage {
                message: label.into(),
                why: "the sensor did not ask for R_I",
            });
        }
        if s.r_answered {
            return Err(Error::AlreadyAnswered { message: label.into() });
        }
        let tgk =
            s.tgk.as_ref().ok_or_else(|| Error::NoOutstandingSession { message: label.into() })?;
        let auth =
            derive::auth_key_ri(crypto_prf(s.hdr.prf), tgk, s.hdr.csb_id, &s.rand, ctx.meter);
        psk::check_verify(bytes, &p.v, &auth, &self.k.ids.sensor, &p.id_r.data, label, ctx.meter)?;
        if let Some(s) = self.session.as_mut() {
            s.r_answered = true;
        }
        let used = p.ext.used_indices.clone().unwrap_or_default();
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("R_I: R proved it rebuilt the TGK (from shares {used:?})"),
        });
        out.extend(self.finish(ctx));
        Ok(out)
    }

    fn on_tp_i(
        &mut self,
        bytes: &[u8],
        guess: &str,
        ctx: &mut Ctx,
    ) -> Result<Output, (String, Error)> {
        let p = distributed::parse_ver(bytes, DataType::PskVerify, ExtRole::TpI, guess)
            .map_err(|e| (guess.to_string(), e))?;
        let Some(Node::Tp(i)) = self.k.ids.node_of(&p.id_r.data) else {
            return Err((
                guess.to_string(),
                Error::UnknownPeer {
                    message: guess.to_string(),
                    id: String::from_utf8_lossy(&p.id_r.data).into(),
                },
            ));
        };
        let label = format!("TP{i}_I");
        let res = (|| {
            let s = self.outstanding(&label, p.v.hdr.csb_id, &p.v.t)?;
            let idx = usize::from(i).saturating_sub(1);
            if !s.hdr.v_flag {
                return Err(Error::UnexpectedMessage {
                    message: label.clone(),
                    why: "the sensor did not ask for TPi_I (V = 0)",
                });
            }
            if s.tp_answered.get(idx).copied().unwrap_or(true) {
                return Err(Error::AlreadyAnswered { message: label.clone() });
            }
            let keys = s
                .tp_keys
                .get(idx)
                .ok_or_else(|| Error::NoOutstandingSession { message: label.clone() })?;
            psk::check_verify(
                bytes,
                &p.v,
                &keys.auth,
                &self.k.ids.sensor,
                &p.id_r.data,
                &label,
                ctx.meter,
            )?;
            if let Some(flag) = self.session.as_mut().and_then(|s| s.tp_answered.get_mut(idx)) {
                *flag = true;
            }
            Ok(Output::event(RoleEvent::VerificationPassed {
                what: format!("{label}: TP{i} received its share"),
            }))
        })();
        res.map_err(|e| (label, e))
    }

    fn on_r_message(
        &mut self,
        bytes: &[u8],
        dt: DataType,
        label: &str,
        ctx: &mut Ctx,
    ) -> Result<Output, Error> {
        let p = psk::parse_verify(bytes, dt, label)?;
        let id_r =
            p.id_r.as_ref().map(|i| i.data.clone()).unwrap_or_else(|| self.k.ids.responder.clone());
        if id_r != self.k.ids.responder {
            return Err(Error::UnknownPeer {
                message: label.into(),
                id: String::from_utf8_lossy(&id_r).into(),
            });
        }
        let s = self.outstanding(label, p.hdr.csb_id, &p.t)?;
        if s.r_answered || s.state == SessionState::Done {
            return Err(Error::AlreadyAnswered { message: label.into() });
        }
        let keys = s
            .r_keys
            .as_ref()
            .ok_or_else(|| Error::NoOutstandingSession { message: label.into() })?;
        psk::check_verify(bytes, &p, &keys.auth, &self.k.ids.sensor, &id_r, label, ctx.meter)?;
        if let Some(s) = self.session.as_mut() {
            s.r_answered = true;
        }
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: R received the TGK"),
        });
        out.extend(self.finish(ctx));
        Ok(out)
    }

    fn on_dh_resp(&mut self, bytes: &[u8], label: &str, ctx: &mut Ctx) -> Result<Output, Error> {
        let p = dh::parse_resp(bytes, label)?;
        let s = self.outstanding(label, p.content.hdr.csb_id, &p.content.t)?;
        if s.r_answered || s.state == SessionState::Done {
            return Err(Error::AlreadyAnswered { message: label.into() });
        }
        let vc = pkix::verify_cert(
            &p.content.cert_r,
            &self.k.ca_cert,
            ctx.now.unix_secs(),
            "R",
            pkix::CertRole::Responder,
            ctx.meter,
        )?;
        if pkix::cert_subject(&vc) != self.k.ids.responder.as_slice() {
            return Err(Error::SignerWrongRole {
                message: label.into(),
                expected: "the responder R",
            });
        }
        crate::mikey::pk::verify_sign(
            bytes,
            &p.decoded,
            &pkix::cert_public_key(&vc),
            "R",
            ctx.meter,
        )?;
        if p.content.id_i.data != self.k.ids.sensor {
            return Err(Error::EchoMismatch { message: label.into(), field: "IDi" });
        }
        let pair =
            s.dh.as_ref().ok_or_else(|| Error::NoOutstandingSession { message: label.into() })?;
        if p.content.dh_i != pkix::dh_public(pair) {
            return Err(Error::EchoMismatch { message: label.into(), field: "DHi" });
        }
        let tgk = pkix::dh_shared(pair, &p.content.dh_r, label, ctx.meter)?;
        if let Some(s) = self.session.as_mut() {
            s.r_answered = true;
            s.tgk = Some(tgk);
        }
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: R's signature and certificate"),
        });
        out.extend(self.finish(ctx));
        Ok(out)
    }

    fn on_err(
        &mut self,
        from: Node,
        bytes: &[u8],
        label: &str,
        ctx: &mut Ctx,
    ) -> Result<Output, Error> {
        let label = format!("ERR ({label})");
        let p = error_msg::parse(bytes, &label)?;
        let mut authenticated = false;
        if p.has_v
            && let Some(s) = &self.session
        {
            let (key, id_r) = match from {
                Node::Tp(i) => (
                    s.tp_keys.get(usize::from(i).saturating_sub(1)).map(|k| k.auth.clone()),
                    self.k.ids.tp(i).map(|d| d.to_vec()),
                ),
                _ => {
                    (s.r_keys.as_ref().map(|k| k.auth.clone()), Some(self.k.ids.responder.clone()))
                }
            };
            if let (Some(key), Some(id_r)) = (key, id_r) {
                authenticated = error_msg::verify(
                    bytes,
                    &p,
                    error_msg::ErrAuth { auth_key: &key, id_i: &self.k.ids.sensor, id_r: &id_r },
                    &label,
                    ctx.meter,
                )
                .is_ok();
            }
        }
        Ok(Output::event(RoleEvent::ErrorReceived {
            from: from.label(),
            code: p.code.to_u8(),
            authenticated,
        }))
    }
}

impl Role for Sensor {
    fn on_message(&mut self, from: Node, bytes: &[u8], ctx: &mut Ctx) -> Output {
        ctx.meter.bytes_received += bytes.len() as u64;
        match self.handle(from, bytes, ctx) {
            Ok(o) => o,
            Err((label, error)) => rejected(&label, error),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        if let Some(s) = self.session.as_mut()
            && s.state == SessionState::Waiting
            && s.deadline.is_some_and(|d| d <= ctx.now)
        {
            s.state = SessionState::Failed;
            s.deadline = None;
            let what = match self.cfg.mode {
                Mode::Distributed => "R_I (proof that R rebuilt the TGK)".to_string(),
                _ => "R's response".to_string(),
            };
            out.events.push(RoleEvent::TimedOut { what: what.clone() });
            out.events.push(RoleEvent::SessionFailed { error: Error::SessionTimedOut { what } });
        }
        out
    }

    fn next_deadline(&self) -> Option<SimTime> {
        self.session.as_ref().filter(|s| s.state == SessionState::Waiting).and_then(|s| s.deadline)
    }

    fn knowledge(&self) -> Vec<Known> {
        let mut k = self.k.knowledge("sensor");
        if let Some(s) = &self.session {
            if let Some(t) = &s.tgk {
                k.push(Known { name: "TGK".into(), value: t.to_vec(), secret: true });
            }
            for sh in &s.shares {
                k.push(Known {
                    name: format!("share {}", sh.index),
                    value: sh.data.clone(),
                    secret: true,
                });
            }
            if let Some(e) = &s.env_key {
                k.push(Known { name: "envelope key".into(), value: e.to_vec(), secret: true });
            }
            k.push(Known { name: "RAND".into(), value: s.rand.clone(), secret: false });
        }
        for t in &self.teks {
            k.push(Known {
                name: format!("TEK (CS {})", t.cs_id),
                value: t.tek.to_vec(),
                secret: true,
            });
            k.push(Known {
                name: format!("SRTP salt (CS {})", t.cs_id),
                value: t.salt.to_vec(),
                secret: true,
            });
        }
        k
    }
}
