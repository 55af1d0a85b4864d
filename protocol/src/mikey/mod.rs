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
//! bytes and patched in. Every opener takes the received bytes and checks MAC and SIGN coverage
//! over *those* bytes (ranges from [`crate::wire::Decoded`]), never over a re-encoding. Openers
//! come in two steps where a role must check state in between (`parse_*`: decode and structure;
//! `open_*`: verify and decrypt), so the roles can apply the order of docs/responder-checks.md:
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

/// One departure from the paper's text, for the UI's "notes" panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// Short stable id, e.g. "R_I-key".
    pub id: &'static str,
    /// What the paper says.
    pub paper: &'static str,
    /// What this implementation does.
    pub here: &'static str,
    /// Why.
    pub why: &'static str,
}

/// Every deviation from the paper (Abdmeziem et al., IoTBD 2016, §3.3 and Fig. 4).
pub const NOTES: &[Deviation] = &[
    Deviation {
        id: "R_I-key",
        paper: "R_I is protected with the TEK: {HDR, T, [IDR]}TEK.",
        here: "R_I is a PSK verification message whose V MAC is keyed with auth_key_RI = PRF(TGK, 0x2D22AC75 || 0xFF || CSB ID || RAND) (digest D7).",
        why: "The TEK is the SRTP master key of one crypto session; using it as a MIKEY MAC key breaks key separation. auth_key_RI still proves that R holds the TGK.",
    },
    Deviation {
        id: "encryption-notation",
        paper: "{HDR, T, RAND, …}PSKi and {…}PKR suggest whole messages are encrypted.",
        here: "As in RFC 3830, only the KEMAC contents are encrypted; the rest is cleartext under the KEMAC MAC (PSK), the signature (PK) or a V MAC; only the envelope key is encrypted under R's public key.",
        why: "That is what RFC 3830 §3.1/§3.2 define and what Wireshark dissects.",
    },
    Deviation {
        id: "share-metadata",
        paper: "The TGK is split into n parts; the parts travel in KEMAC.",
        here: "Each part travels as a TGK Key data sub-payload; the sharing metadata (scheme, k, n, index, secret length, sensor and final-responder identities, T_I, key-check value) travels in a General Extension of private type 241 (digest D3).",
        why: "R must group and check shares; unknown payload types would break every RFC 3830 parser, a General Extension is skippable and authenticated.",
    },
    Deviation {
        id: "identities-per-hop",
        paper: "TPi_R carries [IDI] and [CERTI] (the sensor's identity).",
        here: "In TPi_R, IDi is the TP (its certificate, and the identity encrypted in the KEMAC); the sensor's identity travels in the extension as SENSOR_ID (digest D4).",
        why: "RFC 3830 §3.2 requires the encrypted IDi to equal the signer, who is the TP.",
    },
    Deviation {
        id: "one-T_I",
        paper: "Each I_TPi is a MIKEY I_MESSAGE, whose timestamp must be unique (RFC 3830 §5.2).",
        here: "The sensor uses one T_I for all n I_TPi messages (digest D5).",
        why: "Each I_TPi goes to a different TP under a different PSK, so replay caches and IVs stay unique, and R_I can echo one T_I.",
    },
    Deviation {
        id: "kcv",
        paper: "R rebuilds the TGK from the parts it receives.",
        here: "The sensor adds an 8-byte key-check value KCV = PRF(TGK, 0x444D4B43 || 0xFF || CSB ID || RAND) to the extension; R accepts a rebuilt TGK only if it matches, and with spare shares searches for a consistent subset (digest D6).",
        why: "Without it a single malicious TP makes R silently rebuild a wrong TGK (digest §5.5, Flaw 3).",
    },
    Deviation {
        id: "scheme-choice",
        paper: "Reed–Solomon is applied to the TGK; an attacker must corrupt all TPs.",
        here: "The paper's systematic RS is offered next to Shamir, XOR n-of-n and AONT-RS, chosen per session.",
        why: "Systematic RS leaks a slice of the TGK per share and any k TPs rebuild it (digest §5.5, Flaws 1 and 2).",
    },
    Deviation {
        id: "kemac-ccm",
        paper: "AES-CCM is advocated for the sensor's messages.",
        here: "AES-CCM is available only under private code points (Encr alg 241/242, MAC alg 241); the default is the RFC 3830 AES-CM-128 + HMAC-SHA-1-160 (digest D1).",
        why: "No RFC defines AES-CCM for KEMAC; stock MIKEY peers (and Wireshark) know only the RFC transforms.",
    },
    Deviation {
        id: "sign-before-decrypt",
        paper: "R decrypts the PKE, then checks the message.",
        here: "R checks the timestamp and replay cache, then the signature and certificate chain, and only then does the RSA decryption of the envelope key (digest §2.8).",
        why: "Only certified TPs can then reach R's RSA private key: cheaper under DoS and no padding oracle for strangers.",
    },
    Deviation {
        id: "optional-verifications",
        paper: "TPi_I, R_TPi and R_I are optional.",
        here: "They are switched per session; by default the sensor sets V = 0 in I_TPi (no TPi_I), TPs set V = 1 in TPi_R (R_TPi sent), and R_I is sent (digest D9).",
        why: "R_I alone tells the sensor the whole exchange worked, at the cost of one HMAC.",
    },
    Deviation {
        id: "errors",
        paper: "No error handling is described.",
        here: "TPs answer a sensor with an ERR only after its MAC verified; R answers TPs with an ERR (241, private) when a session's shares cannot be combined; R never sends errors to the sensor (digest D10, D14).",
        why: "Unauthenticated errors are hints at best and a denial-of-service lever at worst.",
    },
];
