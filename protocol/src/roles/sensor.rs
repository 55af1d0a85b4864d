//! The sensor, MIKEY Initiator I: draws the TGK, and either runs a standard mode with R or
//! splits the TGK into n shares and sends share i to TPi (I_TPi, one T_I for all: see
//! docs/distributed-mode.md, "What is copied, and one T_I"). It accepts TPi_I and R_I only for
//! its outstanding session and only once, checks that R_I proves knowledge of the TGK, derives
//! the TEK(s), and fails the session when its deadline passes without the answer it waits for.
//!
//! This file holds what every mode shares (the HDR, RAND and T of the session, its deadline
//! and state, the TEK derivation, ERR messages, timers); each mode keeps its own state and
//! its own messages in one file, as `mikey/` does: sensor/psk.rs, sensor/pk.rs, sensor/dh.rs,
//! sensor/distributed.rs.

mod dh;
mod distributed;
mod pk;
mod psk;

use zeroize::Zeroizing;

use super::keys::{RoleKeys, derive_teks, new_hdr, nonzero_u32};
use super::{
    Ctx, DerivedTek, Known, Mode, Node, Output, Pki, Role, RoleEvent, SensorClock, SessionConfig,
    SimTime,
};
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::error_msg;
use crate::mikey::pkix::RsaPublic;
use crate::sharing::Share;
use crate::wire::Timestamp;
use crate::wire::{DataType, Decoded, Hdr, Id, IdType, KeyData, KeyDataType, KeyValidity, MsgKind};

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

/// What a session has in every mode.
#[derive(Clone)]
struct Common {
    hdr: Hdr,
    rand: Vec<u8>,
    t_i: Timestamp,
    deadline: Option<SimTime>,
    state: SessionState,
}

/// The state only one mode has: one variant per mode, each with its own fields.
#[derive(Clone)]
enum ModeState {
    Psk(psk::Session),
    Pk(pk::Session),
    Dh(dh::Session),
    Distributed(distributed::Session),
}

impl ModeState {
    fn tgk(&self) -> Option<&[u8]> {
        match self {
            ModeState::Psk(s) => Some(&s.tgk),
            ModeState::Pk(s) => Some(&s.tgk),
            ModeState::Dh(s) => s.tgk.as_ref().map(|t| t.as_slice()),
            ModeState::Distributed(s) => Some(&s.tgk),
        }
    }

    /// The auth key under which an ERR from `from` may carry a V payload.
    fn err_auth_key(&self, from: Node) -> Option<Zeroizing<Vec<u8>>> {
        match (self, from) {
            (ModeState::Distributed(s), Node::Tp(i)) => s.tp_auth_key(i),
            (_, Node::Tp(_)) => None,
            (ModeState::Psk(s), _) => Some(s.keys.auth.clone()),
            (ModeState::Pk(s), _) => Some(s.keys.auth.clone()),
            (ModeState::Dh(_) | ModeState::Distributed(_), _) => None,
        }
    }
}

#[derive(Clone)]
struct Session {
    common: Common,
    mode: ModeState,
}

/// What a mode needs of the sensor to build its messages.
struct Me<'a> {
    cfg: &'a SessionConfig,
    k: &'a RoleKeys,
}

impl Me<'_> {
    fn id(&self) -> Id {
        Id { id_type: IdType::Nai, data: self.k.ids.sensor.clone() }
    }

    fn r_id(&self) -> Id {
        Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() }
    }

    fn rsa(&self) -> Result<&crate::mikey::pkix::RsaPrivate, Error> {
        self.k.key.as_ref().ok_or_else(|| Error::NotProvisioned { what: "sensor RSA key".into() })
    }

    /// The TGK as the Key data sub-payload of a standard-mode KEMAC.
    fn tgk_key(tgk: &[u8]) -> KeyData {
        KeyData { key_type: KeyDataType::Tgk, key: tgk.to_vec(), salt: None, kv: KeyValidity::Null }
    }
}

