//! The paper's claims (§4.1, its seven properties, and §4.2, the AVISPA result) and what
//! this simulation shows about each: demonstrated, refuted, or not demonstrable in a
//! simulation (and why), with the presets that show it. Every verdict is backed by a test
//! that runs its presets (protocol/tests/sim_claims.rs).

/// What the simulation shows about a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimVerdict {
    /// The presets show the claim holds, as far as a run can show it.
    Demonstrated,
    /// A preset shows a run where the claim fails.
    Refuted,
    /// Holds only under a condition the presets name (e.g. the sharing scheme).
    Qualified,
    /// A simulation cannot show it (the field `why` says why).
    NotDemonstrable,
}

impl ClaimVerdict {
    /// In words: "demonstrated", "refuted", "holds only with a condition",
    /// "not demonstrable in a simulation".
    pub fn word(self) -> &'static str {
        match self {
            ClaimVerdict::Demonstrated => "demonstrated",
            ClaimVerdict::Refuted => "refuted",
            ClaimVerdict::Qualified => "holds only with a condition",
            ClaimVerdict::NotDemonstrable => "not demonstrable in a simulation",
        }
    }
}

/// One claim of the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// Stable id ("confidentiality", "resilience", "avispa-safe", …).
    pub id: &'static str,
    /// Where the paper makes it ("§4.1, Confidentiality").
    pub section: &'static str,
    /// The property's name.
    pub property: &'static str,
    /// What the paper claims, in one sentence.
    pub paper: &'static str,
    pub verdict: ClaimVerdict,
    /// Why this verdict, in one or two sentences that name what the presets show.
    pub why: &'static str,
    /// Ids of the presets that show it ([`super::presets`]).
    pub presets: &'static [&'static str],
}

/// Why AVISPA's "SAFE" does not contradict the Reed–Solomon leak.
pub const AVISPA_PARAGRAPH: &str = "AVISPA answers SAFE for a secrecy goal stated on the TGK as \
one atomic term: the intruder either knows the whole term or nothing of it. The shares are not \
modelled as slices of that term, so a Reed–Solomon share that shows 48 of the 128 TGK bits in \
clear (n = 5, k = 3) is invisible to the model, and so is an offline search for the bits still \
missing — here against the key-check value this implementation adds; without it, against \
anything the TGK protects. SAFE is a statement about that abstraction, the bit-level leak this \
simulation measures a statement about the bytes: both stand, they answer different questions.";

/// The seven properties of §4.1 and the AVISPA result of §4.2, in the paper's order.
pub fn claims() -> Vec<Claim> {
    CLAIMS.to_vec()
}

