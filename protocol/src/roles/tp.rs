//! Third party TPi: opens I_TPi as a standard RFC 3830 PSK responder (timestamp window or
//! counter, replay cache, MAC, decryption), optionally answers with TPi_I, and forwards its
//! share to R in TPi_R (public-key mode: fresh envelope key, its own signature and
//! certificate, CSB ID / RAND / SP / PRF / #CS copied verbatim: docs/distributed-mode.md, "What is copied, and one T_I"). A malicious TP (see
//! [`MaliciousKind`]) lies in its TPi_R, still validly signed. It checks R_TPi when R answers.

use zeroize::Zeroizing;

use super::keys::RoleKeys;
use super::{
    Ctx, Known, MsgKind, Node, Outgoing, Output, Pki, Role, RoleEvent, SessionConfig, SimTime,
};
use crate::crypto::derive;
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::core::crypto_prf;
use crate::mikey::distributed::{self, ShareMeta, TpR};
use crate::mikey::error_msg;
use crate::mikey::pk::PkKeys;
use crate::mikey::pkix::{self, RsaPublic};
use crate::replay::{self, ReplayCache, check_window};
use crate::sharing::{self, Scheme};
use crate::wire::{DataType, Decoded, ErrorNo, Hdr, Id, IdType, Timestamp};

/// How a malicious third party lies in its TPi_R (always validly signed with its own key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaliciousKind {
    /// Its share with random bits flipped.
    WrongShare,
    /// A TGK of its own: K = 1, the share of that TGK and its key-check value.
    OwnTgk,
    /// Its true share under other metadata: a key-check value of no TGK (K and N are
    /// caught by R's policy; a foreign KCV is the field only the sensor can vouch for).
    BogusMeta,
    /// Its true share under another TP's index (the next TP's).
    StealIndex,
}

impl MaliciousKind {
    /// Every kind, in the order the UI lists them (the first is the default).
    pub const ALL: [MaliciousKind; 4] = [
        MaliciousKind::WrongShare,
        MaliciousKind::OwnTgk,
        MaliciousKind::BogusMeta,
        MaliciousKind::StealIndex,
    ];

    /// Its name on the command line and in links: `wrong-share`, `own-tgk`, `bogus-meta`,
    /// `steal-index`.
    pub fn cli_name(self) -> &'static str {
        match self {
            MaliciousKind::WrongShare => "wrong-share",
            MaliciousKind::OwnTgk => "own-tgk",
            MaliciousKind::BogusMeta => "bogus-meta",
            MaliciousKind::StealIndex => "steal-index",
        }
    }

    /// The kind a command-line name names.
    pub fn from_cli_name(name: &str) -> Option<MaliciousKind> {
        MaliciousKind::ALL.into_iter().find(|k| k.cli_name() == name)
    }

    /// A short name for a menu.
    pub fn name(self) -> &'static str {
        match self {
            MaliciousKind::WrongShare => "Wrong share",
            MaliciousKind::OwnTgk => "Own TGK",
            MaliciousKind::BogusMeta => "Bogus metadata",
            MaliciousKind::StealIndex => "Steal an index",
        }
    }

    /// One line saying what the TP does.
    pub fn description(self) -> &'static str {
        match self {
            MaliciousKind::WrongShare => "sends its share with bits flipped, validly signed",
            MaliciousKind::OwnTgk => {
                "claims K = 1 and sends a TGK of its own with that TGK's key-check value"
            }
            MaliciousKind::BogusMeta => "sends its true share under a false key-check value",
            MaliciousKind::StealIndex => "sends its true share under the next TP's index",
        }
    }
}

#[derive(Clone)]
struct Forwarded {
    csb_id: u32,
    t_p: Timestamp,
    auth: Zeroizing<Vec<u8>>,
    answered: bool,
}

/// The third-party role TPi.
#[derive(Clone)]
pub struct ThirdParty {
    index: u8,
    cfg: SessionConfig,
    k: RoleKeys,
    malicious: Option<MaliciousKind>,
    r_public: Option<RsaPublic>,
    last_counter: Option<u32>,
    replay: ReplayCache,
    forwarded: Vec<Forwarded>,
    shares_seen: Vec<(u8, Zeroizing<Vec<u8>>)>,
    env_keys: Vec<Zeroizing<Vec<u8>>>,
}

