//! [`Simulation`]: the CA, one sensor, n third parties and R on a simulated network, the
//! packets in flight, the capture of every packet ever sent, the attacker's commands, the
//! intruder and the event log.
//!
//! Determinism: with a seed, one ChaCha20 stream (`SimRng`) feeds every role in the order the
//! simulation calls them, the clock is simulated (ms since [`EPOCH_UNIX`]), packets arrive in
//! (arrival time, packet id) order and timers fire in (deadline, I, TP1…TPn, R) order, the
//! loss process has its own seeded stream. So the same seed and the same commands give
//! byte-identical packets and events. Without a seed the stream comes from the OS.
//!
//! A packet's fate is decided when it arrives (link down? lost? dropped by the attacker
//! earlier?), so commands given while it is in flight still apply.

use std::sync::Arc;

use super::command::{Command, PacketAction, Tamper};
use super::event::{DropReason, Event, EventKind};
use super::intruder::{Intruder, IntruderReport, Loot};
use super::knowledge::How;
use super::network::{self, Link, Network, PacketId};
use super::player::Steppable;
use super::verdict::{self, Verdict};
use super::{EPOCH_UNIX, MsgKind, Node, SimTime};
use crate::cost::{CostTable, Meter};
use crate::crypto::rng::SimRng;
use crate::error::Error;
use crate::roles::{
    CertificateAuthority, Ctx, Known, Mode, Output, Pki, Provisioner, Responder, Role, RoleEvent,
    Sensor, SessionConfig, ThirdParty,
};
use crate::wire::{Decoded, Message};

/// Where a packet came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Sent by the role it claims to come from.
    Role,
    /// A copy of packet `of`, re-sent by the intruder (claiming the original sender).
    Replay { of: PacketId },
    /// Composed by the intruder from what it knows ([`super::forge`]), claiming the sender
    /// `from` of its packet; `fully_protected`: every MAC and signature in it is real (else
    /// at least one is garbage).
    Forged { fully_protected: bool },
}

/// What became of a packet; `step` is the step during which it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    InFlight,
    /// It reached its receiver, which accepted it or (`rejected`) refused it.
    Delivered {
        at: SimTime,
        step: usize,
        rejected: Option<Rejection>,
    },
    Dropped {
        at: SimTime,
        step: usize,
        why: DropReason,
    },
}

/// A receiver refused a delivered packet: the first error it reported for that message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The receiver.
    pub by: Node,
    pub error: Error,
}

/// A packet put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub id: PacketId,
    /// Claimed sender (the intruder sends replays in the name of the original sender).
    pub from: Node,
    pub to: Node,
    pub kind: MsgKind,
    pub label: String,
    /// The bytes as they travel (after any tampering).
    pub bytes: Vec<u8>,
    /// Whether the attacker changed the bytes.
    pub tampered: bool,
    pub sent_at: SimTime,
    /// The step during which it was sent (0: when the session started).
    pub sent_step: usize,
    pub arrive_at: SimTime,
    pub fate: Fate,
    pub origin: Origin,
    /// Armed replay: once delivered, re-send to (receiver, default the same) after ms.
    replay_after: Option<(Option<Node>, u64)>,
    /// Armed theft: once delivered, the intruder steals this node's keys.
    steal_after: Option<Node>,
    /// `bytes` decoded, once when they were sent and again only when a tamper changes them.
    decoded: Result<Decoded, Error>,
}

impl Packet {
    /// The bytes as they travel, decoded (the message and its layout), or the decoder's error:
    /// what the receiver is handed and the intruder sees.
    pub fn decoded(&self) -> Result<&Decoded, &Error> {
        self.decoded.as_ref()
    }
}

/// Bytes put on the wire with their one decoding.
struct OnWire {
    bytes: Vec<u8>,
    decoded: Result<Decoded, Error>,
}

impl OnWire {
    /// New bytes (a role's datagram): decoded here, once.
    fn decode(bytes: Vec<u8>) -> Self {
        let decoded = Message::decode(&bytes);
        OnWire { bytes, decoded }
    }
}

/// The delivered message a role's output answers.
struct Input {
    packet: PacketId,
    /// Claimed sender.
    from: Node,
    /// The label as it travelled.
    label: String,
}

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    Delivered(PacketId),
    Dropped(PacketId),
    Timer(Node),
}

/// The result of [`Simulation::step`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// 1-based number of this step.
    pub step: usize,
    pub at: SimTime,
    pub kind: StepKind,
    /// Indices in [`Simulation::events`] of the events of this step.
    pub events: core::ops::Range<usize>,
}

/// Default cap of [`Simulation::run_to_end`].
pub const DEFAULT_STEP_CAP: usize = 10_000;

/// The whole simulated world (see the module docs). Cloning it is a snapshot.
#[derive(Clone)]
pub struct Simulation {
    cfg: SessionConfig,
    pki: Arc<Pki>,
    rng: SimRng,
    now: SimTime,
    step: usize,
    ca: CertificateAuthority,
    sensor: Sensor,
    tps: Vec<ThirdParty>,
    responder: Responder,
    meters: Vec<(Node, Meter)>,
    net: Network,
    capture: Vec<Packet>,
    armed: Vec<(String, PacketAction)>,
    events: Vec<Event>,
    intruder: Intruder,
    sensor_verified_r: bool,
    /// The sensor's verification passed on a forged packet.
    sensor_accepted_forgery: bool,
    r_rebuilt: bool,
}

