//! Compose a message as the intruder: a [`ForgeSpec`] names the message kind, the claimed
//! sender and the receiver, and each field either picked from a fact of the intruder's
//! [`Knowledge`] or typed; unset fields are copied from the session as the intruder captured
//! it (CSB ID, RAND, identities, T_I, the sharing policy) or computed from what it holds (the
//! KCV from the TGK it chose, a share of that TGK).
//!
//! [`assess`] says, for a spec and the current knowledge, which protections of the message
//! (KEMAC MAC and encryption, PKE, SIGN, V MAC) the intruder CAN compute with keys it holds
//! and which it CANNOT; [`crate::sim::Simulation::forge`] builds the real RFC 3830 bytes with
//! the same builders the honest roles use — a protection it cannot compute is filled with
//! garbage (a MAC under a key it made up, a signature of random bytes), so the receiver
//! refuses it and names what it checked. [`super::Command::Inject`] puts it on the wire.
//!
//! The text form ([`ForgeSpec::to_text`] / [`ForgeSpec::parse`]) is the `--inject` grammar of
//! the CLI and the form a permalink carries (docs/attacks.md, "The inject grammar").

use super::knowledge::{Fact, FactId, FactKind, Knowledge, short_name};
use super::{Mode, MsgKind, Node};
use crate::error::Error;

/// A field's value: picked from a fact of the intruder's knowledge (a captured message's
/// field, a share, a TGK — see [`ForgeField::read`]), or typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick<T> {
    /// Read from fact `id` of the intruder's knowledge.
    Fact(FactId),
    /// Typed.
    Typed(T),
}

/// A bytes field: a fact's value, or typed bytes.
pub type Bytes = Pick<Vec<u8>>;

/// The message kinds the intruder can compose (every message the runs use).
pub const FORGEABLE: [MsgKind; 11] = [
    MsgKind::ITp,
    MsgKind::TpI,
    MsgKind::TpR,
    MsgKind::RTp,
    MsgKind::RI,
    MsgKind::PskInit,
    MsgKind::PskVerify,
    MsgKind::PkInit,
    MsgKind::PkVerify,
    MsgKind::DhInit,
    MsgKind::DhResp,
];

/// A message the intruder composes. `None` fields take the session's values as captured
/// (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeSpec {
    pub kind: MsgKind,
    /// The sender the message claims (the packet's `from`).
    pub from: Node,
    pub to: Node,
    /// The TGK the message is about: shares, KCV and R_I's key are computed from it. `None`:
    /// the session's TGK if the intruder holds it.
    pub tgk: Option<Bytes>,
    /// The share carried (I_TPi, TPi_R). `None`: share `index` of `tgk` split under the
    /// session's scheme.
    pub share: Option<Bytes>,
    /// Share index (INDEX tag). `None`: the claimed TP's number.
    pub index: Option<Pick<u8>>,
    /// Threshold K and share count N of the extension.
    pub k: Option<Pick<u8>>,
    pub n: Option<Pick<u8>>,
    /// KCV of the extension. `None`: computed from `tgk`, or the captured one.
    pub kcv: Option<Bytes>,
    /// Timestamp T as NTP-UTC 64-bit. `None`: now (an answer: the T it answers).
    pub timestamp: Option<Pick<u64>>,
    /// IDi (the sensor's identity) and IDr (the receiver's identity). `None`: the session's.
    pub id_i: Option<Bytes>,
    pub id_r: Option<Bytes>,
    /// RAND. `None`: the captured session's.
    pub rand: Option<Bytes>,
    /// CSB ID. `None`: the captured session's.
    pub csb_id: Option<Pick<u32>>,
}

/// A field of a [`ForgeSpec`], for the compose form and the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForgeField {
    Tgk,
    Share,
    Index,
    K,
    N,
    Kcv,
    T,
    IdI,
    IdR,
    Rand,
    Csb,
}

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// `hex:HEX`.
    Bytes,
    /// A decimal number.
    Number,
    /// `text:TEXT` or `hex:HEX`.
    Identity,
}

/// A value read from a fact for a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Bytes(Vec<u8>),
    Number(u64),
}

impl FieldValue {
    /// The value in words: hex (text in quotes for printable identities) or the number.
    pub fn show(&self) -> String {
        match self {
            FieldValue::Number(n) => n.to_string(),
            FieldValue::Bytes(b) if !b.is_empty() && b.iter().all(u8::is_ascii_graphic) => {
                format!("\"{}\"", String::from_utf8_lossy(b))
            }
            FieldValue::Bytes(b) => {
                let hex = crate::export::json::to_hex(b);
                if hex.len() > 24 { format!("{}…", &hex[..24]) } else { hex }
            }
        }
    }
}

