//! TEMPORARY stand-in for `dmikey::sim` / `dmikey::roles` / `dmikey::wire`, shaped after the
//! contract in `docs/design.md`, so the UI can be built before the simulation lands.
//!
//! DELETE THIS FILE when the real API exists: `bridge.rs` then imports from `dmikey` instead.
//! Nothing here is cryptography: it moves labelled placeholder packets around and says so in
//! every verdict ("stand-in"), so a screen built on it can never be mistaken for the real run.
#![allow(dead_code)]

use std::collections::BTreeSet;

/// A place on the network (contract: `roles::Node`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Psk,
    Pk,
    Dh,
    Distributed,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    PaperRs,
    Shamir,
    Xor,
    AontRs,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KemacProfile {
    AesCmHmacSha1,
    AesCcm128,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaBits {
    B1024,
    B2048,
    B3072,
}
impl RsaBits {
    pub fn bits(self) -> u16 {
        match self {
            RsaBits::B1024 => 1024,
            RsaBits::B2048 => 2048,
            RsaBits::B3072 => 3072,
        }
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Optional {
    pub tp_i: bool,
    pub r_tp: bool,
    pub r_i: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionConfig {
    pub mode: Mode,
    pub n: u8,
    pub k: u8,
    pub scheme: Option<Scheme>,
    pub kemac: KemacProfile,
    pub rsa_bits: RsaBits,
    pub optional: Optional,
    pub seed: Option<u64>,
}

impl SessionConfig {
    pub fn paper_default() -> Self {
        SessionConfig {
            mode: Mode::Distributed,
            n: 3,
            k: 2,
            scheme: Some(Scheme::PaperRs),
            kemac: KemacProfile::AesCmHmacSha1,
            rsa_bits: RsaBits::B2048,
            optional: Optional { tp_i: false, r_tp: false, r_i: true },
            seed: Some(1),
        }
    }
}

/// Labels for the choices, as the protocol crate will provide them.
pub fn mode_label(m: Mode) -> &'static str {
    match m {
        Mode::Psk => "Pre-shared key (RFC 3830 §3.1)",
        Mode::Pk => "Public key (RFC 3830 §3.2)",
        Mode::Dh => "Diffie–Hellman (RFC 3830 §3.3)",
        Mode::Distributed => "Distributed (the paper)",
    }
}
pub fn scheme_label(s: Scheme) -> &'static str {
    match s {
        Scheme::PaperRs => "Reed–Solomon — the paper's design",
        Scheme::Shamir => "Shamir (GF(2⁸))",
        Scheme::Xor => "XOR, n of n",
        Scheme::AontRs => "AONT-RS",
    }
}
pub fn kemac_label(p: KemacProfile) -> &'static str {
    match p {
        KemacProfile::AesCmHmacSha1 => "AES-CM + HMAC-SHA-1 (RFC 3830)",
        KemacProfile::AesCcm128 => "AES-CCM (the paper's advice)",
    }
}
pub fn threshold(scheme: Scheme, n: u8, k: u8) -> u8 {
    match scheme {
        Scheme::Xor => n,
        _ => k,
    }
}

/// Everything the CA provisions. Stand-in: only the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Pki {
    seed: u64,
    n: u8,
    bits: u16,
}
impl Pki {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = self.seed.to_be_bytes().to_vec();
        v.push(self.n);
        v.extend_from_slice(&self.bits.to_be_bytes());
        v
    }
    pub fn from_bytes(b: &[u8]) -> Result<Pki, String> {
        if b.len() != 11 {
            return Err("PKI blob has the wrong length".into());
        }
        let mut s = [0u8; 8];
        s.copy_from_slice(&b[..8]);
        Ok(Pki { seed: u64::from_be_bytes(s), n: b[8], bits: u16::from_be_bytes([b[9], b[10]]) })
    }
}

