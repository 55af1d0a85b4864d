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

use super::knowledge::{FactId, Knowledge};
use super::{MsgKind, Node};
use crate::error::Error;

/// Bytes of a field: a fact's value, or typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bytes {
    /// The value of fact `id` of the intruder's knowledge.
    Fact(FactId),
    /// Typed bytes.
    Typed(Vec<u8>),
}

/// The message kinds the intruder can compose (every message the runs use).
pub const FORGEABLE: [MsgKind; 9] = [
    MsgKind::ITp,
    MsgKind::TpI,
    MsgKind::TpR,
    MsgKind::RTp,
    MsgKind::RI,
    MsgKind::PskInit,
    MsgKind::PskVerify,
    MsgKind::PkInit,
    MsgKind::PkVerify,
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
    pub index: Option<u8>,
    /// Threshold K and share count N of the extension.
    pub k: Option<u8>,
    pub n: Option<u8>,
    /// KCV of the extension. `None`: computed from `tgk`, or the captured one.
    pub kcv: Option<Bytes>,
    /// Timestamp T as NTP-UTC 64-bit. `None`: now.
    pub timestamp: Option<u64>,
    /// IDi (the sensor's identity) and IDr (the receiver's identity). `None`: the session's.
    pub id_i: Option<Vec<u8>>,
    pub id_r: Option<Vec<u8>>,
    /// RAND. `None`: the captured session's.
    pub rand: Option<Bytes>,
    /// CSB ID. `None`: the captured session's.
    pub csb_id: Option<u32>,
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