impl ThirdParty {
    /// TP number `index` (1..=n) provisioned from `pki`.
    pub fn new(cfg: &SessionConfig, pki: &Pki, index: u8) -> Result<ThirdParty, Error> {
        if index == 0 || index > pki.tps() {
            return Err(Error::NotProvisioned {
                what: format!("TP{index} is not in the PKI ({} TPs)", pki.tps()),
            });
        }
        let k = RoleKeys::for_node(pki, Node::Tp(index))?;
        Ok(ThirdParty {
            index,
            cfg: cfg.clone(),
            k,
            malicious: None,
            r_public: None,
            last_counter: None,
            replay: ReplayCache::default(),
            forwarded: Vec::new(),
            shares_seen: Vec::new(),
            env_keys: Vec::new(),
        })
    }

    /// This TP's number.
    pub fn index(&self) -> u8 {
        self.index
    }

    /// Makes this TP lie in every TPi_R from now on (`None`: honest again).
    pub fn set_malicious(&mut self, kind: Option<MaliciousKind>) {
        self.malicious = kind;
    }

    /// Whether this TP is malicious.
    pub fn is_malicious(&self) -> bool {
        self.malicious.is_some()
    }

    /// How this TP lies, if it does.
    pub fn malicious(&self) -> Option<MaliciousKind> {
        self.malicious
    }

    /// The shares this TP has seen in the clear (index, bytes) — what a compromise reveals.
    pub fn shares_seen(&self) -> Vec<(u8, Vec<u8>)> {
        self.shares_seen.iter().map(|(i, s)| (*i, s.to_vec())).collect()
    }

    fn my_id(&self) -> &[u8] {
        self.k.ids.tp(self.index).unwrap_or_default()
    }

    fn r_public(&mut self, ctx: &mut Ctx) -> Result<RsaPublic, Error> {
        let (r_cert, ca_cert) = (&self.k.r_cert, &self.k.ca_cert);
        pkix::responder_key(&mut self.r_public, r_cert, ca_cert, ctx.now.unix_secs(), ctx.meter)
    }