impl core::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Simulation {{ mode: {}, step: {}, now: {} ms, packets: {}, events: {} }}",
            self.cfg.mode.name(),
            self.step,
            self.now.0,
            self.capture.len(),
            self.events.len()
        )
    }
}

fn rng_for(seed: Option<u64>) -> Result<SimRng, Error> {
    match seed {
        Some(s) => Ok(SimRng::from_seed(s)),
        None => SimRng::from_os().map_err(|e| Error::RandomnessUnavailable { why: e.to_string() }),
    }
}

impl Simulation {
    /// Provisions a PKI for `cfg` (RSA key generation: slow for large keys) and starts the
    /// session.
    pub fn new(cfg: SessionConfig) -> Result<Self, Error> {
        let pki = Self::provision(&cfg)?;
        Self::with_pki(cfg, Arc::new(pki))
    }

    /// Provisions the PKI `cfg` needs ([`SessionConfig::pki_need`]), from the seed (or the OS).
    pub fn provision(cfg: &SessionConfig) -> Result<Pki, Error> {
        Provisioner::run(&cfg.pki_need(), &mut Meter::new())
    }

    /// Starts a session on an already provisioned PKI (shared by many runs in tests and the
    /// UI). The PKI must cover what `cfg` needs ([`Pki::covers`]).
    pub fn with_pki(cfg: SessionConfig, pki: Arc<Pki>) -> Result<Self, Error> {
        cfg.validate()?;
        let n = cfg.tps();
        pki.covers(&cfg.pki_need())?;
        let rng = rng_for(cfg.seed)?.fork("session");
        let loss_seed = cfg.seed.unwrap_or_else(|| {
            let mut r = SimRng::from_os().ok();
            r.as_mut().map(rand_core::Rng::next_u64).unwrap_or(0)
        });
        let sensor = Sensor::new(&cfg, &pki)?;
        let mut tps = Vec::new();
        for i in 1..=n {
            tps.push(ThirdParty::new(&cfg, &pki, i)?);
        }
        let responder = Responder::new(&cfg, &pki)?;
        let mut meters = vec![(Node::Sensor, Meter::new())];
        meters.extend((1..=n).map(|i| (Node::Tp(i), Meter::new())));
        meters.push((Node::Responder, Meter::new()));
        let mut sim = Simulation {
            ca: CertificateAuthority::new(&pki),
            intruder: Intruder::with_pke(cfg.kemac, cfg.pke),
            cfg,
            pki,
            rng,
            now: SimTime(0),
            step: 0,
            sensor,
            tps,
            responder,
            meters,
            net: Network::new(loss_seed),
            capture: Vec::new(),
            armed: Vec::new(),
            events: Vec::new(),
            sensor_verified_r: false,
            sensor_accepted_forgery: false,
            r_rebuilt: false,
        };
        let out = {
            let Simulation { rng, meters, sensor, now, .. } = &mut sim;
            let meter = meter_of(meters, Node::Sensor);
            let mut ctx = Ctx { now: *now, rng, meter };
            sensor.start(&mut ctx)
        };
        sim.process(Node::Sensor, None, out);
        Ok(sim)
    }