/// One key or certificate per `step()` (contract: `roles::ca::Provisioner`).
pub struct Provisioner {
    pki: Pki,
    done: usize,
    total: usize,
    spin: u64,
}
impl Provisioner {
    pub fn new(seed: u64, n: u8, bits: RsaBits) -> Self {
        Provisioner {
            pki: Pki { seed, n, bits: bits.bits() },
            done: 0,
            total: 2 * n as usize + 4,
            spin: 0,
        }
    }
    /// Returns `true` while steps remain.
    pub fn step(&mut self) -> bool {
        // Burn a little CPU, like a key generation would (worker only).
        let rounds = (self.pki.bits as u64) * 2000;
        for i in 0..rounds {
            self.spin = self.spin.wrapping_mul(6364136223846793005).wrapping_add(i);
        }
        self.done += 1;
        self.done < self.total
    }
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.total)
    }
    pub fn current(&self) -> String {
        format!("key or certificate {} of {}", self.done + 1, self.total)
    }
    pub fn finish(self) -> Pki {
        self.pki
    }
}

/// Attacker and network commands (contract: `sim::Command`).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Drop(u64),
    Delay(u64, u64),
    Tamper { packet: u64, offset: usize },
    Replay(u64),
    LinkDown(Node, Node),
    LinkUp(Node, Node),
    SetLossRate(f32),
    Compromise(u8),
    MakeMalicious(u8),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Fate {
    InFlight,
    Delivered,
    Dropped(String),
    Rejected(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    pub id: u64,
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
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub step: usize,
    pub at_ms: u64,
    pub node: Option<Node>,
    pub packet: Option<u64>,
    pub kind: EventKind,
    pub text: String,
}

/// Contract: `sim::Verdict` (numbers and the one-line sentence).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Verdict {
    pub r_rebuilt_tgk: bool,
    pub r_shares: (usize, usize),
    pub intruder_rebuilt_tgk: bool,
    pub intruder_shares: usize,
    pub tgk_bits_exposed: usize,
    pub tgk_bits_total: usize,
    pub teks_match: bool,
    pub sensor_verified_r: bool,
    pub session_failed: bool,
    pub rejections: Vec<(String, String)>,
    pub sentence: String,
}

/// Contract: `sim::IntruderReport`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct IntruderReport {
    pub holds: Vec<String>,
    pub shares: Vec<u8>,
    pub tgk_bits_exposed: usize,
    pub tgk_bits_total: usize,
    pub tgk_bytes_in_clear: Vec<usize>,
    pub tgk_rebuilt: bool,
    pub teks: Vec<u8>,
    pub compromised: Vec<u8>,
    pub packets_seen: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Known {
    pub name: String,
    pub value: Vec<u8>,
    pub secret: bool,
}

/// Which segment a link belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Constrained,
    Unconstrained,
    Provisioning,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub a: Node,
    pub b: Node,
    pub segment: Segment,
}

/// Field spans (contract: `wire::layout`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpan {
    pub range: std::ops::Range<usize>,
    pub label: &'static str,
    pub meaning: String,
}
#[derive(Clone, Debug, PartialEq)]
pub struct PayloadSpan {
    pub kind: &'static str,
    pub range: std::ops::Range<usize>,
    pub fields: Vec<FieldSpan>,
}
pub fn decode_layout(bytes: &[u8]) -> Result<Vec<PayloadSpan>, String> {
    if bytes.len() < 2 {
        return Err("message truncated inside HDR (needs 2 bytes)".into());
    }
    Ok(vec![PayloadSpan {
        kind: "STAND-IN",
        range: 0..bytes.len(),
        fields: vec![
            FieldSpan { range: 0..1, label: "Version", meaning: "placeholder byte".into() },
            FieldSpan {
                range: 1..bytes.len(),
                label: "Placeholder",
                meaning: "stand-in bytes, not MIKEY".into(),
            },
        ],
    }])
}

#[derive(Clone)]
pub struct Simulation {
    cfg: SessionConfig,
    now: u64,
    next_id: u64,
    packets: Vec<Packet>,
    events: Vec<Event>,
    step: usize,
    shares_at_r: BTreeSet<u8>,
    compromised: BTreeSet<u8>,
    malicious: BTreeSet<u8>,
    down: Vec<(Node, Node)>,
    loss: f32,
    rng: u64,
    done: bool,
    verified: bool,
    rebuilt: bool,
}

