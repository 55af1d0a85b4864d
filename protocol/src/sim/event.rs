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

/// The one name each role has in every sentence of the simulation: "the sensor", "TP1", "R",
/// "the CA", "the intruder" (the diagrams' labels, but for the sensor, whose label "I" would
/// read as the pronoun, and the intruder's "X").
pub fn role_name(node: Node) -> String {
    match node {
        Node::Sensor => "the sensor".into(),
        Node::Ca => "the CA".into(),
        Node::Intruder => "the intruder".into(),
        Node::Tp(_) | Node::Responder => node.label(),
    }
}

/// `text` with its first letter a capital: a sentence's start.
pub fn capitalise(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

fn list(v: &[u8]) -> String {
    v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

impl Event {
    /// One sentence saying what happened, with a capital and no trailing period; each role
    /// named by [`role_name`].
    pub fn describe(&self) -> String {
        capitalise(self.clause())
    }

    /// What happened, as the clause [`Event::describe`] capitalises.
    fn clause(&self) -> String {
        match &self.kind {
            EventKind::Sent { from, to, label, len, .. } => {
                format!("{} sends {label} to {} ({len} bytes)", role_name(*from), role_name(*to))
            }
            EventKind::Delivered { to, label, .. } => {
                format!("{label} arrives at {}", role_name(*to))
            }
            EventKind::Dropped { label, to, why, .. } => {
                format!("{label} never reaches {}: {}", role_name(*to), why.describe())
            }
            EventKind::Rejected { by, label, error } => {
                format!("{} rejects {label}: {error}", role_name(*by))
            }
            EventKind::VerificationFailed { by, label, error } => {
                format!("{} finds that {label} does not verify: {error}", role_name(*by))
            }
            EventKind::VerificationPassed { by, what } => {
                format!("{} verified {what}", role_name(*by))
            }
            EventKind::SessionStarted { csb_id } => {
                format!("the sensor starts a session (CSB ID 0x{csb_id:08x})")
            }
            EventKind::ShareForwarded { by, index } => {
                format!("{} accepts share {index} and forwards it to R", role_name(*by))
            }
            EventKind::ShareAccepted { by, tp, index } => {
                format!("{} accepts share {index} from TP{tp}", role_name(*by))
            }
            EventKind::BadShare { by, tp, index } => {
                format!(
                    "{} finds that share {index} from TP{tp} is wrong and leaves it out",
                    role_name(*by)
                )
            }
            EventKind::Waiting { by, have, need } => {
                format!("{} holds {have} of {need} needed shares", role_name(*by))
            }
            EventKind::TgkRebuilt { by, shares_used, rejected } => {
                let mut s = if shares_used.is_empty() {
                    format!("{} holds the TGK", role_name(*by))
                } else {
                    format!("{} rebuilt the TGK from shares {}", role_name(*by), list(shares_used))
                };
                if !rejected.is_empty() {
                    s.push_str(&format!(", leaving out wrong shares {}", list(rejected)));
                }
                s
            }
            EventKind::TekDerived { by, cs_id } => {
                format!("{} derived the TEK of crypto session {cs_id}", role_name(*by))
            }
            EventKind::RebuildFailed { by, error } => {
                format!("{} could not rebuild the TGK: {error}", role_name(*by))
            }
            EventKind::LateShare { by, tp, index } => {
                format!(
                    "{} no longer needs share {index} from TP{tp}: the TGK is already rebuilt",
                    role_name(*by)
                )
            }
            EventKind::TgkReceived { by, how } => {
                format!("{} obtained the TGK ({how})", role_name(*by))
            }
            EventKind::TimedOut { by, what } => format!("{} timed out: {what}", role_name(*by)),
            EventKind::SessionFailed { by, error } => {
                format!("the session failed at {}: {error}", role_name(*by))
            }
            EventKind::ErrorReceived { by, from, code, authenticated } => format!(
                "{} received an error message (code {code}) from {from}, {}",
                role_name(*by),
                if *authenticated { "authenticated" } else { "not authenticated" }
            ),
            EventKind::CommandApplied { command } => format!("the attacker commands: {command}"),
            EventKind::IntruderLearned { what } => format!("the intruder learns {what}"),
            EventKind::IntruderRebuiltTgk { shares } => {
                format!("the intruder rebuilt the TGK from shares {}", list(shares))
            }
        }
    }
}
