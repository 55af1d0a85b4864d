//! The Dolev–Yao intruder: it sees every packet put on the wire and, once it compromises a
//! third party (or steals a node's keys later), holds that node's keys (a TP's PSK with the
//! sensor and its RSA private key and certificate; R's RSA private key, and in the PSK mode
//! the PSK R shares with the sensor). From that it derives what it can, with the same openers
//! and the same crypto as the honest roles: it opens every captured I_TPi whose PSK it holds,
//! every PSK I_MESSAGE under a PSK it holds, decrypts the PKE of every captured TPi_R or PK
//! I_MESSAGE addressed to a node whose RSA key it holds and opens its KEMAC, collects the
//! shares, rebuilds the TGK once it holds enough of them (checking the result against the KCV
//! that travels in clear in the D-MIKEY extension — the check R does, so the intruder knows
//! when it has succeeded), and derives the TEKs. With [`Intruder::search_kcv`] it searches the
//! last missing share exhaustively against the public KCV when at most
//! [`MAX_SEARCH_BITS`] bits are missing.
//!
//! Everything it learns is a [`Fact`] of its [`Knowledge`] with its provenance (see
//! [`super::knowledge`]).
//!
//! It never claims a rebuild it did not do: the true TGK is only used by
//! [`Intruder::report`] to *label* what the intruder derived (`tgk_correct`), never to derive.
//! Bits exposed, and the bits still to guess against the public KCV, come from
//! [`crate::sharing::exposure`] for the scheme of the session (under the paper's RS, one share
//! is a literal slice of the TGK; under Shamir and XOR fewer than the threshold reveal
//! nothing); it rebuilds as soon as its shares determine the TGK ([`sharing::determines`]).

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::knowledge::{FactId, FactKind, How, Knowledge, MAX_SEARCH_BITS};
use super::network::PacketId;
use super::{MsgKind, Node};
use crate::cost::Meter;
use crate::crypto::derive;
use crate::crypto::kemac::KemacProfile;
use crate::crypto::rng::SimRng;
use crate::crypto::rsa::{PkePadding, RsaPrivateKey};
use crate::error::Error;
use crate::mikey::{dh, distributed, pk, psk};
use crate::sharing::{self, Scheme, Share};
use crate::wire::{Decoded, KeyDataType, PrfFunc};

/// Public facts of the distributed session, read from any captured I_TPi (they travel in
/// clear: HDR, RAND and the D-MIKEY extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFacts {
    pub scheme: Scheme,
    pub n: u8,
    pub k: u8,
    pub secret_len: usize,
    pub kcv: [u8; 8],
    pub csb_id: u32,
    pub rand: Vec<u8>,
    pub prf: PrfFunc,
    pub cs_count: u8,
}

/// The public values a TGK's TEKs are derived with: PRF, CSB ID, RAND, number of crypto
/// sessions.
type SessionPublic = (PrfFunc, u32, Vec<u8>, u8);

/// (crypto session, TEK, salt) derived by the intruder.
type DerivedKeys = (u8, Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>);

/// The exhaustive search against the public KCV ([`Intruder::search_kcv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KcvSearch {
    /// The share it searched.
    pub index: u8,
    /// Bits searched (8 × the share's length).
    pub bits: usize,
    /// Candidates checked against the KCV before the search stopped.
    pub guesses: u64,
    /// Whether a candidate passed the KCV (then the intruder holds the TGK).
    pub found: bool,
}

/// What the intruder holds and has derived, for the intruder panel and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntruderReport {
    /// Everything it holds, in words ("PSK of TP2 with the sensor", "share 2 (16 bytes)", …).
    pub holds: Vec<String>,
    /// Its knowledge: every fact with its provenance (the panel lists `sentence` and
    /// [`Knowledge::chain`] of each).
    pub knowledge: Knowledge,
    /// Indices of the shares it holds, ascending.
    pub shares: Vec<u8>,
    /// TGK bits determined by what it holds (all of them once rebuilt).
    pub tgk_bits_exposed: usize,
    /// Size of the TGK in bits (0 before any I_TPi was seen).
    pub tgk_bits_total: usize,
    /// TGK bits it must still guess, each guess checked offline against the public KCV (or
    /// R_I's MAC, or the SRTP traffic); 0 once it holds the TGK, 0 before any I_TPi was seen.
    pub tgk_guess_bits: usize,
    /// TGK byte positions it knows in clear (the paper's RS: literal slices).
    pub tgk_bytes_in_clear: Vec<usize>,
    /// Whether it holds a TGK of the session (rebuilt and passing the key-check value,
    /// searched, or opened from a standard-mode message).
    pub tgk_rebuilt: bool,
    /// Label only: whether what it rebuilt equals the true TGK (None if nothing rebuilt or
    /// the true TGK is unknown).
    pub tgk_correct: Option<bool>,
    /// Crypto sessions whose TEK it derived.
    pub teks: Vec<u8>,
    /// Third parties it compromised.
    pub compromised: Vec<u8>,
    /// Nodes whose keys it stole after the session ("steal later").
    pub stolen_from: Vec<Node>,
    /// The KCV search it ran, if any.
    pub kcv_search: Option<KcvSearch>,
    /// Packets it has seen on the wire.
    pub packets_seen: usize,
}

