//! The one place where the UI touches the protocol crate. It re-exports the `dmikey` types the
//! components use and copies the simulation's state into small view structs (a packet with
//! its fate, an event with its sentence). It decides nothing about the protocol: every
//! sentence comes from `describe()`/`Display` in `dmikey`, every field from the decoder.
use std::sync::Arc;

pub use dmikey::crypto::kemac::KemacProfile;
pub use dmikey::crypto::rsa::RsaBits;
pub use dmikey::roles::{Known, Mode, Node, Pki, SessionConfig};
pub use dmikey::sharing::Scheme;
pub use dmikey::sim::Link as SimLink;
pub use dmikey::sim::scenario::Preset;
use dmikey::sim::{self, Simulation};
pub use dmikey::sim::{Command, IntruderReport, PacketId, Permalink, Script, Tamper, Verdict};

/// The player the UI drives: the real simulation with snapshots for step back and seek.
pub type Player = sim::Player<Simulation>;

/// The configuration a first visit starts with: the paper's design (distributed mode,
/// Reed–Solomon), three third parties, any two of which suffice, a fixed seed.
pub fn paper_default() -> SessionConfig {
    let mut c = SessionConfig::distributed(3, 2, Scheme::PaperRs);
    c.seed = Some(1);
    c
}

/// What became of a packet, as drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Fate {
    InFlight,
    Delivered,
    Dropped(String),
    /// Delivered, and its receiver rejected it (the reason is the receiver's error).
    Rejected(String),
}

/// A captured packet, as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    pub id: PacketId,
    pub from: Node,
    pub to: Node,
    pub label: String,
    pub bytes: Vec<u8>,
    pub sent_at: u64,
    pub arrives_at: u64,
    pub fate: Fate,
    pub replayed: bool,
    pub tampered: bool,
}

/// Kinds of events, for the tag beside each sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Sent,
    Delivered,
    Dropped,
    Rejected,
    Accepted,
    Rebuilt,
    Verified,
    Failed,
    TimedOut,
    Attack,
    Info,
}

/// One event, as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub step: usize,
    pub at_ms: u64,
    pub packet: Option<PacketId>,
    pub kind: EventKind,
    pub text: String,
}

/// Which segment a link belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Constrained,
    Unconstrained,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub a: Node,
    pub b: Node,
    pub segment: Segment,
}

fn event_view(e: &sim::Event) -> Event {
    use sim::EventKind as K;
    let (kind, packet) = match &e.kind {
        K::Sent { packet, .. } => (EventKind::Sent, Some(*packet)),
        K::Delivered { packet, .. } => (EventKind::Delivered, Some(*packet)),
        K::Dropped { packet, .. } => (EventKind::Dropped, Some(*packet)),
        K::Rejected { .. } | K::VerificationFailed { .. } => (EventKind::Rejected, None),
        K::ShareForwarded { .. } | K::ShareAccepted { .. } => (EventKind::Accepted, None),
        K::TgkRebuilt { .. } | K::TekDerived { .. } => (EventKind::Rebuilt, None),
        K::VerificationPassed { .. } => (EventKind::Verified, None),
        K::SessionFailed { .. } | K::BadShare { .. } => (EventKind::Failed, None),
        K::TimedOut { .. } => (EventKind::TimedOut, None),
        K::CommandApplied { .. } | K::IntruderLearned { .. } | K::IntruderRebuiltTgk { .. } => {
            (EventKind::Attack, None)
        }
        _ => (EventKind::Info, None),
    };
    Event { step: e.step, at_ms: e.at.0, packet, kind, text: e.describe() }
}

/// The reason `to` gave for rejecting `label` during `step`, if it did.
fn rejection(sim: &Simulation, step: usize, to: Node, label: &str) -> Option<String> {
    sim.events().iter().find_map(|e| match &e.kind {
        sim::EventKind::Rejected { by, label: l, error }
        | sim::EventKind::VerificationFailed { by, label: l, error }
            // A replayed copy keeps the original's label plus " (replay)".
            if e.step == step && *by == to && label.starts_with(l.as_str()) =>
        {
            Some(error.to_string())
        }
        _ => None,
    })
}

