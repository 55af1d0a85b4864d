//! The simulated network: links with fixed latencies, links that can be taken down, a seeded
//! loss rate, and the packets in flight ordered by arrival time.
//!
//! Latency model (fixed, so a seeded run is reproducible and the timeline reads like Fig. 4):
//! * **constrained links** — any link with the sensor at one end (IEEE 802.15.4 / 6LoWPAN,
//!   250 kbit/s): [`CONSTRAINED_BASE_MS`] plus the serialisation time of the datagram at
//!   250 kbit/s (1 ms per 31.25 bytes, rounded up);
//! * **unconstrained links** — TP ↔ R and links to the CA (wired/IP backbone):
//!   [`UNCONSTRAINED_BASE_MS`], serialisation neglected.
//!
//! `next_arrival` picks the packet with the earliest arrival time; ties are broken by the
//! packet id (the order in which packets were put on the wire), so the order is total.

use super::{Node, SimTime};

/// Base one-way latency of a link with the sensor at one end, in ms.
pub const CONSTRAINED_BASE_MS: u64 = 20;
/// Bit rate of a constrained link, in bit/s (IEEE 802.15.4 at 2.4 GHz).
pub const CONSTRAINED_RATE_BPS: u64 = 250_000;
/// One-way latency of an unconstrained link (TP ↔ R, CA), in ms.
pub const UNCONSTRAINED_BASE_MS: u64 = 5;

/// Identifier of a packet: its index in the capture.
pub type PacketId = usize;

/// Whether a link has the sensor (a constrained device) at one end.
pub fn is_constrained(a: Node, b: Node) -> bool {
    a == Node::Sensor || b == Node::Sensor
}

/// One-way latency for `len` bytes from `a` to `b`, in ms.
pub fn latency_ms(a: Node, b: Node, len: usize) -> u64 {
    if is_constrained(a, b) {
        let bits = len as u64 * 8;
        CONSTRAINED_BASE_MS + bits.div_ceil(CONSTRAINED_RATE_BPS / 1000)
    } else {
        UNCONSTRAINED_BASE_MS
    }
}

/// An undirected link between two nodes (stored with the smaller node first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link(pub Node, pub Node);

impl Link {
    /// The link between `a` and `b`, in canonical order.
    pub fn new(a: Node, b: Node) -> Self {
        if a <= b { Link(a, b) } else { Link(b, a) }
    }

    /// "I–TP2".
    pub fn describe(&self) -> String {
        format!("{}–{}", self.0.label(), self.1.label())
    }
}

/// SplitMix64: a tiny deterministic generator for the loss coin flips only (no secret
/// depends on it). Seeded from the session seed, or from the OS when there is none.
#[derive(Debug, Clone)]
pub struct LossRng(u64);

impl LossRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        LossRng(seed ^ 0x4c4f_5353_4c4f_5353) // "LOSSLOSS": a separate stream from the roles'
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `permille`/1000.
    pub fn lose(&mut self, permille: u16) -> bool {
        permille > 0 && (self.next_u64() % 1000) < u64::from(permille.min(1000))
    }
}

/// Links that are down and the loss rate.
#[derive(Debug, Clone)]
pub struct Network {
    down: Vec<Link>,
    /// Loss rate in ‰ applied to every packet when it is sent.
    pub loss_permille: u16,
    rng: LossRng,
}

impl Network {
    /// All links up, no loss.
    pub fn new(loss_seed: u64) -> Self {
        Network { down: Vec::new(), loss_permille: 0, rng: LossRng::new(loss_seed) }
    }

    /// Takes a link down (idempotent).
    pub fn link_down(&mut self, l: Link) {
        crate::util::insert_sorted(&mut self.down, l);
    }

    /// Brings a link back up (idempotent).
    pub fn link_up(&mut self, l: Link) {
        self.down.retain(|d| *d != l);
    }

    /// Whether the link between `a` and `b` is up.
    pub fn is_up(&self, a: Node, b: Node) -> bool {
        !self.down.contains(&Link::new(a, b))
    }

    /// Links currently down.
    pub fn links_down(&self) -> &[Link] {
        &self.down
    }

    /// Flips the loss coin for one packet.
    pub fn lose(&mut self) -> bool {
        self.rng.lose(self.loss_permille)
    }
}

/// Picks, among `(id, arrival)` pairs, the earliest arrival (ties: smallest id).
pub fn earliest(
    candidates: impl Iterator<Item = (PacketId, SimTime)>,
) -> Option<(PacketId, SimTime)> {
    candidates.min_by_key(|&(id, at)| (at, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensor_links_are_slower_than_backbone_links() {
        assert!(
            latency_ms(Node::Sensor, Node::Tp(1), 190)
                > latency_ms(Node::Tp(1), Node::Responder, 190)
        );
        // 190 bytes at 250 kbit/s = 6.08 ms, rounded up to 7.
        assert_eq!(latency_ms(Node::Tp(1), Node::Sensor, 190), CONSTRAINED_BASE_MS + 7);
    }

    #[test]
    fn ties_are_broken_by_packet_id() {
        let got = earliest([(3, SimTime(10)), (1, SimTime(10)), (2, SimTime(11))].into_iter());
        assert_eq!(got, Some((1, SimTime(10))));
    }

    #[test]
    fn loss_rate_is_reproducible_and_roughly_right() {
        let mut a = LossRng::new(7);
        let mut b = LossRng::new(7);
        let la: Vec<bool> = (0..1000).map(|_| a.lose(250)).collect();
        let lb: Vec<bool> = (0..1000).map(|_| b.lose(250)).collect();
        assert_eq!(la, lb);
        let n = la.iter().filter(|x| **x).count();
        assert!((150..350).contains(&n), "{n} losses out of 1000 at 25 %");
        assert!(!(0..100).any(|_| a.lose(0)));
        assert!((0..100).all(|_| a.lose(1000)));
    }

    #[test]
    fn links_are_undirected() {
        let mut n = Network::new(1);
        n.link_down(Link::new(Node::Responder, Node::Tp(2)));
        assert!(!n.is_up(Node::Tp(2), Node::Responder));
        n.link_up(Link::new(Node::Tp(2), Node::Responder));
        assert!(n.is_up(Node::Responder, Node::Tp(2)));
    }
}