    /// The session configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.cfg
    }

    /// The provisioned PKI.
    pub fn pki(&self) -> &Arc<Pki> {
        &self.pki
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// The event log.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Every packet ever put on the wire, by id.
    pub fn capture(&self) -> &[Packet] {
        &self.capture
    }

    /// Packets still in flight, in arrival order.
    pub fn in_flight(&self) -> Vec<&Packet> {
        let mut v: Vec<&Packet> =
            self.capture.iter().filter(|p| p.fate == Fate::InFlight).collect();
        crate::util::sort_small_by_key(&mut v, |p| (p.arrive_at, p.id));
        v
    }

    /// The network (links down, loss rate).
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The intruder.
    pub fn intruder(&self) -> &Intruder {
        &self.intruder
    }

    /// The intruder's report (labelled against the true TGK).
    pub fn intruder_report(&self) -> IntruderReport {
        self.intruder.report(self.sensor.tgk())
    }

    /// The sensor.
    pub fn sensor(&self) -> &Sensor {
        &self.sensor
    }

    /// R.
    pub fn responder(&self) -> &Responder {
        &self.responder
    }

    /// TPi (1-based).
    pub fn tp(&self, i: u8) -> Option<&ThirdParty> {
        self.tps.get(usize::from(i).checked_sub(1)?)
    }

    /// The nodes of this session: CA, I, TP1…TPn, R.
    pub fn nodes(&self) -> Vec<Node> {
        let mut v = vec![Node::Ca, Node::Sensor];
        v.extend((1..=self.cfg.tps()).map(Node::Tp));
        v.push(Node::Responder);
        v
    }

    /// The links the roles of this session send over: I–TPi and TPi–R for every third party
    /// in the distributed mode, plus I–R when R answers the sensor with R_I; I–R in the
    /// standard modes. (A replay sent to another receiver may travel between any two nodes.)
    pub fn links(&self) -> Vec<Link> {
        if !self.is_distributed() {
            return vec![Link::new(Node::Sensor, Node::Responder)];
        }
        let mut v: Vec<Link> = (1..=self.cfg.tps())
            .flat_map(|i| {
                [Link::new(Node::Sensor, Node::Tp(i)), Link::new(Node::Tp(i), Node::Responder)]
            })
            .collect();
        if self.cfg.optional.r_i {
            v.push(Link::new(Node::Sensor, Node::Responder));
        }
        v
    }

    /// What `node` knows (the intruder: what it holds, as names with empty values).
    pub fn node_knowledge(&self, node: Node) -> Vec<Known> {
        match node {
            Node::Ca => self.ca.knowledge(),
            Node::Sensor => self.sensor.knowledge(),
            Node::Tp(i) => self.tp(i).map(|t| t.knowledge()).unwrap_or_default(),
            Node::Responder => self.responder.knowledge(),
            Node::Intruder => self
                .intruder_report()
                .holds
                .into_iter()
                .map(|name| Known { name, value: Vec::new(), secret: true })
                .collect(),
        }
    }

    /// Per-role operation counts and times.
    pub fn costs(&self) -> CostTable {
        CostTable {
            mode: self.cfg.mode.name(),
            rows: self.meters.iter().map(|(n, m)| (n.label(), m.clone())).collect(),
        }
    }

    /// The verdict as of now.
    pub fn verdict(&self) -> Verdict {
        verdict::compute(self)
    }

    /// The verdict as of now, from the intruder's report `ir` (of this simulation, now) so it
    /// is not computed twice.
    pub fn verdict_with(&self, ir: &IntruderReport) -> Verdict {
        verdict::compute_with(self, ir)
    }

    pub(crate) fn r_rebuilt(&self) -> bool {
        self.r_rebuilt
    }

    pub(crate) fn sensor_verified_r(&self) -> bool {
        self.sensor_verified_r
    }

    /// Whether the sensor accepted a forged packet (a verification passed on it).
    pub fn sensor_accepted_forgery(&self) -> bool {
        self.sensor_accepted_forgery
    }

    /// The protections `spec` needs and whether the intruder can compute each, now.
    pub fn assess(&self, spec: &super::forge::ForgeSpec) -> Vec<super::forge::Protection> {
        super::forge::assess(spec, self.intruder.knowledge())
    }

    /// Builds `spec` with what the intruder holds now, without sending it (the compose
    /// form's preview); [`Command::Inject`] sends exactly these bytes.
    pub fn forge(&self, spec: &super::forge::ForgeSpec) -> Result<super::forge::Forged, Error> {
        let public = super::forge_build::Public {
            cfg: &self.cfg,
            ids: &self.pki.ids,
            r_cert: &self.pki.responder.cert_der,
            ca_cert: &self.pki.ca.cert_der,
            now: self.now,
        };
        // Its own stream, a function of the run so far: preview and injection agree.
        let mut rng = self.rng.fork(&format!("forge {}", self.capture.len()));
        super::forge_build::build(spec, &self.intruder, &public, &mut rng)
    }

    /// The next thing that would happen: `(time, Some(packet))` or `(time, None)` for a timer.
    fn next_action(&self) -> Option<(SimTime, Option<PacketId>, Option<Node>)> {
        let pkt = network::earliest(
            self.capture.iter().filter(|p| p.fate == Fate::InFlight).map(|p| (p.id, p.arrive_at)),
        );
        let mut timer: Option<(SimTime, Node)> = None;
        let mut consider = |d: Option<SimTime>, n: Node| {
            if let Some(d) = d
                && timer.is_none_or(|(t, _)| d < t)
            {
                timer = Some((d, n));
            }
        };
        consider(self.sensor.next_deadline(), Node::Sensor);
        for (i, tp) in self.tps.iter().enumerate() {
            consider(tp.next_deadline(), Node::Tp(u8::try_from(i + 1).unwrap_or(u8::MAX)));
        }
        consider(self.responder.next_deadline(), Node::Responder);
        match (pkt, timer) {
            (Some((id, at)), Some((t, _))) if at <= t => Some((at, Some(id), None)),
            (Some((id, at)), None) => Some((at, Some(id), None)),
            (_, Some((t, n))) => Some((t, None, Some(n))),
            (None, None) => None,
        }
    }

    /// Delivers the next packet (earliest arrival; ties by id) or fires the next timer.
    /// `None` when nothing is left to happen.
    pub fn step(&mut self) -> Option<StepReport> {
        let (at, pkt, timer) = self.next_action()?;
        self.step += 1;
        self.now = self.now.max(at);
        let first = self.events.len();
        let kind = if let Some(id) = pkt {
            self.deliver(id)
        } else {
            let node = timer.unwrap_or(Node::Sensor);
            let out = self.dispatch_timer(node);
            self.process(node, None, out);
            StepKind::Timer(node)
        };
        Some(StepReport { step: self.step, at: self.now, kind, events: first..self.events.len() })
    }

    /// Steps until nothing is left or `cap` steps were taken; returns the steps taken.
    pub fn run_to_end_capped(&mut self, cap: usize) -> usize {
        let mut n = 0;
        while n < cap && self.step().is_some() {
            n += 1;
        }
        n
    }

    /// Steps until nothing is left (at most [`DEFAULT_STEP_CAP`] steps).
    pub fn run_to_end(&mut self) -> usize {
        self.run_to_end_capped(DEFAULT_STEP_CAP)
    }

    fn push(&mut self, kind: EventKind) {
        self.events.push(Event { at: self.now, step: self.step, kind });
    }

    fn deliver(&mut self, id: PacketId) -> StepKind {
        let Some(p) = self.capture.get(id) else { return StepKind::Dropped(id) };
        let (from, to, label, replay_after, steal_after) =
            (p.from, p.to, p.label.clone(), p.replay_after, p.steal_after);
        let why = if !self.net.is_up(from, to) {
            Some(DropReason::LinkDown(Link::new(from, to)))
        } else if self.net.lose() {
            Some(DropReason::Loss)
        } else {
            None
        };
        if let Some(why) = why {
            self.set_fate(id, Fate::Dropped { at: self.now, step: self.step, why: why.clone() });
            self.push(EventKind::Dropped { packet: id, from, to, label, why });
            return StepKind::Dropped(id);
        }
        self.set_fate(id, Fate::Delivered { at: self.now, step: self.step, rejected: None });
        self.push(EventKind::Delivered { packet: id, from, to, label: label.clone() });
        let out = self.dispatch_message(id);
        self.process(to, Some(Input { packet: id, from, label }), out);
        if let Some((to, after)) = replay_after {
            self.replay(id, to, after);
        }
        if let Some(node) = steal_after {
            // The node exists (checked when armed); a refusal would only repeat that check.
            let _ = self.apply(Command::StealKeys { node });
        }
        StepKind::Delivered(id)
    }

    /// The first error the receiver reported for a delivered packet becomes its rejection.
    fn record_rejection(&mut self, id: PacketId, by: Node, error: &Error) {
        if let Some(Packet { fate: Fate::Delivered { rejected: r @ None, .. }, .. }) =
            self.capture.get_mut(id)
        {
            *r = Some(Rejection { by, error: error.clone() });
        }
    }

    fn set_fate(&mut self, id: PacketId, fate: Fate) {
        if let Some(p) = self.capture.get_mut(id) {
            p.fate = fate;
        }
    }

    /// Hands packet `id` to its receiver as it was decoded (the only decoding of its bytes).
    fn dispatch_message(&mut self, id: PacketId) -> Output {
        let Simulation { rng, meters, sensor, tps, responder, ca, now, capture, .. } = self;
        let Some(p) = capture.get(id) else { return Output::default() };
        let (from, to, msg) = (p.from, p.to, p.decoded.as_ref());
        let mut scratch = Meter::new();
        let meter = match meters.iter_mut().find(|(n, _)| *n == to) {
            Some((_, m)) => m,
            None => &mut scratch,
        };
        meter.count_received(p.bytes.len());
        let mut ctx = Ctx { now: *now, rng, meter };
        match to {
            Node::Sensor => sensor.on_decoded(from, msg, &mut ctx),
            Node::Tp(i) => match tps.get_mut(usize::from(i).saturating_sub(1)) {
                Some(tp) if i >= 1 => tp.on_decoded(from, msg, &mut ctx),
                _ => Output::default(),
            },
            Node::Responder => responder.on_decoded(from, msg, &mut ctx),
            Node::Ca => ca.on_decoded(from, msg, &mut ctx),
            Node::Intruder => Output::default(),
        }
    }

    fn dispatch_timer(&mut self, node: Node) -> Output {
        let Simulation { rng, meters, sensor, tps, responder, now, .. } = self;
        let mut scratch = Meter::new();
        let meter = match meters.iter_mut().find(|(n, _)| *n == node) {
            Some((_, m)) => m,
            None => &mut scratch,
        };
        let mut ctx = Ctx { now: *now, rng, meter };
        match node {
            Node::Sensor => sensor.on_timer(&mut ctx),
            Node::Tp(i) => match tps.get_mut(usize::from(i).saturating_sub(1)) {
                Some(tp) if i >= 1 => tp.on_timer(&mut ctx),
                _ => Output::default(),
            },
            Node::Responder => responder.on_timer(&mut ctx),
            Node::Ca | Node::Intruder => Output::default(),
        }
    }

    /// Turns a role's output into packets and events. `input` is the delivered message that
    /// caused it, if any: a rejection in the output is recorded on that packet's fate.
    fn process(&mut self, by: Node, input: Option<Input>, out: Output) {
        for e in out.events {
            let kind = match e {
                RoleEvent::SessionStarted { csb_id } => EventKind::SessionStarted { csb_id },
                RoleEvent::ShareAccepted { tp, index } => {
                    EventKind::ShareAccepted { by, tp, index }
                }
                RoleEvent::ShareForwarded { index } => EventKind::ShareForwarded { by, index },
                RoleEvent::TgkRebuilt { shares_used, rejected } => {
                    if by == Node::Responder {
                        self.r_rebuilt = true;
                    }
                    EventKind::TgkRebuilt { by, shares_used, rejected }
                }
                RoleEvent::RebuildFailed { error } => EventKind::RebuildFailed { by, error },
                RoleEvent::LateShare { tp, index } => EventKind::LateShare { by, tp, index },
                RoleEvent::TgkReceived { how } => {
                    if by == Node::Responder {
                        self.r_rebuilt = true;
                    }
                    EventKind::TgkReceived { by, how }
                }
                RoleEvent::BadShare { tp, index } => EventKind::BadShare { by, tp, index },
                RoleEvent::TekDerived { cs_id } => EventKind::TekDerived { by, cs_id },
                RoleEvent::VerificationPassed { what } => {
                    if by == Node::Sensor
                        && input.as_ref().is_some_and(|i| i.from == Node::Responder)
                    {
                        self.sensor_verified_r = true;
                    }
                    let forged = input.as_ref().is_some_and(|i| {
                        self.capture
                            .get(i.packet)
                            .is_some_and(|p| matches!(p.origin, Origin::Forged { .. }))
                    });
                    if by == Node::Sensor && forged {
                        self.sensor_accepted_forgery = true;
                        for what in self.intruder.sensor_accepted_own_dh() {
                            self.push(EventKind::IntruderLearned { what });
                        }
                        self.check_intruder_rebuild();
                    }
                    EventKind::VerificationPassed { by, what }
                }
                RoleEvent::Rejected { label, error } => {
                    // The rejection is about the delivered message (named as it travelled: the
                    // role may only know "message to R"), except when R outvotes a share it had
                    // accepted from another TP: then that TP's TPi_R is the one rejected.
                    let outvoted = match (&error, input.as_ref()) {
                        (Error::ShareMetadataMismatch { tp, .. }, Some(i))
                            if i.from != Node::Tp(*tp) =>
                        {
                            Some(Node::Tp(*tp))
                        }
                        _ => None,
                    };
                    let rejected = match (outvoted, input.as_ref()) {
                        (None, Some(i)) => Some((i.packet, i.label.clone())),
                        (Some(tp), _) => self
                            .capture
                            .iter()
                            .rev()
                            .find(|p| {
                                p.from == tp
                                    && p.to == by
                                    && p.kind == MsgKind::TpR
                                    && matches!(p.fate, Fate::Delivered { rejected: None, .. })
                            })
                            .map(|p| (p.id, p.label.clone())),
                        (None, None) => None,
                    };
                    let label = match rejected {
                        Some((packet, l)) => {
                            self.record_rejection(packet, by, &error);
                            l
                        }
                        None => label,
                    };
                    if error.is_verification_failure() {
                        EventKind::VerificationFailed { by, label, error }
                    } else {
                        EventKind::Rejected { by, label, error }
                    }
                }
                RoleEvent::Waiting { have, need } => EventKind::Waiting { by, have, need },
                RoleEvent::TimedOut { what } => EventKind::TimedOut { by, what },
                RoleEvent::SessionFailed { error } => EventKind::SessionFailed { by, error },
                RoleEvent::ErrorReceived { from, code, authenticated } => {
                    EventKind::ErrorReceived { by, from, code, authenticated }
                }
            };
            self.push(kind);
        }
        for o in out.send {
            if let Some((_, m)) = self.meters.iter_mut().find(|(n, _)| *n == by) {
                m.count_sent(o.bytes.len());
            }
            self.send(by, o.to, o.kind, o.label, OnWire::decode(o.bytes), Origin::Role);
        }
    }

    fn send(
        &mut self,
        from: Node,
        to: Node,
        kind: MsgKind,
        label: String,
        wire: OnWire,
        origin: Origin,
    ) -> PacketId {
        let id = self.capture.len();
        let OnWire { bytes, decoded } = wire;
        let len = bytes.len();
        let arrive_at = self.now.plus_ms(network::latency_ms(from, to, len));
        self.capture.push(Packet {
            id,
            from,
            to,
            kind,
            label: label.clone(),
            bytes,
            tampered: false,
            sent_at: self.now,
            sent_step: self.step,
            arrive_at,
            fate: Fate::InFlight,
            origin,
            replay_after: None,
            steal_after: None,
            decoded,
        });
        self.push(EventKind::Sent { packet: id, from, to, label: label.clone(), len });
        let seen = match self.capture.get(id) {
            Some(p) => {
                self.intruder.observe_packet(id, kind, to, &label, &p.bytes, p.decoded.as_ref())
            }
            None => Vec::new(),
        };
        for what in seen {
            self.push(EventKind::IntruderLearned { what });
        }
        self.check_intruder_rebuild();
        if let Some(pos) = self.armed.iter().position(|(l, _)| *l == label) {
            let (l, action) = self.armed.remove(pos);
            let _ = self.act_on(id, &action);
            self.push(EventKind::CommandApplied {
                command: format!("{} (packet #{id})", action.describe(&l)),
            });
        }
        id
    }

    fn check_intruder_rebuild(&mut self) {
        let already =
            self.events.iter().any(|e| matches!(e.kind, EventKind::IntruderRebuiltTgk { .. }));
        if !already && self.intruder.tgk().is_some() {
            let shares = self.intruder.rebuilt_from().to_vec();
            self.push(EventKind::IntruderRebuiltTgk { shares });
        }
    }

    fn in_flight_mut(&mut self, id: PacketId) -> Result<&mut Packet, Error> {
        match self.capture.get_mut(id) {
            None => Err(Error::NoSuchPacket { packet: id }),
            Some(p) if p.fate != Fate::InFlight => {
                Err(Error::PacketNotInFlight { packet: id, label: p.label.clone() })
            }
            Some(p) => Ok(p),
        }
    }

    fn act_on(&mut self, id: PacketId, action: &PacketAction) -> Result<(), Error> {
        let (now, step) = (self.now, self.step);
        match action {
            PacketAction::Drop => {
                let p = self.in_flight_mut(id)?;
                p.fate = Fate::Dropped { at: now, step, why: DropReason::Command };
                let (from, to, label) = (p.from, p.to, p.label.clone());
                self.push(EventKind::Dropped {
                    packet: id,
                    from,
                    to,
                    label,
                    why: DropReason::Command,
                });
            }
            PacketAction::Delay { ms } => {
                let p = self.in_flight_mut(id)?;
                p.arrive_at = p.arrive_at.plus_ms(*ms);
            }
            PacketAction::Tamper(t) => {
                let p = self.in_flight_mut(id)?;
                let new = tamper(&p.bytes, p.decoded.as_ref(), &p.label, t)?;
                p.decoded = Message::decode(&new);
                p.bytes = new;
                p.tampered = true;
            }
            PacketAction::ReplayAfterDelivery { to, after_ms } => {
                let p = self.in_flight_mut(id)?;
                p.replay_after = Some((*to, *after_ms));
            }
            PacketAction::StealAfterDelivery { node } => {
                self.loot_of(*node)?;
                let p = self.in_flight_mut(id)?;
                p.steal_after = Some(*node);
            }
        }
        Ok(())
    }

    fn replay(&mut self, of: PacketId, to: Option<Node>, after_ms: u64) -> PacketId {
        let Some(p) = self.capture.get(of).cloned() else { return of };
        let to = to.unwrap_or(p.to);
        let label = format!("{} (replay)", p.label);
        let copy = OnWire { bytes: p.bytes, decoded: p.decoded };
        let id = self.send(p.from, to, p.kind, label, copy, Origin::Replay { of });
        if let Some(q) = self.capture.get_mut(id) {
            q.arrive_at = q.arrive_at.plus_ms(after_ms);
        }
        id
    }

    fn tp_index(&self, tp: u8) -> Result<usize, Error> {
        let n = self.cfg.tps();
        if tp == 0 || tp > n {
            return Err(Error::NoSuchThirdParty { tp, n });
        }
        Ok(usize::from(tp) - 1)
    }

    /// Applies an attacker command now. Errors name what was wrong (no such packet, packet
    /// already delivered, offset outside the message, …) and change nothing.
    pub fn apply(&mut self, cmd: Command) -> Result<(), Error> {
        match &cmd {
            Command::Drop { packet } => self.act_on(*packet, &PacketAction::Drop)?,
            Command::Delay { packet, ms } => {
                self.act_on(*packet, &PacketAction::Delay { ms: *ms })?
            }
            Command::Tamper { packet, how } => {
                self.act_on(*packet, &PacketAction::Tamper(how.clone()))?
            }
            Command::Replay { packet, to } => {
                if *packet >= self.capture.len() {
                    return Err(Error::NoSuchPacket { packet: *packet });
                }
                self.push(EventKind::CommandApplied { command: cmd.describe() });
                self.replay(*packet, *to, 0);
                return Ok(());
            }
            Command::Arm { label, action } => {
                let target = self
                    .capture
                    .iter()
                    .filter(|p| p.fate == Fate::InFlight && p.label == *label)
                    .map(|p| p.id)
                    .next();
                match target {
                    Some(id) => {
                        self.act_on(id, action)?;
                        self.push(EventKind::CommandApplied {
                            command: format!("{} (packet #{id})", action.describe(label)),
                        });
                        return Ok(());
                    }
                    None => {
                        if let PacketAction::Tamper(Tamper::FlipByte { mask: 0, .. }) = action {
                            return Err(Error::TamperNoChange);
                        }
                        self.armed.push((label.clone(), action.clone()));
                        self.push(EventKind::CommandApplied {
                            command: format!("armed: {}", action.describe(label)),
                        });
                        return Ok(());
                    }
                }
            }
            Command::LinkDown(l) => self.net.link_down(*l),
            Command::LinkUp(l) => self.net.link_up(*l),
            Command::SetLossRate { permille } => {
                if *permille > 1000 {
                    return Err(Error::LossRateTooHigh { permille: *permille });
                }
                self.net.loss_permille = *permille;
            }
            Command::Compromise { tp } => {
                let idx = self.tp_index(*tp)?;
                self.push(EventKind::CommandApplied { command: cmd.describe() });
                let psk = self.pki.psk_with_tp(*tp).map(|k| k.to_vec()).unwrap_or_default();
                // Everything the TP holds (its RSA private key, certificates, shares, …); its
                // PSK is handed over separately, so the intruder lists it once.
                let known: Vec<String> = self
                    .tps
                    .get(idx)
                    .map(|t| t.knowledge().into_iter().map(|k| k.name))
                    .into_iter()
                    .flatten()
                    .filter(|name| {
                        name != "PSK with the sensor"
                            && !name.starts_with("RSA private key")
                            && !name.starts_with("certificate of")
                    })
                    .collect();
                let cred = self.pki.tps.get(idx);
                let loot = Loot {
                    psk_with_sensor: Some(zeroize::Zeroizing::new(psk)),
                    psk_with_r: None,
                    rsa_key: cred.map(|c| c.key.clone()),
                    certificate: cred.map(|c| c.cert_der.clone()),
                    other: known,
                };
                for what in self.intruder.take(Node::Tp(*tp), How::Compromise { tp: *tp }, loot) {
                    self.push(EventKind::IntruderLearned { what });
                }
                self.check_intruder_rebuild();
                return Ok(());
            }
            Command::StealKeys { node } => {
                let loots = self.loot_of(*node)?;
                self.push(EventKind::CommandApplied { command: cmd.describe() });
                for (from, loot) in loots {
                    let how = How::StolenLater { node: *node };
                    for what in self.intruder.take(from, how, loot) {
                        self.push(EventKind::IntruderLearned { what });
                    }
                }
                self.check_intruder_rebuild();
                return Ok(());
            }
            Command::SearchKcv => {
                let (found, learned) = self.intruder.search_kcv()?;
                self.push(EventKind::CommandApplied {
                    command: format!(
                        "{}: {} guesses over {} bits, {}",
                        cmd.describe(),
                        found.guesses,
                        found.bits,
                        if found.found { "found" } else { "not found" }
                    ),
                });
                for what in learned {
                    self.push(EventKind::IntruderLearned { what });
                }
                self.check_intruder_rebuild();
                return Ok(());
            }
            Command::Inject { spec } => {
                let forged = self.forge(spec)?;
                self.push(EventKind::CommandApplied { command: forged.describe() });
                let origin = Origin::Forged { fully_protected: forged.fully_protected() };
                let id = self.send(
                    spec.from,
                    spec.to,
                    spec.kind,
                    forged.label.clone(),
                    OnWire::decode(forged.bytes),
                    origin,
                );
                if let Some(x) = forged.own_dh {
                    for what in self.intruder.own_dh(id, x.0) {
                        self.push(EventKind::IntruderLearned { what });
                    }
                    self.check_intruder_rebuild();
                }
                return Ok(());
            }
            Command::MakeMalicious { tp, kind } => {
                let idx = self.tp_index(*tp)?;
                if let Some(t) = self.tps.get_mut(idx) {
                    t.set_malicious(Some(*kind));
                }
            }
        }
        self.push(EventKind::CommandApplied { command: cmd.describe() });
        Ok(())
    }

    /// The capture as a pcap file (see [`crate::export::pcap`]).
    pub fn pcap(&self) -> Vec<u8> {
        let recs: Vec<crate::export::pcap::Record<'_>> = self
            .capture
            .iter()
            .map(|p| crate::export::pcap::Record {
                time_ms: p.sent_at.0,
                from: p.from,
                to: p.to,
                payload: &p.bytes,
            })
            .collect();
        crate::export::pcap::write(&recs, EPOCH_UNIX, crate::export::pcap::LinkType::RawIp)
    }

    /// The capture as pcapng (see [`crate::export::pcapng`]): the same frames as
    /// [`Simulation::pcap`], each forged packet with the comment "forged by the intruder: …"
    /// ([`Simulation::packet_comment`]).
    pub fn pcapng(&self) -> Vec<u8> {
        let comments: Vec<Option<String>> =
            self.capture.iter().map(|p| self.packet_comment(p.id)).collect();
        let recs: Vec<crate::export::pcapng::Annotated<'_>> = self
            .capture
            .iter()
            .zip(&comments)
            .map(|(p, c)| crate::export::pcapng::Annotated {
                record: crate::export::pcap::Record {
                    time_ms: p.sent_at.0,
                    from: p.from,
                    to: p.to,
                    payload: &p.bytes,
                },
                comment: c.as_deref(),
            })
            .collect();
        crate::export::pcapng::write(&recs, EPOCH_UNIX, crate::export::pcap::LinkType::RawIp)
    }

    /// The comment a packet carries in the pcapng: for a forgery, "forged by the intruder:"
    /// with its label and whether every protection is real; for a replay or a tampered
    /// packet, that.
    pub fn packet_comment(&self, id: PacketId) -> Option<String> {
        let p = self.capture.get(id)?;
        match p.origin {
            Origin::Forged { fully_protected } => Some(format!(
                "forged by the intruder: {}, claiming to come from {}; {}",
                p.label,
                p.from.label(),
                if fully_protected {
                    "every protection computed with keys it holds"
                } else {
                    "a protection it could not compute went out as garbage"
                }
            )),
            _ if p.tampered => Some(format!("tampered by the intruder: {}", p.label)),
            Origin::Replay { .. } => Some(format!("replayed by the intruder: {}", p.label)),
            _ => None,
        }
    }

    /// The key log of the run (see [`crate::export::keylog`]).
    pub fn keylog_json(&self) -> String {
        crate::export::keylog::write(self)
    }

    /// The keys `node` holds, as the intruder would take them: (whose keys, the keys).
    fn loot_of(&self, node: Node) -> Result<Vec<(Node, Loot)>, Error> {
        let z = |k: &[u8]| zeroize::Zeroizing::new(k.to_vec());
        Ok(match node {
            Node::Tp(i) => {
                let idx = self.tp_index(i)?;
                let cred = self.pki.tps.get(idx);
                vec![(
                    node,
                    Loot {
                        psk_with_sensor: self.pki.psk_with_tp(i).map(z),
                        rsa_key: cred.map(|c| c.key.clone()),
                        certificate: cred.map(|c| c.cert_der.clone()),
                        ..Loot::default()
                    },
                )]
            }
            Node::Responder => vec![(
                node,
                Loot {
                    psk_with_r: self.pki.psk_with_r().filter(|_| self.cfg.mode == Mode::Psk).map(z),
                    rsa_key: Some(self.pki.responder.key.clone()),
                    certificate: Some(self.pki.responder.cert_der.clone()),
                    ..Loot::default()
                },
            )],
            Node::Sensor => {
                let mut v = vec![(
                    node,
                    Loot {
                        psk_with_r: self
                            .pki
                            .psk_with_r()
                            .filter(|_| self.cfg.mode == Mode::Psk)
                            .map(z),
                        rsa_key: self.pki.sensor.as_ref().map(|c| c.key.clone()),
                        certificate: self.pki.sensor.as_ref().map(|c| c.cert_der.clone()),
                        ..Loot::default()
                    },
                )];
                // The sensor's PSK with TPi is TPi's PSK with the sensor.
                for i in 1..=self.cfg.tps() {
                    v.push((
                        Node::Tp(i),
                        Loot { psk_with_sensor: self.pki.psk_with_tp(i).map(z), ..Loot::default() },
                    ));
                }
                v
            }
            Node::Ca | Node::Intruder => {
                return Err(Error::ForgeField {
                    field: "node",
                    reason: format!("{} holds no session key to steal", node.label()),
                });
            }
        })
    }

    /// Whether this run is in the distributed mode.
    pub fn is_distributed(&self) -> bool {
        self.cfg.mode == Mode::Distributed
    }
}