/// One captured packet as the intruder keeps it.
#[derive(Clone)]
struct Captured {
    id: PacketId,
    kind: MsgKind,
    to: Node,
    label: String,
    fact: FactId,
    decoded: Option<Decoded>,
}

/// The intruder's knowledge base (see the module docs).
#[derive(Clone, Default)]
pub struct Intruder {
    profile: Option<KemacProfile>,
    pke: Option<PkePadding>,
    captured: Vec<Captured>,
    knowledge: Knowledge,
    psks: BTreeMap<u8, (FactId, Zeroizing<Vec<u8>>)>,
    psk_r: Option<(FactId, Zeroizing<Vec<u8>>)>,
    rsa: BTreeMap<Node, (FactId, RsaPrivateKey)>,
    compromised: Vec<u8>,
    stolen_from: Vec<Node>,
    other: Vec<String>,
    facts: Option<SessionFacts>,
    shares: BTreeMap<u8, (FactId, Share)>,
    tgk: Option<(FactId, Zeroizing<Vec<u8>>)>,
    rebuilt_from: Vec<u8>,
    /// (crypto session, TEK, salt).
    teks: Vec<DerivedKeys>,
    search: Option<KcvSearch>,
    /// Its own DH exponents, of the DH values it sent in forged messages.
    own_dh: Vec<OwnExponent>,
    /// g^(ax) of a forged DH R_MESSAGE and the session's public values, until the sensor
    /// accepts that R_MESSAGE ([`Intruder::sensor_accepted_own_dh`]).
    pending_sensor_tgk: Option<(Vec<u8>, SessionPublic)>,
    meter: Meter,
}

/// A DH exponent x the intruder chose, and the value g^x it sent.
#[derive(Clone)]
struct OwnExponent {
    fact: FactId,
    x: Zeroizing<Vec<u8>>,
    public: Vec<u8>,
}

impl core::fmt::Debug for Intruder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Intruder {{ packets: {}, facts: {}, shares: {:?}, rebuilt: {} }}",
            self.captured.len(),
            self.knowledge.facts().len(),
            self.shares.keys().collect::<Vec<_>>(),
            self.tgk.is_some()
        )
    }
}

/// The keys a node hands over when it is compromised or robbed.
#[derive(Clone, Default)]
pub struct Loot {
    /// A TP's PSK with the sensor.
    pub psk_with_sensor: Option<Zeroizing<Vec<u8>>>,
    /// R's PSK with the sensor (standard PSK mode).
    pub psk_with_r: Option<Zeroizing<Vec<u8>>>,
    pub rsa_key: Option<RsaPrivateKey>,
    pub certificate: Option<Vec<u8>>,
    /// Names of everything else it held (shares, TGKs, … as the role lists them).
    pub other: Vec<String>,
}

impl Intruder {
    /// An intruder that expects I_TPi KEMACs under `profile` and PKE under `pke`.
    pub fn new(profile: KemacProfile) -> Self {
        Intruder { profile: Some(profile), ..Intruder::default() }
    }

    /// The same, with the PKE padding of the session (for decrypting with stolen RSA keys).
    pub fn with_pke(profile: KemacProfile, pke: PkePadding) -> Self {
        Intruder { profile: Some(profile), pke: Some(pke), ..Intruder::default() }
    }

    /// The work the intruder did (PRF calls, AES blocks, …).
    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    /// Its facts with their provenance.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// Public facts of the distributed session it read off the wire.
    pub fn session_facts(&self) -> Option<&SessionFacts> {
        self.facts.as_ref()
    }

    /// The PSK of TPi with the sensor, if it holds it.
    pub fn psk_with_tp(&self, tp: u8) -> Option<(FactId, &[u8])> {
        self.psks.get(&tp).map(|(f, k)| (*f, k.as_slice()))
    }

    /// The PSK of the sensor with R, if it holds it.
    pub fn psk_with_r(&self) -> Option<(FactId, &[u8])> {
        self.psk_r.as_ref().map(|(f, k)| (*f, k.as_slice()))
    }

    /// The RSA private key of `node`, if it holds it.
    pub fn rsa_key(&self, node: Node) -> Option<(FactId, &RsaPrivateKey)> {
        self.rsa.get(&node).map(|(f, k)| (*f, k))
    }

    /// The certificate of `node` (DER), if it holds it (from the wire or a compromise).
    pub fn certificate(&self, node: Node) -> Option<(FactId, &[u8])> {
        self.knowledge
            .find(&FactKind::Certificate { owner: node })
            .map(|f| (f.id, f.value.as_slice()))
    }

    /// The first captured message of `kind` that a role sent (not a forgery of its own), with
    /// its packet id: the template a forgery copies the session's public values from.
    pub fn captured_message(&self, kind: MsgKind) -> Option<(PacketId, &Decoded)> {
        self.captured
            .iter()
            .filter(|c| c.kind == kind && !c.label.ends_with("(forged)"))
            .find_map(|c| c.decoded.as_ref().map(|d| (c.id, d)))
    }

