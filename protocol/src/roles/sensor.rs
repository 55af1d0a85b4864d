//! The sensor, MIKEY Initiator I: draws the TGK, and either runs a standard mode with R or
//! splits the TGK into n shares and sends share i to TPi (I_TPi). It accepts TPi_I and R_I
//! only for its outstanding session and only once, checks that R_I proves knowledge of the
//! TGK, derives the TEK(s), and fails the session when its deadline passes.

use super::{Ctx, Known, Node, Output, Pki, Role, SessionConfig, SimTime};
use crate::error::Error;

/// The sensor role.
#[derive(Clone)]
pub struct Sensor {
    cfg: SessionConfig,
}

impl Sensor {
    /// A sensor provisioned from `pki` for sessions configured by `cfg`.
    pub fn new(cfg: &SessionConfig, pki: &Pki) -> Result<Sensor, Error> {
        let _ = pki;
        cfg.validate()?;
        Ok(Sensor { cfg: cfg.clone() })
    }

    /// Starts a session: sends the first message(s) of the configured mode.
    pub fn start(&mut self, ctx: &mut Ctx) -> Output {
        let _ = ctx;
        Output::default()
    }
}

impl Sensor {
    /// The TGK this role holds for its current session (drawn, rebuilt or agreed), if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        None
    }

    /// The TEKs (and salts) derived so far for the current session.
    pub fn teks(&self) -> &[super::DerivedTek] {
        &[]
    }
}

impl Role for Sensor {
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