/// Public facts of the session read from the capture: CSB ID and RAND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFacts {
    pub csb_id: u32,
    pub rand: Vec<u8>,
}

impl Simulation {
    /// CSB ID and RAND of the session, from the first captured message that carries a RAND.
    pub fn session_facts(&self) -> Option<SessionFacts> {
        self.capture.iter().find_map(|p| {
            let d = p.decoded.as_ref().ok()?;
            let rand = d.message.first::<crate::wire::Rand>()?.0.clone();
            Some(SessionFacts { csb_id: d.message.hdr.csb_id, rand })
        })
    }

    /// The shares the sensor sent, opened from the captured I_TPi with the provisioned PSKs
    /// (for the key log): (index, share), ascending.
    pub fn sent_shares(&self) -> Vec<(u8, Vec<u8>)> {
        use crate::mikey::distributed;
        let mut out: Vec<(u8, Vec<u8>)> = Vec::new();
        let mut meter = Meter::new();
        for p in self
            .capture
            .iter()
            .filter(|p| p.kind == MsgKind::ITp && p.origin == Origin::Role && !p.tampered)
        {
            let Node::Tp(i) = p.to else { continue };
            let Some(psk) = self.pki.psk_with_tp(i) else { continue };
            let Ok(d) = p.decoded.as_ref() else { continue };
            let Ok(parsed) = distributed::parse_i_tp(d, &p.label) else { continue };
            if let Ok((_, share)) =
                distributed::open_i_tp(&parsed, psk, self.cfg.kemac, &p.label, &mut meter)
                && !out.iter().any(|(j, _)| *j == parsed.meta.index)
            {
                out.push((parsed.meta.index, share.to_vec()));
            }
        }
        crate::util::sort_small_by_key(&mut out, |(i, _)| *i);
        out
    }