    /// The first captured message labelled `label` ("TP2_R") that a role sent.
    pub fn captured_labelled(&self, label: &str) -> Option<(PacketId, &Decoded)> {
        self.captured
            .iter()
            .filter(|c| c.label == label)
            .find_map(|c| c.decoded.as_ref().map(|d| (c.id, d)))
    }

    /// The TGK's fact, if it holds one.
    pub fn tgk_fact(&self) -> Option<FactId> {
        self.tgk.as_ref().map(|(f, _)| *f)
    }

    /// A packet seen on the wire (`id`, its kind, its receiver and label), as the simulation
    /// decoded it (or the decoder's error); returns what it learned from it, in words.
    pub fn observe_packet(
        &mut self,
        id: PacketId,
        kind: MsgKind,
        to: Node,
        label: &str,
        bytes: &[u8],
        msg: Result<&Decoded, &Error>,
    ) -> Vec<String> {
        let decoded = msg.ok().cloned();
        let fact = self.knowledge.add(
            FactKind::Captured { packet: id, label: label.to_string(), kind },
            How::Observed,
            Vec::new(),
            format!("{label} (packet #{id}, {} bytes), captured on the wire", bytes.len()),
            bytes.to_vec(),
            false,
        );
        let c = Captured { id, kind, to, label: label.to_string(), fact, decoded };
        let mut learned = Vec::new();
        self.read(&c, &mut learned);
        self.captured.push(c);
        self.try_rebuild(&mut learned);
        learned
    }

    /// TPi is compromised: the intruder gets its PSK with the sensor and everything it holds
    /// (`known`: names of the other keys and values, e.g. its RSA private key), then re-reads
    /// every captured packet with the new keys. Returns what it learned.
    pub fn compromise(&mut self, tp: u8, psk: &[u8], known: Vec<String>) -> Vec<String> {
        let loot = Loot {
            psk_with_sensor: Some(Zeroizing::new(psk.to_vec())),
            other: known,
            ..Loot::default()
        };
        self.take(Node::Tp(tp), How::Compromise { tp }, loot)
    }

    /// `node`'s keys reach the intruder (`how`: a compromise now, or a theft after the
    /// session); it re-reads every captured packet with them. Returns what it learned.
    pub fn take(&mut self, node: Node, how: How, loot: Loot) -> Vec<String> {
        let mut learned = Vec::new();
        match (&how, node) {
            (How::Compromise { tp }, _) => crate::util::insert_sorted(&mut self.compromised, *tp),
            (How::StolenLater { .. }, n) if !self.stolen_from.contains(&n) => {
                self.stolen_from.push(n)
            }
            _ => {}
        }
        let whence = match &how {
            How::Compromise { tp } => format!("handed over when TP{tp} was compromised"),
            _ => format!("stolen from {}", super::event::role_name(node)),
        };
        if let (Some(psk), Node::Tp(tp)) = (loot.psk_with_sensor, node)
            && !self.psks.contains_key(&tp)
        {
            let f = self.knowledge.add(
                FactKind::PskWithTp { tp },
                how.clone(),
                Vec::new(),
                format!("the PSK of TP{tp} with the sensor, {whence}"),
                psk.to_vec(),
                true,
            );
            self.psks.insert(tp, (f, psk));
            learned.push(format!("the PSK of TP{tp} with the sensor"));
        }
        if let Some(psk) = loot.psk_with_r
            && self.psk_r.is_none()
        {
            let f = self.knowledge.add(
                FactKind::PskWithR,
                how.clone(),
                Vec::new(),
                format!("the PSK the sensor shares with R, {whence}"),
                psk.to_vec(),
                true,
            );
            self.psk_r = Some((f, psk));
            learned.push("the PSK the sensor shares with R".into());
        }
        if let Some(key) = loot.rsa_key
            && !self.rsa.contains_key(&node)
        {
            let der = key.to_pkcs8_der().map(|d| d.to_vec()).unwrap_or_default();
            let f = self.knowledge.add(
                FactKind::RsaPrivateKey { owner: node },
                how.clone(),
                Vec::new(),
                format!("the RSA private key of {}, {whence}", super::event::role_name(node)),
                der,
                true,
            );
            self.rsa.insert(node, (f, key));
            learned.push(format!("the RSA private key of {}", super::event::role_name(node)));
        }
        if let Some(cert) = loot.certificate
            && !self.knowledge.holds(&FactKind::Certificate { owner: node })
        {
            self.knowledge.add(
                FactKind::Certificate { owner: node },
                how.clone(),
                Vec::new(),
                format!("the certificate of {} (public), {whence}", super::event::role_name(node)),
                cert,
                false,
            );
            learned.push(format!("the certificate of {}", super::event::role_name(node)));
        }
        for k in loot.other {
            let entry = format!("{k} (from {})", super::event::role_name(node));
            if !self.other.contains(&entry) {
                learned.push(entry.clone());
                self.other.push(entry);
            }
        }
        let captured = core::mem::take(&mut self.captured);
        for c in &captured {
            self.read(c, &mut learned);
        }
        self.captured = captured;
        self.try_rebuild(&mut learned);
        learned
    }

