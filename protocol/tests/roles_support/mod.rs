//! A tiny in-test message pump: the sensor, the TPs and R exchange their datagrams in FIFO
//! order on a perfect network (or one that drops what a test says), timers fire when the
//! network is idle, and every delivery is recorded together with a snapshot of the receiver
//! taken just before it, so tamper tests can replay one delivery with altered bytes.
#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};

use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{
    Ctx, Known, Mode, Node, Outgoing, Output, Pki, Provisioner, Responder, Role, RoleEvent, Sensor,
    SessionConfig, SimTime, ThirdParty,
};
use dmikey::sharing::Scheme;

/// A receiving role as it was before a delivery.
#[derive(Clone)]
pub enum Snapshot {
    Sensor(Sensor),
    Tp(ThirdParty),
    R(Responder),
}

impl Snapshot {
    pub fn deliver(&mut self, from: Node, bytes: &[u8], ctx: &mut Ctx) -> Output {
        match self {
            Snapshot::Sensor(s) => s.on_message(from, bytes, ctx),
            Snapshot::Tp(t) => t.on_message(from, bytes, ctx),
            Snapshot::R(r) => r.on_message(from, bytes, ctx),
        }
    }
}

/// One delivery of a normal run.
#[derive(Clone)]
pub struct Delivery {
    pub from: Node,
    pub out: Outgoing,
    pub at: SimTime,
    pub before: Snapshot,
}

pub struct Net {
    pub cfg: SessionConfig,
    pub pki: Pki,
    pub sensor: Sensor,
    pub tps: Vec<ThirdParty>,
    pub r: Responder,
    pub now: SimTime,
    pub rng: SimRng,
    pub meters: BTreeMap<Node, Meter>,
    pub deliveries: Vec<Delivery>,
    pub events: Vec<(Node, RoleEvent)>,
    queue: VecDeque<(Node, Outgoing)>,
    /// Labels of messages the network loses.
    pub lose: Vec<String>,
}

/// The configuration the tests use: RSA-1024 to keep key generation quick.
pub fn config(mode: Mode) -> SessionConfig {
    let mut c = SessionConfig::standard(mode);
    c.rsa_bits = RsaBits::B1024;
    c
}

pub fn distributed(n: u8, k: u8, scheme: Scheme) -> SessionConfig {
    let mut c = SessionConfig::distributed(n, k, scheme);
    c.rsa_bits = RsaBits::B1024;
    c
}

pub fn provision(cfg: &SessionConfig, seed: u64) -> Pki {
    let need = dmikey::roles::PkiNeed { seed: Some(seed), ..cfg.pki_need() };
    Provisioner::run(&need, &mut Meter::new()).expect("provisioning")
}

impl Net {
    pub fn new(cfg: SessionConfig, seed: u64) -> Net {
        let pki = provision(&cfg, seed);
        Net::with_pki(cfg, pki, seed)
    }

    pub fn with_pki(cfg: SessionConfig, pki: Pki, seed: u64) -> Net {
        let sensor = Sensor::new(&cfg, &pki).expect("sensor");
        let tps = (1..=cfg.tps()).map(|i| ThirdParty::new(&cfg, &pki, i).expect("tp")).collect();
        let r = Responder::new(&cfg, &pki).expect("responder");
        Net {
            cfg,
            pki,
            sensor,
            tps,
            r,
            now: SimTime(1_000),
            rng: SimRng::from_seed(seed ^ 0x5eed),
            meters: BTreeMap::new(),
            deliveries: Vec::new(),
            events: Vec::new(),
            queue: VecDeque::new(),
            lose: Vec::new(),
        }
    }

    fn absorb(&mut self, node: Node, out: Output) {
        for e in out.events {
            self.events.push((node, e));
        }
        for o in out.send {
            self.queue.push_back((node, o));
        }
    }

    pub fn start(&mut self) {
        let meter = self.meters.entry(Node::Sensor).or_default();
        let mut ctx = Ctx { now: self.now, rng: &mut self.rng, meter };
        let out = self.sensor.start(&mut ctx);
        self.absorb(Node::Sensor, out);
    }

    pub fn snapshot(&self, node: Node) -> Snapshot {
        match node {
            Node::Sensor => Snapshot::Sensor(self.sensor.clone()),
            Node::Tp(i) => Snapshot::Tp(self.tps[usize::from(i) - 1].clone()),
            _ => Snapshot::R(self.r.clone()),
        }
    }

