//! The presets of the demonstrator (issue 5 item 8): each is a session configuration plus the
//! attacker's commands, and the one-line verdict it must reach. The UI lists them; tests run
//! each to its end and check the verdict.
//!
//! All use n = 5 third parties and k = 3 (RSA size is the caller's choice), and each
//! attack is armed on a message label, so the same preset gives the same story with any seed.

use super::command::{Command, MaliciousKind, PacketAction, Tamper};
use super::verdict::Verdict;
use crate::crypto::rsa::RsaBits;
use crate::roles::SessionConfig;
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

const OK: &str = "R rebuilt the TGK; TEK derived; the sensor verified R";

/// Every preset, in the order the UI shows them.
pub fn presets(rsa: RsaBits, seed: Option<u64>) -> Vec<Preset> {
    let ok = Expect {
        r_rebuilt_tgk: true,
        intruder_rebuilt_tgk: false,
        bits_exposed: Some(false),
        some_rejection: false,
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
            expect: Expect { r_rebuilt_tgk: false, ..ok },
            sentence: "R holds 2 of 3 needed shares — the TGK cannot be rebuilt",
        },
        Preset {
            id: "one-compromised-rs",
            title: "One TP compromised (paper's RS)",
            story: "The intruder takes over TP1. Under the paper's systematic Reed–Solomon its share is a literal slice of the TGK: part of the TGK leaks.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::Compromise { tp: 1 }],
            expect: Expect { bits_exposed: Some(true), ..ok },
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. The intruder holds 1 share: 48 of 128 TGK bits exposed",
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
            sentence: "R rebuilt the TGK; TEK derived; the sensor verified R. The intruder holds 3 shares: the TGK is exposed",
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
            sentence: OK,
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
            sentence: OK,
        },
        Preset {
            id: "malicious-tp",
            title: "Malicious TP",
            story: "TP2 forwards a wrong share, validly signed. R's key check catches it and rebuilds the TGK from a consistent subset of the others.",
            config: cfg(Scheme::PaperRs, rsa, seed),
            commands: vec![Command::MakeMalicious { tp: 2, kind: MaliciousKind::WrongShare }],
            expect: ok,
            sentence: OK,
        },
    ]
}
