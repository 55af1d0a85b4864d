//! The view model: everything the demonstrator's screen shows at one position of a
//! [`Player`], as plain typed data read off the [`Simulation`]. The UI renders it and decides
//! nothing about the protocol: which packet was rejected and by whom, where a packet ended,
//! which links exist, how serious the verdict is and what to announce for a step are all
//! settled here (or in the simulation itself), once.
//!
//! [`ViewModel::of`] builds the whole model; each part also has its own builder
//! ([`packets`], [`links`], [`nodes`], [`events`], [`VerdictView::of`], [`Playback::of`],
//! [`Expected::of`]) so a caller can take only what it needs. Every type is `Clone +
//! PartialEq`, so a UI can hold one model and derive each panel from it, redrawing a panel
//! only when its part changed; packet bytes are shared (`Arc<[u8]>`), so a clone is cheap.

use std::ops::Range;
use std::sync::Arc;

use super::event::{DropReason, EventKind};
use super::intruder::IntruderReport;
use super::network::{self, Link, PacketId};
use super::player::Player;
use super::scenario::Preset;
use super::simulation::{Fate, Origin, Simulation};
use super::verdict::Verdict;
use super::{MsgKind, Node};
use crate::error::Error;
use crate::wire::layout::FieldSpan;

/// A simulated instant: the step during which something happened and the simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// 1-based step (0: while the session was being set up).
    pub step: usize,
    /// Simulated milliseconds since the start of the run.
    pub at_ms: u64,
}

/// What became of a packet, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketFate {
    InFlight,
    /// Delivered and accepted by its receiver.
    Delivered,
    /// Never arrived.
    Dropped {
        why: DropReason,
    },
    /// Delivered, and its receiver `by` refused it with `error`.
    Rejected {
        by: Node,
        error: Error,
    },
}

/// One packet of the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketView {
    pub id: PacketId,
    /// Claimed sender (a replay claims the original sender).
    pub from: Node,
    pub to: Node,
    pub kind: MsgKind,
    /// The label as it travelled ("TP1_R", "TP1_R (replay)").
    pub label: String,
    /// The message it carries, without replay marks: for a replay, the label of the
    /// original.
    pub message: String,
    /// The bytes as they travelled (after any tampering).
    pub bytes: Arc<[u8]>,
    /// Whether the attacker changed the bytes.
    pub tampered: bool,
    pub origin: Origin,
    pub fate: PacketFate,
    /// When it was sent.
    pub sent: Moment,
    /// When it is (or was) due to arrive, in simulated ms.
    pub arrives_ms: u64,
    /// When it was delivered or dropped; `None` while in flight.
    pub ended: Option<Moment>,
}

impl PacketView {
    /// Still on the wire.
    pub fn in_flight(&self) -> bool {
        self.fate == PacketFate::InFlight
    }

    /// Whether it was delivered or dropped during `step`.
    pub fn ended_at(&self, step: usize) -> bool {
        self.ended.is_some_and(|m| m.step == step)
    }
}

/// Every packet ever sent in `sim`, by id.
pub fn packets(sim: &Simulation) -> Vec<PacketView> {
    let mut out: Vec<PacketView> = Vec::with_capacity(sim.capture().len());
    for p in sim.capture() {
        let (fate, ended) = match &p.fate {
            Fate::InFlight => (PacketFate::InFlight, None),
            Fate::Delivered { at, step, rejected } => (
                match rejected {
                    Some(r) => PacketFate::Rejected { by: r.by, error: r.error.clone() },
                    None => PacketFate::Delivered,
                },
                Some(Moment { step: *step, at_ms: at.0 }),
            ),
            Fate::Dropped { at, step, why } => (
                PacketFate::Dropped { why: why.clone() },
                Some(Moment { step: *step, at_ms: at.0 }),
            ),
        };
        // A replay copies an earlier packet (its id is smaller), already in `out`.
        let message = match p.origin {
            Origin::Replay { of } => out.get(of).map(|o| o.message.clone()),
            Origin::Role | Origin::Forged { .. } => None,
        }
        .unwrap_or_else(|| p.label.clone());
        out.push(PacketView {
            id: p.id,
            from: p.from,
            to: p.to,
            kind: p.kind,
            label: p.label.clone(),
            message,
            bytes: Arc::from(p.bytes.as_slice()),
            tampered: p.tampered,
            origin: p.origin.clone(),
            fate,
            sent: Moment { step: p.sent_step, at_ms: p.sent_at.0 },
            arrives_ms: p.arrive_at.0,
            ended,
        });
    }
    out
}

