//! Stand-ins for the `roles` contract types (docs/design.md "roles/") until that layer lands;
//! replaced by `pub use crate::roles::{…}` on merge.

/// A participant of the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    Ca,
    Sensor,
    Tp(u8),
    Responder,
    Intruder,
}

impl Node {
    pub fn label(&self) -> String {
        match self {
            Node::Ca => "CA".into(),
            Node::Sensor => "I".into(),
            Node::Tp(i) => format!("TP{i}"),
            Node::Responder => "R".into(),
            Node::Intruder => "X".into(),
        }
    }
}

/// Milliseconds since the simulation epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// Fixed wall-clock start of every simulation (2026-01-01T00:00:00Z).
pub const EPOCH_UNIX: u64 = 1_767_225_600;

/// What kind of MIKEY message a packet carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MsgKind {
    PskInit,
    PskVerify,
    PkInit,
    PkVerify,
    DhInit,
    DhResp,
    ITp,
    TpI,
    TpR,
    RTp,
    RI,
    Error,
}
