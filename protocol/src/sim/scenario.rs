//! The presets of the demonstrator: each is a session configuration plus the
//! attacker's commands, and the one-line verdict it must reach. The UI lists them; tests run
//! each to its end and check the verdict.
//!
//! Most use n = 5 third parties and k = 3 (RSA size is the caller's choice); kcv-brute-force
//! uses n = k = 8, xor-one-loss XOR 5-of-5, the baselines the standard modes. Each attack is
//! armed on a message label or composed from what the intruder holds at the start, so the
//! same preset gives the same story with any seed.

use super::MsgKind;
use super::Node;
use super::command::{Command, MaliciousKind, PacketAction, Tamper};
use super::forge::{Bytes, ForgeSpec};
use super::verdict::Verdict;
use crate::crypto::rsa::RsaBits;
use crate::roles::{Mode, SessionConfig};
use crate::sharing::Scheme;

/// What a preset must end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    pub r_rebuilt_tgk: bool,
    pub intruder_rebuilt_tgk: bool,
    /// `Some(true)`: some TGK bits exposed; `Some(false)`: none; `None`: not checked.
    pub bits_exposed: Option<bool>,
    /// At least one message is rejected.
    pub some_rejection: bool,
    /// `Some(b)`: R's TGK is (not) the sensor's; `None`: not checked.
    pub r_tgk_is_sensors: Option<bool>,
    /// `Some(b)`: the sensor accepted a forgery (or not); `None`: not checked.
    pub sensor_accepted_forgery: Option<bool>,
}

/// A preset scenario.
#[derive(Debug, Clone)]
pub struct Preset {
    /// Stable identifier (URL hash of the UI): "happy-path", "lossy-link", ….
    pub id: &'static str,
    /// Title on the button.
    pub title: &'static str,
    /// What it shows, in one or two sentences.
    pub story: &'static str,
    pub config: SessionConfig,
    /// Applied in order right after the session starts.
    pub commands: Vec<Command>,
    /// The verdict it ends with.
    pub expect: Expect,
    /// The verdict sentence it ends with.
    pub sentence: &'static str,
}

impl Preset {
    /// Whether `v` is the verdict this preset must reach.
    pub fn matches(&self, v: &Verdict) -> bool {
        let e = &self.expect;
        v.r_rebuilt_tgk == e.r_rebuilt_tgk
            && v.intruder_rebuilt_tgk == e.intruder_rebuilt_tgk
            && e.bits_exposed.is_none_or(|b| (v.tgk_bits_exposed > 0) == b)
            && (!e.some_rejection || !v.rejections.is_empty())
            && e.r_tgk_is_sensors.is_none_or(|b| v.r_tgk_is_sensors == b)
            && e.sensor_accepted_forgery.is_none_or(|b| v.sensor_accepted_forgery == b)
            && v.sentence == self.sentence
    }
}

/// The run a first visit shows: the paper's design (distributed mode, Reed–Solomon), three
/// third parties of which any two suffice, seed 1.
pub fn paper_default() -> SessionConfig {
    let mut c = SessionConfig::distributed(3, 2, Scheme::PaperRs);
    c.seed = Some(1);
    c
}

fn cfg(scheme: Scheme, rsa: RsaBits, seed: Option<u64>) -> SessionConfig {
    let mut c = SessionConfig::distributed(5, 3, scheme);
    c.rsa_bits = rsa;
    c.seed = seed;
    c
}

fn drop(label: &str) -> Command {
    Command::Arm { label: label.into(), action: PacketAction::Drop }
}

fn arm(label: &str, action: PacketAction) -> Command {
    Command::Arm { label: label.into(), action }
}

fn standard(mode: Mode, rsa: RsaBits, seed: Option<u64>) -> SessionConfig {
    let mut c = SessionConfig::standard(mode);
    c.rsa_bits = rsa;
    c.seed = seed;
    c
}

/// The TGK the intruder chooses in colluding-impersonation: 16 bytes that read
/// "X chose this TGK".
pub const CHOSEN_TGK: &[u8; 16] = b"X chose this TGK";

