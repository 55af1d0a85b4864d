//! Message builders and openers, one module per MIKEY mode: they join the [`crate::wire`]
//! encoding with the [`crate::crypto`] transforms and apply RFC 3830's coverage rules.
//!
//! * [`psk`] — RFC 3830 §3.1 I_MESSAGE / R_MESSAGE (also the base of I_TPi, TPi_I, R_I);
//! * [`pk`] — §3.2 I_MESSAGE with PKE + SIGN and R_MESSAGE (also the base of TPi_R, R_TPi);
//! * [`dh`] — §3.3 signed Diffie–Hellman (OAKLEY 5), the baseline the paper rules out;
//! * [`distributed`] — the five messages of the paper's distributed mode
//!   (docs/distributed-mode.md);
//! * [`error_msg`] — ERR messages (docs/distributed-mode.md, "Errors").
//!
//! Every builder returns the bytes to send; MACs, tags and signatures are computed over the encoded
//! bytes and patched in. Every parser and opener takes a message already decoded once
//! ([`crate::wire::Decoded`], never raw bytes, so nothing here decodes again) and checks MAC
//! and SIGN coverage over the bytes it was decoded from, exactly as received (ranges from its
//! layout), never over a re-encoding. Openers come in two steps where a role must check state
//! in between (`parse_*`: structure; `open_*`: verify and decrypt), so the roles can apply the
//! order of docs/responder-checks.md:
//! timestamp window and replay cache first, then signature and certificate before any RSA
//! decryption, then the KEMAC MAC, then decryption, then the encrypted IDi.
//!
//! [`NOTES`] lists every place where this implementation departs from the paper's text.

pub mod core;
pub mod dh;
pub mod distributed;
pub mod error_msg;
pub mod pk;
pub mod pkix;
pub mod psk;
/// One departure from the paper's text, as the app's "Deviations from the paper" view shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// Short stable id, e.g. "R_I-key".
    pub id: &'static str,
    /// The section of the paper this departs from, e.g. "§3.3, R_I MESSAGE".
    pub section: &'static str,
    /// What the paper says.
    pub paper: &'static str,
    /// What this implementation does.
    pub here: &'static str,
    /// Why.
    pub why: &'static str,
}

