//! The final responder R: in the standard modes a plain RFC 3830 responder; in the
//! distributed mode it verifies each TPi_R (timestamp and replay cache, then signature and
//! certificate BEFORE the RSA decryption, then the KEMAC MAC, decryption and the encrypted
//! IDi), then pins each share to R's own session policy (SCHEME, K, N, SECRET_LEN and PRF must
//! be R's; the INDEX must be the one the sensor gives the TP whose certificate signed it:
//! TPi carries share i). It groups shares per session (SENSOR_ID, CSB ID, RAND) *and* per
//! claim (KCV, T_I, CS ID map, SP), so a first arrival decides nothing for the others: a group
//! completes only with shares from enough distinct TPs that claim the same. It rebuilds the
//! TGK as soon as a group's shares determine it ([`sharing::determines`]) and accepts it only
//! if the key-check value matches. A third party can therefore withhold or corrupt its own
//! share, and no more: R never ends with a TGK other than the sensor's unless enough TPs to
//! rebuild it collude. It answers with R_TPi and R_I.

use core::cell::RefCell;

use zeroize::Zeroizing;

use super::keys::{RoleKeys, SESSION_PRF, derive_teks};
use super::{
    Ctx, DerivedTek, Known, Mode, MsgKind, Node, Outgoing, Output, Pki, Role, RoleEvent,
    SessionConfig, SimTime,
};
use crate::cost::Meter;
use crate::crypto::derive;
use crate::error::Error;
use crate::mikey::core::crypto_prf;
use crate::mikey::distributed::{self, ShareMeta, TpRParsed};
use crate::mikey::pkix;
use crate::mikey::{dh, error_msg, pk, psk};
use crate::replay::{self, ReplayCache, check_window};
use crate::sharing::{self, Share};
use crate::wire::{
    CsIdMap, DataType, Decoded, ErrorNo, Hdr, Id, IdType, KeyData, KeyDataType, PrfFunc, Sp,
    Timestamp,
};

/// Most share groups one TP may have open at R for one sensor (docs/distributed-mode.md,
/// "Grouping shares at R"). Counted per TP, so that one TP filling its quota never locks the
/// honest TPs out.
pub const MAX_PENDING_PER_SENSOR: usize = 4;
/// Most share groups R collects at once overall.
pub const MAX_PENDING: usize = 64;
/// The TGK length of R's session policy (the sensor draws 16-byte TGKs).
pub const TGK_LEN: u16 = 16;

/// A session of the sensor: (SENSOR_ID, CSB ID, RAND).
type SessionKey = (Vec<u8>, u32, Vec<u8>);

/// What the shares of one group claim alike beyond their session: the key-check value, the
/// sensor's T_I, the CS ID map and the security policy (all copied by each TP from I_TPi).
#[derive(Clone, PartialEq, Eq)]
struct Claim {
    kcv: [u8; 8],
    t_i: Timestamp,
    cs_map: CsIdMap,
    sp: Vec<Sp>,
}

impl Claim {
    /// The first field on which `other` differs.
    fn differs(&self, other: &Claim) -> Option<&'static str> {
        if self.kcv != other.kcv {
            Some("KCV")
        } else if self.t_i != other.t_i {
            Some("T_I")
        } else if self.cs_map != other.cs_map {
            Some("CS ID map")
        } else if self.sp != other.sp {
            Some("SP")
        } else {
            None
        }
    }
}

#[derive(Clone)]
struct Contribution {
    tp: u8,
    share: Share,
    auth: Zeroizing<Vec<u8>>,
    tp_hdr: Hdr,
    t_p: Timestamp,
}

#[derive(Clone)]
struct Group {
    session: SessionKey,
    claim: Claim,
    hdr: Hdr,
    contributions: Vec<Contribution>,
    deadline: SimTime,
    last_failure: Option<Error>,
}

#[derive(Clone)]
struct Completed {
    session: SessionKey,
    claim: Claim,
    tps: Vec<u8>,
    /// The shares the TGK was rebuilt from: a late share is checked against what they imply.
    used: Vec<Share>,
    expiry: SimTime,
}