    /// Delivers `bytes` to `to` now (outside the queue) and records the outcome.
    pub fn deliver(&mut self, from: Node, to: Node, bytes: &[u8]) -> Output {
        self.now = self.now.plus_ms(5);
        let meter = self.meters.entry(to).or_default();
        let mut ctx = Ctx { now: self.now, rng: &mut self.rng, meter };
        let out = match to {
            Node::Sensor => self.sensor.on_message(from, bytes, &mut ctx),
            Node::Tp(i) => self.tps[usize::from(i) - 1].on_message(from, bytes, &mut ctx),
            _ => self.r.on_message(from, bytes, &mut ctx),
        };
        self.absorb(to, out.clone());
        out
    }

    /// Delivers the next queued packet (false when the queue is empty).
    pub fn step_queue(&mut self) -> bool {
        let Some((from, o)) = self.queue.pop_front() else { return false };
        if !self.lose.contains(&o.label) {
            let before = self.snapshot(o.to);
            self.deliveries.push(Delivery {
                from,
                out: o.clone(),
                at: self.now.plus_ms(5),
                before,
            });
            self.deliver(from, o.to, &o.bytes);
        }
        true
    }

    /// Runs the network until it is idle and no timer is left.
    pub fn run(&mut self) {
        loop {
            while let Some((from, o)) = self.queue.pop_front() {
                if self.lose.contains(&o.label) {
                    continue;
                }
                let before = self.snapshot(o.to);
                self.deliveries.push(Delivery {
                    from,
                    out: o.clone(),
                    at: self.now.plus_ms(5),
                    before,
                });
                self.deliver(from, o.to, &o.bytes);
            }
            let deadlines: Vec<(Node, SimTime)> = [
                (Node::Sensor, self.sensor.next_deadline()),
                (Node::Responder, self.r.next_deadline()),
            ]
            .into_iter()
            .chain(self.tps.iter().map(|t| (Node::Tp(t.index()), t.next_deadline())))
            .filter_map(|(n, d)| d.map(|d| (n, d)))
            .collect();
            let Some(&(_, at)) = deadlines.iter().min_by_key(|(_, d)| *d) else { break };
            self.now = self.now.max(at);
            let now = self.now;
            let due: Vec<Node> =
                deadlines.into_iter().filter(|(_, d)| *d <= now).map(|(n, _)| n).collect();
            for node in due {
                let meter = self.meters.entry(node).or_default();
                let mut ctx = Ctx { now: self.now, rng: &mut self.rng, meter };
                let out = match node {
                    Node::Sensor => self.sensor.on_timer(&mut ctx),
                    Node::Tp(i) => self.tps[usize::from(i) - 1].on_timer(&mut ctx),
                    _ => self.r.on_timer(&mut ctx),
                };
                self.absorb(node, out);
            }
        }
    }

    /// The bytes of the first message the sensor queued (before delivery).
    pub fn sensor_first_message(&self) -> Vec<u8> {
        self.queue
            .iter()
            .find(|(n, _)| *n == Node::Sensor)
            .map(|(_, o)| o.bytes.clone())
            .unwrap_or_default()
    }

    pub fn events_of(&self, node: Node) -> Vec<&RoleEvent> {
        self.events.iter().filter(|(n, _)| *n == node).map(|(_, e)| e).collect()
    }

    pub fn rejections(&self) -> Vec<(Node, String, String)> {
        self.events
            .iter()
            .filter_map(|(n, e)| match e {
                RoleEvent::Rejected { label, error } => {
                    Some((*n, label.clone(), error.to_string()))
                }
                _ => None,
            })
            .collect()
    }

    pub fn knowledge(&self, node: Node) -> Vec<Known> {
        match node {
            Node::Sensor => self.sensor.knowledge(),
            Node::Tp(i) => self.tps[usize::from(i) - 1].knowledge(),
            _ => self.r.knowledge(),
        }
    }
}

/// True if an output shows the receiver accepted something.
pub fn accepted(out: &Output) -> bool {
    out.events.iter().any(|e| {
        matches!(
            e,
            RoleEvent::ShareAccepted { .. }
                | RoleEvent::ShareForwarded { .. }
                | RoleEvent::TgkRebuilt { .. }
                | RoleEvent::TekDerived { .. }
                | RoleEvent::VerificationPassed { .. }
                | RoleEvent::TgkReceived { .. }
                | RoleEvent::LateShare { .. }
        )
    }) || out.send.iter().any(|o| o.kind != dmikey::roles::MsgKind::Error)
}
