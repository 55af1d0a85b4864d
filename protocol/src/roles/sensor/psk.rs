//! The sensor in the PSK mode (RFC 3830 §3.1): the TGK travels to R in the KEMAC of an
//! I_MESSAGE under the PSK shared with R; R's optional R_MESSAGE (V = 1) proves it got it.

use zeroize::Zeroizing;

use super::{Common, Me, ModeState, SessionState, check_r_named, outstanding};
use crate::crypto::derive::MessageKeys;
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::psk;
use crate::roles::keys::{RoleKeys, srtp_policy};
use crate::roles::{Ctx, Node, Outgoing, RoleEvent};
use crate::wire::{DataType, MsgKind};

/// What only a PSK session has.
#[derive(Clone)]
pub(super) struct Session {
    pub tgk: Zeroizing<Vec<u8>>,
    /// Keys of the I_MESSAGE (the auth key checks R's V payload).
    pub keys: MessageKeys,
    /// R's R_MESSAGE was accepted.
    pub answered: bool,
}

/// Draws the TGK and builds the I_MESSAGE.
pub(super) fn start(me: &Me, c: &Common, ctx: &mut Ctx) -> Result<(Session, Outgoing), Error> {
    let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
    let m = psk::PskInit {
        hdr: c.hdr.clone(),
        t: c.t_i,
        rand: c.rand.clone(),
        id_i: Some(me.id()),
        id_r: Some(me.r_id()),
        sp: vec![srtp_policy()],
        ext: None,
    };
    let (bytes, keys) =
        psk::build_init(&m, &me.k.psk_r, &[Me::tgk_key(&tgk)], me.cfg.kemac, ctx.meter)?;
    let send = Outgoing {
        to: Node::Responder,
        kind: MsgKind::PskInit,
        label: "I_MESSAGE (PSK)".into(),
        bytes,
    };
    Ok((Session { tgk, keys, answered: false }, send))
}

/// R's R_MESSAGE (data type `dt`: 1 here, 3 for the PK mode's, which has the same shape and
/// is checked the same way): a V payload under the I_MESSAGE's auth key says R received the
/// TGK.
pub(super) fn on_r_message(
    k: &RoleKeys,
    session: &mut Option<super::Session>,
    d: &crate::wire::Decoded,
    dt: DataType,
    label: &str,
    ctx: &mut Ctx,
) -> Result<RoleEvent, Error> {
    let p = psk::parse_verify(d, dt, label)?;
    let id_r = p.id_r.as_ref().map_or_else(|| k.ids.responder.clone(), |i| i.data.clone());
    check_r_named(k, &id_r, label)?;
    let s = outstanding(session, label, p.hdr.csb_id, &p.t)?;
    let done = s.common.state == SessionState::Done;
    let (keys, answered) = match &mut s.mode {
        ModeState::Psk(m) => (&m.keys, &mut m.answered),
        ModeState::Pk(m) => (&m.keys, &mut m.answered),
        _ => return Err(Error::NoOutstandingSession { message: label.into() }),
    };
    if *answered || done {
        return Err(Error::AlreadyAnswered { message: label.into() });
    }
    psk::check_verify(&p, &keys.auth, &k.ids.sensor, &id_r, label, ctx.meter)?;
    *answered = true;
    Ok(RoleEvent::VerificationPassed { what: format!("{label}: R received the TGK") })
}
