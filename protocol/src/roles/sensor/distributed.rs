//! The sensor in the distributed mode (the paper's §3.3): it splits the TGK into n shares
//! and sends share i to TPi in an I_TPi (a PSK-mode I_MESSAGE under the PSK shared with TPi,
//! one T_I for all). It accepts each TPi_I once, and R_I — R's proof that it rebuilt the TGK,
//! a V payload under auth_key_RI derived from the TGK.

use zeroize::Zeroizing;

use super::{Common, Me, ModeState, check_r_named, outstanding};
use crate::crypto::derive::{self, MessageKeys};
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::core::crypto_prf;
use crate::mikey::distributed::{self, ITp, ShareMeta, VerParsed};
use crate::mikey::psk;
use crate::roles::keys::{RoleKeys, srtp_policy};
use crate::roles::{Ctx, Node, Outgoing, RoleEvent};
use crate::sharing::{self, Share};
use crate::wire::{DataType, MsgKind};
use crate::wire::{Id, IdType};

/// One third party of the session, as the sensor sees it.
#[derive(Clone)]
pub(super) struct Tp {
    /// Keys of I_TPi (the auth key checks TPi_I).
    keys: MessageKeys,
    /// TPi_I was accepted.
    answered: bool,
}

/// What only a distributed session has.
#[derive(Clone)]
pub(super) struct Session {
    pub tgk: Zeroizing<Vec<u8>>,
    pub shares: Vec<Share>,
    /// TP1…TPn, index i − 1.
    pub tps: Vec<Tp>,
    /// The sensor asked for R_I.
    expect_r: bool,
    /// R_I was accepted.
    r_answered: bool,
}

impl Session {
    /// The auth key of I_TPi (an ERR from TPi may carry a V payload under it).
    pub fn tp_auth_key(&self, i: u8) -> Option<Zeroizing<Vec<u8>>> {
        self.tps.get(usize::from(i).saturating_sub(1)).map(|t| t.keys.auth.clone())
    }
}

/// Draws the TGK, splits it, and builds I_TP1 … I_TPn.
pub(super) fn start(
    me: &Me,
    c: &Common,
    expect_r: bool,
    ctx: &mut Ctx,
) -> Result<(Session, Vec<Outgoing>), Error> {
    let cfg = me.cfg;
    let scheme = cfg.scheme.ok_or(Error::NoSchemeChosen)?;
    let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
    let shares = sharing::split(scheme, &tgk, cfg.n, cfg.k, ctx.rng)?;
    let csb_id = c.hdr.csb_id;
    // Key check off (the paper's protocol): the tag stays, with no value in it.
    let kcv = if cfg.key_check {
        derive::kcv(crypto_prf(c.hdr.prf), &tgk, csb_id, &c.rand, ctx.meter)
    } else {
        [0; derive::KCV_LEN]
    };
    let mut tps = Vec::with_capacity(shares.len());
    let mut send = Vec::with_capacity(shares.len());
    for sh in &shares {
        let i = sh.index;
        let psk = me.k.psk_tp(i)?;
        let tp_id =
            me.k.ids
                .tp(i)
                .map(|d| Id { id_type: IdType::Nai, data: d.to_vec() })
                .ok_or_else(|| Error::NotProvisioned { what: format!("no identity for TP{i}") })?;
        let m = ITp {
            hdr: c.hdr.clone(),
            t_i: c.t_i,
            rand: c.rand.clone(),
            sensor_id: me.id(),
            tp_id,
            sp: vec![srtp_policy()],
            meta: ShareMeta { scheme, k: cfg.k, n: cfg.n, index: i, secret_len: 16, kcv },
            final_r_id: me.r_id(),
        };
        let (bytes, keys) = distributed::build_i_tp(&m, &sh.data, psk, cfg.kemac, ctx.meter)?;
        tps.push(Tp { keys, answered: false });
        send.push(Outgoing {
            to: Node::Tp(i),
            kind: MsgKind::ITp,
            label: format!("I_TP{i}"),
            bytes,
        });
    }
    Ok((Session { tgk, shares, tps, expect_r, r_answered: false }, send))
}