/// The share the intruder feeds TP2 in forged-i-tp: 6 bytes (one share of a 16-byte TGK
/// under RS with k = 3) reading "XXXXXX".
pub const FORGED_SHARE: &[u8; 6] = b"XXXXXX";

fn forge_tp_r(tp: u8) -> Command {
    Command::Inject {
        spec: ForgeSpec {
            tgk: Some(Bytes::Typed(CHOSEN_TGK.to_vec())),
            ..ForgeSpec::new(MsgKind::TpR, Node::Tp(tp), Node::Responder)
        },
    }
}

const OK: &str = "R rebuilt the TGK; TEK derived; the sensor verified R";

/// Every preset, in the order the UI shows them.
pub fn presets(rsa: RsaBits, seed: Option<u64>) -> Vec<Preset> {
    let ok = Expect {
        r_rebuilt_tgk: true,
        intruder_rebuilt_tgk: false,
        bits_exposed: Some(false),
        some_rejection: false,
        r_tgk_is_sensors: Some(true),
        sensor_accepted_forgery: Some(false),
    };
    vec![
        Preset {
            id: "happy-path",
            title: "Happy path",
            story: "The paper's design (Reed–Solomon, n = 5, k = 3): every share arrives, R rebuilds the TGK and proves it to the sensor.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![],
            expect: ok,
            sentence: OK,
        },
        Preset {
            id: "lossy-link",
            title: "Lossy link: n − k shares lost",
            story: "Two of the five shares are lost (I_TP2 on the sensor's link, TP5_R on the backbone): R still has k = 3 and rebuilds the TGK.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![drop("I_TP2"), drop("TP5_R")],
            expect: ok,
            sentence: OK,
        },
        Preset {
            id: "one-too-many-lost",
            title: "One share too many lost",
            story: "Three of the five shares are lost: R holds 2 of the 3 it needs and cannot rebuild the TGK.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![drop("I_TP1"), drop("TP3_R"), drop("TP5_R")],
            expect: Expect { r_rebuilt_tgk: false, r_tgk_is_sensors: Some(false), ..ok },
            sentence: "R holds 2 of 3 needed shares — the TGK cannot be rebuilt",
        },
        Preset {
            id: "one-compromised-rs",
            title: "One TP compromised (paper's RS)",
            story: "The intruder takes over TP1. Under the paper's systematic Reed–Solomon its share is a literal slice of the TGK: part of the TGK leaks.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::Compromise { tp: 1 }],
            expect: Expect { bits_exposed: Some(true), ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. The intruder holds 1 share: 48 of 128 TGK bits exposed, 80 left to guess offline against the public KCV",
        },
        Preset {
            id: "one-compromised-shamir",
            title: "One TP compromised (Shamir)",
            story: "The same attack under Shamir's secret sharing: one share reveals nothing about the TGK.",
            config: cfg(Scheme::Shamir, rsa, seed),
            commands: vec![Command::Compromise { tp: 1 }],
            expect: ok,
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. The intruder holds 1 share: nothing of the TGK is exposed",
        },
        Preset {
            id: "k-compromised",
            title: "k TPs compromised",
            story: "The intruder takes over k = 3 third parties: it rebuilds the TGK — contrary to the paper's §4.1 claim that all of them must be corrupted.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![
                Command::Compromise { tp: 1 },
                Command::Compromise { tp: 2 },
                Command::Compromise { tp: 3 },
            ],
            expect: Expect { intruder_rebuilt_tgk: true, bits_exposed: Some(true), ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor's check of R_I passed, but proves nothing about R: the intruder holds the TGK too. The intruder holds 3 shares: the TGK is exposed",
        },
        Preset {
            id: "replay",
            title: "Replayed message",
            story: "The intruder replays TP1_R to R after it was delivered: R's replay protection rejects the copy.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::Arm {
                label: "TP1_R".into(),
                action: PacketAction::ReplayAfterDelivery { to: None, after_ms: 10 },
            }],
            expect: Expect { some_rejection: true, ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. Rejected on the way: TP1_R (replay) by R (TP1_R is a replay (already in the replay cache))",
        },
        Preset {
            id: "tamper",
            title: "Tampered message",
            story: "The intruder flips one byte of TP2_R on its way to R: the signature no longer verifies and R rejects it; the other shares suffice.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::Arm {
                label: "TP2_R".into(),
                action: PacketAction::Tamper(Tamper::FlipByte { offset: 40, mask: 0x01 }),
            }],
            expect: Expect { some_rejection: true, ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. Rejected on the way: TP2_R by R (signature by TP2 does not verify)",
        },
        Preset {
            id: "malicious-tp",
            title: "Malicious TP",
            story: "TP2 forwards a wrong share, validly signed. R's key check catches it and rebuilds the TGK from a consistent subset of the others.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::MakeMalicious { tp: 2, kind: MaliciousKind::WrongShare }],
            expect: ok,
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. R's key check set aside share 2 from TP2",
        },
        Preset {
            id: "colluding-impersonation",
            title: "k colluding TPs impersonate the sensor",
            story: "The intruder holds the keys of k = 3 third parties. It forges TP1_R, TP2_R and TP3_R for the sensor's session, carrying shares of a TGK it chose, signed with the stolen TP keys: R rebuilds the intruder's TGK and takes it for the sensor's. Only the sensor, rejecting R's R_I, notices.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![
                Command::Compromise { tp: 1 },
                Command::Compromise { tp: 2 },
                Command::Compromise { tp: 3 },
                forge_tp_r(1),
                forge_tp_r(2),
                forge_tp_r(3),
            ],
            expect: Expect {
                intruder_rebuilt_tgk: true,
                bits_exposed: Some(true),
                some_rejection: true,
                r_tgk_is_sensors: Some(false),
                ..ok
            },
            sentence: "R rebuilt the TGK, but not the sensor's: R was fooled; TEK derived but the sensor's differs; the sensor has not verified R. The intruder holds 3 shares: the TGK is exposed. Rejected on the way: R_I by the sensor (MAC mismatch in the V of R_I); TP1_R by R (TP1_R belongs to a session that is already complete (replayed share)); TP2_R by R (TP2_R belongs to a session that is already complete (replayed share)); 3 more",
        },
        Preset {
            id: "forged-r-i",
            title: "Forged R_I",
            story: "With k = 3 compromised TPs the intruder rebuilds the TGK, drops every TPi_R so R never gets a share, and forges R_I under the key derived from the TGK: the sensor accepts it as R's proof, though R holds nothing.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![
                Command::Compromise { tp: 1 },
                Command::Compromise { tp: 2 },
                Command::Compromise { tp: 3 },
                drop("TP1_R"),
                drop("TP2_R"),
                drop("TP3_R"),
                drop("TP4_R"),
                drop("TP5_R"),
                Command::Inject {
                    spec: ForgeSpec::new(MsgKind::RI, Node::Responder, Node::Sensor),
                },
            ],
            expect: Expect {
                r_rebuilt_tgk: false,
                intruder_rebuilt_tgk: true,
                bits_exposed: Some(true),
                r_tgk_is_sensors: Some(false),
                sensor_accepted_forgery: Some(true),
                ..ok
            },
            sentence: "R holds 0 of 3 needed shares — the TGK cannot be rebuilt. Yet the sensor accepted a forged R_I as proof that R holds the TGK: it was fooled. The intruder holds 3 shares: the TGK is exposed",
        },
        Preset {
            id: "forged-i-tp",
            title: "Forged I_TPi under a stolen PSK",
            story: "The PSK that TP2 shares with the sensor leaks. The intruder drops the sensor's I_TP1 and I_TP2, holds I_TP5 back 50 ms, and sends TP2 an I_TP2 of its own, with a share of its choosing, under that PSK: TP2 accepts it and forwards it to R, validly signed. R's key check refuses the TGK shares 2, 3, 4 give, waits, and rebuilds it from shares 3, 4, 5 when TP5_R arrives.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![
                Command::StealKeys { node: Node::Tp(2) },
                drop("I_TP1"),
                drop("I_TP2"),
                arm("I_TP5", PacketAction::Delay { ms: 50 }),
                Command::Inject {
                    spec: ForgeSpec {
                        share: Some(Bytes::Typed(FORGED_SHARE.to_vec())),
                        ..ForgeSpec::new(MsgKind::ITp, Node::Sensor, Node::Tp(2))
                    },
                },
            ],
            expect: Expect { bits_exposed: Some(true), ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. The intruder holds 1 share: 48 of 128 TGK bits exposed, 80 left to guess offline against the public KCV. R's key check set aside share 2 from TP2",
        },
        Preset {
            id: "kcv-brute-force",
            title: "KCV brute force (n = k = 8, 7 compromised)",
            story: "The paper's Reed–Solomon with n = k = 8: every share is a 2-byte slice of the TGK. With 7 third parties compromised, 16 bits are missing; the intruder tries all 2^16 candidates for the last share against the public key-check value, finds the TGK and derives the TEK.",
            config: {
                let mut c = SessionConfig::distributed(8, 8, Scheme::PaperRs);
                c.rsa_bits = rsa;
                c.seed = seed;
                c
            },
            commands: {
                let mut v: Vec<Command> = (1..=7).map(|tp| Command::Compromise { tp }).collect();
                v.push(Command::SearchKcv);
                v
            },
            expect: Expect { intruder_rebuilt_tgk: true, bits_exposed: Some(true), ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor's check of R_I passed, but proves nothing about R: the intruder holds the TGK too. The intruder holds 8 shares after searching the 16 missing bits against the public KCV: the TGK is exposed",
        },
        Preset {
            id: "paper-without-kcv",
            title: "The paper without the key check",
            story: "The paper has no key check: switched off here (the KCV is our addition), TP2 forwards a wrong share, validly signed, and R rebuilds a wrong TGK without noticing. Only the sensor sees R_I fail.",
            config: {
                let mut c = cfg(Scheme::PaperRs, rsa, seed);
                c.key_check = false;
                c
            },
            commands: vec![Command::MakeMalicious { tp: 2, kind: MaliciousKind::WrongShare }],
            expect: Expect { some_rejection: true, r_tgk_is_sensors: Some(false), ..ok },
            sentence: "R rebuilt the TGK, but not the sensor's: R was fooled; TEK derived but the sensor's differs; the sensor has not verified R. Rejected on the way: R_I by the sensor (MAC mismatch in the V of R_I)",
        },
        Preset {
            id: "xor-one-loss",
            title: "XOR n-of-n: one share lost",
            story: "XOR sharing with n = k = 5 hides the TGK from any 4 parties, at the price of every loss tolerance: one lost I_TP3 and R cannot rebuild the TGK.",
            config: {
                let mut c = SessionConfig::distributed(5, 5, Scheme::Xor);
                c.rsa_bits = rsa;
                c.seed = seed;
                c
            },
            commands: vec![drop("I_TP3")],
            expect: Expect { r_rebuilt_tgk: false, r_tgk_is_sensors: Some(false), ..ok },
            sentence: "R holds 4 of 5 needed shares — the TGK cannot be rebuilt",
        },
        Preset {
            id: "sensor-segment-tamper",
            title: "Tampered I_TPi",
            story: "The intruder flips one byte of I_TP1 on the sensor's radio link: TP1's KEMAC MAC check fails and it drops the share; R rebuilds from the other four.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![arm(
                "I_TP1",
                PacketAction::Tamper(Tamper::FlipByte { offset: 40, mask: 0x01 }),
            )],
            expect: Expect { some_rejection: true, ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. Rejected on the way: I_TP1 by TP1 (MAC mismatch in the KEMAC of I_TP1)",
        },
        Preset {
            id: "sensor-segment-replay",
            title: "Replayed I_TPi",
            story: "The intruder replays I_TP1 to TP1 after it was delivered: TP1's replay protection refuses the copy.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![arm(
                "I_TP1",
                PacketAction::ReplayAfterDelivery { to: None, after_ms: 10 },
            )],
            expect: Expect { some_rejection: true, ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. Rejected on the way: I_TP1 (replay) by TP1 (I_TP1 is a replay (already in the replay cache))",
        },
        Preset {
            id: "psk-baseline",
            title: "Standard PSK mode, key stolen later",
            story: "RFC 3830's pre-shared-key mode, sensor to R directly. After the session, the intruder steals R's keys, among them the PSK R shares with the sensor: it opens the captured I_MESSAGE and holds the TGK and TEK of a past session — no forward secrecy.",
            config: standard(Mode::Psk, rsa, seed),
            commands: vec![arm(
                "R_MESSAGE (PSK)",
                PacketAction::StealAfterDelivery { node: Node::Responder },
            )],
            expect: Expect { intruder_rebuilt_tgk: true, bits_exposed: Some(true), ..ok },
            sentence: "R holds the TGK; TEK derived; the sensor verified R. The intruder stole the keys of R after the session and opened the captured I_MESSAGE (PSK): the TGK is exposed (no forward secrecy)",
        },
        Preset {
            id: "pk-baseline",
            title: "Standard PK mode, R's key stolen later",
            story: "RFC 3830's public-key mode: the sensor does the RSA itself. After the session the intruder steals R's RSA private key: it decrypts the envelope key of the captured I_MESSAGE, opens its KEMAC and holds the TGK — no forward secrecy.",
            config: standard(Mode::Pk, rsa, seed),
            commands: vec![arm(
                "R_MESSAGE (PK)",
                PacketAction::StealAfterDelivery { node: Node::Responder },
            )],
            expect: Expect { intruder_rebuilt_tgk: true, bits_exposed: Some(true), ..ok },
            sentence: "R holds the TGK; TEK derived; the sensor verified R. The intruder stole the keys of R after the session and opened the captured I_MESSAGE (PK): the TGK is exposed (no forward secrecy)",
        },
        Preset {
            id: "dh-baseline",
            title: "Standard DH mode, R's key stolen later",
            story: "RFC 3830's signed Diffie–Hellman: after the session the intruder steals R's RSA private key, which only signs: the TGK is g^(xy) from exponents that never travelled, and the past session stays secret — forward secrecy, at the price of DH on the sensor.",
            config: standard(Mode::Dh, rsa, seed),
            commands: vec![arm(
                "R_MESSAGE (DH)",
                PacketAction::StealAfterDelivery { node: Node::Responder },
            )],
            expect: ok,
            sentence: "R holds the TGK; TEK derived; the sensor verified R. The intruder stole the keys of R after the session but cannot open the DH exchange: forward secrecy",
        },
        Preset {
            id: "dh-mitm",
            title: "Signed DH, signing keys stolen: man in the middle",
            story: "Forward secrecy protects past DH sessions, not the next one. The intruder steals the RSA signing keys of the sensor and of R, drops the sensor's I_MESSAGE and R's R_MESSAGE, and sends each side a DH value of its own, signed with the stolen keys: both accept, each agrees a TGK with the intruder, and the intruder holds both.",
            config: standard(Mode::Dh, rsa, seed),
            commands: vec![
                Command::StealKeys { node: Node::Sensor },
                Command::StealKeys { node: Node::Responder },
                drop("I_MESSAGE (DH)"),
                drop("R_MESSAGE (DH)"),
                Command::Inject {
                    spec: ForgeSpec::new(MsgKind::DhInit, Node::Sensor, Node::Responder),
                },
                Command::Inject {
                    spec: ForgeSpec::new(MsgKind::DhResp, Node::Responder, Node::Sensor),
                },
            ],
            expect: Expect {
                intruder_rebuilt_tgk: true,
                bits_exposed: Some(true),
                r_tgk_is_sensors: Some(false),
                sensor_accepted_forgery: Some(true),
                ..ok
            },
            sentence: "R holds the TGK, but not the sensor's: R was fooled; TEK derived but the sensor's differs; the sensor accepted a forged message as R's proof. The intruder holds the TGK of each side, agreed with its own DH values: a man in the middle",
        },
    ]
}
