//! The simulation the UI drives: a network of the sensor, n third parties, R and the CA, the
//! packets in flight, an attacker's commands, a Dolev–Yao intruder, the event log and the
//! verdict. Deterministic from a seed; [`Player`] adds step back / seek / fork.
//!
//! * [`network`] — links, latencies, loss, arrival order;
//! * [`simulation`] — [`Simulation`]: roles + packets + commands + events;
//! * [`command`], [`event`], [`verdict`] — what the UI sends and reads;
//! * [`intruder`] — the Dolev–Yao knowledge engine;
//! * [`player`] — snapshots and time travel;
//! * [`scenario`] — the presets of the demonstrator;
//! * [`permalink`] — links to a moment of a run (configuration, commands, step);
//! * [`bench`] — session time against the crypto floor.

pub mod bench;
pub mod command;
pub mod event;
pub mod intruder;
pub mod network;
pub mod permalink;
pub mod player;
pub mod scenario;
pub mod simulation;
pub mod verdict;

pub use crate::roles::{EPOCH_UNIX, MsgKind, Node, Pki, PkiJob, PkiNeed, PkiPart, SimTime};
pub use command::{Command, PacketAction, Tamper};
pub use event::{DropReason, Event, EventKind};
pub use intruder::{Intruder, IntruderReport};
pub use network::{Link, PacketId};
pub use permalink::{Permalink, Script};
pub use player::{Player, Steppable};
pub use simulation::{Fate, Origin, Packet, Simulation, StepKind, StepReport};
pub use verdict::Verdict;
