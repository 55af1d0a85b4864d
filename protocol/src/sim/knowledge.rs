//! The intruder's knowledge as typed facts with provenance: every fact says what it is, how
//! the intruder obtained it ([`How`]) and from which other facts ([`Fact::parents`]), so the
//! intruder panel can show a chain such as "TGK ⇐ shares 1, 2, 3 ⇐ PSKs of TP1, TP2, TP3 ⇐
//! compromise".
//!
//! The set is closed under what a Dolev–Yao intruder can really do with the same openers and
//! crypto as the honest roles (see [`crate::sim::intruder`]): open a KEMAC whose keys it
//! derives (from a PSK it stole or an envelope key it decrypted), decrypt a PKE with an RSA
//! private key it stole, rebuild a TGK from shares (or search the last missing bits against
//! the public KCV, bounded by [`MAX_SEARCH_BITS`]) and derive TEKs. Nothing is added that was
//! not computed: a fact's value is the very bytes the computation returned.

use super::network::PacketId;
use super::{MsgKind, Node};

/// Index of a fact in [`Knowledge::facts`] (stable for a given seed, commands and step).
pub type FactId = usize;

/// Widest exhaustive search the intruder runs against the public KCV, in bits (2^20
/// candidates at most): below it the search is actually run, above it only counted.
pub const MAX_SEARCH_BITS: usize = 20;

/// What a fact is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactKind {
    /// A packet seen on the wire (its bytes as they travelled).
    Captured { packet: PacketId, label: String, kind: MsgKind },
    /// The PSK TPi shares with the sensor.
    PskWithTp { tp: u8 },
    /// The PSK the sensor shares with R (the standard PSK mode).
    PskWithR,
    /// The RSA private key of a node.
    RsaPrivateKey { owner: Node },
    /// The X.509 certificate of a node (public; taken from a captured message or a
    /// compromised node).
    Certificate { owner: Node },
    /// The envelope key of a public-key message, decrypted from its PKE payload.
    EnvelopeKey { packet: PacketId },
    /// Share `index` of the session's TGK, opened from a KEMAC.
    Share { index: u8 },
    /// The TGK of the session with this CSB ID (rebuilt, searched or opened).
    Tgk { csb_id: u32 },
    /// The TEK of crypto session `cs_id`, derived from a TGK it holds.
    Tek { cs_id: u8 },
    /// The intruder's own DH exponent x, of the DH value g^x it sent in forged `packet`.
    DhExponent { packet: PacketId },
    /// The DH shared secret (the TGK, RFC 3830 §3.3) the intruder agreed with `with`, from its
    /// own exponent and `with`'s DH value: the TGK `with` holds.
    DhSecret { with: Node },
    /// What cannot be opened, stated as a fact (e.g. a DH exchange after R's signing key
    /// was stolen): it holds no value, and says why in its sentence.
    Unopenable { packet: PacketId },
}

/// How the intruder obtained a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Seen on the wire.
    Observed,
    /// Handed over when it compromised TPi.
    Compromise { tp: u8 },
    /// Stolen from `node` after the session ran ("steal later").
    StolenLater { node: Node },
    /// Read from a captured message (a certificate travels in clear).
    ReadFrom { packet: PacketId },
    /// Opened a KEMAC (MAC checked, contents decrypted) with keys derived from the parents.
    OpenedKemac { packet: PacketId },
    /// Decrypted the PKE of `packet` with a stolen RSA private key.
    DecryptedPke { packet: PacketId },
    /// Rebuilt from shares (the parents), checked against the public KCV.
    Rebuilt { shares: Vec<u8> },
    /// Searched: `guesses` candidates for the `bits` missing bits tried against the public KCV.
    Searched { bits: usize, guesses: u64 },
    /// Chosen by the intruder itself (its own DH exponent).
    Chosen,
    /// Computed g^(xy) from its own exponent and the peer's DH value (the parents).
    Agreed,
    /// Derived by the MIKEY PRF (RFC 3830 §4.1.3) from a TGK it holds.
    Derived,
    /// It tried and could not: why, in words.
    Failed { why: String },
}

/// One fact of the intruder's knowledge.
#[derive(Clone, PartialEq, Eq)]
pub struct Fact {
    pub id: FactId,
    pub kind: FactKind,
    pub how: How,
    /// The facts it was obtained from (empty for observed / handed-over facts).
    pub parents: Vec<FactId>,
    /// One sentence for the panel ("share 2 (16 bytes), opened from I_TP2 with the PSK of TP2").
    pub sentence: String,
    /// The value (key bytes, share bytes, packet bytes; empty for [`FactKind::Unopenable`]).
    pub value: Vec<u8>,
    /// Whether the value is a secret of the honest roles (keys, shares) or public.
    pub secret: bool,
}

impl core::fmt::Debug for Fact {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Fact #{} {:?} ({:?}) ⇐ {:?}", self.id, self.kind, self.how, self.parents)
    }
}

/// The intruder's facts, in the order it learned them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Knowledge {
    facts: Vec<Fact>,
}

impl Knowledge {
    /// Every fact, in the order learned (a fact's id is its position).
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// The fact `id`.
    pub fn get(&self, id: FactId) -> Option<&Fact> {
        self.facts.get(id)
    }