fn packet_view(s: &Simulation, p: &sim::Packet) -> Packet {
    let fate = match &p.fate {
        sim::Fate::InFlight => Fate::InFlight,
        sim::Fate::Dropped { why, .. } => Fate::Dropped(why.describe()),
        sim::Fate::Delivered { .. } => {
            let step = s.events().iter().find_map(|e| match &e.kind {
                sim::EventKind::Delivered { packet, .. } if *packet == p.id => Some(e.step),
                _ => None,
            });
            match step.and_then(|st| rejection(s, st, p.to, &p.label)) {
                Some(why) => Fate::Rejected(why),
                None => Fate::Delivered,
            }
        }
    };
    Packet {
        id: p.id,
        from: p.from,
        to: p.to,
        label: p.label.clone(),
        bytes: p.bytes.clone(),
        sent_at: p.sent_at.0,
        arrives_at: p.arrive_at.0,
        fate,
        replayed: matches!(p.origin, sim::Origin::Replay { .. }),
        tampered: p.tampered,
    }
}

/// Read-only view of the simulation at the player's position.
pub struct View<'a>(pub &'a Simulation);

impl View<'_> {
    pub fn nodes(&self) -> Vec<Node> {
        self.0.nodes()
    }
    /// The links messages can take. The distributed mode talks I–TPi and TPi–R; the standard
    /// modes I–R. Which segment is constrained is `sim::network::is_constrained`.
    pub fn links(&self) -> Vec<Link> {
        let pairs: Vec<(Node, Node)> = if self.0.is_distributed() {
            (1..=self.0.config().tps())
                .flat_map(|i| [(Node::Sensor, Node::Tp(i)), (Node::Tp(i), Node::Responder)])
                .collect()
        } else {
            vec![(Node::Sensor, Node::Responder)]
        };
        pairs
            .into_iter()
            .map(|(a, b)| Link {
                a,
                b,
                segment: if sim::network::is_constrained(a, b) {
                    Segment::Constrained
                } else {
                    Segment::Unconstrained
                },
            })
            .collect()
    }
    pub fn link_is_down(&self, a: Node, b: Node) -> bool {
        !self.0.network().is_up(a, b)
    }
    pub fn capture(&self) -> Vec<Packet> {
        self.0.capture().iter().map(|p| packet_view(self.0, p)).collect()
    }
    pub fn events(&self) -> Vec<Event> {
        self.0.events().iter().map(event_view).collect()
    }
    pub fn verdict(&self) -> Verdict {
        self.0.verdict()
    }
    pub fn intruder_report(&self) -> IntruderReport {
        self.0.intruder_report()
    }
    pub fn compromised(&self) -> Vec<u8> {
        self.0.intruder_report().compromised
    }
    pub fn malicious(&self) -> Vec<u8> {
        (1..=self.0.config().tps())
            .filter(|i| self.0.tp(*i).is_some_and(|t| t.is_malicious()))
            .collect()
    }
    /// The loss rate on every link, in thousandths.
    pub fn loss_permille(&self) -> u16 {
        self.0.network().loss_permille
    }
    pub fn now_ms(&self) -> u64 {
        self.0.now().0
    }
    pub fn in_flight(&self) -> usize {
        self.0.in_flight().len()
    }
    pub fn node_knowledge(&self, node: Node) -> Vec<Known> {
        self.0.node_knowledge(node)
    }
}

/// Starts a run of `cfg` on a provisioned PKI.
pub fn start(cfg: SessionConfig, pki: Arc<Pki>) -> Result<Player, String> {
    Simulation::with_pki(cfg, pki).map(Player::new).map_err(|e| e.to_string())
}

/// One payload of a decoded message: its name, bytes and fields (from the decoder's layout).
pub struct PayloadView {
    pub kind: &'static str,
    pub range: std::ops::Range<usize>,
    pub fields: Vec<dmikey::wire::layout::FieldSpan>,
}

/// The decoder's own field list for a message, or its error in words.
pub fn decode_layout(bytes: &[u8]) -> Result<Vec<PayloadView>, String> {
    let d = dmikey::wire::Message::decode(bytes).map_err(|e| e.to_string())?;
    Ok(d.layout
        .payloads
        .into_iter()
        .map(|p| PayloadView { kind: p.kind.name(), range: p.range, fields: p.fields })
        .collect())
}

/// The protocol's scenario presets (`dmikey::sim::scenario`), each with the verdict it must
/// reach, for the RSA size and seed the audience chose.
pub fn presets(rsa: RsaBits, seed: Option<u64>) -> Vec<Preset> {
    sim::scenario::presets(rsa, seed)
}

/// The capture of the run so far as a pcap file (`Simulation::pcap`).
pub fn pcap(sim: &Simulation) -> Vec<u8> {
    sim.pcap()
}

/// The keys of the run so far as JSON (`Simulation::keylog_json`).
pub fn keylog_json(sim: &Simulation) -> String {
    sim.keylog_json()
}
