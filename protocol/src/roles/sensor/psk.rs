//! The sensor in the PSK mode (RFC 3830 §3.1): the TGK travels to R in the KEMAC of an
//! I_MESSAGE under the PSK shared with R; R's optional R_MESSAGE (V = 1) proves it got it.

use zeroize::Zeroizing;

use super::{Common, Me};
use crate::crypto::derive::MessageKeys;
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::psk;
use crate::roles::keys::srtp_policy;
use crate::roles::{Ctx, MsgKind, Node, Outgoing};

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