    /// Everything it can get out of one captured packet with what it holds now.
    fn read(&mut self, c: &Captured, learned: &mut Vec<String>) {
        let Some(d) = &c.decoded else { return };
        match c.kind {
            MsgKind::ITp => self.open_i_tp(c, d, learned),
            MsgKind::TpR | MsgKind::PkInit => {
                self.read_certificate(c, d, learned);
                self.open_pk(c, d, learned);
            }
            MsgKind::PskInit => self.open_psk_init(c, d, learned),
            MsgKind::DhInit | MsgKind::DhResp if !c.label.ends_with("(forged)") => {
                self.read_certificate(c, d, learned);
                if !self.agree_with_r(c, d, learned) {
                    self.cannot_open_dh(c, learned);
                }
            }
            _ => {}
        }
    }

    /// It sent forged DH message `packet` with its own exponent `x`: it records x and
    /// computes what that gives it — at once for a forged R_MESSAGE (the sensor's g^a, echoed
    /// in it, raised to x: the TGK the sensor will hold), and for a forged I_MESSAGE once R's
    /// R_MESSAGE answers its g^x (R's g^b raised to x: the TGK R holds). Returns what it learned.
    pub fn own_dh(&mut self, packet: PacketId, x: Zeroizing<Vec<u8>>) -> Vec<String> {
        let mut learned = Vec::new();
        let Some(c) = self.captured.iter().find(|c| c.id == packet).cloned() else {
            return learned;
        };
        let Some(d) = &c.decoded else { return learned };
        let (public, answered) = match c.kind {
            MsgKind::DhInit => match dh::parse_init(d, &c.label) {
                Ok(p) => (p.content.dh_i, None),
                Err(_) => return learned,
            },
            MsgKind::DhResp => match dh::parse_resp(d, &c.label) {
                Ok(p) => (p.content.dh_r, Some(p.content.dh_i)),
                Err(_) => return learned,
            },
            _ => return learned,
        };
        let fact = self.knowledge.add(
            FactKind::DhExponent { packet },
            How::Chosen,
            vec![c.fact],
            format!("its own DH exponent x, whose g^x it sent in {}", c.label),
            x.to_vec(),
            false,
        );
        let own = OwnExponent { fact, x, public };
        self.own_dh.push(own.clone());
        if let Some(dh_i) = answered {
            // The sensor's I_MESSAGE that carried g^a.
            let init = self.captured.iter().find(|i| {
                i.kind == MsgKind::DhInit
                    && !i.label.ends_with("(forged)")
                    && i.decoded
                        .as_ref()
                        .and_then(|d| dh::parse_init(d, &i.label).ok())
                        .is_some_and(|p| p.content.dh_i == dh_i)
            });
            if let Some(init) = init.cloned()
                && let Some(p) = init.decoded.as_ref().and_then(|d| dh::parse_init(d, "").ok())
            {
                let pair = crate::crypto::dh::DhKeyPair::exponent_only(own.x.clone());
                if let Ok(secret) = pair.shared_secret(&dh_i, &mut self.meter) {
                    let hdr = &p.content.hdr;
                    let sentence = format!(
                        "g^(ax) from the sensor's g^a in {} and its own exponent x: the TGK the \
                         sensor agrees if it accepts {}",
                        init.label, c.label
                    );
                    self.knowledge.add(
                        FactKind::DhSecret { with: Node::Sensor },
                        How::Agreed,
                        vec![own.fact, init.fact],
                        sentence.clone(),
                        secret.to_vec(),
                        true,
                    );
                    learned.push(sentence);
                    self.pending_sensor_tgk = Some((
                        secret.to_vec(),
                        (hdr.prf, hdr.csb_id, p.content.rand.clone(), hdr.cs_map.cs_count()),
                    ));
                }
            }
        }
        let captured = self.captured.clone();
        for c in &captured {
            if let Some(d) = &c.decoded
                && c.kind == MsgKind::DhResp
            {
                self.agree_with_r(c, d, &mut learned);
            }
        }
        learned
    }

    /// The sensor accepted the intruder's forged DH R_MESSAGE: g^(ax) is the sensor's TGK,
    /// and the intruder holds it (with the TEKs). On a real network this shows as the sensor
    /// starting its media under the TEK derived from that TGK, which the intruder can check;
    /// the simulation carries no media, so it tells the intruder. Returns what it learned.
    pub fn sensor_accepted_own_dh(&mut self) -> Vec<String> {
        let mut learned = Vec::new();
        let Some((secret, session)) = self.pending_sensor_tgk.take() else { return learned };
        let Some(parent) = self.knowledge.find(&FactKind::DhSecret { with: Node::Sensor }) else {
            return learned;
        };
        let parent = parent.id;
        self.hold_tgk(
            secret,
            How::Agreed,
            vec![parent],
            "the TGK, the sensor's: it accepted the forged R_MESSAGE (DH) and holds g^(ax)".into(),
            session,
            &mut learned,
        );
        learned
    }