const CLAIMS: &[Claim] = &[
    Claim {
        id: "confidentiality",
        section: "§4.1, Confidentiality",
        property: "Confidentiality",
        paper: "Seg1 is encrypted under the PSKs, Seg2 under public keys (RSA).",
        verdict: ClaimVerdict::Qualified,
        why: "Without compromised third parties the intruder learns nothing (happy-path). With one compromised TP the paper's Reed–Solomon leaks a clear slice of the TGK while Shamir leaks nothing (one-compromised-rs, one-compromised-shamir); with n = k = 8 and 7 TPs compromised the last 16 bits are found by a search against the public KCV (kcv-brute-force). The standard PSK and PK modes lose every past session when a long-term key is stolen later; DH does not (psk-baseline, pk-baseline, dh-baseline) — yet with the signing keys stolen before a session the intruder sits in the middle of it and holds the TGK of each side (dh-mitm).",
        presets: &[
            "happy-path",
            "one-compromised-rs",
            "one-compromised-shamir",
            "kcv-brute-force",
            "psk-baseline",
            "pk-baseline",
            "dh-baseline",
            "dh-mitm",
        ],
    },
    Claim {
        id: "authentication-integrity",
        section: "§4.1, Authentication and integrity",
        property: "Authentication and integrity",
        paper: "MACs on Seg1 and signatures on Seg2 guarantee the data is genuine and sent from and to legitimate entities; timestamps protect against replay.",
        verdict: ClaimVerdict::Refuted,
        why: "Tampered and replayed messages are rejected on both segments (tamper, replay, sensor-segment-tamper, sensor-segment-replay) and forgeries without the key are refused by name (forged-i-tp shows the PSK is what decides). But k colluding third parties run a whole session in the sensor's name and R accepts a TGK the intruder chose (colluding-impersonation), and holding the TGK the intruder forges an R_I the sensor accepts as R's proof (forged-r-i).",
        presets: &[
            "tamper",
            "replay",
            "sensor-segment-tamper",
            "sensor-segment-replay",
            "forged-i-tp",
            "colluding-impersonation",
            "forged-r-i",
        ],
    },
    Claim {
        id: "distribution",
        section: "§4.1, Distribution",
        property: "Distribution",
        paper: "PSKs are distributed once, off-line, between the sensor and the TPs; TPs and R set up their channel on-line with public keys, so the mode then runs without external intervention.",
        verdict: ClaimVerdict::Demonstrated,
        why: "Every distributed run starts from PSKs and certificates provisioned once by the CA step and needs nothing else: R obtains the TGK with no further intervention (happy-path, lossy-link).",
        presets: &["happy-path", "lossy-link"],
    },
    Claim {
        id: "overhead",
        section: "§4.1, Overhead",
        property: "Overhead",
        paper: "The constrained entities are only involved in symmetric operations; the third parties take charge of all asymmetric ones.",
        verdict: ClaimVerdict::Demonstrated,
        why: "The sensor's meter counts no RSA and no DH operation in a distributed run (happy-path), while in the standard public-key mode it does the RSA itself (pk-baseline). What that saves in energy depends on the radio and the chip, which the cost view models from published per-operation figures.",
        presets: &["happy-path", "pk-baseline"],
    },
    Claim {
        id: "resilience",
        section: "§4.1, Resilience",
        property: "Resilience",
        paper: "To recover the TGK an attacker would need to corrupt all third parties, so the TPs need not be trusted.",
        verdict: ClaimVerdict::Refuted,
        why: "k compromised TPs suffice, not n (k-compromised, colluding-impersonation); n − k losses are tolerated under RS (lossy-link) but not one more (one-too-many-lost), and XOR n-of-n tolerates none (xor-one-loss). A single malicious TP is caught only by the KCV this implementation adds (malicious-tp); without it R rebuilds a wrong TGK unnoticed (paper-without-kcv).",
        presets: &[
            "k-compromised",
            "colluding-impersonation",
            "lossy-link",
            "one-too-many-lost",
            "xor-one-loss",
            "malicious-tp",
            "paper-without-kcv",
        ],
    },
    Claim {
        id: "extensibility-scalability",
        section: "§4.1, Extensibility and scalability",
        property: "Extensibility and scalability",
        paper: "New sensors can join at any time: a sensor is set up with the TPs' identities and PSKs, with no operation on the TPs or R.",
        verdict: ClaimVerdict::NotDemonstrable,
        why: "A run has one sensor; joining is a provisioning step outside the protocol, which the simulation does once before each run. The runs do show the protocol itself works for other n and k (n = 5, k = 3 in happy-path and most presets, n = k = 8 in kcv-brute-force).",
        presets: &["happy-path", "kcv-brute-force"],
    },
    Claim {
        id: "storage",
        section: "§4.1, Storage",
        property: "Storage",
        paper: "The sensor stores the TPs' identities and PSKs; flash is plentiful, so storage is not an issue.",
        verdict: ClaimVerdict::NotDemonstrable,
        why: "The paper argues flash is plentiful on current devices. A simulation counts the keys a role holds (the knowledge panel lists n PSKs for the sensor in happy-path) but not the flash and RAM of a real device: that needs a firmware build on the target hardware.",
        presets: &["happy-path"],
    },
    Claim {
        id: "avispa-safe",
        section: "§4.2, Formal validation",
        property: "AVISPA: SAFE",
        paper: "AVISPA's OFMC and CL-AtSe back-ends report the protocol SAFE for confidentiality, authentication, delivery proof and replay protection.",
        verdict: ClaimVerdict::Qualified,
        why: "SAFE is a result about a model whose TGK is one atomic secret: it cannot see the partial leak of one-compromised-rs nor the search of kcv-brute-force. The paper does not publish its model, so whether its intruder may corrupt third parties is not known; colluding-impersonation shows what k corrupted ones do. See the paragraph below.",
        presets: &["one-compromised-rs", "kcv-brute-force", "colluding-impersonation"],
    },
];