/// The distributed session an answer belongs to (see [`outstanding`]).
fn session_of<'a>(
    session: &'a mut Option<super::Session>,
    label: &str,
    p: &VerParsed<'_>,
) -> Result<(&'a Common, &'a mut Session), Error> {
    let s = outstanding(session, label, p.v.hdr.csb_id, &p.v.t)?;
    match s {
        super::Session { common, mode: ModeState::Distributed(d) } => Ok((common, d)),
        _ => Err(Error::NoOutstandingSession { message: label.to_string() }),
    }
}

/// R_I: R's proof that it rebuilt the TGK, a V payload under auth_key_RI = PRF(TGK, …) that
/// only who holds the TGK can compute.
pub(super) fn on_r_i(
    k: &RoleKeys,
    session: &mut Option<super::Session>,
    d: &crate::wire::Decoded,
    ctx: &mut Ctx,
) -> Result<RoleEvent, Error> {
    let label = "R_I";
    let p = distributed::parse_ver(d, DataType::PskVerify, MsgKind::RI, label)?;
    check_r_named(k, &p.id_r.data, label)?;
    let (c, s) = session_of(session, label, &p)?;
    if !s.expect_r {
        return Err(Error::UnexpectedMessage {
            message: label.into(),
            why: "the sensor did not ask for R_I",
        });
    }
    if s.r_answered {
        return Err(Error::AlreadyAnswered { message: label.into() });
    }
    let auth = derive::auth_key_ri(crypto_prf(c.hdr.prf), &s.tgk, c.hdr.csb_id, &c.rand, ctx.meter);
    psk::check_verify(&p.v, &auth, &k.ids.sensor, &p.id_r.data, label, ctx.meter)?;
    s.r_answered = true;
    let used = p.ext.used_indices.clone().unwrap_or_default();
    Ok(RoleEvent::VerificationPassed {
        what: format!("R_I: its sender holds the TGK (rebuilt from shares {used:?})"),
    })
}

/// TPi_I: TPi received its share — a V payload under the auth key of I_TPi, once per TP.
/// Errors name the message by its TP once the TP is known (`guess` before).
pub(super) fn on_tp_i(
    k: &RoleKeys,
    session: &mut Option<super::Session>,
    d: &crate::wire::Decoded,
    guess: &str,
    ctx: &mut Ctx,
) -> Result<RoleEvent, (String, Error)> {
    let p = distributed::parse_ver(d, DataType::PskVerify, MsgKind::TpI, guess)
        .map_err(|e| (guess.to_string(), e))?;
    let Some(Node::Tp(i)) = k.ids.node_of(&p.id_r.data) else {
        let id = String::from_utf8_lossy(&p.id_r.data).into();
        return Err((guess.to_string(), Error::UnknownPeer { message: guess.to_string(), id }));
    };
    let label = format!("TP{i}_I");
    let checked = (|| {
        let (c, s) = session_of(session, &label, &p)?;
        if !c.hdr.v_flag {
            return Err(Error::UnexpectedMessage {
                message: label.clone(),
                why: "the sensor did not ask for TPi_I (V = 0)",
            });
        }
        let tp = s.tps.get_mut(usize::from(i).saturating_sub(1));
        let Some(tp) = tp.filter(|t| !t.answered) else {
            return Err(Error::AlreadyAnswered { message: label.clone() });
        };
        let (sensor, tp_id) = (&k.ids.sensor, &p.id_r.data);
        psk::check_verify(&p.v, &tp.keys.auth, sensor, tp_id, &label, ctx.meter)?;
        tp.answered = true;
        Ok(RoleEvent::VerificationPassed { what: format!("{label}: TP{i} received its share") })
    })();
    checked.map_err(|e| (label, e))
}