impl Simulation {
    pub fn with_pki(cfg: SessionConfig, _pki: Option<Pki>) -> Result<Self, String> {
        let mut s = Simulation {
            cfg,
            now: 0,
            next_id: 1,
            packets: vec![],
            events: vec![],
            step: 0,
            shares_at_r: BTreeSet::new(),
            compromised: BTreeSet::new(),
            malicious: BTreeSet::new(),
            down: vec![],
            loss: 0.0,
            rng: 0x9E37_79B9,
            done: false,
            verified: false,
            rebuilt: false,
        };
        s.rng ^= s.cfg.seed.unwrap_or(7);
        let n = s.cfg.n;
        match s.cfg.mode {
            Mode::Distributed => {
                for i in 1..=n {
                    s.send(Node::Sensor, Node::Tp(i), format!("I_TP{i}"), 20 + 10 * i as u64);
                }
            }
            _ => s.send(Node::Sensor, Node::Responder, "I_MESSAGE".into(), 40),
        }
        Ok(s)
    }
    pub fn config(&self) -> &SessionConfig {
        &self.cfg
    }
    pub fn nodes(&self) -> Vec<Node> {
        let mut v = vec![Node::Sensor];
        if self.cfg.mode == Mode::Distributed {
            v.extend((1..=self.cfg.n).map(Node::Tp));
        }
        v.push(Node::Responder);
        if self.cfg.mode != Mode::Psk {
            v.push(Node::Ca);
        }
        v
    }
    pub fn links(&self) -> Vec<Link> {
        let mut v = vec![];
        if self.cfg.mode == Mode::Distributed {
            for i in 1..=self.cfg.n {
                v.push(Link { a: Node::Sensor, b: Node::Tp(i), segment: Segment::Constrained });
                v.push(Link {
                    a: Node::Tp(i),
                    b: Node::Responder,
                    segment: Segment::Unconstrained,
                });
            }
        } else {
            let seg = if self.cfg.mode == Mode::Psk {
                Segment::Constrained
            } else {
                Segment::Unconstrained
            };
            v.push(Link { a: Node::Sensor, b: Node::Responder, segment: seg });
        }
        v
    }
    fn rand(&mut self) -> f32 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % 10_000) as f32 / 10_000.0
    }
    fn send(&mut self, from: Node, to: Node, label: String, delay: u64) {
        let id = self.next_id;
        self.next_id += 1;
        let bytes: Vec<u8> = label.bytes().chain(std::iter::repeat_n(0xA5, 24)).collect();
        self.packets.push(Packet {
            id,
            from,
            to,
            label: label.clone(),
            bytes,
            sent_at: self.now,
            arrives_at: self.now + delay,
            fate: Fate::InFlight,
            replayed: false,
            tampered: false,
        });
        self.events.push(Event {
            step: self.step,
            at_ms: self.now,
            node: Some(from),
            packet: Some(id),
            kind: EventKind::Sent,
            text: format!("{} sends {label} to {}", from.label(), to.label()),
        });
    }
    fn ev(&mut self, node: Option<Node>, packet: Option<u64>, kind: EventKind, text: String) {
        self.events.push(Event { step: self.step, at_ms: self.now, node, packet, kind, text });
    }
    fn link_down(&self, a: Node, b: Node) -> bool {
        self.down.iter().any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
    }
    /// Delivers the next packet; `None` when nothing is left to do.
    pub fn step(&mut self) -> Option<String> {
        let idx = self
            .packets
            .iter()
            .enumerate()
            .filter(|(_, p)| p.fate == Fate::InFlight)
            .min_by_key(|(_, p)| (p.arrives_at, p.id))
            .map(|(i, _)| i)?;
        self.step += 1;
        let p = self.packets[idx].clone();
        self.now = self.now.max(p.arrives_at);
        let lost = self.loss > 0.0 && self.rand() < self.loss;
        if self.link_down(p.from, p.to) || lost {
            let why = if lost { "lost on the lossy link" } else { "link is down" };
            self.packets[idx].fate = Fate::Dropped(why.into());
            self.ev(Some(p.to), Some(p.id), EventKind::Dropped, format!("{} {why}", p.label));
        } else if p.tampered || p.replayed {
            let why = if p.tampered {
                format!("MAC mismatch in the KEMAC of {}", p.label)
            } else {
                format!("{} is a replay", p.label)
            };
            self.packets[idx].fate = Fate::Rejected(why.clone());
            self.ev(Some(p.to), Some(p.id), EventKind::Rejected, why);
        } else {
            self.packets[idx].fate = Fate::Delivered;
            self.ev(
                Some(p.to),
                Some(p.id),
                EventKind::Delivered,
                format!("{} receives {}", p.to.label(), p.label),
            );
            match (p.from, p.to) {
                (Node::Sensor, Node::Tp(i)) => {
                    self.send(Node::Tp(i), Node::Responder, format!("TP{i}_R"), 30 + 5 * i as u64)
                }
                (Node::Tp(i), Node::Responder) => {
                    if self.malicious.contains(&i) {
                        let t = format!("R rejects the share of TP{i}: key check fails");
                        self.ev(Some(Node::Responder), None, EventKind::Rejected, t);
                    } else {
                        self.shares_at_r.insert(i);
                        let t = format!("R accepts share {i}");
                        self.ev(Some(Node::Responder), None, EventKind::Accepted, t);
                    }
                    let need = self.need() as usize;
                    if !self.rebuilt && self.shares_at_r.len() >= need {
                        self.rebuilt = true;
                        let t = "R rebuilds the TGK".to_string();
                        self.ev(Some(Node::Responder), None, EventKind::Rebuilt, t);
                        if self.cfg.optional.r_i {
                            self.send(Node::Responder, Node::Sensor, "R_I".into(), 40);
                        }
                    }
                }
                (Node::Responder, Node::Sensor) => {
                    self.verified = true;
                    let t = "I verifies R".to_string();
                    self.ev(Some(Node::Sensor), None, EventKind::Verified, t);
                }
                (Node::Sensor, Node::Responder) => {
                    self.rebuilt = true;
                    let t = "R gets the TGK".to_string();
                    self.ev(Some(Node::Responder), None, EventKind::Rebuilt, t);
                }
                _ => {}
            }
        }
        Some(self.events.last().map(|e| e.text.clone()).unwrap_or_default())
    }
    fn need(&self) -> u8 {
        threshold(self.cfg.scheme.unwrap_or(Scheme::PaperRs), self.cfg.n, self.cfg.k)
    }
    pub fn apply(&mut self, cmd: Command) -> Result<(), String> {
        let text = match &cmd {
            Command::Drop(id) => {
                let p = self.in_flight_mut(*id)?;
                p.fate = Fate::Dropped("dropped by the intruder".into());
                format!("the intruder drops {}", p.label)
            }
            Command::Delay(id, ms) => {
                let p = self.in_flight_mut(*id)?;
                p.arrives_at += ms;
                format!("the intruder delays {} by {ms} ms", p.label)
            }
            Command::Tamper { packet, offset } => {
                let p = self.in_flight_mut(*packet)?;
                p.tampered = true;
                if let Some(b) = p.bytes.get_mut(*offset) {
                    *b ^= 0x01;
                }
                format!("the intruder flips a bit of {} at byte {offset}", p.label)
            }
            Command::Replay(id) => {
                let p = self.packets.iter().find(|p| p.id == *id).ok_or("no such packet")?.clone();
                let nid = self.next_id;
                self.next_id += 1;
                self.packets.push(Packet {
                    id: nid,
                    sent_at: self.now,
                    arrives_at: self.now + 20,
                    fate: Fate::InFlight,
                    replayed: true,
                    ..p.clone()
                });
                format!("the intruder replays {}", p.label)
            }
            Command::LinkDown(a, b) => {
                self.down.push((*a, *b));
                format!("link {}–{} goes down", a.label(), b.label())
            }
            Command::LinkUp(a, b) => {
                self.down.retain(|&(x, y)| !((x == *a && y == *b) || (x == *b && y == *a)));
                format!("link {}–{} is back up", a.label(), b.label())
            }
            Command::SetLossRate(r) => {
                self.loss = *r;
                format!("loss rate set to {:.0} %", r * 100.0)
            }
            Command::Compromise(i) => {
                self.compromised.insert(*i);
                format!("the intruder compromises TP{i}")
            }
            Command::MakeMalicious(i) => {
                self.malicious.insert(*i);
                format!("TP{i} turns malicious")
            }
        };
        self.ev(Some(Node::Intruder), None, EventKind::Attack, text);
        Ok(())
    }
    fn in_flight_mut(&mut self, id: u64) -> Result<&mut Packet, String> {
        self.packets
            .iter_mut()
            .find(|p| p.id == id && p.fate == Fate::InFlight)
            .ok_or_else(|| "that packet is no longer in flight".to_string())
    }
    pub fn now_ms(&self) -> u64 {
        self.now
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn capture(&self) -> &[Packet] {
        &self.packets
    }
    pub fn link_is_down(&self, a: Node, b: Node) -> bool {
        self.link_down(a, b)
    }
    pub fn loss_rate(&self) -> f32 {
        self.loss
    }
    pub fn compromised(&self) -> Vec<u8> {
        self.compromised.iter().copied().collect()
    }
    pub fn malicious(&self) -> Vec<u8> {
        self.malicious.iter().copied().collect()
    }
    pub fn is_finished(&self) -> bool {
        !self.packets.iter().any(|p| p.fate == Fate::InFlight)
    }
    pub fn verdict(&self) -> Verdict {
        let need = self.need() as usize;
        let have = self.shares_at_r.len();
        let ir = self.intruder_report();
        let mut parts = vec![];
        if self.rebuilt {
            let mut s = "R rebuilt the TGK; TEK derived".to_string();
            if self.verified {
                s.push_str("; the sensor verified R");
            }
            parts.push(s);
        } else {
            let tail = if self.is_finished() { "" } else { " yet" };
            parts.push(format!(
                "R holds {have} of {need} needed shares — the TGK cannot be rebuilt{tail}"
            ));
        }
        let m = ir.shares.len();
        let shares = if m == 1 { "1 share".to_string() } else { format!("{m} shares") };
        if ir.tgk_rebuilt {
            parts.push(format!("The intruder holds {shares}: the TGK is exposed"));
        } else if ir.tgk_bits_exposed > 0 {
            parts.push(format!(
                "The intruder holds {shares}: {} of {} TGK bits exposed",
                ir.tgk_bits_exposed, ir.tgk_bits_total
            ));
        } else if m > 0 {
            parts.push(format!("The intruder holds {shares}: nothing of the TGK is exposed"));
        }
        let rejections: Vec<(String, String)> = self
            .packets
            .iter()
            .filter_map(|p| match &p.fate {
                Fate::Rejected(w) => Some((p.label.clone(), w.clone())),
                _ => None,
            })
            .collect();
        if let (false, Some((l, w))) = (self.rebuilt, rejections.first()) {
            parts.push(format!("{l} was rejected: {w}"));
        }
        Verdict {
            r_rebuilt_tgk: self.rebuilt,
            r_shares: (have, need),
            intruder_rebuilt_tgk: ir.tgk_rebuilt,
            intruder_shares: m,
            tgk_bits_exposed: ir.tgk_bits_exposed,
            tgk_bits_total: ir.tgk_bits_total,
            teks_match: self.rebuilt,
            sensor_verified_r: self.verified,
            session_failed: false,
            rejections,
            sentence: parts.join(". "),
        }
    }
    pub fn intruder_report(&self) -> IntruderReport {
        let shares: Vec<u8> = self.compromised.iter().copied().collect();
        let need = self.need() as usize;
        let tgk_len = 16;
        let rebuilt = self.cfg.mode == Mode::Distributed && shares.len() >= need;
        let clear: Vec<usize> = if rebuilt {
            (0..tgk_len).collect()
        } else if self.cfg.scheme == Some(Scheme::PaperRs) {
            let per = tgk_len / need.max(1);
            shares
                .iter()
                .filter(|&&i| (i as usize) <= need)
                .flat_map(|&i| ((i as usize - 1) * per)..(i as usize * per))
                .collect()
        } else {
            vec![]
        };
        let mut holds: Vec<String> =
            shares.iter().map(|i| format!("PSK of TP{i} with the sensor")).collect();
        holds.extend(shares.iter().map(|i| format!("share {i}")));
        IntruderReport {
            holds,
            shares: shares.clone(),
            tgk_bits_exposed: clear.len() * 8,
            tgk_bits_total: tgk_len * 8,
            tgk_bytes_in_clear: clear,
            tgk_rebuilt: rebuilt,
            teks: if rebuilt { vec![1] } else { vec![] },
            compromised: shares,
            packets_seen: self.packets.len(),
        }
    }
    pub fn node_knowledge(&self, node: Node) -> Vec<Known> {
        match node {
            Node::Tp(i) => {
                vec![Known { name: format!("PSK with I ({i})"), value: vec![i; 16], secret: true }]
            }
            Node::Sensor => (1..=self.cfg.n)
                .map(|i| Known {
                    name: format!("PSK with TP{i}"),
                    value: vec![i; 16],
                    secret: true,
                })
                .collect(),
            _ => vec![],
        }
    }
}