/// Every deviation from the paper (Abdmeziem et al., IoTBD 2016), in message order.
pub const NOTES: &[Deviation] = &[
    Deviation {
        id: "identities-mandatory",
        section: "§3.3, I_TPi MESSAGE",
        paper: "I_TPi is {HDR, T, RAND, [IDI], [IDR], SP}PSKi, KEMACi: both identities are optional.",
        here: "I_TPi must carry both IDs: IDi names the sensor and IDr the third party it is for; a TP rejects an I_TPi without them, or addressed to another TP, before it looks for a key.",
        why: "The TP needs IDi to pick the PSK and to name the sensor to R, and the paper itself sends R_I only if IDI was included; IDr lets a TP refuse, by name, a message meant for another.",
    },
    Deviation {
        id: "encryption-notation",
        section: "§3.3, I_TPi and TPi_R MESSAGE",
        paper: "{HDR, T, RAND, …}PSKi and {…}PKR suggest whole messages are encrypted.",
        here: "As in RFC 3830, only the KEMAC contents are encrypted; the rest is cleartext under the KEMAC MAC (PSK), the signature (PK) or a V MAC; only the envelope key is encrypted under R's public key.",
        why: "That is what RFC 3830 §3.1/§3.2 define and what Wireshark dissects.",
    },
    Deviation {
        id: "share-metadata",
        section: "§3.3, I_TPi MESSAGE",
        paper: "The TGK is split into n parts; the parts travel in KEMAC.",
        here: "Each part travels as a TGK Key data sub-payload; the sharing metadata (scheme, k, n, index, secret length, the final responder's identity in I_TPi, the sensor's identity and T_I in TPi_R, the key-check value) travels in a General Extension of private type 241.",
        why: "R must group and check shares; unknown payload types would break every RFC 3830 parser, a General Extension is skippable and authenticated.",
    },
    Deviation {
        id: "one-T_I",
        section: "§3.3, I_TPi MESSAGE",
        paper: "Each I_TPi is a MIKEY I_MESSAGE, whose timestamp must be unique (RFC 3830 §5.2).",
        here: "The sensor uses one T_I for all n I_TPi messages.",
        why: "Each I_TPi goes to a different TP under a different PSK, so replay caches and IVs stay unique, and R_I can echo one T_I.",
    },
    Deviation {
        id: "scheme-choice",
        section: "§3.3, I_TPi MESSAGE; §4.1, Resilience",
        paper: "Reed–Solomon is applied to the TGK; an attacker must corrupt all TPs.",
        here: "The paper's systematic RS is offered next to Shamir, XOR n-of-n and AONT-RS, chosen per session.",
        why: "A systematic RS data share is a clear slice of the TGK (up to ⌈16/k⌉ bytes), parity shares narrow it down, and k shares — fewer when the last data share is mostly padding — determine it, not all n.",
    },
    Deviation {
        id: "kcv",
        section: "§3.3, R_TPi MESSAGE",
        paper: "R rebuilds the TGK from the parts it receives.",
        here: "The sensor adds an 8-byte key-check value KCV = PRF(TGK, 0x444D4B43 || 0xFF || CSB ID || RAND) to the extension; R accepts a rebuilt TGK only if it matches, and with spare shares searches for a consistent subset.",
        why: "Without it a single TP that corrupts its share makes R silently rebuild a wrong TGK. The price: the KCV travels in clear, so anyone holding some shares can test guesses of the rest offline.",
    },
    Deviation {
        id: "kemac-ccm",
        section: "§4.1, Confidentiality",
        paper: "AES-CCM is advocated for the sensor's messages.",
        here: "AES-CCM is available only under private code points (Encr alg 241/242, MAC alg 241); the default is the RFC 3830 AES-CM-128 + HMAC-SHA-1-160.",
        why: "No RFC defines AES-CCM for KEMAC; stock MIKEY peers (and Wireshark) know only the RFC transforms.",
    },
    Deviation {
        id: "identities-per-hop",
        section: "§3.3, TPi_R MESSAGE",
        paper: "TPi_R carries [IDI] and [CERTI] (the sensor's identity).",
        here: "In TPi_R, IDi is the TP (its certificate, and the identity encrypted in the KEMAC); the sensor's identity travels in the extension as SENSOR_ID.",
        why: "RFC 3830 §3.2 requires the encrypted IDi to equal the signer, who is the TP.",
    },
    Deviation {
        id: "copied-fields",
        section: "§3.3, TPi_R MESSAGE",
        paper: "TPi_R is {HDR, T, RAND, [IDI], [CERTI], [IDR], SP, KEMACi, [CHASH], PKE}, SIGN; where HDR, RAND and SP come from is not said.",
        here: "A TP copies verbatim from I_TPi the CSB ID, PRF, #CS and CS ID map of HDR, RAND and SP, and forwards the sensor's T_I in the extension; the T of TPi_R is the TP's own.",
        why: "R derives the TEKs from the TGK, CS ID, CSB ID and RAND (RFC 3830 §4.1.3), so they must be the sensor's; R_I echoes T_I so the sensor can match it to its session.",
    },
    Deviation {
        id: "no-chash",
        section: "§3.3, TPi_R MESSAGE",
        paper: "TPi_R may carry CHASH, naming which of R's public keys encrypted the envelope key.",
        here: "CHASH is never sent.",
        why: "R has a single RSA key pair, so there is nothing to choose between.",
    },
    Deviation {
        id: "sign-before-decrypt",
        section: "§3.3, R_TPi MESSAGE",
        paper: "R_TPi follows \"successful authentication and decryption of TPi_R MESSAGE by R\"; no order is given.",
        here: "R checks the timestamp and replay cache, then the certificate (CA signature, validity, third-party role), then the signature, and only then does the RSA decryption of the envelope key.",
        why: "Our hardening: only certified TPs can then reach R's RSA private key, which is cheaper under a flood and leaves strangers no padding or timing oracle.",
    },
    Deviation {
        id: "collection-limits",
        section: "§3.3, R_TPi MESSAGE",
        paper: "After having received enough packets, R reconstructs the original TGK.",
        here: "R collects the shares of one session for 10 s (simulated) from the first one, checks an NTP T_I against a ±300 s window, holds at most 4 sessions in collection per sensor and 64 in all, tries at most 5000 share subsets, and remembers a completed session for 600 s so that its shares cannot be replayed.",
        why: "Every limit bounds the state and work that a stream of validly signed shares can make R spend; the paper leaves them open.",
    },
    Deviation {
        id: "R_TPi-mac",
        section: "§3.3, R_TPi MESSAGE",
        paper: "R_TPi is {HDR, T, [IDR]}PKTPi: encrypted under TPi's public key.",
        here: "R_TPi is an RFC 3830 public-key verification message: nothing in it is encrypted; its V MAC is keyed with the auth_key derived from the envelope key that TPi chose.",
        why: "A MAC proves to TPi that R opened its envelope key, which an encryption under PK_TPi would not; it is also what RFC 3830 §3.2 defines and saves R one RSA operation per TP.",
    },
    Deviation {
        id: "R_I-key",
        section: "§3.3, R_I MESSAGE",
        paper: "R_I is protected with the TEK: {HDR, T, [IDR]}TEK.",
        here: "R_I is a PSK verification message whose V MAC is keyed with auth_key_RI = PRF(TGK, 0x2D22AC75 || 0xFF || CSB ID || RAND).",
        why: "The TEK is the SRTP master key of one crypto session; using it as a MIKEY MAC key breaks key separation. auth_key_RI still proves that whoever answered holds the TGK — R, or k colluding TPs.",
    },
    Deviation {
        id: "optional-verifications",
        section: "§3.3, TPi_I, R_TPi and R_I MESSAGE",
        paper: "TPi_I, R_TPi and R_I are optional.",
        here: "They are switched per session; by default the sensor sets V = 0 in I_TPi (no TPi_I), TPs set V = 1 in TPi_R (R_TPi sent), and R_I is sent.",
        why: "R_I alone tells the sensor the whole exchange worked, at the cost of one HMAC.",
    },
    Deviation {
        id: "errors",
        section: "§3.3, all messages",
        paper: "No error handling is described.",
        here: "TPs answer a sensor with an ERR only after its MAC verified; R answers TPs with an authenticated ERR (241, private) when its share cannot be used or a session's shares cannot be combined; R never sends errors to the sensor.",
        why: "Unauthenticated errors are hints at best and a denial-of-service lever at worst.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::derive::{C_AUTH, C_KCV, KCV_LEN};
    use crate::roles::Timing;
    use crate::roles::responder::{MAX_PENDING, MAX_PENDING_PER_SENSOR};
    use crate::sharing::MAX_SUBSETS;

    /// The sections of the paper (§2 background, §3 the mode, §4 its analysis).
    const SECTIONS: [&str; 6] = ["§2", "§3.1", "§3.2", "§3.3", "§4.1", "§4.2"];

    fn note(id: &str) -> &'static Deviation {
        match NOTES.iter().find(|d| d.id == id) {
            Some(d) => d,
            None => panic!("no note {id}"),
        }
    }

    #[test]
    fn every_note_is_complete_and_names_its_paper_section() {
        assert!(NOTES.len() >= 16, "only {} notes", NOTES.len());
        for d in NOTES {
            for (what, text) in [("id", d.id), ("paper", d.paper), ("here", d.here), ("why", d.why)]
            {
                assert!(!text.trim().is_empty(), "{}: empty {what}", d.id);
            }
            let cited: Vec<&str> =
                d.section.split(';').map(|s| s.trim().split(',').next().unwrap_or("")).collect();
            for s in cited {
                assert!(SECTIONS.contains(&s), "{}: {:?} names no section of the paper", d.id, s);
            }
            // Notes are read by students: no pointer outside the repository.
            let all = [d.section, d.paper, d.here, d.why].concat().to_lowercase();
            for outside in ["digest", "issue", "todo"] {
                assert!(!all.contains(outside), "{}: mentions {outside:?}", d.id);
            }
        }
        let mut ids: Vec<&str> = NOTES.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), NOTES.len(), "duplicate ids");
    }

    /// The numbers the notes quote are the code's.
    #[test]
    fn quoted_constants_are_the_codes() {
        let t = Timing::default();
        let limits = note("collection-limits").here;
        for (what, value) in [
            ("collection time", format!("{} s", t.collect_ms / 1000)),
            ("T_I window", format!("±{} s", t.t_i_window_s)),
            ("sessions per sensor", format!("at most {MAX_PENDING_PER_SENSOR} sessions")),
            ("sessions in all", format!("{MAX_PENDING} in all")),
            ("subsets", format!("{MAX_SUBSETS} share subsets")),
            ("session cache", format!("{} s", t.session_cache_ms / 1000)),
        ] {
            assert!(limits.contains(&value), "collection-limits does not say {value:?} ({what})");
        }
        assert!(note("R_I-key").here.contains(&format!("0x{C_AUTH:08X}")));
        let kcv = note("kcv").here;
        assert!(kcv.contains(&format!("0x{C_KCV:08X}")));
        assert!(kcv.contains(&format!("{KCV_LEN}-byte")));
    }
}