    /// A genuine DH R_MESSAGE answering one of its own g^x: R's g^b raised to x is the TGK R
    /// holds. Returns whether it was such an answer.
    fn agree_with_r(&mut self, c: &Captured, d: &Decoded, learned: &mut Vec<String>) -> bool {
        if c.kind != MsgKind::DhResp || c.label.ends_with("(forged)") {
            return false;
        }
        let Ok(p) = dh::parse_resp(d, &c.label) else { return false };
        let Some(own) = self.own_dh.iter().find(|o| o.public == p.content.dh_i).cloned() else {
            return false;
        };
        if self.knowledge.holds(&FactKind::DhSecret { with: Node::Responder }) {
            return true;
        }
        let pair = crate::crypto::dh::DhKeyPair::exponent_only(own.x.clone());
        let Ok(secret) = pair.shared_secret(&p.content.dh_r, &mut self.meter) else {
            return true;
        };
        let sentence =
            format!("the TGK R holds: g^(bx) from R's g^b in {} and its own exponent x", c.label);
        self.knowledge.add(
            FactKind::DhSecret { with: Node::Responder },
            How::Agreed,
            vec![own.fact, c.fact],
            sentence.clone(),
            secret.to_vec(),
            true,
        );
        learned.push(sentence);
        true
    }

    /// A DH message: whatever RSA keys it stole sign and verify, they decrypt nothing. The
    /// TGK is g^(xy) from two exponents that never travelled and that the roles erased once the
    /// session was set up, so there is no opener to try; it records that, once it holds
    /// a signing key of the exchange.
    fn cannot_open_dh(&mut self, c: &Captured, learned: &mut Vec<String>) {
        let keys: Vec<FactId> = [Node::Sensor, Node::Responder]
            .iter()
            .filter_map(|n| self.rsa.get(n).map(|(f, _)| *f))
            .collect();
        if keys.is_empty() || self.knowledge.holds(&FactKind::Unopenable { packet: c.id }) {
            return;
        }
        let why = "a DH key exchange: the stolen RSA key only signs; the TGK is g^(xy) from \
                   ephemeral exponents that never travelled (forward secrecy)"
            .to_string();
        let sentence = format!("{} cannot be opened: {why}", c.label);
        let mut parents = keys;
        parents.push(c.fact);
        self.knowledge.add(
            FactKind::Unopenable { packet: c.id },
            How::Failed { why },
            parents,
            sentence.clone(),
            Vec::new(),
            false,
        );
        learned.push(sentence);
    }

    fn read_certificate(&mut self, c: &Captured, d: &Decoded, learned: &mut Vec<String>) {
        let Some(cert) = d.message.first::<crate::wire::Cert>() else { return };
        // The certificate names its subject; the intruder attributes it to the claimed
        // sender only if the packet came from that role (a forged packet proves nothing).
        if c.label.ends_with("(forged)") {
            return;
        }
        let Some(owner) = self.owner_of(c) else { return };
        let kind = FactKind::Certificate { owner };
        if self.knowledge.holds(&kind) {
            return;
        }
        self.knowledge.add(
            kind,
            How::ReadFrom { packet: c.id },
            vec![c.fact],
            format!(
                "the certificate of {} (public), read from {}",
                super::event::role_name(owner),
                c.label
            ),
            cert.data.clone(),
            false,
        );
        learned.push(format!(
            "the certificate of {}, from {}",
            super::event::role_name(owner),
            c.label
        ));
    }

    fn owner_of(&self, c: &Captured) -> Option<Node> {
        match c.kind {
            MsgKind::TpR => {
                let digits: String = c
                    .label
                    .strip_prefix("TP")?
                    .chars()
                    .take_while(|ch| ch.is_ascii_digit())
                    .collect();
                digits.parse().ok().map(Node::Tp)
            }
            MsgKind::PkInit | MsgKind::DhInit => Some(Node::Sensor),
            MsgKind::DhResp => Some(Node::Responder),
            _ => None,
        }
    }

    fn open_i_tp(&mut self, c: &Captured, d: &Decoded, learned: &mut Vec<String>) {
        let Ok(parsed) = distributed::parse_i_tp(d, &c.label) else { return };
        let hdr = &parsed.init.content.hdr;
        let facts = SessionFacts {
            scheme: parsed.meta.scheme,
            n: parsed.meta.n,
            k: parsed.meta.k,
            secret_len: usize::from(parsed.meta.secret_len),
            kcv: parsed.meta.kcv,
            csb_id: hdr.csb_id,
            rand: parsed.init.content.rand.clone(),
            prf: hdr.prf,
            cs_count: hdr.cs_map.cs_count(),
        };
        if self.facts.is_none() {
            self.facts = Some(facts.clone());
        } else if self.facts.as_ref() != Some(&facts) {
            return; // another session (e.g. a forged packet): not mixed in
        }
        let index = parsed.meta.index;
        if self.shares.contains_key(&index) {
            return;
        }
        let Some(profile) = self.profile else { return };
        // Dolev–Yao: try every PSK it holds.
        let psks: Vec<(u8, FactId, Zeroizing<Vec<u8>>)> =
            self.psks.iter().map(|(tp, (f, k))| (*tp, *f, k.clone())).collect();
        for (tp, psk_fact, psk) in psks {
            if let Ok((_keys, share)) =
                distributed::open_i_tp(&parsed, &psk, profile, &c.label, &mut self.meter)
            {
                let f = self.knowledge.add(
                    FactKind::Share { index },
                    How::OpenedKemac { packet: c.id },
                    vec![psk_fact, c.fact],
                    format!(
                        "share {index} ({} bytes), opened from {} with the PSK of TP{tp}",
                        share.len(),
                        c.label
                    ),
                    share.to_vec(),
                    true,
                );
                learned.push(format!(
                    "share {index} ({} bytes) by opening {}",
                    share.len(),
                    c.label
                ));
                self.shares.insert(index, (f, Share { index, data: share.to_vec() }));
                return;
            }
        }
    }

