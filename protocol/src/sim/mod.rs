//! The simulation the UI drives: a network of the sensor, n third parties, R and the CA, the
//! packets in flight, an attacker's commands, a Dolev–Yao intruder, the event log and the
//! verdict. Deterministic from a seed; [`Player`] adds step back / seek / fork.
//!
//! * [`network`] — links, latencies, loss, arrival order;
//! * [`simulation`] — [`Simulation`]: roles + packets + commands + events;
//! * [`command`], [`event`], [`verdict`] — what the UI sends and reads;
//! * [`intruder`] — the Dolev–Yao knowledge engine, its facts with provenance in
//!   [`knowledge`];
//! * [`forge`] — messages the intruder composes from what it knows ([`Command::Inject`]);
//! * [`claims`] — the paper's §4.1 and §4.2 claims and the presets that show each;
//! * [`player`] — snapshots and time travel;
//! * [`scenario`] — the presets of the demonstrator;
//! * [`permalink`] — links to a moment of a run (configuration, commands, step);
//! * [`view`] — the view model: what the UI renders at a position of the [`Player`];
//! * [`bench`] — session time against the crypto floor;
//! * [`energy`] (re-exported) — the four modes' costs side by side and the energy model.
//! * [`lesson`] (re-exported) — the guided tour: chapters, their runs and questions.
//!
//! The UI uses this module only (and [`crate::wire`] for field spans): the configuration
//! types, the presets and the notes on deviations from the paper are re-exported here.

pub mod bench;
pub mod claims;
pub mod command;
pub mod event;
pub mod forge;
mod forge_build;
pub mod forge_text;
pub mod intruder;
pub mod knowledge;
pub mod network;
pub mod permalink;
pub mod player;
pub mod scenario;
pub mod shipped;
pub mod simulation;
pub mod speaker;
pub mod verdict;
pub mod view;

pub use crate::cost::{CostTable, Meter, RsaOps};
pub use crate::crypto::kemac::KemacProfile;
pub use crate::crypto::rsa::RsaBits;
pub use crate::energy;
pub use crate::glossary;
pub use crate::inspect::{
    CalcKind, CalcValue, Calculation, CertExtension, CertView, Check, DecodeKeys, DecodedInput,
    DecryptedView, Direction, Field, Finding, FoundMessage, HexRow, InputError, InputFormat,
    Inspection, Level, NamedValue, Opened, PayloadBox, RoleStep, RoleView, Snippet, Tool, Viewer,
    decode_input, decode_key_hex,
};
pub use crate::inspect::{KeyError, KeyInputs, decode_keys};
pub use crate::lesson;
pub use crate::mikey::{Deviation, NOTES};
pub use crate::roles::{
    EPOCH_UNIX, Known, Mode, MsgKind, Node, Pki, PkiJob, PkiNeed, PkiPart, SessionConfig, SimTime,
};
pub use crate::sharing::Scheme;
pub use crate::wire::layout::FieldSpan;
pub use claims::{AVISPA_PARAGRAPH, Claim, ClaimVerdict, claims};
pub use command::{Command, MaliciousKind, PacketAction, Tamper};
pub use event::{DropReason, Event, EventKind, role_name};
pub use forge::{
    Bytes, Candidate, FORGEABLE, FieldValue, ForgeField, ForgeSpec, Forged, Pick, Protection,
    Typed, assess, message_name,
};
pub use intruder::{Intruder, IntruderReport, KcvSearch, Loot};
pub use knowledge::{Fact, FactId, FactKind, How, Knowledge, MAX_SEARCH_BITS};
pub use network::{Link, PacketId};
pub use permalink::{Permalink, Script};
pub use player::{Player, Steppable};
pub use scenario::{Preset, paper_default, presets};
pub use shipped::{
    SHIPPED_PKI_DIR, pki_file_name, shipped_pki_need, shipped_pki_path, shipped_pki_status,
};
pub use simulation::{Fate, Origin, Packet, Rejection, Simulation, StepKind, StepReport};
pub use speaker::speaker_notes;
pub use verdict::Verdict;
pub use view::{
    EventTag, EventView, Expected, LinkState, LinkView, Moment, NodeView, PacketFate, PacketView,
    PayloadView, Playback, Segment, VerdictKind, VerdictView, ViewModel, decode_layout,
    next_narration,
};