    /// The envelope key protecting packet `id` (a PK I_MESSAGE / TPi_R, recovered from its
    /// PKE payload with R's private key; for R_TPi / the PK R_MESSAGE, the key of the message
    /// it answers).
    pub fn envelope_key_of(&self, id: PacketId) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let p = self.capture.get(id)?;
        let init = match p.kind {
            MsgKind::TpR | MsgKind::PkInit => p,
            MsgKind::RTp => self.capture.iter().find(|q| {
                q.kind == MsgKind::TpR && q.from == p.to && q.origin == Origin::Role && !q.tampered
            })?,
            MsgKind::PkVerify => self
                .capture
                .iter()
                .find(|q| q.kind == MsgKind::PkInit && q.origin == Origin::Role && !q.tampered)?,
            _ => return None,
        };
        let parsed = crate::mikey::pk::parse_init(init.decoded.as_ref().ok()?, &init.label).ok()?;
        let mut rng = SimRng::from_seed(0); // RSA blinding only: the result does not depend on it
        let mut meter = Meter::new();
        crate::mikey::pkix::pke_decrypt(
            &self.pki.responder.key,
            self.cfg.pke,
            &parsed.pke.data,
            &init.label,
            &mut rng,
            &mut meter,
        )
        .ok()
    }
}