    /// A TPi_R or a PK I_MESSAGE: decrypt its PKE with the receiver's RSA key if held, then
    /// open its KEMAC.
    fn open_pk(&mut self, c: &Captured, d: &Decoded, learned: &mut Vec<String>) {
        let Some((key_fact, key)) = self.rsa.get(&c.to).map(|(f, k)| (*f, k.clone())) else {
            return;
        };
        if self.knowledge.holds(&FactKind::EnvelopeKey { packet: c.id }) {
            return;
        }
        let Ok(parsed) = pk::parse_init(d, &c.label) else { return };
        let pad = self.pke.unwrap_or(PkePadding::Oaep);
        let mut rng = SimRng::from_seed(0); // RSA blinding only: the result does not depend on it
        let Ok(env_key) = crate::mikey::pkix::pke_decrypt(
            &key,
            pad,
            &parsed.pke.data,
            &c.label,
            &mut rng,
            &mut self.meter,
        ) else {
            return;
        };
        let Ok(opened) = pk::open_init(&parsed, &key, pad, &c.label, &mut rng, &mut self.meter)
        else {
            return;
        };
        let env = self.knowledge.add(
            FactKind::EnvelopeKey { packet: c.id },
            How::DecryptedPke { packet: c.id },
            vec![key_fact, c.fact],
            format!(
                "the envelope key of {}, decrypted from its PKE with the RSA key of {}",
                c.label,
                super::event::role_name(c.to)
            ),
            env_key.to_vec(),
            true,
        );
        let Some(kd) = opened.key_data.first() else { return };
        if kd.key_type != KeyDataType::Tgk {
            return;
        }
        if c.kind == MsgKind::TpR {
            let Ok(p) = distributed::parse_tp_r(d, &c.label) else { return };
            let index = p.meta.index;
            if self.facts.is_none() {
                let hdr = &p.pk.content.hdr;
                self.facts = Some(SessionFacts {
                    scheme: p.meta.scheme,
                    n: p.meta.n,
                    k: p.meta.k,
                    secret_len: usize::from(p.meta.secret_len),
                    kcv: p.meta.kcv,
                    csb_id: hdr.csb_id,
                    rand: p.pk.content.rand.clone(),
                    prf: hdr.prf,
                    cs_count: hdr.cs_map.cs_count(),
                });
            }
            if self.shares.contains_key(&index) {
                return;
            }
            let f = self.knowledge.add(
                FactKind::Share { index },
                How::OpenedKemac { packet: c.id },
                vec![env],
                format!("share {index} ({} bytes), opened from {}", kd.key.len(), c.label),
                kd.key.clone(),
                true,
            );
            learned.push(format!("share {index} by opening {}", c.label));
            self.shares.insert(index, (f, Share { index, data: kd.key.clone() }));
        } else {
            let hdr = &parsed.content.hdr;
            let (prf, csb, rand, cs) =
                (hdr.prf, hdr.csb_id, parsed.content.rand.clone(), hdr.cs_map.cs_count());
            self.hold_tgk(
                kd.key.clone(),
                How::OpenedKemac { packet: c.id },
                vec![env],
                format!("the TGK, opened from {}'s KEMAC with its envelope key", c.label),
                (prf, csb, rand, cs),
                learned,
            );
        }
    }

    fn open_psk_init(&mut self, c: &Captured, d: &Decoded, learned: &mut Vec<String>) {
        if self.tgk.is_some() {
            return;
        }
        let Some((psk_fact, psk)) = self.psk_r.clone() else { return };
        let Some(profile) = self.profile else { return };
        let Ok(parsed) = psk::parse_init(d, &c.label) else { return };
        let Ok(o) = psk::open_init(&parsed, &psk, profile, &c.label, &mut self.meter) else {
            return;
        };
        let Some(kd) = o.key_data.iter().find(|k| k.key_type == KeyDataType::Tgk) else { return };
        let hdr = &parsed.content.hdr;
        let (prf, csb, rand, cs) =
            (hdr.prf, hdr.csb_id, parsed.content.rand.clone(), hdr.cs_map.cs_count());
        self.hold_tgk(
            kd.key.clone(),
            How::OpenedKemac { packet: c.id },
            vec![psk_fact, c.fact],
            format!("the TGK, opened from {} with the PSK of the sensor and R", c.label),
            (prf, csb, rand, cs),
            learned,
        );
    }

