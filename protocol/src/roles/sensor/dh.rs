//! The sensor in the Diffie–Hellman mode (RFC 3830 §3.3): a signed g^x to R, and the TGK is
//! g^xy once R's signed answer (with its certificate) checks out. The baseline the paper rules
//! out for a constrained sensor: two exponentiations and an RSA signature on the sensor.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::{Common, Me, ModeState, SessionState, outstanding};
use crate::error::Error;
use crate::mikey::dh::{self, DhInit};
use crate::mikey::pkix::{self, DhKeyPair};
use crate::roles::keys::{RoleKeys, srtp_policy};
use crate::roles::{Ctx, MsgKind, Node, Outgoing, RoleEvent};

/// What only a DH session has.
#[derive(Clone)]
pub(super) struct Session {
    pub pair: Arc<DhKeyPair>,
    /// g^xy, once R answered.
    pub tgk: Option<Zeroizing<Vec<u8>>>,
    /// R's R_MESSAGE was accepted.
    pub answered: bool,
}

/// Draws x and builds the signed I_MESSAGE with g^x.
pub(super) fn start(me: &Me, c: &Common, ctx: &mut Ctx) -> Result<(Session, Outgoing), Error> {
    let pair = pkix::dh_generate(ctx.rng, ctx.meter)?;
    let key = me.rsa()?;
    let m = DhInit {
        hdr: c.hdr.clone(),
        t: c.t_i,
        rand: c.rand.clone(),
        cert_i: me.k.cert.clone(),
        id_r: Some(me.r_id()),
        sp: vec![srtp_policy()],
        dh_i: pkix::dh_public(&pair),
    };
    let bytes = dh::build_init(&m, key, me.cfg.sign, ctx.rng, ctx.meter)?;
    let send = Outgoing {
        to: Node::Responder,
        kind: MsgKind::DhInit,
        label: "I_MESSAGE (DH)".into(),
        bytes,
    };
    Ok((Session { pair: Arc::new(pair), tgk: None, answered: false }, send))
}

/// R's answer: its certificate (R's own), its signature, the echoed IDi and g^x, then g^xy.
pub(super) fn on_resp(
    k: &RoleKeys,
    session: &mut Option<super::Session>,
    d: &crate::wire::Decoded,
    label: &str,
    ctx: &mut Ctx,
) -> Result<RoleEvent, Error> {
    let p = dh::parse_resp(d, label)?;
    let s = outstanding(session, label, p.content.hdr.csb_id, &p.content.t)?;
    let done = s.common.state == SessionState::Done;
    let ModeState::Dh(s) = &mut s.mode else {
        return Err(Error::NoOutstandingSession { message: label.into() });
    };
    if s.answered || done {
        return Err(Error::AlreadyAnswered { message: label.into() });
    }
    let vc = pkix::verify_cert(
        &p.content.cert_r,
        &k.ca_cert,
        ctx.now.unix_secs(),
        "R",
        pkix::CertRole::Responder,
        ctx.meter,
    )?;
    if pkix::cert_subject(&vc) != k.ids.responder.as_slice() {
        return Err(Error::SignerWrongRole { message: label.into(), expected: "the responder R" });
    }
    crate::mikey::pk::verify_sign(p.decoded, &pkix::cert_public_key(&vc), "R", ctx.meter)?;
    if p.content.id_i.data != k.ids.sensor {
        return Err(Error::EchoMismatch { message: label.into(), field: "IDi" });
    }
    if p.content.dh_i != pkix::dh_public(&s.pair) {
        return Err(Error::EchoMismatch { message: label.into(), field: "DHi" });
    }
    let tgk = pkix::dh_shared(&s.pair, &p.content.dh_r, label, ctx.meter)?;
    s.answered = true;
    s.tgk = Some(tgk);
    Ok(RoleEvent::VerificationPassed { what: format!("{label}: R's signature and certificate") })
}