    fn on_i_tp(&mut self, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let i = self.index;
        let label = format!("I_TP{i}");
        let p = distributed::parse_i_tp(d, &label)?;
        if p.tp_id.data != self.my_id() {
            return Err(Error::NotAddressedToMe {
                message: label,
                id: String::from_utf8_lossy(&p.tp_id.data).into(),
            });
        }
        if p.sensor_id.data != self.k.ids.sensor {
            return Err(Error::UnknownPeer {
                message: label,
                id: String::from_utf8_lossy(&p.sensor_id.data).into(),
            });
        }
        let t = p.init.content.t;
        let csb_id = p.init.content.hdr.csb_id;
        // 1. timestamp window / counter, replay cache (RFC 3830 §5.4)
        if let Timestamp::Counter(c) = t {
            if let Some(last) = self.last_counter
                && c <= last
            {
                return Err(Error::CounterNotIncreasing {
                    peer: "the sensor".into(),
                    last,
                    got: c,
                });
            }
        } else {
            check_window(&t, ctx.now, self.cfg.timing.window_s, &label)?;
        }
        let key = ReplayCache::key(&p.sensor_id.data, csb_id, &t);
        self.replay.check(&key, ctx.now, &label)?;
        // 2. MAC, then decryption
        let psk = self.k.own_psk()?.to_vec();
        let (keys, share) = distributed::open_i_tp(&p, &psk, self.cfg.kemac, &label, ctx.meter)?;
        let expiry = match t {
            Timestamp::Counter(c) => {
                self.last_counter = Some(c);
                ctx.now.plus_ms(self.cfg.timing.session_cache_ms)
            }
            _ => replay::expiry(&t, ctx.now, self.cfg.timing.window_s),
        };
        self.replay.insert(key, ctx.now, expiry);
        self.shares_seen.push((p.meta.index, share.clone()));
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: the sensor's MAC"),
        });
        let hdr = &p.init.content.hdr;
        if hdr.v_flag {
            let tp_id = Id { id_type: IdType::Nai, data: self.my_id().to_vec() };
            let b =
                distributed::build_tp_i(hdr, t, &tp_id, &self.k.ids.sensor, &keys.auth, ctx.meter)?;
            out.send.push(Outgoing {
                to: Node::Sensor,
                kind: MsgKind::TpI,
                label: format!("TP{i}_I"),
                bytes: b,
            });
        }
        // 3. forward to the final responder named by the sensor; if that fails after the sensor's
        //    MAC verified, tell it with an authenticated ERR (docs/distributed-mode.md, "Errors").
        match self.forward(&p, &share, t, ctx) {
            Ok(o) => out.extend(o),
            Err((error, code)) => {
                let auth = error_msg::ErrAuth {
                    auth_key: &keys.auth,
                    id_i: &self.k.ids.sensor,
                    id_r: self.k.ids.tp(i).unwrap_or_default(),
                };
                let b = error_msg::build(
                    hdr,
                    Timestamp::NtpUtc(ctx.now.ntp()),
                    code,
                    Some(auth),
                    ctx.meter,
                )?;
                out.send.push(Outgoing {
                    to: Node::Sensor,
                    kind: MsgKind::Error,
                    label: format!("ERR from TP{i}"),
                    bytes: b,
                });
                out.events.push(RoleEvent::Rejected { label, error });
            }
        }
        Ok(out)
    }

    /// Builds TPi_R for a verified I_TPi; on failure, the error and the ERR code for the sensor.
    fn forward(
        &mut self,
        p: &distributed::ITpParsed,
        share: &[u8],
        t: Timestamp,
        ctx: &mut Ctx,
    ) -> Result<Output, (Error, ErrorNo)> {
        let i = self.index;
        let label = format!("I_TP{i}");
        if p.final_r_id.data != self.k.ids.responder {
            return Err((
                Error::UnknownPeer {
                    message: format!("{label} (FINAL_R_ID)"),
                    id: String::from_utf8_lossy(&p.final_r_id.data).into(),
                },
                ErrorNo::UnknownFinalResponder,
            ));
        }
        let fail = |e: Error| (e, ErrorNo::ForwardingFailed);
        let r_public = self.r_public(ctx).map_err(fail)?;
        let mut out = Output::default();
        let (send_share, meta) = match self.malicious {
            None => (Zeroizing::new(share.to_vec()), p.meta.clone()),
            Some(kind) => self.lie(kind, p, share, ctx).map_err(fail)?,
        };
        let env_key = Zeroizing::new(rng::bytes(ctx.rng, 16));
        let t_p = Timestamp::NtpUtc(ctx.now.ntp());
        let mut tp_hdr: Hdr = p.init.content.hdr.clone();
        tp_hdr.v_flag = self.cfg.optional.r_tp;
        let m = TpR {
            hdr: tp_hdr,
            t_p,
            rand: p.init.content.rand.clone(),
            tp_cert: self.k.cert.clone(),
            tp_id: Id { id_type: IdType::Nai, data: self.my_id().to_vec() },
            r_id: Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() },
            sp: p.init.content.sp.clone(),
            meta,
            sensor_id: p.sensor_id.clone(),
            t_i: t,
        };
        let key = self
            .k
            .key
            .as_ref()
            .ok_or_else(|| Error::NotProvisioned { what: format!("TP{i} has no RSA key") })
            .map_err(fail)?;
        let pk = PkKeys {
            env_key: &env_key,
            responder: &r_public,
            pke: self.cfg.pke,
            signer: key,
            sign: self.cfg.sign,
        };
        let (b, mk) =
            distributed::build_tp_r(&m, &send_share, &pk, ctx.rng, ctx.meter).map_err(fail)?;
        let csb_id = p.init.content.hdr.csb_id;
        self.forwarded.push(Forwarded { csb_id, t_p, auth: mk.auth.clone(), answered: false });
        self.env_keys.push(env_key);
        out.events.push(RoleEvent::ShareForwarded { index: p.meta.index });
        out.send.push(Outgoing {
            to: Node::Responder,
            kind: MsgKind::TpR,
            label: format!("TP{i}_R"),
            bytes: b,
        });
        Ok(out)
    }

    /// The share and metadata a malicious TP sends instead of the true ones.
    fn lie(
        &self,
        kind: MaliciousKind,
        p: &distributed::ITpParsed,
        share: &[u8],
        ctx: &mut Ctx,
    ) -> Result<(Zeroizing<Vec<u8>>, ShareMeta), Error> {
        let mut meta = p.meta.clone();
        let mut bytes = Zeroizing::new(share.to_vec());
        match kind {
            MaliciousKind::WrongShare => {
                // Flip bits the way a corrupted TP would.
                let noise = rng::bytes(ctx.rng, bytes.len());
                for (b, n) in bytes.iter_mut().zip(noise) {
                    *b ^= n | 1;
                }
            }
            MaliciousKind::OwnTgk => {
                let hdr = &p.init.content.hdr;
                let tgk = Zeroizing::new(rng::bytes(ctx.rng, usize::from(meta.secret_len)));
                // XOR needs all n shares whatever K says: claim one share, of index 1.
                if meta.scheme == Scheme::Xor {
                    meta.n = 1;
                    meta.index = 1;
                }
                meta.k = 1;
                let shares = sharing::split(meta.scheme, &tgk, meta.n, 1, ctx.rng)?;
                let mine = shares
                    .iter()
                    .find(|s| s.index == meta.index)
                    .ok_or(Error::ShareIndexOutOfRange { index: meta.index, n: meta.n })?;
                bytes = Zeroizing::new(mine.data.clone());
                meta.kcv = derive::kcv(
                    crypto_prf(hdr.prf),
                    &tgk,
                    hdr.csb_id,
                    &p.init.content.rand,
                    ctx.meter,
                );
            }
            MaliciousKind::BogusMeta => {
                for b in meta.kcv.iter_mut() {
                    *b ^= 0xa5;
                }
            }
            MaliciousKind::StealIndex => {
                meta.index = if meta.index >= meta.n { 1 } else { meta.index + 1 };
            }
        }
        Ok((bytes, meta))
    }

    fn on_r_tp(&mut self, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let label = format!("R_TP{}", self.index);
        let p = distributed::parse_ver(d, DataType::PkVerify, MsgKind::RTp, &label)?;
        if p.id_r.data != self.k.ids.responder {
            return Err(Error::UnknownPeer {
                message: label,
                id: String::from_utf8_lossy(&p.id_r.data).into(),
            });
        }
        let pos = self
            .forwarded
            .iter()
            .position(|f| f.csb_id == p.v.hdr.csb_id && f.t_p == p.v.t)
            .ok_or_else(|| Error::NoOutstandingSession { message: label.clone() })?;
        let f = self
            .forwarded
            .get(pos)
            .cloned()
            .ok_or_else(|| Error::NoOutstandingSession { message: label.clone() })?;
        if f.answered {
            return Err(Error::AlreadyAnswered { message: label });
        }
        let my_id = self.my_id().to_vec();
        crate::mikey::psk::check_verify(&p.v, &f.auth, &my_id, &p.id_r.data, &label, ctx.meter)?;
        if let Some(f) = self.forwarded.get_mut(pos) {
            f.answered = true;
        }
        Ok(Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: R accepted the share"),
        }))
    }

    fn on_err(&mut self, from: Node, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let label = format!("ERR to TP{}", self.index);
        let p = error_msg::parse(d, &label)?;
        let mut authenticated = false;
        if p.has_v {
            let my_id = self.my_id().to_vec();
            for f in self.forwarded.iter().filter(|f| f.csb_id == p.decoded.message.hdr.csb_id) {
                let a = error_msg::ErrAuth {
                    auth_key: &f.auth,
                    id_i: &my_id,
                    id_r: &self.k.ids.responder,
                };
                if error_msg::verify(&p, a, &label, ctx.meter).is_ok() {
                    authenticated = true;
                    break;
                }
            }
        }
        Ok(Output::event(RoleEvent::ErrorReceived {
            from: from.label(),
            code: p.code.to_u8(),
            authenticated,
        }))
    }
}