/// The responder role R.
#[derive(Clone)]
pub struct Responder {
    cfg: SessionConfig,
    k: RoleKeys,
    replay: ReplayCache,
    last_counter: Option<u32>,
    groups: Vec<Group>,
    completed: Vec<Completed>,
    tgk: Option<Zeroizing<Vec<u8>>>,
    teks: Vec<DerivedTek>,
    session_rand: Vec<u8>,
}

impl Responder {
    /// R provisioned from `pki`.
    pub fn new(cfg: &SessionConfig, pki: &Pki) -> Result<Responder, Error> {
        cfg.validate()?;
        Ok(Responder {
            cfg: cfg.clone(),
            k: RoleKeys::for_node(pki, Node::Responder)?,
            replay: ReplayCache::default(),
            last_counter: None,
            groups: Vec::new(),
            completed: Vec::new(),
            tgk: None,
            teks: Vec::new(),
            session_rand: Vec::new(),
        })
    }

    /// The TGK R holds for its last session (rebuilt or received), if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        self.tgk.as_ref().map(|t| t.as_slice())
    }

    /// The TEKs (and salts) derived for the last session.
    pub fn teks(&self) -> &[DerivedTek] {
        &self.teks
    }

    /// Number of share groups still being collected.
    pub fn pending_groups(&self) -> usize {
        self.groups.len()
    }

    fn rsa(&self) -> Result<&pkix::RsaPrivate, Error> {
        self.k.key.as_ref().ok_or_else(|| Error::NotProvisioned { what: "R has no RSA key".into() })
    }

    fn set_session(
        &mut self,
        hdr: &Hdr,
        rand: &[u8],
        tgk: Zeroizing<Vec<u8>>,
        meter: &mut Meter,
    ) -> Output {
        self.teks = derive_teks(hdr, &tgk, rand, meter);
        self.tgk = Some(tgk);
        self.session_rand = rand.to_vec();
        let mut out = Output::default();
        for t in &self.teks {
            out.events.push(RoleEvent::TekDerived { cs_id: t.cs_id });
        }
        out
    }

    /// Timestamp window (NTP) or strictly increasing COUNTER, then the replay cache.
    fn fresh(
        &mut self,
        sender: &[u8],
        csb_id: u32,
        t: &Timestamp,
        label: &str,
        now: SimTime,
    ) -> Result<Vec<u8>, Error> {
        if let Timestamp::Counter(c) = t {
            if let Some(last) = self.last_counter
                && *c <= last
            {
                return Err(Error::CounterNotIncreasing {
                    peer: "the sensor".into(),
                    last,
                    got: *c,
                });
            }
        } else {
            check_window(t, now, self.cfg.timing.window_s, label)?;
        }
        let key = ReplayCache::key(sender, csb_id, t);
        self.replay.check(&key, now, label)?;
        Ok(key)
    }

    fn remember(&mut self, key: Vec<u8>, t: &Timestamp, now: SimTime) {
        let expiry = match t {
            Timestamp::Counter(c) => {
                self.last_counter = Some(*c);
                now.plus_ms(self.cfg.timing.session_cache_ms)
            }
            _ => replay::expiry(t, now, self.cfg.timing.window_s),
        };
        self.replay.insert(key, now, expiry);
    }

    fn check_ids(&self, id_i: Option<&Id>, id_r: Option<&Id>, label: &str) -> Result<(), Error> {
        if let Some(r) = id_r
            && r.data != self.k.ids.responder
        {
            return Err(Error::NotAddressedToMe {
                message: label.into(),
                id: String::from_utf8_lossy(&r.data).into(),
            });
        }
        if let Some(i) = id_i
            && i.data != self.k.ids.sensor
        {
            return Err(Error::UnknownPeer {
                message: label.into(),
                id: String::from_utf8_lossy(&i.data).into(),
            });
        }
        Ok(())
    }

    fn single_tgk(keys: &[KeyData], label: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
        match keys {
            [k] if matches!(k.key_type, KeyDataType::Tgk | KeyDataType::TgkSalt) => {
                Ok(Zeroizing::new(k.key.clone()))
            }
            [] => Err(Error::PayloadMissing { message: label.into(), payload: "Key data (TGK)" }),
            _ => Err(Error::ExtraPayload {
                message: label.into(),
                payload: "Key data (more than one key)",
            }),
        }
    }

    // ---- standard modes ------------------------------------------------------------------

    /// R's verification message (RFC 3830 §3.1/§3.2 R_MESSAGE) when the sensor set V: HDR,
    /// the sensor's T echoed, IDr, and a V payload under the message's auth key.
    fn verify_reply(
        &self,
        hdr: &Hdr,
        t: Timestamp,
        auth_key: &[u8],
        kind: MsgKind,
        ctx: &mut Ctx,
    ) -> Result<Outgoing, Error> {
        let (dt, label) = match kind {
            MsgKind::PkVerify => (DataType::PkVerify, "R_MESSAGE (PK)"),
            _ => (DataType::PskVerify, "R_MESSAGE (PSK)"),
        };
        let r_id = Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() };
        let bytes = psk::build_verify(
            hdr,
            dt,
            t,
            Some(&r_id),
            None,
            auth_key,
            &self.k.ids.sensor,
            &r_id.data,
            ctx.meter,
        )?;
        Ok(Outgoing { to: Node::Sensor, kind, label: label.into(), bytes })
    }

    fn on_psk_init(&mut self, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let label = "I_MESSAGE (PSK)";
        let p = psk::parse_init(d, label)?;
        let c = &p.content;
        self.check_ids(c.id_i.as_ref(), c.id_r.as_ref(), label)?;
        let key = self.fresh(&self.k.ids.sensor.clone(), c.hdr.csb_id, &c.t, label, ctx.now)?;
        let psk_r = self.k.psk_r.clone();
        let o = psk::open_init(&p, &psk_r, self.cfg.kemac, label, ctx.meter)?;
        let tgk = Self::single_tgk(&o.key_data, label)?;
        self.remember(key, &c.t, ctx.now);
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: the sensor's MAC"),
        });
        out.events.push(RoleEvent::TgkReceived { how: "decrypted from the PSK-mode KEMAC".into() });
        out.extend(self.set_session(&c.hdr, &c.rand, tgk, ctx.meter));
        if c.hdr.v_flag {
            out.send.push(self.verify_reply(&c.hdr, c.t, &o.keys.auth, MsgKind::PskVerify, ctx)?);
        }
        Ok(out)
    }

    fn on_pk_init(&mut self, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let label = "I_MESSAGE (PK)";
        let p = pk::parse_init(d, label)?;
        let c = &p.content;
        self.check_ids(None, c.id_r.as_ref(), label)?;
        let key = self.fresh(&self.k.ids.sensor.clone(), c.hdr.csb_id, &c.t, label, ctx.now)?;
        // signature and certificate BEFORE the RSA decryption (docs/responder-checks.md)
        let cert = c
            .certs
            .first()
            .ok_or_else(|| Error::PayloadMissing { message: label.into(), payload: "CERT" })?;
        let vc = pkix::verify_cert(
            &cert.data,
            &self.k.ca_cert,
            ctx.now.unix_secs(),
            "the sensor",
            pkix::CertRole::Sensor,
            ctx.meter,
        )?;
        if pkix::cert_subject(&vc) != self.k.ids.sensor.as_slice() {
            return Err(Error::SignerWrongRole { message: label.into(), expected: "the sensor" });
        }
        pk::verify_sign(p.decoded, &pkix::cert_public_key(&vc), "the sensor", ctx.meter)?;
        let o = pk::open_init(&p, self.rsa()?, self.cfg.pke, label, ctx.rng, ctx.meter)?;
        if o.id_i.data != pkix::cert_subject(&vc) {
            return Err(Error::EncryptedIdNotSigner { message: label.into() });
        }
        let tgk = Self::single_tgk(&o.key_data, label)?;
        self.remember(key, &c.t, ctx.now);
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: the sensor's signature and certificate"),
        });
        out.events.push(RoleEvent::TgkReceived { how: "decrypted from the PK-mode KEMAC".into() });
        out.extend(self.set_session(&c.hdr, &c.rand, tgk, ctx.meter));
        if c.hdr.v_flag {
            out.send.push(self.verify_reply(&c.hdr, c.t, &o.keys.auth, MsgKind::PkVerify, ctx)?);
        }
        Ok(out)
    }

    fn on_dh_init(&mut self, d: &Decoded, ctx: &mut Ctx) -> Result<Output, Error> {
        let label = "I_MESSAGE (DH)";
        let p = dh::parse_init(d, label)?;
        let c = &p.content;
        self.check_ids(None, c.id_r.as_ref(), label)?;
        let key = self.fresh(&self.k.ids.sensor.clone(), c.hdr.csb_id, &c.t, label, ctx.now)?;
        let vc = pkix::verify_cert(
            &c.cert_i,
            &self.k.ca_cert,
            ctx.now.unix_secs(),
            "the sensor",
            pkix::CertRole::Sensor,
            ctx.meter,
        )?;
        if pkix::cert_subject(&vc) != self.k.ids.sensor.as_slice() {
            return Err(Error::SignerWrongRole { message: label.into(), expected: "the sensor" });
        }
        pk::verify_sign(p.decoded, &pkix::cert_public_key(&vc), "the sensor", ctx.meter)?;
        let pair = pkix::dh_generate(ctx.rng, ctx.meter)?;
        let tgk = pkix::dh_shared(&pair, &c.dh_i, label, ctx.meter)?;
        self.remember(key, &c.t, ctx.now);
        let resp = dh::DhResp {
            hdr: c.hdr.clone(),
            t: c.t,
            cert_r: self.k.cert.clone(),
            id_i: Id { id_type: IdType::Nai, data: self.k.ids.sensor.clone() },
            dh_r: pkix::dh_public(&pair),
            dh_i: c.dh_i.clone(),
        };
        let b = dh::build_resp(&resp, self.rsa()?, self.cfg.sign, ctx.rng, ctx.meter)?;
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: the sensor's signature and certificate"),
        });
        out.events
            .push(RoleEvent::TgkReceived { how: "agreed by Diffie-Hellman (OAKLEY 5)".into() });
        out.extend(self.set_session(&c.hdr, &c.rand, tgk, ctx.meter));
        out.send.push(Outgoing {
            to: Node::Sensor,
            kind: MsgKind::DhResp,
            label: "R_MESSAGE (DH)".into(),
            bytes: b,
        });
        Ok(out)
    }

    // ---- distributed mode ----------------------------------------------------------------

    fn on_tp_r(
        &mut self,
        from: Node,
        d: &Decoded,
        ctx: &mut Ctx,
    ) -> Result<Output, (String, Error)> {
        let guess = match from {
            Node::Tp(i) => format!("TP{i}_R"),
            _ => "TPi_R".to_string(),
        };
        let p = distributed::parse_tp_r(d, &guess).map_err(|e| (guess.clone(), e))?;
        // The signer's identity names the message from here on.
        let leaf = p.pk.content.certs.first().map(|c| c.data.clone()).unwrap_or_default();
        let label = guess.clone();
        self.tp_r_checked(p, leaf, label, ctx)
    }

    fn tp_r_checked(
        &mut self,
        p: TpRParsed<'_>,
        leaf: Vec<u8>,
        label: String,
        ctx: &mut Ctx,
    ) -> Result<Output, (String, Error)> {
        let c = p.pk.content.clone();
        let e = |l: &str, err: Error| (l.to_string(), err);
        self.check_ids(None, c.id_r.as_ref(), &label).map_err(|x| e(&label, x))?;
        // 1. T window and replay cache (per TP certificate, CSB ID, T_P)
        if matches!(c.t, Timestamp::Counter(_)) {
            return Err(e(
                &label,
                Error::UnexpectedMessage {
                    message: label.clone(),
                    why: "a TP must use an NTP timestamp",
                },
            ));
        }
        check_window(&c.t, ctx.now, self.cfg.timing.window_s, &label).map_err(|x| e(&label, x))?;
        let rkey = ReplayCache::key(&leaf, c.hdr.csb_id, &c.t);
        self.replay.check(&rkey, ctx.now, &label).map_err(|x| e(&label, x))?;
        // 2. certificate chain and signature BEFORE any RSA decryption
        let vc = pkix::verify_cert(
            &leaf,
            &self.k.ca_cert,
            ctx.now.unix_secs(),
            &label,
            pkix::CertRole::ThirdParty,
            ctx.meter,
        )
        .map_err(|x| e(&label, x))?;
        let subject = pkix::cert_subject(&vc).to_vec();
        let Some(Node::Tp(tp)) = self.k.ids.node_of(&subject) else {
            return Err(e(
                &label,
                Error::SignerWrongRole { message: label.clone(), expected: "a third party" },
            ));
        };
        if !pkix::cert_is_tp(&vc) {
            return Err(e(
                &label,
                Error::SignerWrongRole { message: label.clone(), expected: "a third party" },
            ));
        }
        let label = format!("TP{tp}_R");
        pk::verify_sign(p.pk.decoded, &pkix::cert_public_key(&vc), &format!("TP{tp}"), ctx.meter)
            .map_err(|x| e(&label, x))?;
        // 3. RSA decryption, KEMAC MAC, decryption, encrypted IDi = signer
        let o = pk::open_init(
            &p.pk,
            self.rsa().map_err(|x| e(&label, x))?,
            self.cfg.pke,
            &label,
            ctx.rng,
            ctx.meter,
        )
        .map_err(|x| e(&label, x))?;
        if o.id_i.data != subject {
            return Err(e(&label, Error::EncryptedIdNotSigner { message: label.clone() }));
        }
        let share_bytes = Self::single_tgk(&o.key_data, &label).map_err(|x| e(&label, x))?;
        let expiry = replay::expiry(&c.t, ctx.now, self.cfg.timing.window_s);
        self.replay.insert(rkey, ctx.now, expiry);
        let auth = o.keys.auth.clone();
        let tp_hdr = c.hdr.clone();
        match self.group_share(tp, &subject, &c, &p, share_bytes, &auth, &label, ctx) {
            Ok(out) => Ok(out),
            Err(error) => {
                // The share authenticated but cannot be used: tell the TP
                // (docs/distributed-mode.md, "Errors").
                let mut out = Output::event(RoleEvent::Rejected { label: label.clone(), error });
                let a = error_msg::ErrAuth {
                    auth_key: &auth,
                    id_i: &subject,
                    id_r: &self.k.ids.responder,
                };
                let t = Timestamp::NtpUtc(ctx.now.ntp());
                if let Ok(b) =
                    error_msg::build(&tp_hdr, t, ErrorNo::InsufficientShares, Some(a), ctx.meter)
                {
                    out.send.push(Outgoing {
                        to: Node::Tp(tp),
                        kind: MsgKind::Error,
                        label: format!("ERR to TP{tp}"),
                        bytes: b,
                    });
                }
                Ok(out)
            }
        }
    }

    /// The share's metadata against R's own session policy: SCHEME, K, N, SECRET_LEN and PRF
    /// must be R's, and the index the one the sensor gives TPi (share i), so the certificate
    /// that signed the share decides whose share it is.
    fn check_policy(&self, tp: u8, meta: &ShareMeta, prf: PrfFunc) -> Result<(), Error> {
        let scheme = self.cfg.scheme.ok_or(Error::NoSchemeChosen)?;
        let policy = |field: &'static str, got: String, expected: String| {
            Err(Error::SharePolicyMismatch { tp, field, got, expected })
        };
        if meta.scheme != scheme {
            return policy("SCHEME", meta.scheme.name().into(), scheme.name().into());
        }
        if meta.k != self.cfg.k {
            return policy("K", meta.k.to_string(), self.cfg.k.to_string());
        }
        if meta.n != self.cfg.n {
            return policy("N", meta.n.to_string(), self.cfg.n.to_string());
        }
        if meta.secret_len != TGK_LEN {
            return policy("SECRET_LEN", meta.secret_len.to_string(), TGK_LEN.to_string());
        }
        if prf != SESSION_PRF {
            return policy("PRF", format!("{prf:?}"), format!("{SESSION_PRF:?}"));
        }
        if meta.index != tp {
            return Err(Error::ShareIndexNotAssigned { tp, index: meta.index });
        }
        Ok(())
    }

    /// Step 4 of TPi_R: T_I, R's policy, session cache, grouping by claim, then rebuild.
    #[allow(clippy::too_many_arguments)]
    fn group_share(
        &mut self,
        tp: u8,
        subject: &[u8],
        c: &pk::PkInit,
        p: &TpRParsed,
        share_bytes: Zeroizing<Vec<u8>>,
        auth: &[u8],
        label: &str,
        ctx: &mut Ctx,
    ) -> Result<Output, Error> {
        let label = label.to_string();
        // 4. the session: T_I (loose window), policy, session cache, grouping by claim
        if !matches!(p.t_i, Timestamp::Counter(_)) {
            check_window(&p.t_i, ctx.now, self.cfg.timing.t_i_window_s, &label)?;
        }
        if p.sensor_id.data != self.k.ids.sensor {
            return Err(Error::UnknownPeer {
                message: label.clone(),
                id: String::from_utf8_lossy(&p.sensor_id.data).into(),
            });
        }
        let mut out = Output::event(RoleEvent::VerificationPassed {
            what: format!("{label}: TP{tp}'s signature and certificate"),
        });
        if c.hdr.v_flag {
            let r_id = Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() };
            let b = distributed::build_r_tp(&c.hdr, c.t, &r_id, subject, auth, ctx.meter)?;
            out.send.push(Outgoing {
                to: Node::Tp(tp),
                kind: MsgKind::RTp,
                label: format!("R_TP{tp}"),
                bytes: b,
            });
        }
        let meta = p.meta.clone();
        self.check_policy(tp, &meta, c.hdr.prf)?;
        let session: SessionKey = (p.sensor_id.data.clone(), c.hdr.csb_id, c.rand.clone());
        let claim =
            Claim { kcv: meta.kcv, t_i: p.t_i, cs_map: c.hdr.cs_map.clone(), sp: c.sp.clone() };
        self.completed.retain(|d| d.expiry > ctx.now);
        let policy = self.policy();
        if let Some(done) = self.completed.iter_mut().find(|d| d.session == session) {
            if done.tps.contains(&tp) {
                return Err(Error::SessionAlreadyComplete { message: label.clone() });
            }
            if let Some(field) = done.claim.differs(&claim) {
                return Err(Error::ShareMetadataMismatch { tp, field });
            }
            done.tps.push(tp);
            // The TGK passed the key check: the late share must be the one it implies at its
            // index. With the key check off (the paper's protocol) R checks nothing.
            let late = Share { index: meta.index, data: share_bytes.to_vec() };
            let agrees = match policy {
                Some((scheme, n, k, len)) if self.cfg.key_check => {
                    sharing::late_share_agrees(scheme, n, k, len, &done.used, &late)?
                }
                _ => true,
            };
            out.events.push(if agrees {
                RoleEvent::LateShare { tp, index: meta.index }
            } else {
                RoleEvent::BadShare { tp, index: meta.index }
            });
            return Ok(out);
        }
        // One share per TP and session, whatever it claims: a TP cannot open a group per lie.
        if self
            .groups
            .iter()
            .any(|g| g.session == session && g.contributions.iter().any(|x| x.tp == tp))
        {
            return Err(Error::DuplicateShareFromTp { tp });
        }
        let contribution = Contribution {
            tp,
            share: Share { index: meta.index, data: share_bytes.to_vec() },
            auth: Zeroizing::new(auth.to_vec()),
            tp_hdr: c.hdr.clone(),
            t_p: c.t,
        };
        let at = match self.groups.iter().position(|g| g.session == session && g.claim == claim) {
            Some(at) => at,
            None => {
                // Cap the state a stream of signed shares can make R hold (docs/distributed-mode.md,
                // "Grouping shares at R").
                let of_tp = self
                    .groups
                    .iter()
                    .filter(|g| {
                        g.session.0 == session.0 && g.contributions.iter().any(|x| x.tp == tp)
                    })
                    .count();
                if of_tp >= MAX_PENDING_PER_SENSOR || self.groups.len() >= MAX_PENDING {
                    return Err(Error::TooManyPendingSessions {
                        limit: MAX_PENDING_PER_SENSOR.min(MAX_PENDING),
                    });
                }
                self.groups.push(Group {
                    session,
                    claim,
                    hdr: c.hdr.clone(),
                    contributions: Vec::new(),
                    deadline: ctx.now.plus_ms(self.cfg.timing.collect_ms),
                    last_failure: None,
                });
                self.groups.len() - 1
            }
        };
        if let Some(group) = self.groups.get_mut(at) {
            group.contributions.push(contribution);
        }
        out.events.push(RoleEvent::ShareAccepted { tp, index: meta.index });
        out.extend(self.try_rebuild(at, ctx));
        Ok(out)
    }

    /// The policy's scheme, n, k and TGK length (checked on every share of every group).
    fn policy(&self) -> Option<(sharing::Scheme, u8, u8, usize)> {
        Some((self.cfg.scheme?, self.cfg.n, self.cfg.k, usize::from(TGK_LEN)))
    }

    fn try_rebuild(&mut self, at: usize, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        let Some((scheme, n, k, len)) = self.policy() else { return out };
        let Some(group) = self.groups.get_mut(at) else { return out };
        let indices: Vec<u8> = group.contributions.iter().map(|c| c.share.index).collect();
        if !sharing::determines(scheme, n, k, len, &indices) {
            let need = usize::from(sharing::shares_needed(scheme, n, k, len));
            out.events.push(RoleEvent::Waiting { have: indices.len(), need });
            return out;
        }
        let shares: Vec<Share> = group.contributions.iter().map(|c| c.share.clone()).collect();
        let (csb, rand, kcv) = (group.session.1, group.session.2.clone(), group.claim.kcv);
        let prf = crypto_prf(group.hdr.prf);
        let meter = RefCell::new(&mut *ctx.meter);
        let key_check = self.cfg.key_check;
        let res = sharing::recover_with_check(scheme, &shares, n, k, len, |cand| {
            // Key check off (the paper's protocol): any TGK the shares give is taken.
            if !key_check {
                return true;
            }
            let mut g = meter.borrow_mut();
            derive::kcv_matches(prf, cand, csb, &rand, &kcv, &mut g)
        });
        match res {
            Ok(rec) => {
                let tp_of = |idx: u8| {
                    group.contributions.iter().find(|c| c.share.index == idx).map_or(0, |c| c.tp)
                };
                for bad in &rec.rejected {
                    out.events.push(RoleEvent::BadShare { tp: tp_of(*bad), index: *bad });
                }
                out.events.push(RoleEvent::TgkRebuilt {
                    shares_used: rec.used.clone(),
                    rejected: rec.rejected.clone(),
                });
                let group = self.groups.remove(at);
                // The other claims for the same session lost: each of their TPs lied (or
                // relayed a forgery). Name them and forget their shares.
                let mut i = 0;
                while i < self.groups.len() {
                    if self.groups.get(i).is_some_and(|g| g.session == group.session) {
                        let other = self.groups.remove(i);
                        let field = group.claim.differs(&other.claim).unwrap_or("KCV");
                        for c in &other.contributions {
                            out.events.push(RoleEvent::Rejected {
                                label: format!("TP{}_R", c.tp),
                                error: Error::ShareMetadataMismatch { tp: c.tp, field },
                            });
                        }
                    } else {
                        i += 1;
                    }
                }
                self.completed.push(Completed {
                    session: group.session.clone(),
                    claim: group.claim.clone(),
                    tps: group.contributions.iter().map(|c| c.tp).collect(),
                    used: group
                        .contributions
                        .iter()
                        .filter(|c| rec.used.contains(&c.share.index))
                        .map(|c| c.share.clone())
                        .collect(),
                    expiry: ctx.now.plus_ms(self.cfg.timing.session_cache_ms),
                });
                let hdr = group.hdr.clone();
                out.extend(self.set_session(&hdr, &rand, rec.secret, ctx.meter));
                if self.cfg.optional.r_i {
                    let auth = derive::auth_key_ri(
                        prf,
                        self.tgk.as_deref().map_or(&[][..], |v| v.as_slice()),
                        csb,
                        &rand,
                        ctx.meter,
                    );
                    let r_id = Id { id_type: IdType::Nai, data: self.k.ids.responder.clone() };
                    match distributed::build_r_i(
                        &hdr,
                        group.claim.t_i,
                        &r_id,
                        &group.session.0,
                        &rec.used,
                        &auth,
                        ctx.meter,
                    ) {
                        Ok(b) => out.send.push(Outgoing {
                            to: Node::Sensor,
                            kind: MsgKind::RI,
                            label: "R_I".into(),
                            bytes: b,
                        }),
                        Err(error) => out.events.push(RoleEvent::SessionFailed { error }),
                    }
                }
            }
            Err(error) => {
                group.last_failure = Some(error.clone());
                out.events.push(RoleEvent::RebuildFailed { error });
            }
        }
        out
    }

    fn expire(&mut self, ctx: &mut Ctx) -> Output {
        let mut out = Output::default();
        let need = self.policy().map_or(0, |(scheme, n, k, len)| {
            usize::from(sharing::shares_needed(scheme, n, k, len))
        });
        let (due, kept): (Vec<Group>, Vec<Group>) =
            core::mem::take(&mut self.groups).into_iter().partition(|g| g.deadline <= ctx.now);
        self.groups = kept;
        for g in due {
            let reason = match &g.last_failure {
                Some(e) => e.to_string(),
                None => "not enough shares arrived before the deadline".to_string(),
            };
            out.events.push(RoleEvent::TimedOut {
                what: format!("shares of session CSB ID {:#010x}", g.session.1),
            });
            out.events.push(RoleEvent::SessionFailed {
                error: Error::CollectionFailed { have: g.contributions.len(), need, reason },
            });
            for c in &g.contributions {
                let tp_id = self.k.ids.tp(c.tp).unwrap_or_default().to_vec();
                let auth = error_msg::ErrAuth {
                    auth_key: &c.auth,
                    id_i: &tp_id,
                    id_r: &self.k.ids.responder,
                };
                let t = Timestamp::NtpUtc(ctx.now.ntp());
                if let Ok(b) = error_msg::build(
                    &c.tp_hdr,
                    t,
                    ErrorNo::InsufficientShares,
                    Some(auth),
                    ctx.meter,
                ) {
                    let _ = c.t_p;
                    out.send.push(Outgoing {
                        to: Node::Tp(c.tp),
                        kind: MsgKind::Error,
                        label: format!("ERR to TP{}", c.tp),
                        bytes: b,
                    });
                }
            }
        }
        out
    }
}