/// Which part of the network a link belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// The sensor's radio (IEEE 802.15.4): pre-shared-key MIKEY.
    Constrained,
    /// The backbone: public-key MIKEY.
    Unconstrained,
}

/// Whether a link carries packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Up,
    /// Packets arriving over it are lost until it comes back up.
    Down,
}

/// One link of the session's topology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkView {
    /// The link (what [`super::Command::LinkDown`] takes).
    pub link: Link,
    pub segment: Segment,
    pub state: LinkState,
}

impl LinkView {
    /// Its two ends.
    pub fn ends(&self) -> (Node, Node) {
        (self.link.0, self.link.1)
    }
}

/// The links of `sim` ([`Simulation::links`]) with their segment and state.
pub fn links(sim: &Simulation) -> Vec<LinkView> {
    sim.links()
        .into_iter()
        .map(|link| LinkView {
            link,
            segment: if network::is_constrained(link.0, link.1) {
                Segment::Constrained
            } else {
                Segment::Unconstrained
            },
            state: if sim.network().is_up(link.0, link.1) {
                LinkState::Up
            } else {
                LinkState::Down
            },
        })
        .collect()
}

/// One node of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub node: Node,
    /// "I", "TP2", "R", "CA".
    pub label: String,
    /// The intruder holds its keys (third parties only).
    pub compromised: bool,
    /// It forwards wrong shares (third parties only).
    pub malicious: bool,
}

/// The nodes of `sim` (CA, I, TP1…TPn, R) with their flags; `report` is `sim`'s intruder
/// report (who is compromised).
pub fn nodes(sim: &Simulation, report: &IntruderReport) -> Vec<NodeView> {
    sim.nodes()
        .into_iter()
        .map(|node| {
            let (compromised, malicious) = match node {
                Node::Tp(i) => {
                    (report.compromised.contains(&i), sim.tp(i).is_some_and(|t| t.is_malicious()))
                }
                _ => (false, false),
            };
            NodeView { node, label: node.label(), compromised, malicious }
        })
        .collect()
}

/// What kind of thing an event is, for the tag beside its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTag {
    Sent,
    Delivered,
    Dropped,
    /// A receiver refused a message (a failed MAC, tag or signature check included).
    Rejected,
    /// A share was accepted (by a TP, or by R).
    Accepted,
    /// A key was rebuilt, received or derived.
    Rebuilt,
    Verified,
    Failed,
    TimedOut,
    /// An attacker's command, or something the intruder learned.
    Attack,
    Info,
}

impl EventTag {
    /// The tag of an event of this kind.
    pub fn of(kind: &EventKind) -> EventTag {
        match kind {
            EventKind::Sent { .. } => EventTag::Sent,
            EventKind::Delivered { .. } => EventTag::Delivered,
            EventKind::Dropped { .. } => EventTag::Dropped,
            EventKind::Rejected { .. } | EventKind::VerificationFailed { .. } => EventTag::Rejected,
            EventKind::ShareForwarded { .. } | EventKind::ShareAccepted { .. } => {
                EventTag::Accepted
            }
            EventKind::TgkRebuilt { .. }
            | EventKind::TgkReceived { .. }
            | EventKind::TekDerived { .. } => EventTag::Rebuilt,
            EventKind::VerificationPassed { .. } => EventTag::Verified,
            EventKind::SessionFailed { .. }
            | EventKind::BadShare { .. }
            | EventKind::RebuildFailed { .. } => EventTag::Failed,
            EventKind::TimedOut { .. } => EventTag::TimedOut,
            EventKind::CommandApplied { .. }
            | EventKind::IntruderLearned { .. }
            | EventKind::IntruderRebuiltTgk { .. } => EventTag::Attack,
            EventKind::SessionStarted { .. }
            | EventKind::Waiting { .. }
            | EventKind::LateShare { .. }
            | EventKind::ErrorReceived { .. } => EventTag::Info,
        }
    }
}