    /// The first fact of this kind.
    pub fn find(&self, kind: &FactKind) -> Option<&Fact> {
        self.facts.iter().find(|f| f.kind == *kind)
    }

    /// Whether it holds a fact of this kind.
    pub fn holds(&self, kind: &FactKind) -> bool {
        self.find(kind).is_some()
    }

    /// Adds a fact unless one of the same kind is already held; returns its id (the old one
    /// if it was known).
    pub fn add(
        &mut self,
        kind: FactKind,
        how: How,
        parents: Vec<FactId>,
        sentence: String,
        value: Vec<u8>,
        secret: bool,
    ) -> FactId {
        if let Some(f) = self.find(&kind) {
            return f.id;
        }
        let id = self.facts.len();
        self.facts.push(Fact { id, kind, how, parents, sentence, value, secret });
        id
    }

    /// The provenance chain of `id` as one line: the fact's short name, then, level by
    /// level, the names of its parents ("the TGK ⇐ shares 1, 2, 3 ⇐ PSKs of TP1, TP2, TP3 ⇐
    /// compromise of TP1, TP2, TP3").
    pub fn chain(&self, id: FactId) -> String {
        let Some(f) = self.get(id) else { return String::new() };
        let mut parts = vec![short_name(f)];
        let mut level: Vec<FactId> = f.parents.clone();
        let mut origin: Vec<String> = origin_words(f).into_iter().collect();
        let mut guard = 0;
        while !level.is_empty() && guard < 16 {
            guard += 1;
            let facts: Vec<&Fact> = level.iter().filter_map(|p| self.get(*p)).collect();
            parts.push(group_names(&facts));
            let mut next = Vec::new();
            origin.clear();
            for p in &facts {
                for q in &p.parents {
                    if !next.contains(q) {
                        next.push(*q);
                    }
                }
                if let Some(w) = origin_words(p)
                    && !origin.contains(&w)
                {
                    origin.push(w);
                }
            }
            level = next;
        }
        if !origin.is_empty() {
            parts.push(merge_origins(&origin));
        }
        parts.join(" ⇐ ")
    }
}

/// The short name of a fact in a chain.
pub fn short_name(f: &Fact) -> String {
    match &f.kind {
        FactKind::Captured { label, .. } => label.clone(),
        FactKind::PskWithTp { tp } => format!("PSK of TP{tp}"),
        FactKind::PskWithR => "PSK of the sensor with R".into(),
        FactKind::RsaPrivateKey { owner } => {
            format!("RSA key of {}", super::event::role_name(*owner))
        }
        FactKind::Certificate { owner } => {
            format!("certificate of {}", super::event::role_name(*owner))
        }
        FactKind::EnvelopeKey { packet } => format!("envelope key of packet #{packet}"),
        FactKind::Share { index } => format!("share {index}"),
        FactKind::Tgk { .. } => "the TGK".into(),
        FactKind::Tek { cs_id } => format!("TEK {cs_id}"),
        FactKind::DhExponent { packet } => format!("own DH exponent of packet #{packet}"),
        FactKind::DhSecret { with } => format!("the TGK of {}", super::event::role_name(*with)),
        FactKind::Unopenable { packet } => format!("packet #{packet} (not opened)"),
    }
}

/// Names of several facts of one level, grouped ("shares 1, 2, 3", "PSKs of TP1, TP2").
fn group_names(facts: &[&Fact]) -> String {
    let shares: Vec<String> = facts
        .iter()
        .filter_map(|f| match f.kind {
            FactKind::Share { index } => Some(index.to_string()),
            _ => None,
        })
        .collect();
    let psks: Vec<String> = facts
        .iter()
        .filter_map(|f| match f.kind {
            FactKind::PskWithTp { tp } => Some(format!("TP{tp}")),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    match shares.len() {
        0 => {}
        1 => out.push(format!("share {}", shares.join(""))),
        _ => out.push(format!("shares {}", shares.join(", "))),
    }
    match psks.len() {
        0 => {}
        1 => out.push(format!("PSK of {}", psks.join(""))),
        _ => out.push(format!("PSKs of {}", psks.join(", "))),
    }
    for f in facts {
        if !matches!(f.kind, FactKind::Share { .. } | FactKind::PskWithTp { .. }) {
            let n = short_name(f);
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out.join(" + ")
}

/// "compromise of TP1", "compromise of TP2" → "compromise of TP1, TP2".
fn merge_origins(origin: &[String]) -> String {
    let tps: Vec<&str> = origin.iter().filter_map(|o| o.strip_prefix("compromise of ")).collect();
    let mut out: Vec<String> = Vec::new();
    if !tps.is_empty() {
        out.push(format!("compromise of {}", tps.join(", ")));
    }
    out.extend(origin.iter().filter(|o| !o.starts_with("compromise of ")).cloned());
    out.join(", ")
}

/// How a root fact came to the intruder, as the last link of a chain.
fn origin_words(f: &Fact) -> Option<String> {
    match &f.how {
        How::Compromise { tp } => Some(format!("compromise of TP{tp}")),
        How::StolenLater { node } => {
            Some(format!("stolen from {}", super::event::role_name(*node)))
        }
        How::Observed => Some("captured on the wire".into()),
        How::Chosen => Some("chosen by the intruder".into()),
        _ => None,
    }
}
