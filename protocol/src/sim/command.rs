//! The attacker's (and the audience's) commands. A command either acts on a packet already
//! on the wire (by its id), or is *armed* on a message label ("TP4_R") and acts on the next
//! packet with that label — in flight now or sent later. Armed commands are how the CLI and
//! the presets say "drop TP4_R" before the session has produced it.

use super::Node;
use super::forge::ForgeSpec;
use super::network::{Link, PacketId};
pub use crate::roles::MaliciousKind;

/// How to change a packet's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// XOR the byte at `offset` with `mask` (non-zero).
    FlipByte { offset: usize, mask: u8 },
    /// Replace the bytes of the first field labelled `field` (e.g. "CSB ID", "RAND") of the
    /// first payload whose name is `payload` (e.g. "HDR", "KEMAC"; `None`: any payload) by
    /// `bytes`, which must have the field's length. The field is found in the wire layout of
    /// the packet itself.
    ReplaceField { payload: Option<String>, field: String, bytes: Vec<u8> },
}

impl Tamper {
    /// In words.
    pub fn describe(&self) -> String {
        match self {
            Tamper::FlipByte { offset, mask } => format!("flip byte {offset} (XOR 0x{mask:02x})"),
            Tamper::ReplaceField { payload, field, bytes } => format!(
                "replace the {field} field{} with {} chosen bytes",
                payload.as_ref().map(|p| format!(" of {p}")).unwrap_or_default(),
                bytes.len()
            ),
        }
    }
}

/// What to do to a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacketAction {
    Drop,
    /// Deliver it `ms` later than planned.
    Delay {
        ms: u64,
    },
    Tamper(Tamper),
    /// Once it has been delivered, send a copy again (to `to`, default: its receiver) from
    /// the intruder, claiming the original sender, `after_ms` after the delivery.
    ReplayAfterDelivery {
        to: Option<Node>,
        after_ms: u64,
    },
    /// Once it has been delivered, the intruder steals `node`'s long-term keys (as
    /// [`Command::StealKeys`]): "steal later", after the session's last message.
    StealAfterDelivery {
        node: Node,
    },
}

impl PacketAction {
    /// In words (with the packet named by `what`).
    pub fn describe(&self, what: &str) -> String {
        match self {
            PacketAction::Drop => format!("drop {what}"),
            PacketAction::Delay { ms } => format!("delay {what} by {ms} ms"),
            PacketAction::Tamper(t) => format!("tamper with {what}: {}", t.describe()),
            PacketAction::ReplayAfterDelivery { to, after_ms } => format!(
                "replay {what}{} {after_ms} ms after it is delivered",
                to.map(|n| format!(" to {}", n.label())).unwrap_or_default()
            ),
            PacketAction::StealAfterDelivery { node } => {
                format!("once {what} is delivered, steal the long-term keys of {}", node.label())
            }
        }
    }
}

/// A command to the simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Drop a packet in flight.
    Drop { packet: PacketId },
    /// Deliver a packet in flight later.
    Delay { packet: PacketId, ms: u64 },
    /// Change the bytes of a packet in flight.
    Tamper { packet: PacketId, how: Tamper },
    /// Send again a copy of any packet ever captured (to its original receiver by default).
    Replay { packet: PacketId, to: Option<Node> },
    /// Apply `action` to the next packet labelled `label` (in flight, or when it is sent).
    Arm { label: String, action: PacketAction },
    /// Take a link down: packets arriving over it are lost until it comes back.
    LinkDown(Link),
    /// Bring a link back up.
    LinkUp(Link),
    /// Loss rate in ‰ for every packet from now on (seeded coin flips).
    SetLossRate { permille: u16 },
    /// The intruder takes over TPi: its PSK with the sensor, its RSA private key, all it knows.
    Compromise { tp: u8 },
    /// TPi lies in its TPi_R from now on, the way `kind` says (still validly signed).
    MakeMalicious { tp: u8, kind: MaliciousKind },
    /// The intruder builds the message `spec` describes from what it knows
    /// ([`super::forge`]) and puts it on the link `spec.from` → `spec.to` now, claiming
    /// `spec.from` as its sender. A protection it cannot compute goes out as garbage.
    Inject { spec: ForgeSpec },
    /// The intruder steals `node`'s long-term keys now (after the session ran: "steal
    /// later"): R's RSA private key, the PSK it shares with the sensor in the PSK mode, a
    /// TP's PSK and RSA key. It re-reads the whole capture with them.
    StealKeys { node: Node },
    /// The intruder searches the one share it misses exhaustively against the public KCV,
    /// when that share is at most [`super::knowledge::MAX_SEARCH_BITS`] bits long (once).
    SearchKcv,
}

impl Command {
    /// One sentence saying what the command does.
    pub fn describe(&self) -> String {
        match self {
            Command::Drop { packet } => format!("drop packet #{packet}"),
            Command::Delay { packet, ms } => format!("delay packet #{packet} by {ms} ms"),
            Command::Tamper { packet, how } => {
                format!("tamper with packet #{packet}: {}", how.describe())
            }
            Command::Replay { packet, to } => format!(
                "replay packet #{packet}{}",
                to.map(|n| format!(" to {}", n.label())).unwrap_or_default()
            ),
            Command::Arm { label, action } => action.describe(label),
            Command::LinkDown(l) => format!("take the link {} down", l.describe()),
            Command::LinkUp(l) => format!("bring the link {} back up", l.describe()),
            Command::SetLossRate { permille } => {
                format!("set the loss rate to {}.{} %", permille / 10, permille % 10)
            }
            Command::Compromise { tp } => format!("compromise TP{tp}"),
            Command::MakeMalicious { tp, kind } => {
                format!("make TP{tp} malicious: it {}", kind.description())
            }
            Command::Inject { spec } => format!(
                "inject a forged {} from {} to {}",
                super::forge::message_name(spec.kind, spec.from, spec.to),
                spec.from.label(),
                spec.to.label()
            ),
            Command::StealKeys { node } => {
                format!("steal the long-term keys of {}", super::event::role_name(*node))
            }
            Command::SearchKcv => "search the missing TGK bits against the public KCV".into(),
        }
    }
}