fn meter_of(meters: &mut [(Node, Meter)], node: Node) -> &mut Meter {
    // The sensor's meter always exists (index 0).
    let pos = meters.iter().position(|(n, _)| *n == node).unwrap_or(0);
    &mut meters[pos].1
}

/// Applies a tamper to `bytes` (the message labelled `label`, already decoded: `decoded` is
/// the layout a field replacement needs, or the decoder's error).
fn tamper(
    bytes: &[u8],
    decoded: Result<&Decoded, &Error>,
    label: &str,
    t: &Tamper,
) -> Result<Vec<u8>, Error> {
    let mut out = bytes.to_vec();
    match t {
        Tamper::FlipByte { offset, mask } => {
            if *mask == 0 {
                return Err(Error::TamperNoChange);
            }
            let len = out.len();
            let b = out.get_mut(*offset).ok_or(Error::TamperOffset { offset: *offset, len })?;
            *b ^= mask;
        }
        Tamper::ReplaceField { payload, field, bytes: new } => {
            let range = decoded
                .map_err(Clone::clone)?
                .layout
                .payloads
                .iter()
                .filter(|p| {
                    payload.as_ref().is_none_or(|name| p.kind.name().eq_ignore_ascii_case(name))
                })
                .flat_map(|p| p.fields.iter())
                .find(|f| f.label.eq_ignore_ascii_case(field))
                .map(|f| f.range.clone())
                .ok_or_else(|| Error::TamperFieldNotFound {
                    field: field.clone(),
                    message: label.to_string(),
                })?;
            if range.len() != new.len() {
                return Err(Error::TamperFieldLength {
                    field: field.clone(),
                    expected: range.len(),
                    got: new.len(),
                });
            }
            let slot =
                out.get_mut(range).ok_or(Error::TamperOffset { offset: 0, len: bytes.len() })?;
            slot.copy_from_slice(new);
        }
    }
    Ok(out)
}

impl Steppable for Simulation {
    fn step_once(&mut self) -> bool {
        self.step().is_some()
    }
}