/// Fails unless an answer from R names R (standard-mode R_MESSAGE, R_I).
fn check_r_named(k: &RoleKeys, id_r: &[u8], label: &str) -> Result<(), Error> {
    if id_r == k.ids.responder.as_slice() {
        Ok(())
    } else {
        Err(Error::UnknownPeer { message: label.into(), id: String::from_utf8_lossy(id_r).into() })
    }
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
        self.session.as_ref().map_or(SessionState::Idle, |s| s.common.state)
    }

    /// The TGK this role holds for its current session (drawn, rebuilt or agreed), if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        self.session.as_ref().and_then(|s| s.mode.tgk())
    }

    /// The secret exponent x of the current Diffie–Hellman session (RFC 3830 §3.3): the
    /// sensor keeps its key pair for the session, so the inspector can show g^x and g^(xy).
    pub fn dh_exponent(&self) -> Option<&[u8]> {
        match self.session.as_ref().map(|s| &s.mode) {
            Some(ModeState::Dh(d)) => Some(d.pair.exponent()),
            _ => None,
        }
    }

    /// The TEKs (and salts) derived so far for the current session.
    pub fn teks(&self) -> &[DerivedTek] {
        &self.teks
    }

    /// The shares of the current distributed session (index 1..=n).
    pub fn shares(&self) -> &[Share] {
        match self.session.as_ref().map(|s| &s.mode) {
            Some(ModeState::Distributed(d)) => &d.shares,
            _ => &[],
        }
    }

    /// CSB ID and RAND of the current session.
    pub fn csb(&self) -> Option<(u32, &[u8])> {
        self.session.as_ref().map(|s| (s.common.hdr.csb_id, s.common.rand.as_slice()))
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
        let opt = self.cfg.optional;
        // HDR data type, its V flag (an answer is wanted), and whether the sensor waits for R.
        let (dt, v_flag, expect_r) = match self.cfg.mode {
            Mode::Distributed => (DataType::PskInit, opt.tp_i, opt.r_i),
            Mode::Psk => (DataType::PskInit, opt.r_i, opt.r_i),
            Mode::Pk => (DataType::PkInit, opt.r_i, opt.r_i),
            Mode::Dh => (DataType::DhInit, true, true),
        };
        let hdr = new_hdr(dt, v_flag, csb_id, ctx.rng);
        let common = Common {
            hdr,
            rand,
            t_i,
            deadline: expect_r.then(|| ctx.now.plus_ms(self.cfg.timing.sensor_timeout_ms)),
            state: SessionState::Waiting,
        };
        let me = Me { cfg: &self.cfg, k: &self.k };
        let (mode, send) = match self.cfg.mode {
            Mode::Distributed => {
                let (s, send) = distributed::start(&me, &common, expect_r, ctx)?;
                (ModeState::Distributed(s), send)
            }
            Mode::Psk => {
                let (s, send) = psk::start(&me, &common, ctx)?;
                (ModeState::Psk(s), vec![send])
            }
            Mode::Pk => {
                let (s, send) = pk::start(&me, &mut self.r_public, &common, ctx)?;
                (ModeState::Pk(s), vec![send])
            }
            Mode::Dh => {
                let (s, send) = dh::start(&me, &common, ctx)?;
                (ModeState::Dh(s), vec![send])
            }
        };
        let mut out = Output::event(RoleEvent::SessionStarted { csb_id });
        out.send = send;
        self.session = Some(Session { common, mode });
        if !expect_r {
            out.extend(self.finish(ctx));
        }
        Ok(out)
    }

    /// Derives the TEKs of the session and marks it done.
    fn finish(&mut self, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        let Some(s) = self.session.as_mut() else { return out };
        let Some(tgk) = s.mode.tgk() else { return out };
        self.teks = derive_teks(&s.common.hdr, tgk, &s.common.rand, ctx.meter);
        for t in &self.teks {
            out.events.push(RoleEvent::TekDerived { cs_id: t.cs_id });
        }
        s.common.state = SessionState::Done;
        s.common.deadline = None;
        out
    }

    /// The name of a message from `from` before it is decoded.
    fn guess_label(&self, from: Node) -> String {
        match from {
            Node::Tp(i) => format!("TP{i}_I"),
            Node::Responder => match self.cfg.mode {
                Mode::Distributed => "R_I".to_string(),
                Mode::Dh => "R_MESSAGE (DH)".to_string(),
                Mode::Pk => "R_MESSAGE (PK)".to_string(),
                Mode::Psk => "R_MESSAGE (PSK)".to_string(),
            },
            _ => "message to the sensor".to_string(),
        }
    }

    fn handle(
        &mut self,
        from: Node,
        msg: Result<&Decoded, &Error>,
        ctx: &mut Ctx,
    ) -> Result<Output, (String, Error)> {
        let guess = self.guess_label(from);
        let d = msg.map_err(|e| (guess.clone(), e.clone()))?;
        let dt = d.message.hdr.data_type;
        let with = |label: &str| {
            let label = label.to_string();
            move |e| (label, e)
        };
        // Answers from R complete the session; TPi_I only acknowledges a share.
        let passed = match (self.cfg.mode, dt) {
            (_, DataType::Error) => {
                return self.on_err(from, d, &guess, ctx).map_err(with(&guess));
            }
            (Mode::Distributed, DataType::PskVerify) => {
                match crate::mikey::distributed::role_of(&d.message) {
                    Some(MsgKind::RI) => distributed::on_r_i(&self.k, &mut self.session, d, ctx)
                        .map_err(with("R_I"))?,
                    Some(MsgKind::TpI) => {
                        return distributed::on_tp_i(&self.k, &mut self.session, d, &guess, ctx)
                            .map(Output::event);
                    }
                    _ => {
                        return Err((
                            guess.clone(),
                            Error::ExtensionTagMissing {
                                message: guess,
                                tag: "ROLE (TP_I or R_I)",
                            },
                        ));
                    }
                }
            }
            (Mode::Psk, DataType::PskVerify) | (Mode::Pk, DataType::PkVerify) => {
                psk::on_r_message(&self.k, &mut self.session, d, dt, &guess, ctx)
                    .map_err(with(&guess))?
            }
            (Mode::Dh, DataType::DhResp) => {
                dh::on_resp(&self.k, &mut self.session, d, &guess, ctx).map_err(with(&guess))?
            }
            _ => {
                return Err((
                    guess.clone(),
                    Error::UnexpectedMessage {
                        message: guess,
                        why: "the sensor does not accept this data type in its mode",
                    },
                ));
            }
        };
        let mut out = Output::event(passed);
        out.extend(self.finish(ctx));
        Ok(out)
    }

    fn on_err(
        &mut self,
        from: Node,
        d: &Decoded,
        label: &str,
        ctx: &mut Ctx,
    ) -> Result<Output, Error> {
        let label = format!("ERR ({label})");
        let p = error_msg::parse(d, &label)?;
        let mut authenticated = false;
        if p.has_v
            && let Some(s) = &self.session
        {
            let key = s.mode.err_auth_key(from);
            let id_r = match from {
                Node::Tp(i) => self.k.ids.tp(i).map(|d| d.to_vec()),
                _ => Some(self.k.ids.responder.clone()),
            };
            if let (Some(key), Some(id_r)) = (key, id_r) {
                authenticated = error_msg::verify(
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

/// The session an answer with CSB ID `csb_id` and echoed T `t` belongs to. A distributed
/// session still takes TPi_I once R_I made it done.
fn outstanding<'a>(
    session: &'a mut Option<Session>,
    label: &str,
    csb_id: u32,
    t: &Timestamp,
) -> Result<&'a mut Session, Error> {
    let s = session
        .as_mut()
        .filter(|s| {
            s.common.state == SessionState::Waiting
                || (s.common.state == SessionState::Done
                    && matches!(&s.mode, ModeState::Distributed(d) if !d.tps.is_empty()))
        })
        .ok_or_else(|| Error::NoOutstandingSession { message: label.to_string() })?;
    if s.common.hdr.csb_id != csb_id {
        return Err(Error::NoOutstandingSession { message: label.to_string() });
    }
    if s.common.t_i != *t {
        return Err(Error::EchoMismatch { message: label.to_string(), field: "timestamp T" });
    }
    Ok(s)
}

impl Role for Sensor {
    fn on_decoded(&mut self, from: Node, msg: Result<&Decoded, &Error>, ctx: &mut Ctx) -> Output {
        match self.handle(from, msg, ctx) {
            Ok(o) => o,
            Err((label, error)) => rejected(&label, error),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        if let Some(s) = self.session.as_mut()
            && s.common.state == SessionState::Waiting
            && s.common.deadline.is_some_and(|d| d <= ctx.now)
        {
            s.common.state = SessionState::Failed;
            s.common.deadline = None;
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
        self.session
            .as_ref()
            .filter(|s| s.common.state == SessionState::Waiting)
            .and_then(|s| s.common.deadline)
    }

    fn knowledge(&self) -> Vec<Known> {
        let mut k = self.k.knowledge("sensor");
        if let Some(s) = &self.session {
            if let Some(t) = s.mode.tgk() {
                k.push(Known { name: "TGK".into(), value: t.to_vec(), secret: true });
            }
            for sh in self.shares() {
                k.push(Known {
                    name: format!("share {}", sh.index),
                    value: sh.data.clone(),
                    secret: true,
                });
            }
            if let ModeState::Pk(p) = &s.mode {
                k.push(Known {
                    name: "envelope key".into(),
                    value: p.env_key.to_vec(),
                    secret: true,
                });
            }
            k.push(Known { name: "RAND".into(), value: s.common.rand.clone(), secret: false });
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
