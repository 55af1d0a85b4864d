//! The simulation the UI drives: a network of the sensor, n third parties, R and the CA, the
//! packets in flight, an attacker's commands, a Dolev–Yao intruder, the event log and the
//! verdict. Deterministic from a seed.

pub mod network;
pub mod player;
mod shim;

pub use shim::{EPOCH_UNIX, MsgKind, Node, SimTime};