/// One entry of the event list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    pub step: usize,
    pub at_ms: u64,
    /// The packet it is about: the one sent, delivered, dropped or rejected.
    pub packet: Option<PacketId>,
    pub tag: EventTag,
    /// The event in one sentence ([`super::Event::describe`]).
    pub text: String,
}

/// The event log of `sim`; `packets` is `sim`'s capture ([`packets`]), which names the
/// packet a rejection is about.
pub fn events(sim: &Simulation, packets: &[PacketView]) -> Vec<EventView> {
    // A step delivers at most one packet, so a receiver's rejection during a step is about
    // the packet it refused during that step.
    let rejected = |step: usize, who: Node| {
        packets.iter().find_map(|p| match &p.fate {
            PacketFate::Rejected { by, .. } if *by == who && p.ended_at(step) => Some(p.id),
            _ => None,
        })
    };
    sim.events()
        .iter()
        .map(|e| {
            let packet = match &e.kind {
                EventKind::Sent { packet, .. }
                | EventKind::Delivered { packet, .. }
                | EventKind::Dropped { packet, .. } => Some(*packet),
                EventKind::Rejected { by, .. } | EventKind::VerificationFailed { by, .. } => {
                    rejected(e.step, *by)
                }
                _ => None,
            };
            EventView {
                step: e.step,
                at_ms: e.at.0,
                packet,
                tag: EventTag::of(&e.kind),
                text: e.describe(),
            }
        })
        .collect()
}

/// How the verdict reads at a glance; later variants are worse (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VerdictKind {
    /// Nothing decided yet: packets are still on their way.
    Pending,
    /// R holds the TGK and the intruder learned nothing of it.
    Success,
    /// R does not hold the TGK and will not (the session failed, or nothing is left in
    /// flight).
    Failed,
    /// The intruder knows some TGK bits.
    PartlyExposed,
    /// The intruder rebuilt the TGK.
    Exposed,
    /// An active attack succeeded: R holds a TGK that is not the sensor's, or the sensor
    /// accepted a forged proof. Ranked above every other kind: the keys of the session are
    /// the intruder's, whatever else is true.
    Fooled,
}

impl VerdictKind {
    /// The kind of `v`; `settled`: the run has ended or no packet is in flight any more.
    pub fn of(v: &Verdict, settled: bool) -> VerdictKind {
        if v.sensor_accepted_forgery || (v.r_rebuilt_tgk && !v.r_tgk_is_sensors) {
            VerdictKind::Fooled
        } else if v.intruder_rebuilt_tgk {
            VerdictKind::Exposed
        } else if v.tgk_bits_exposed > 0 {
            VerdictKind::PartlyExposed
        } else if v.r_rebuilt_tgk {
            VerdictKind::Success
        } else if v.session_failed || settled {
            VerdictKind::Failed
        } else {
            VerdictKind::Pending
        }
    }
}

/// The verdict and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictView {
    pub kind: VerdictKind,
    /// The simulation's verdict (its sentence is `verdict.sentence`).
    pub verdict: Verdict,
}

impl VerdictView {
    /// From `sim`'s verdict; `report` is `sim`'s intruder report, `settled` as in
    /// [`VerdictKind::of`].
    pub fn of(sim: &Simulation, report: &IntruderReport, settled: bool) -> VerdictView {
        let verdict = sim.verdict_with(report);
        VerdictView { kind: VerdictKind::of(&verdict, settled), verdict }
    }
}

/// Where the playback stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playback {
    /// The step shown.
    pub position: usize,
    /// The furthest step reached on this timeline.
    pub furthest: usize,
    /// The last step of the timeline, once reached.
    pub end: Option<usize>,
    /// The position is the last step.
    pub finished: bool,
    /// Simulated time at the position.
    pub now_ms: u64,
    /// Packets on the wire at the position.
    pub in_flight: usize,
    /// Loss rate on every link, in thousandths.
    pub loss_permille: u16,
    /// What to announce for this step: "Step 3: I_TP1 arrives at TP1. …"
    pub narration: String,
}