/// A fact that can fill a field: its id, its value and its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub fact: FactId,
    /// "RAND of I_TP1", "share 2", "the TGK".
    pub name: String,
    pub value: FieldValue,
    /// [`Knowledge::chain`] of the fact.
    pub chain: String,
}

impl ForgeField {
    /// Every field, in the form's order.
    pub const ALL: [ForgeField; 11] = [
        ForgeField::Tgk,
        ForgeField::Share,
        ForgeField::Index,
        ForgeField::K,
        ForgeField::N,
        ForgeField::Kcv,
        ForgeField::T,
        ForgeField::IdI,
        ForgeField::IdR,
        ForgeField::Rand,
        ForgeField::Csb,
    ];

    /// The key in the inject grammar.
    pub fn key(self) -> &'static str {
        match self {
            ForgeField::Tgk => "tgk",
            ForgeField::Share => "share",
            ForgeField::Index => "index",
            ForgeField::K => "k",
            ForgeField::N => "n",
            ForgeField::Kcv => "kcv",
            ForgeField::T => "t",
            ForgeField::IdI => "idi",
            ForgeField::IdR => "idr",
            ForgeField::Rand => "rand",
            ForgeField::Csb => "csb",
        }
    }

    /// The form's label.
    pub fn label(self) -> &'static str {
        match self {
            ForgeField::Tgk => "TGK",
            ForgeField::Share => "Share",
            ForgeField::Index => "Share index",
            ForgeField::K => "K (threshold)",
            ForgeField::N => "N (shares)",
            ForgeField::Kcv => "KCV",
            ForgeField::T => "Timestamp",
            ForgeField::IdI => "IDi",
            ForgeField::IdR => "IDr",
            ForgeField::Rand => "RAND",
            ForgeField::Csb => "CSB ID",
        }
    }

    /// What may be typed.
    pub fn hint(self) -> &'static str {
        match self {
            ForgeField::Tgk => "hex; shares, KCV and R_I's key are computed from it",
            ForgeField::Share | ForgeField::Rand => "hex",
            ForgeField::Index | ForgeField::K | ForgeField::N => "0–255",
            ForgeField::Kcv => "8 bytes of hex",
            ForgeField::T => "NTP-UTC, 64-bit",
            ForgeField::IdI | ForgeField::IdR => "text",
            ForgeField::Csb => "0–4294967295",
        }
    }

    /// How it is typed.
    pub fn typed(self) -> Typed {
        match self {
            ForgeField::Index | ForgeField::K | ForgeField::N | ForgeField::T | ForgeField::Csb => {
                Typed::Number
            }
            ForgeField::IdI | ForgeField::IdR => Typed::Identity,
            _ => Typed::Bytes,
        }
    }

    /// The value fact `f` gives this field, if it gives one: a captured message gives the
    /// field as it travelled in it (RAND, CSB ID, T, the identities, the extension's INDEX, K,
    /// N and KCV); a share gives its bytes and its index; a TGK its bytes.
    pub fn read(self, f: &Fact) -> Option<FieldValue> {
        super::forge_build::read_field(self, f)
    }

    /// Every fact of `k` that gives this field, with its value and provenance.
    pub fn candidates(self, k: &Knowledge) -> Vec<Candidate> {
        k.facts()
            .iter()
            .filter_map(|f| {
                let value = self.read(f)?;
                let name = match f.kind {
                    FactKind::Captured { .. } => {
                        format!("{} of {}", self.label(), short_name(f))
                    }
                    _ => short_name(f),
                };
                Some(Candidate { fact: f.id, name, value, chain: k.chain(f.id) })
            })
            .collect()
    }
}

impl ForgeSpec {
    /// A spec of `kind` from `from` to `to`, every field left to its default.
    pub fn new(kind: MsgKind, from: Node, to: Node) -> ForgeSpec {
        ForgeSpec {
            kind,
            from,
            to,
            tgk: None,
            share: None,
            index: None,
            k: None,
            n: None,
            kcv: None,
            timestamp: None,
            id_i: None,
            id_r: None,
            rand: None,
            csb_id: None,
        }
    }

    /// The kinds of message a run in `mode` sends, which the intruder can compose (the
    /// compose form lists these).
    pub fn kinds_for(mode: Mode) -> Vec<MsgKind> {
        FORGEABLE
            .into_iter()
            .filter(|k| match mode {
                Mode::Distributed => k.role_code().is_some(),
                Mode::Psk => matches!(k, MsgKind::PskInit | MsgKind::PskVerify),
                Mode::Pk => matches!(k, MsgKind::PkInit | MsgKind::PkVerify),
                Mode::Dh => matches!(k, MsgKind::DhInit | MsgKind::DhResp),
            })
            .collect()
    }