impl Role for ThirdParty {
    fn on_decoded(&mut self, from: Node, msg: Result<&Decoded, &Error>, ctx: &mut Ctx) -> Output {
        let i = self.index;
        let (label, res) = match msg.map(|d| (d, d.message.hdr.data_type)) {
            Err(e) => (format!("message to TP{i}"), Err(e.clone())),
            Ok((d, DataType::PskInit)) => (format!("I_TP{i}"), self.on_i_tp(d, ctx)),
            Ok((d, DataType::PkVerify)) => (format!("R_TP{i}"), self.on_r_tp(d, ctx)),
            Ok((d, DataType::Error)) => (format!("ERR to TP{i}"), self.on_err(from, d, ctx)),
            Ok(_) => (
                format!("message to TP{i}"),
                Err(Error::UnexpectedMessage {
                    message: format!("message to TP{i}"),
                    why: "a TP accepts only I_TPi, R_TPi and ERR",
                }),
            ),
        };
        match res {
            Ok(o) => o,
            Err(error) => Output::event(RoleEvent::Rejected { label, error }),
        }
    }

    fn on_timer(&mut self, _ctx: &mut Ctx) -> Output {
        Output::default()
    }

    fn next_deadline(&self) -> Option<SimTime> {
        None
    }

    fn knowledge(&self) -> Vec<Known> {
        let who = format!("TP{}", self.index);
        let mut k = self.k.knowledge(&who);
        for (i, s) in &self.shares_seen {
            k.push(Known {
                name: format!("share {i} (received from the sensor)"),
                value: s.to_vec(),
                secret: true,
            });
        }
        for (n, e) in self.env_keys.iter().enumerate() {
            k.push(Known {
                name: format!("envelope key {} (for R)", n + 1),
                value: e.to_vec(),
                secret: true,
            });
        }
        k
    }
}
