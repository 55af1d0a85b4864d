//! The four roles of the paper as sans-IO state machines: [`Sensor`] (the MIKEY Initiator),
//! [`ThirdParty`], [`Responder`] and the [`CertificateAuthority`] that provisions them.
//!
//! A role owns no socket, no clock and no random generator: the caller (a test, the `sim`
//! layer, the browser) hands it a received message (decoded once, see [`Role::on_decoded`]) and
//! the time in a [`Ctx`], and gets back the datagrams to send and the [`RoleEvent`]s that
//! happened ([`Output`]). Timers are polled with [`Role::on_timer`] at [`Role::next_deadline`]. Every role can list what it knows
//! ([`Role::knowledge`]) so the UI can show who holds which key.

pub mod ca;
pub mod config;
mod keys;
mod pki_impl;
pub mod responder;
pub mod sensor;
pub mod tp;

pub use ca::{
    CertificateAuthority, Identities, PartValue, Pki, PkiJob, PkiNeed, PkiPart, Provisioner,
};
pub use config::{Mode, Optional, SensorClock, SessionConfig, Timing};
pub use keys::SESSION_PRF;
pub use responder::Responder;
pub use sensor::{Sensor, SessionState};
pub use tp::{MaliciousKind, ThirdParty};

pub use crate::wire::MsgKind;

use crate::cost::Meter;
use crate::crypto::rng::SimRng;
use crate::error::Error;
use crate::wire::Decoded;

/// A participant of the simulated network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// The certificate authority (only active during provisioning).
    Ca,
    /// The constrained sensor, MIKEY Initiator I.
    Sensor,
    /// Third party TPi, `1..=n`.
    Tp(u8),
    /// The final responder R (the e-health server).
    Responder,
    /// The Dolev–Yao intruder (sender of forged or replayed packets).
    Intruder,
}

impl Node {
    /// Short name used in message labels and on screen: "CA", "I", "TP3", "R", "X".
    pub fn label(&self) -> String {
        match self {
            Node::Ca => "CA".into(),
            Node::Sensor => "I".into(),
            Node::Tp(i) => format!("TP{i}"),
            Node::Responder => "R".into(),
            Node::Intruder => "X".into(),
        }
    }

    /// The node a label names ("I", "R", "CA", "TP3", "X"); `None` for anything else
    /// ("TP0", "TP03", "tp3", …).
    pub fn from_label(label: &str) -> Option<Node> {
        match label {
            "I" => Some(Node::Sensor),
            "R" => Some(Node::Responder),
            "CA" => Some(Node::Ca),
            "X" => Some(Node::Intruder),
            _ => {
                let digits = label.strip_prefix("TP")?;
                if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                digits.parse::<u8>().ok().filter(|i| *i >= 1).map(Node::Tp)
            }
        }
    }
}

/// Fixed wall-clock start of every simulation (2026-11-24 18:30:00 UTC), so that runs with the
/// same seed produce byte-identical timestamps.
pub const EPOCH_UNIX: u64 = 1_795_545_000;

/// Simulated time: milliseconds since the simulation epoch [`EPOCH_UNIX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

impl SimTime {
    /// Seconds since the Unix epoch at this instant (whole seconds).
    pub fn unix_secs(self) -> u64 {
        EPOCH_UNIX + self.0 / 1000
    }

    /// The 64-bit NTP timestamp (32-bit seconds since 1900, 32-bit fraction) of this instant,
    /// as carried in a T payload of type NTP-UTC.
    pub fn ntp(self) -> u64 {
        crate::wire::time::unix_ms_to_ntp((EPOCH_UNIX * 1000).saturating_add(self.0))
    }

    /// This instant plus `ms` milliseconds.
    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
}

/// What a role needs from its environment for one call: the time, randomness and the meter on
/// which it counts its crypto work.
pub struct Ctx<'a> {
    pub now: SimTime,
    pub rng: &'a mut SimRng,
    pub meter: &'a mut Meter,
}

/// One datagram a role wants to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: Node,
    pub kind: MsgKind,
    /// Message label as the paper writes it: "I_TP2", "TP2_R", "R_I", "I_MESSAGE (PSK)", ….
    pub label: String,
    pub bytes: Vec<u8>,
}