    /// The route a message of `kind` normally takes (TP1 where a third party is involved).
    pub fn usual_route(kind: MsgKind) -> (Node, Node) {
        let tp = Node::Tp(1);
        match kind {
            MsgKind::ITp => (Node::Sensor, tp),
            MsgKind::TpI => (tp, Node::Sensor),
            MsgKind::TpR => (tp, Node::Responder),
            MsgKind::RTp => (Node::Responder, tp),
            MsgKind::RI | MsgKind::PskVerify | MsgKind::PkVerify | MsgKind::DhResp => {
                (Node::Responder, Node::Sensor)
            }
            _ => (Node::Sensor, Node::Responder),
        }
    }

    /// The label the forged packet travels under ("TP1_R (forged)").
    pub fn label(&self) -> String {
        format!("{} (forged)", message_name(self.kind, self.from, self.to))
    }

    /// The spec in the inject grammar (docs/attacks.md): `KIND FROM>TO [field=value]…`,
    /// e.g. `TP_R TP1>R tgk=hex:00112233… index=1`.
    pub fn to_text(&self) -> String {
        super::forge_text::write(self)
    }

    /// Reads the inject grammar; errors name the token that is wrong.
    pub fn parse(text: &str) -> Result<ForgeSpec, Error> {
        super::forge_text::read(text)
    }
}

/// A message's name as the paper writes it, for the sender and receiver given
/// ("I_TP2", "TP2_R", "R_TP2", "TP2_I", "R_I", "I_MESSAGE (PSK)", …).
pub fn message_name(kind: MsgKind, from: Node, to: Node) -> String {
    let tp = |n: Node| match n {
        Node::Tp(i) => i.to_string(),
        _ => "i".into(),
    };
    match kind {
        MsgKind::ITp => format!("I_TP{}", tp(to)),
        MsgKind::TpI => format!("TP{}_I", tp(from)),
        MsgKind::TpR => format!("TP{}_R", tp(from)),
        MsgKind::RTp => format!("R_TP{}", tp(to)),
        MsgKind::RI => "R_I".into(),
        MsgKind::PskInit => "I_MESSAGE (PSK)".into(),
        MsgKind::PskVerify => "R_MESSAGE (PSK)".into(),
        MsgKind::PkInit => "I_MESSAGE (PK)".into(),
        MsgKind::PkVerify => "R_MESSAGE (PK)".into(),
        MsgKind::DhInit => "I_MESSAGE (DH)".into(),
        MsgKind::DhResp => "R_MESSAGE (DH)".into(),
        MsgKind::Error => "ERR".into(),
    }
}

/// A protection a message needs and whether the intruder can compute it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protection {
    /// What it is: "KEMAC MAC and encryption", "SIGN of TP1", "PKE to R", "V MAC".
    pub what: String,
    /// The key it needs, in words: "the PSK of TP2", "TP1's RSA private key", "R's public key".
    pub needs: String,
    /// The fact that holds that key, if the intruder has it.
    pub fact: Option<FactId>,
    /// Whether the intruder can compute it (otherwise it goes out as garbage).
    pub can: bool,
}

/// The protections `spec` needs, given what the intruder knows (`knowledge`).
pub fn assess(spec: &ForgeSpec, knowledge: &Knowledge) -> Vec<Protection> {
    super::forge_build::assess(spec, knowledge)
}

/// A forged message, built: its bytes and what protects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forged {
    pub spec: ForgeSpec,
    pub label: String,
    /// Real RFC 3830 bytes (Wireshark decodes them).
    pub bytes: Vec<u8>,
    pub protections: Vec<Protection>,
    /// The intruder's own DH exponent, in a forged DH message (so that it can compute the
    /// TGK with the value that answers it).
    pub(crate) own_dh: Option<OwnDh>,
}

/// The intruder's own DH exponent x (its DH value is g^x).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct OwnDh(pub(crate) zeroize::Zeroizing<Vec<u8>>);

impl core::fmt::Debug for OwnDh {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("OwnDh(..)")
    }
}

impl Forged {
    /// Whether every protection is real (none went out as garbage).
    pub fn fully_protected(&self) -> bool {
        self.protections.iter().all(|p| p.can)
    }

    /// One sentence: "TP1_R (forged), 812 bytes: SIGN of TP1 computed with TP1's RSA
    /// private key; KEMAC …" / "… V MAC: garbage (needs the TGK, not held)".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .protections
            .iter()
            .map(|p| {
                if p.can {
                    format!("{} computed with {}", p.what, p.needs)
                } else {
                    format!("{}: garbage (needs {}, not held)", p.what, p.needs)
                }
            })
            .collect();
        format!("{}, {} bytes: {}", self.label, self.bytes.len(), parts.join("; "))
    }
}
