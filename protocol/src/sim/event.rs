//! What happened during a run, in order: packets sent, delivered, dropped; what the roles
//! did with them; the attacker's commands; what the intruder learned. Every event can
//! describe itself in one sentence (for the aria-live region of the UI and the CLI trace).

use super::network::{Link, PacketId};
use super::{Node, SimTime};
use crate::error::Error;

/// Why a packet never arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DropReason {
    /// The attacker dropped it.
    Command,
    /// The link was down when it should have arrived.
    LinkDown(Link),
    /// The seeded loss process lost it.
    Loss,
}

impl DropReason {
    /// In words.
    pub fn describe(&self) -> String {
        match self {
            DropReason::Command => "the attacker dropped it".into(),
            DropReason::LinkDown(l) => format!("the link {} is down", l.describe()),
            DropReason::Loss => "the lossy link lost it".into(),
        }
    }
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Simulated time.
    pub at: SimTime,
    /// The step during which it happened (0 = set-up, before any delivery).
    pub step: usize,
    pub kind: EventKind,
}

/// The events of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// A packet was put on the wire.
    Sent { packet: PacketId, from: Node, to: Node, label: String, len: usize },
    /// A packet reached its receiver.
    Delivered { packet: PacketId, from: Node, to: Node, label: String },
    /// A packet never arrived.
    Dropped { packet: PacketId, from: Node, to: Node, label: String, why: DropReason },
    /// A role rejected a message.
    Rejected { by: Node, label: String, error: Error },
    /// A MAC, tag or signature check failed (also logged as a rejection).
    VerificationFailed { by: Node, label: String, error: Error },
    /// A role passed a verification.
    VerificationPassed { by: Node, what: String },
    /// The sensor started its session.
    SessionStarted { csb_id: u32 },
    /// A TP accepted its share and forwards it.
    ShareForwarded { by: Node, index: u8 },
    /// R accepted share `index` from TP `tp`.
    ShareAccepted { by: Node, tp: u8, index: u8 },
    /// A share failed R's consistency check.
    BadShare { by: Node, tp: u8, index: u8 },
    /// R holds `have` of `need` shares.
    Waiting { by: Node, have: usize, need: usize },
    /// The TGK was rebuilt (or agreed) and passed its check.
    TgkRebuilt { by: Node, shares_used: Vec<u8>, rejected: Vec<u8> },
    /// A TEK was derived.
    TekDerived { by: Node, cs_id: u8 },
    /// R had enough shares but no subset passed the key check.
    RebuildFailed { by: Node, error: Error },
    /// A share arrived after R had already rebuilt the TGK.
    LateShare { by: Node, tp: u8, index: u8 },
    /// The TGK arrived in a standard mode (decrypted or agreed by DH).
    TgkReceived { by: Node, how: String },
    /// A deadline expired.
    TimedOut { by: Node, what: String },
    /// The session failed for good at this role.
    SessionFailed { by: Node, error: Error },
    /// An ERR message arrived.
    ErrorReceived { by: Node, from: String, code: u8, authenticated: bool },
    /// An attacker command took effect.
    CommandApplied { command: String },
    /// The intruder learned something (a key, a share).
    IntruderLearned { what: String },
    /// The intruder rebuilt the TGK from the shares it holds.
    IntruderRebuiltTgk { shares: Vec<u8> },
}

fn list(v: &[u8]) -> String {
    v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

impl Event {
    /// One sentence (no trailing period) saying what happened.
    pub fn describe(&self) -> String {
        match &self.kind {
            EventKind::Sent { from, to, label, len, .. } => {
                format!("{} sends {label} to {} ({len} bytes)", from.label(), to.label())
            }
            EventKind::Delivered { to, label, .. } => format!("{label} arrives at {}", to.label()),
            EventKind::Dropped { label, to, why, .. } => {
                format!("{label} never reaches {}: {}", to.label(), why.describe())
            }
            EventKind::Rejected { by, label, error } => {
                format!("{} rejects {label}: {error}", by.label())
            }
            EventKind::VerificationFailed { by, label, error } => {
                format!("{} finds that {label} does not verify: {error}", by.label())
            }
            EventKind::VerificationPassed { by, what } => format!("{} verified {what}", by.label()),
            EventKind::SessionStarted { csb_id } => {
                format!("the sensor starts a session (CSB ID 0x{csb_id:08x})")
            }
            EventKind::ShareForwarded { by, index } => {
                format!("{} accepts share {index} and forwards it to R", by.label())
            }
            EventKind::ShareAccepted { by, tp, index } => {
                format!("{} accepts share {index} from TP{tp}", by.label())
            }
            EventKind::BadShare { by, tp, index } => {
                format!("{} finds that share {index} from TP{tp} is wrong and leaves it out", by.label())
            }
            EventKind::Waiting { by, have, need } => {
                format!("{} holds {have} of {need} needed shares", by.label())
            }
            EventKind::TgkRebuilt { by, shares_used, rejected } => {
                let mut s = if shares_used.is_empty() {
                    format!("{} holds the TGK", by.label())
                } else {
                    format!("{} rebuilt the TGK from shares {}", by.label(), list(shares_used))
                };
                if !rejected.is_empty() {
                    s.push_str(&format!(", leaving out wrong shares {}", list(rejected)));
                }
                s
            }
            EventKind::TekDerived { by, cs_id } => {
                format!("{} derived the TEK of crypto session {cs_id}", by.label())
            }
            EventKind::RebuildFailed { by, error } => {
                format!("{} could not rebuild the TGK: {error}", by.label())
            }
            EventKind::LateShare { by, tp, index } => {
                format!("{} no longer needs share {index} from TP{tp}: the TGK is already rebuilt", by.label())
            }
            EventKind::TgkReceived { by, how } => format!("{} obtained the TGK ({how})", by.label()),
            EventKind::TimedOut { by, what } => format!("{} timed out: {what}", by.label()),
            EventKind::SessionFailed { by, error } => {
                format!("the session failed at {}: {error}", by.label())
            }
            EventKind::ErrorReceived { by, from, code, authenticated } => format!(
                "{} received an error message (code {code}) from {from}, {}",
                by.label(),
                if *authenticated { "authenticated" } else { "not authenticated" }
            ),
            EventKind::CommandApplied { command } => format!("attacker: {command}"),
            EventKind::IntruderLearned { what } => format!("the intruder learns {what}"),
            EventKind::IntruderRebuiltTgk { shares } => {
                format!("the intruder rebuilt the TGK from shares {}", list(shares))
            }
        }
    }
}