    /// Records a TGK it obtained and derives the TEKs and salts.
    fn hold_tgk(
        &mut self,
        tgk: Vec<u8>,
        how: How,
        parents: Vec<FactId>,
        sentence: String,
        (prf, csb_id, rand, cs_count): (PrfFunc, u32, Vec<u8>, u8),
        learned: &mut Vec<String>,
    ) {
        if self.tgk.is_some() {
            return;
        }
        let f = self.knowledge.add(
            FactKind::Tgk { csb_id },
            how,
            parents,
            sentence.clone(),
            tgk.clone(),
            true,
        );
        learned.push(sentence);
        for cs in 1..=cs_count.max(1) {
            let p = crate::mikey::core::crypto_prf(prf);
            let tek = derive::tek(p, &tgk, cs, csb_id, &rand, 16, &mut self.meter);
            let salt = derive::salt(p, &tgk, cs, csb_id, &rand, 14, &mut self.meter);
            self.knowledge.add(
                FactKind::Tek { cs_id: cs },
                How::Derived,
                vec![f],
                format!("the TEK and salt of crypto session {cs}, derived from the TGK"),
                tek.to_vec(),
                true,
            );
            learned.push(format!("the TEK and salt of crypto session {cs}"));
            self.teks.push((cs, tek, salt));
        }
        self.tgk = Some((f, Zeroizing::new(tgk)));
    }

    fn try_rebuild(&mut self, learned: &mut Vec<String>) {
        if self.tgk.is_some() {
            return;
        }
        let Some(f) = self.facts.clone() else { return };
        // The one rule: it holds the TGK as soon as its shares determine it.
        let held: Vec<u8> = self.shares.keys().copied().collect();
        if !sharing::determines(f.scheme, f.n, f.k, f.secret_len, &held) {
            return;
        }
        let shares: Vec<Share> = self.shares.values().map(|(_, s)| s.clone()).collect();
        let meter = core::cell::RefCell::new(Meter::new());
        // A KCV of zeros: the session runs without key check; nothing to check against.
        let unchecked = f.kcv == [0; derive::KCV_LEN];
        let got = sharing::recover_with_check(f.scheme, &shares, f.n, f.k, f.secret_len, |tgk| {
            unchecked
                || derive::kcv_matches(
                    crate::mikey::core::crypto_prf(f.prf),
                    tgk,
                    f.csb_id,
                    &f.rand,
                    &f.kcv,
                    &mut meter.borrow_mut(),
                )
        });
        self.meter.absorb(&meter.into_inner());
        let Ok(rec) = got else { return };
        let parents: Vec<FactId> =
            rec.used.iter().filter_map(|i| self.shares.get(i).map(|(f, _)| *f)).collect();
        self.rebuilt_from = rec.used.clone();
        self.hold_tgk(
            rec.secret.to_vec(),
            How::Rebuilt { shares: rec.used.clone() },
            parents,
            format!("the TGK, rebuilt from shares {:?} (its key check passes)", rec.used),
            (f.prf, f.csb_id, f.rand.clone(), f.cs_count),
            learned,
        );
    }

    /// Searches the one missing share exhaustively, each candidate rebuilt with the shares it
    /// holds and checked against the public KCV — the very check R does — when the shares it
    /// holds lack exactly one share and that share is at most [`MAX_SEARCH_BITS`] bits long.
    /// Runs once (a second call returns the first result). Errors say why it cannot search.
    pub fn search_kcv(&mut self) -> Result<(KcvSearch, Vec<String>), Error> {
        if let Some(s) = &self.search {
            return Ok((s.clone(), Vec::new()));
        }
        let too = |reason: String| Error::SearchNotPossible { reason };
        let f = self.facts.clone().ok_or_else(|| too("no I_TPi captured yet".into()))?;
        if self.tgk.is_some() {
            return Err(too("the intruder already holds the TGK".into()));
        }
        if f.kcv == [0; derive::KCV_LEN] {
            return Err(too("the session sends no key-check value to test guesses against".into()));
        }
        let held: Vec<u8> = self.shares.keys().copied().collect();
        let missing = (1..=f.n).find(|j| {
            !held.contains(j) && {
                let mut with = held.clone();
                with.push(*j);
                with.sort_unstable();
                sharing::determines(f.scheme, f.n, f.k, f.secret_len, &with)
            }
        });
        let Some(index) = missing else {
            return Err(too(format!("it holds {} shares: more than one is missing", held.len())));
        };
        let share_len = self.shares.values().map(|(_, s)| s.data.len()).next().unwrap_or(0);
        let bits = 8 * share_len;
        if share_len == 0 || bits > MAX_SEARCH_BITS {
            return Err(too(format!(
                "share {index} is {bits} bits long, above the {MAX_SEARCH_BITS}-bit bound of this search"
            )));
        }
        let mut shares: Vec<Share> = self.shares.values().map(|(_, s)| s.clone()).collect();
        shares.push(Share { index, data: vec![0; share_len] });
        let slot = shares.len() - 1;
        let prf = crate::mikey::core::crypto_prf(f.prf);
        let mut meter = Meter::new();
        let mut guesses: u64 = 0;
        let mut found: Option<(Vec<u8>, Vec<u8>)> = None;
        let total: u64 = 1u64 << bits;
        for candidate in 0..total {
            let bytes = candidate.to_be_bytes();
            let Some(tail) = bytes.get(8 - share_len..) else { break };
            if let Some(s) = shares.get_mut(slot) {
                s.data.copy_from_slice(tail);
            }
            guesses += 1;
            let cell = core::cell::RefCell::new(&mut meter);
            let got =
                sharing::recover_with_check(f.scheme, &shares, f.n, f.k, f.secret_len, |tgk| {
                    derive::kcv_matches(prf, tgk, f.csb_id, &f.rand, &f.kcv, &mut cell.borrow_mut())
                });
            if let Ok(rec) = got {
                found = Some((rec.secret.to_vec(), tail.to_vec()));
                break;
            }
        }
        self.meter.absorb(&meter);
        let result = KcvSearch { index, bits, guesses, found: found.is_some() };
        self.search = Some(result.clone());
        let mut learned = Vec::new();
        if let Some((tgk, share)) = found {
            let parents: Vec<FactId> = self.shares.values().map(|(f, _)| *f).collect();
            let sf = self.knowledge.add(
                FactKind::Share { index },
                How::Searched { bits, guesses },
                parents.clone(),
                format!(
                    "share {index}, found by trying {guesses} of the 2^{bits} candidates against the public KCV"
                ),
                share.clone(),
                true,
            );
            self.shares.insert(index, (sf, Share { index, data: share }));
            let mut all = parents;
            all.push(sf);
            let mut used: Vec<u8> = self.shares.keys().copied().collect();
            used.sort_unstable();
            self.rebuilt_from = used.clone();
            self.hold_tgk(
                tgk,
                How::Searched { bits, guesses },
                all,
                format!(
                    "the TGK, rebuilt from shares {used:?} after a search of {guesses} guesses against the public KCV"
                ),
                (f.prf, f.csb_id, f.rand.clone(), f.cs_count),
                &mut learned,
            );
        }
        Ok((result, learned))
    }