/// Snapshots for step back / seek (contract: `sim::Player`).
pub struct Player {
    snaps: Vec<Simulation>,
    pos: usize,
    reports: Vec<String>,
}

impl Player {
    pub fn new(sim: Simulation) -> Self {
        Player { snaps: vec![sim], pos: 0, reports: vec![String::new()] }
    }
    pub fn sim(&self) -> &Simulation {
        &self.snaps[self.pos]
    }
    pub fn position(&self) -> usize {
        self.pos
    }
    pub fn horizon(&self) -> usize {
        self.snaps.len() - 1
    }
    pub fn step(&mut self) -> Option<String> {
        if self.pos < self.horizon() {
            self.pos += 1;
            return Some(self.reports[self.pos].clone());
        }
        let mut next = self.snaps[self.pos].clone();
        let r = next.step()?;
        self.snaps.push(next);
        self.reports.push(r.clone());
        self.pos += 1;
        Some(r)
    }
    pub fn step_back(&mut self) -> bool {
        if self.pos == 0 {
            return false;
        }
        self.pos -= 1;
        true
    }
    pub fn seek(&mut self, to: usize) {
        self.pos = to.min(self.horizon());
    }
    pub fn report_at(&self, step: usize) -> Option<&str> {
        self.reports.get(step).map(String::as_str)
    }
    /// Applies a command at the current position; the recorded future is discarded (a fork).
    pub fn apply(&mut self, cmd: Command) -> Result<(), String> {
        self.snaps.truncate(self.pos + 1);
        self.reports.truncate(self.pos + 1);
        let sim = &mut self.snaps[self.pos];
        sim.apply(cmd)
    }
}