impl Playback {
    /// The playback facts of `player`.
    pub fn of(player: &Player<Simulation>) -> Playback {
        let sim = player.current();
        let position = player.position();
        Playback {
            position,
            furthest: player.furthest(),
            end: player.end(),
            finished: player.end() == Some(position),
            now_ms: sim.now().0,
            in_flight: sim.in_flight().len(),
            loss_permille: sim.network().loss_permille,
            narration: narration(sim, position),
        }
    }

    /// The run has ended, or nothing is on the wire: what is undecided now stays so unless
    /// the attacker acts.
    pub fn settled(&self) -> bool {
        self.finished || self.in_flight == 0
    }
}

/// The sentences of the events of `step`, announced as one: "Step 3: A. B."; at step 0
/// "Step 0, the start of the run: A. B."; a step with no event of its own, "Step 3." Each
/// sentence is an event's [`Event::describe`](super::Event::describe).
pub fn narration(sim: &Simulation, step: usize) -> String {
    let said: Vec<String> =
        sim.events().iter().filter(|e| e.step == step).map(|e| e.describe()).collect();
    let head =
        if step == 0 { "Step 0, the start of the run".to_string() } else { format!("Step {step}") };
    if said.is_empty() { format!("{head}.") } else { format!("{head}: {}.", said.join(". ")) }
}

/// What the next step will say: the narration of the step after `player`'s position, on a
/// branch of its own (the player does not move); `None` at the end of the run.
pub fn next_narration(player: &Player<Simulation>) -> Option<String> {
    let mut next = player.fork();
    next.step_forward().then(|| narration(next.current(), player.position() + 1))
}

/// A preset's expected verdict sentence and whether the run has reached that verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub sentence: String,
    /// [`Preset::matches`] on the current verdict.
    pub reached: bool,
}

impl Expected {
    /// What `preset` expects, against `verdict`.
    pub fn of(preset: &Preset, verdict: &Verdict) -> Expected {
        Expected { sentence: preset.sentence.to_string(), reached: preset.matches(verdict) }
    }
}

/// Everything the screen shows at the player's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewModel {
    pub nodes: Vec<NodeView>,
    pub links: Vec<LinkView>,
    pub packets: Vec<PacketView>,
    pub events: Vec<EventView>,
    pub verdict: VerdictView,
    pub intruder: IntruderReport,
    pub playback: Playback,
    /// The loaded preset's expectation, if a preset is loaded.
    pub expected: Option<Expected>,
}

impl ViewModel {
    /// The model at `player`'s position; `preset`: the preset whose run this is, if any.
    pub fn of(player: &Player<Simulation>, preset: Option<&Preset>) -> ViewModel {
        let sim = player.current();
        let intruder = sim.intruder_report();
        let playback = Playback::of(player);
        let verdict = VerdictView::of(sim, &intruder, playback.settled());
        let packets = packets(sim);
        ViewModel {
            nodes: nodes(sim, &intruder),
            links: links(sim),
            events: events(sim, &packets),
            packets,
            expected: preset.map(|p| Expected::of(p, &verdict.verdict)),
            verdict,
            intruder,
            playback,
        }
    }

    /// The packet with id `id`.
    pub fn packet(&self, id: PacketId) -> Option<&PacketView> {
        self.packets.get(id).filter(|p| p.id == id)
    }
}

/// One payload of a decoded message: its name, its bytes and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadView {
    /// "HDR", "KEMAC", …
    pub name: &'static str,
    pub range: Range<usize>,
    pub fields: Vec<FieldSpan>,
}

/// The decoder's own layout of a message: each payload with its fields, in wire order; or
/// the decoder's error.
pub fn decode_layout(bytes: &[u8]) -> Result<Vec<PayloadView>, Error> {
    let d = crate::wire::Message::decode(bytes)?;
    Ok(d.layout
        .payloads
        .into_iter()
        .map(|p| PayloadView { name: p.kind.name(), range: p.range, fields: p.fields })
        .collect())
}
