//! The sensor in the public-key mode (RFC 3830 §3.2): the TGK travels in a KEMAC under a
//! fresh envelope key, which travels under R's RSA key (PKE); the I_MESSAGE is signed with
//! the sensor's key. R's optional R_MESSAGE proves it got the TGK.

use zeroize::Zeroizing;

use super::{Common, Me};
use crate::crypto::derive::MessageKeys;
use crate::crypto::rng;
use crate::error::Error;
use crate::mikey::pk::{self, PkInit, PkKeys};
use crate::mikey::pkix::{self, RsaPublic};
use crate::roles::keys::srtp_policy;
use crate::roles::{Ctx, MsgKind, Node, Outgoing};
use crate::wire::{Cert, CertType};

/// What only a PK session has.
#[derive(Clone)]
pub(super) struct Session {
    pub tgk: Zeroizing<Vec<u8>>,
    pub env_key: Zeroizing<Vec<u8>>,
    /// Keys of the I_MESSAGE (from the envelope key; the auth key checks R's V payload).
    pub keys: MessageKeys,
    /// R's R_MESSAGE was accepted.
    pub answered: bool,
}

/// R's public key, from R's certificate checked against the CA once and then kept.
fn r_public(me: &Me, cache: &mut Option<RsaPublic>, ctx: &mut Ctx) -> Result<RsaPublic, Error> {
    pkix::responder_key(cache, &me.k.r_cert, &me.k.ca_cert, ctx.now.unix_secs(), ctx.meter)
}

/// Checks R's certificate, draws the TGK and the envelope key, builds the signed I_MESSAGE.
pub(super) fn start(
    me: &Me,
    r_key: &mut Option<RsaPublic>,
    c: &Common,
    ctx: &mut Ctx,
) -> Result<(Session, Outgoing), Error> {
    let responder = r_public(me, r_key, ctx)?;
    let tgk = Zeroizing::new(rng::bytes(ctx.rng, 16));
    let env_key = Zeroizing::new(rng::bytes(ctx.rng, 16));
    let signer = me.rsa()?;
    let m = PkInit {
        hdr: c.hdr.clone(),
        t: c.t_i,
        rand: c.rand.clone(),
        certs: vec![Cert { cert_type: CertType::X509v3Sign, data: me.k.cert.clone() }],
        id_r: Some(me.r_id()),
        sp: vec![srtp_policy()],
        ext: None,
        chash: None,
    };
    let keys = PkKeys {
        env_key: &env_key,
        responder: &responder,
        pke: me.cfg.pke,
        signer,
        sign: me.cfg.sign,
    };
    let (bytes, mk) =
        pk::build_init(&m, &me.id(), &[Me::tgk_key(&tgk)], &keys, ctx.rng, ctx.meter)?;
    let send = Outgoing {
        to: Node::Responder,
        kind: MsgKind::PkInit,
        label: "I_MESSAGE (PK)".into(),
        bytes,
    };
    Ok((Session { tgk, env_key, keys: mk, answered: false }, send))
}