    /// The share `index` it holds, if any.
    pub fn share(&self, index: u8) -> Option<(FactId, &[u8])> {
        self.shares.get(&index).map(|(f, s)| (*f, s.data.as_slice()))
    }

    /// Shares it holds, ascending.
    pub fn share_indices(&self) -> Vec<u8> {
        self.shares.keys().copied().collect()
    }

    /// The TGK it rebuilt, if any.
    pub fn tgk(&self) -> Option<&[u8]> {
        self.tgk.as_ref().map(|(_, t)| t.as_slice())
    }

    /// Shares used for its rebuild.
    pub fn rebuilt_from(&self) -> &[u8] {
        &self.rebuilt_from
    }

    /// The TEK it derived for crypto session `cs_id`.
    pub fn tek(&self, cs_id: u8) -> Option<&[u8]> {
        self.teks.iter().find(|(c, _, _)| *c == cs_id).map(|(_, t, _)| t.as_slice())
    }

    /// Its report; `true_tgk` is used only to label `tgk_correct`.
    pub fn report(&self, true_tgk: Option<&[u8]>) -> IntruderReport {
        let shares = self.share_indices();
        let mut holds: Vec<String> = Vec::new();
        if !self.captured.is_empty() {
            holds.push(format!("{} packets captured on the wire", self.captured.len()));
        }
        for tp in self.psks.keys() {
            holds.push(format!("PSK of TP{tp} with the sensor"));
        }
        if self.psk_r.is_some() {
            holds.push("PSK of the sensor with R".into());
        }
        for node in self.rsa.keys() {
            holds.push(format!("RSA private key of {}", super::event::role_name(*node)));
        }
        holds.extend(self.other.iter().cloned());
        for (_, s) in self.shares.values() {
            holds.push(format!("share {} ({} bytes)", s.index, s.data.len()));
        }
        if self.tgk.is_some() {
            holds.push("the TGK".into());
        }
        for (cs, _, _) in &self.teks {
            holds.push(format!("TEK and salt of crypto session {cs}"));
        }
        let (bits, total, clear, guess) = match (&self.facts, &self.tgk) {
            (_, Some((_, t))) => (8 * t.len(), 8 * t.len(), (0..t.len()).collect(), 0),
            (Some(f), None) => {
                let e = sharing::exposure(f.scheme, f.n, f.k, f.secret_len, &shares);
                (e.bits, 8 * f.secret_len, e.bytes_in_clear, e.guess_bits)
            }
            (None, None) => (0, 0, Vec::new(), 0),
        };
        let tgk_correct = match (&self.tgk, true_tgk) {
            (Some((_, mine)), Some(truth)) => {
                use subtle::ConstantTimeEq;
                Some(bool::from(mine.as_slice().ct_eq(truth)))
            }
            _ => None,
        };
        IntruderReport {
            holds,
            knowledge: self.knowledge.clone(),
            shares,
            tgk_bits_exposed: bits,
            tgk_bits_total: total,
            tgk_guess_bits: guess,
            tgk_bytes_in_clear: clear,
            tgk_rebuilt: self.tgk.is_some(),
            tgk_correct,
            teks: self.teks.iter().map(|(c, _, _)| *c).collect(),
            compromised: self.compromised.clone(),
            stolen_from: self.stolen_from.clone(),
            kcv_search: self.search.clone(),
            packets_seen: self.captured.len(),
        }
    }
}