/// The eight presets (contract: `sim::scenario`).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub config: SessionConfig,
    /// Commands applied before the step with this number.
    pub script: Vec<(usize, Command)>,
}

pub fn scenarios() -> Vec<Scenario> {
    let base = SessionConfig::paper_default();
    let sh = SessionConfig { scheme: Some(Scheme::Shamir), ..base.clone() };
    vec![
        Scenario {
            id: "happy",
            title: "Happy path",
            summary: "Every share arrives.",
            config: base.clone(),
            script: vec![],
        },
        Scenario {
            id: "lossy",
            title: "Lossy link, n−k lost",
            summary: "R still succeeds.",
            config: base.clone(),
            script: vec![(0, Command::Drop(1))],
        },
        Scenario {
            id: "too-lossy",
            title: "One share too many lost",
            summary: "R cannot rebuild.",
            config: base.clone(),
            script: vec![(0, Command::Drop(1)), (0, Command::Drop(2))],
        },
        Scenario {
            id: "rs-leak",
            title: "One TP compromised (paper's RS)",
            summary: "Part of the TGK leaks.",
            config: base.clone(),
            script: vec![(0, Command::Compromise(1))],
        },
        Scenario {
            id: "shamir-no-leak",
            title: "One TP compromised (Shamir)",
            summary: "Nothing leaks.",
            config: sh,
            script: vec![(0, Command::Compromise(1))],
        },
        Scenario {
            id: "k-compromised",
            title: "k TPs compromised",
            summary: "The TGK is exposed.",
            config: base.clone(),
            script: vec![(0, Command::Compromise(1)), (0, Command::Compromise(2))],
        },
        Scenario {
            id: "replay",
            title: "Replayed message",
            summary: "R rejects the replay.",
            config: base.clone(),
            script: vec![(1, Command::Replay(1))],
        },
        Scenario {
            id: "tamper",
            title: "Tampered message",
            summary: "The MAC catches it.",
            config: base.clone(),
            script: vec![(0, Command::Tamper { packet: 1, offset: 5 })],
        },
        Scenario {
            id: "malicious",
            title: "Malicious third party",
            summary: "R rejects the bad share.",
            config: base,
            script: vec![(0, Command::MakeMalicious(2))],
        },
    ]
}