impl Role for Responder {
    fn on_decoded(&mut self, from: Node, msg: Result<&Decoded, &Error>, ctx: &mut Ctx) -> Output {
        let res: Result<Output, (String, Error)> = match msg {
            Err(e) => Err(("message to R".into(), e.clone())),
            Ok(d) => match (self.cfg.mode, d.message.hdr.data_type) {
                (Mode::Psk, DataType::PskInit) => {
                    self.on_psk_init(d, ctx).map_err(|e| ("I_MESSAGE (PSK)".into(), e))
                }
                (Mode::Pk, DataType::PkInit) => {
                    self.on_pk_init(d, ctx).map_err(|e| ("I_MESSAGE (PK)".into(), e))
                }
                (Mode::Dh, DataType::DhInit) => {
                    self.on_dh_init(d, ctx).map_err(|e| ("I_MESSAGE (DH)".into(), e))
                }
                (Mode::Distributed, DataType::PkInit) => self.on_tp_r(from, d, ctx),
                _ => Err((
                    "message to R".into(),
                    Error::UnexpectedMessage {
                        message: "message to R".into(),
                        why: "R does not accept this data type in the session's mode",
                    },
                )),
            },
        };
        match res {
            Ok(o) => o,
            Err((label, error)) => Output::event(RoleEvent::Rejected { label, error }),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx) -> Output {
        self.expire(ctx)
    }

    fn next_deadline(&self) -> Option<SimTime> {
        self.groups.iter().map(|g| g.deadline).min()
    }

    fn knowledge(&self) -> Vec<Known> {
        let mut k = self.k.knowledge("R");
        for g in &self.groups {
            for c in &g.contributions {
                k.push(Known {
                    name: format!("share {} (from TP{})", c.share.index, c.tp),
                    value: c.share.data.clone(),
                    secret: true,
                });
            }
        }
        if let Some(t) = &self.tgk {
            k.push(Known { name: "TGK".into(), value: t.to_vec(), secret: true });
            k.push(Known { name: "RAND".into(), value: self.session_rand.clone(), secret: false });
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