/// Something that happened inside a role, for the event log and the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleEvent {
    /// The sensor started a session (CSB ID chosen, TGK drawn).
    SessionStarted { csb_id: u32 },
    /// R accepted share `index` forwarded by TP `tp`.
    ShareAccepted { tp: u8, index: u8 },
    /// A third party accepted (and will forward) the share it received from the sensor.
    ShareForwarded { index: u8 },
    /// The TGK was rebuilt (R) or received (standard modes) and passed its key check.
    TgkRebuilt { shares_used: Vec<u8>, rejected: Vec<u8> },
    /// A share failed the consistency check; `tp` sent it.
    BadShare { tp: u8, index: u8 },
    /// R rebuilt the TGK but it failed the key check (a wrong share); it waits for more.
    RebuildFailed { error: Error },
    /// A share arrived for a session R already completed (not needed any more).
    LateShare { tp: u8, index: u8 },
    /// R obtained the TGK in a standard mode (decrypted, or agreed by DH).
    TgkReceived { how: String },
    /// A TEK for crypto session `cs_id` was derived.
    TekDerived { cs_id: u8 },
    /// A verification (V payload, signature, R_I proof, …) passed.
    VerificationPassed { what: String },
    /// A received message was rejected.
    Rejected { label: String, error: Error },
    /// R holds `have` shares of a session and needs `need`.
    Waiting { have: usize, need: usize },
    /// A deadline expired.
    TimedOut { what: String },
    /// The session failed for good at this role.
    SessionFailed { error: Error },
    /// An ERR message arrived; `authenticated` says whether its V payload verified.
    ErrorReceived { from: String, code: u8, authenticated: bool },
}

/// Everything a role produced for one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub send: Vec<Outgoing>,
    pub events: Vec<RoleEvent>,
}

impl Output {
    /// An output with only one event.
    pub fn event(e: RoleEvent) -> Output {
        Output { send: Vec::new(), events: vec![e] }
    }

    /// Appends another output.
    pub fn extend(&mut self, other: Output) {
        self.send.extend(other.send);
        self.events.extend(other.events);
    }
}

/// A key or value a role holds, for the "who knows what" panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// What it is: "PSK with TP2", "TGK", "TEK (CS 1)", "RSA private key", ….
    pub name: String,
    pub value: Vec<u8>,
    /// True when the value must stay secret (keys), false for public values (certificates).
    pub secret: bool,
}

/// A derived traffic key: TEK and salt of one crypto session (RFC 3830 §4.1.3).
#[derive(Clone, PartialEq, Eq)]
pub struct DerivedTek {
    pub cs_id: u8,
    pub tek: zeroize::Zeroizing<Vec<u8>>,
    pub salt: zeroize::Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for DerivedTek {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DerivedTek {{ cs_id: {}, .. }}", self.cs_id)
    }
}

/// The interface every role offers to the simulation.
pub trait Role {
    /// Handles one datagram from `from`, decoded once by the caller: the decoded message (which
    /// keeps its bytes as received, for MAC and signature checks), or the decoder's error, which
    /// the role rejects under its own name for the message. Never panics on any input.
    fn on_decoded(&mut self, from: Node, msg: Result<&Decoded, &Error>, ctx: &mut Ctx) -> Output;

    /// Decodes `bytes` and hands the result to [`Role::on_decoded`]: for callers that hold raw
    /// bytes (tests, fuzz targets). Never panics on any input.
    fn on_message(&mut self, from: Node, bytes: &[u8], ctx: &mut Ctx) -> Output {
        self.on_decoded(from, crate::wire::Message::decode(bytes).as_ref(), ctx)
    }
    /// Fires the timers that are due at `ctx.now`.
    fn on_timer(&mut self, ctx: &mut Ctx) -> Output;
    /// The next instant at which [`Role::on_timer`] has something to do.
    fn next_deadline(&self) -> Option<SimTime>;
    /// The keys and values this role holds.
    fn knowledge(&self) -> Vec<Known>;
}
