//! The inspector: every byte and every calculation of a MIKEY message.
//!
//! For one message — a packet of a [`Simulation`] seen by one role, or any bytes pasted from
//! elsewhere — [`Inspection`] gives:
//!
//! * [`Inspection::fields`]: the decoder's own field spans, flattened, covering 100 % of the
//!   bytes (a message that does not decode gets the fields that could be read and one
//!   "Undecoded" field for the rest, so the hex pane always has a field for every byte);
//! * [`Inspection::hex`]: the hex and ASCII rows, 16 bytes each, every byte tied to its field
//!   and the payload boundaries marked;
//! * [`Inspection::decrypted`]: what is inside the encrypted parts (the KEMAC's key-data chain,
//!   the PKE's envelope key) as opened with the viewer's keys, saying which key was needed and
//!   who holds it, or why the viewer cannot open it;
//! * [`Inspection::certificates`]: each CERT payload decoded (`x509-cert`) and checked against
//!   the CA;
//! * [`Inspection::calculations`]: one [`Calculation`] per derived value (RFC 3830 §4.1.2–§4.1.4,
//!   §4.2.3, §5.2), with real inputs and outputs, checked live against the bytes received, and
//!   each with [`Snippet`]s (`openssl` or `python3` with `cryptography`) that reproduce it;
//! * [`Inspection::findings`]: what RFC 3830 thinks of the message (a NULL MAC in PSK mode
//!   "SHOULD NOT"; a MAC that only verifies with another implementation's key length; …).
//!
//! [`RoleView`] lists what a role knows and computed, step by step, with the same
//! calculations. [`decode_input`] takes hex, base64, an SDP `a=key-mgmt:mikey` line, an RTSP
//! answer or a pcap and inspects every MIKEY message in it with the keys given. The app
//! reaches all of it through [`crate::sim`]. See docs/inspector.md.

use core::ops::Range;

use crate::roles::{Known, Node};
use crate::sim::{PacketId, Simulation};
use crate::wire::FieldSpan;

mod calc;
mod cert;
mod engine;
mod hexdump;
mod input;
mod json;
mod keys;
mod role;

pub use keys::{KeyError, KeyInputs, decode_keys, read_certificate, read_rsa_private_key};

/// Who looks at a message: a role (its keys open what it can open) or [`Node::Intruder`]
/// (what the Dolev–Yao intruder holds at that point of the run).
pub type Viewer = Node;

/// One message, annotated byte by byte, with what is inside and how every value was computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// "TP1_R", or "message" for pasted bytes.
    pub label: String,
    /// The bytes as received.
    pub bytes: Vec<u8>,
    /// The payloads in wire order (HDR first).
    pub payloads: Vec<PayloadBox>,
    /// Every field in wire order; together they cover `0..bytes.len()` exactly once.
    pub fields: Vec<Field>,
    /// Hex and ASCII rows of 16 bytes.
    pub hex: Vec<HexRow>,
    /// The encrypted parts, opened (or not) with the viewer's keys.
    pub decrypted: Vec<DecryptedView>,
    /// The certificates the message carries, decoded.
    pub certificates: Vec<CertView>,
    /// One per derived or checked value, in the order a receiver computes them.
    pub calculations: Vec<Calculation>,
    /// What RFC 3830 says about the message, and the verdicts of the checks.
    pub findings: Vec<Finding>,
    /// The decoder's error, if the bytes are not a whole MIKEY message.
    pub decode_error: Option<String>,
}

/// One payload: its name, its bytes, and which [`Inspection::fields`] belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadBox {
    /// "HDR", "KEMAC", "Undecoded", …
    pub name: &'static str,
    /// Its bytes in the message.
    pub range: Range<usize>,
    /// Indices into [`Inspection::fields`] (or into [`Opened::fields`] for a decrypted chain).
    pub fields: Range<usize>,
}

/// One field: which payload it belongs to, and its span (range, label, meaning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Index into [`Inspection::payloads`] (or [`Opened::payloads`]).
    pub payload: usize,
    /// Byte range, label and meaning, as the decoder recorded them.
    pub span: FieldSpan,
}

/// One row of the hex pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexRow {
    /// Offset of the first byte of the row.
    pub offset: usize,
    /// Up to 16 bytes.
    pub bytes: Vec<u8>,
    /// For each byte of the row, the index of its field in [`Inspection::fields`].
    pub field_of: Vec<usize>,
    /// For each byte: true where a payload starts at this byte.
    pub payload_start: Vec<bool>,
    /// The bytes as ASCII, `.` for anything not printable.
    pub ascii: String,
}

/// An encrypted part of the message and what the viewer finds inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptedView {
    /// "KEMAC key data", "PKE envelope key".
    pub title: String,
    /// The encrypted bytes in the message (the `Encr data` or PKE `Data` field).
    pub ciphertext: Range<usize>,
    /// The key needed, in words: "encr_key and salt_key from the PSK shared by I and TP1".
    pub key_needed: String,
    /// Who holds that key in this run (empty for pasted messages).
    pub holders: Vec<Node>,
    /// The plaintext, or why the viewer cannot see it.
    pub opened: Opened,
}

/// The inside of an encrypted part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Opened: the plaintext, decoded with its own field spans (offsets in `plaintext`).
    Open {
        /// The decrypted bytes (for KEMAC with NULL encryption: the bytes as sent).
        plaintext: Vec<u8>,
        /// Payloads of the plaintext (ID, Key data …).
        payloads: Vec<PayloadBox>,
        /// Fields of the plaintext, covering all of it.
        fields: Vec<Field>,
        /// The values a student looks for: "share 2", "IDi", "TGK", "envelope key" …
        values: Vec<NamedValue>,
    },
    /// Not opened: why ("needs the PSK of I and TP1, which X does not hold").
    Sealed {
        /// The reason in words.
        why: String,
    },
}

/// A named value shown with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedValue {
    /// "share 2 (Key data, TGK)", "IDi", "envelope key".
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The bytes as text when they are printable (identities).
    pub text: Option<String>,
}

/// A certificate of a CERT payload, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertView {
    /// The certificate's bytes in the message.
    pub range: Range<usize>,
    /// X.509 version as written (3 for v3).
    pub version: u8,
    /// Serial number, hex.
    pub serial: String,
    /// Issuer distinguished name (RFC 4514 string).
    pub issuer: String,
    /// Subject distinguished name.
    pub subject: String,
    /// notBefore, "2026-11-24 18:30:00 UTC".
    pub not_before: String,
    /// notAfter.
    pub not_after: String,
    /// Public key algorithm ("rsaEncryption").
    pub key_algorithm: String,
    /// RSA modulus size in bits (0 if not RSA).
    pub modulus_bits: usize,
    /// RSA public exponent, decimal.
    pub exponent: String,
    /// The extensions in order.
    pub extensions: Vec<CertExtension>,
    /// Signature algorithm ("sha256WithRSAEncryption").
    pub signature_algorithm: String,
    /// Whether it chains to the CA (checked with the CA certificate of the run or of the
    /// keys given), or why not.
    pub chain: Check,
}

/// One X.509 extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertExtension {
    /// Dotted OID.
    pub oid: String,
    /// Its name ("basicConstraints"), or "unknown".
    pub name: String,
    /// The critical flag.
    pub critical: bool,
    /// Its value in words ("cA = false", "digitalSignature, keyEncipherment").
    pub value: String,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Recomputed and equal to what the message carries ("MAC OK").
    Ok(String),
    /// Recomputed and different, with what it would verify as if anything nearby does.
    Failed(String),
    /// A value derived, nothing in the message to compare it with.
    Derived,
    /// Not checked, and why (a key is missing, NULL MAC …).
    NotChecked(String),
}

impl Check {
    /// True for [`Check::Ok`].
    pub fn is_ok(&self) -> bool {
        matches!(self, Check::Ok(_))
    }
}

/// Which value a calculation computes (stable, for the app and the tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalcKind {
    /// encr_key = PRF(secret, C_ENCR ‖ 0xFF ‖ CSB ID ‖ RAND) (§4.1.4).
    EncrKey,
    /// auth_key = PRF(secret, C_AUTH ‖ 0xFF ‖ CSB ID ‖ RAND) (§4.1.4).
    AuthKey,
    /// salt_key = PRF(secret, C_SALT ‖ 0xFF ‖ CSB ID ‖ RAND) (§4.1.4).
    SaltKey,
    /// The AES-CM IV (§4.2.3).
    AesCmIv,
    /// The 13-byte CCM nonce of the private AES-CCM profile.
    CcmNonce,
    /// The KEMAC key data decrypted (AES-CM or AES-CCM).
    KemacDecrypt,
    /// The KEMAC MAC (HMAC-SHA-1-160 over the covered bytes, §5.2) or CCM tag.
    KemacMac,
    /// The V payload MAC over M ‖ IDi ‖ IDr ‖ T (§5.2).
    VMac,
    /// The SIGN payload verified with the signer's public key (§5.2).
    Signature,
    /// The envelope key, RSA-decrypted from PKE with R's private key (§3.2).
    EnvelopeKey,
    /// The TEK of one crypto session from the TGK (§4.1.3).
    Tek,
    /// The SRTP master salt of one crypto session from the TGK (§4.1.3).
    TekSalt,
    /// The D-MIKEY key-check value of the TGK.
    Kcv,
    /// auth_key_RI from the TGK (the key of R_I).
    AuthKeyRi,
    /// The TGK rebuilt from the shares.
    TgkRebuild,
    /// DHi = g^x mod p, from the sensor's secret exponent (RFC 3830 §3.3).
    DhPublic,
    /// The TGK of the DH mode, DHr^x mod p = g^(xy) (RFC 3830 §3.3, §4.1).
    DhShared,
}

/// One derived value: its inputs, the formula, the output and the check against the message,
/// with commands that reproduce it outside this crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calculation {
    /// Which value.
    pub kind: CalcKind,
    /// "auth_key from the PSK (I and TP1)".
    pub title: String,
    /// The RFC section it follows, e.g. "RFC 3830 §4.1.4".
    pub rfc: &'static str,
    /// The inputs, with where they lie in the message when they come from it.
    pub inputs: Vec<CalcValue>,
    /// The computation in words, one line per step (label bytes spelled out).
    pub formula: Vec<String>,
    /// The result.
    pub output: CalcValue,
    /// The check against the message.
    pub check: Check,
    /// Commands printing [`Calculation::output`] (lowercase hex), to copy.
    pub commands: Vec<Snippet>,
}

/// A value in a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalcValue {
    /// "PSK", "label", "RAND", "covered bytes" …
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Where it lies in the message, if it comes from the message.
    pub range: Option<Range<usize>>,
}

/// The tool a [`Snippet`] runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    /// A POSIX shell command line using `openssl` (3.x) and coreutils' `basenc`.
    Openssl,
    /// A Python 3 program (standard library plus `cryptography`), run as `python3 -c` or from
    /// standard input.
    Python3,
}

/// A copyable command reproducing a calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Which tool runs it.
    pub tool: Tool,
    /// The command (shell line for `openssl`, program text for `python3`).
    pub code: String,
    /// What it prints, normalised to lowercase hex without separators (or "OK" for a
    /// verification), as a test compares it.
    pub prints: String,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A fact ("PSK mode I_MESSAGE", "key validity SPI/MKI").
    Info,
    /// Something RFC 3830 advises against ("SHOULD NOT").
    Warning,
    /// A check that failed, or something RFC 3830 forbids ("MUST").
    Error,
}

/// One sentence about the message, with the RFC section it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// The sentence.
    pub text: String,
    /// "RFC 3830 §4.2.4", or "" for facts of this implementation.
    pub rfc: &'static str,
}

/// What one role knows and computed, step by step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleView {
    /// The role.
    pub node: Node,
    /// Its keys and values now (the knowledge panel).
    pub knows: Vec<Known>,
    /// Each message it sent or received, with what it computed for it.
    pub steps: Vec<RoleStep>,
}

/// Sent or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The role sent the message.
    Sent,
    /// The message was delivered to the role.
    Received,
}

/// One message in a role's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStep {
    /// The packet.
    pub packet: PacketId,
    /// Its label.
    pub label: String,
    /// Sent or received.
    pub direction: Direction,
    /// What the role computed for it (as the role sees it).
    pub calculations: Vec<Calculation>,
    /// The decrypted parts as the role sees them.
    pub decrypted: Vec<DecryptedView>,
}

/// The format of a pasted or opened input for [`decode_input`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// Guess: pcap magic, then SDP/RTSP text, then hex, then base64.
    Auto,
    /// Hex digits (spaces, colons, newlines and a `0x` prefix ignored).
    Hex,
    /// Base64 (standard alphabet, as in SDP).
    Base64,
    /// SDP text with one or more `a=key-mgmt:mikey <base64>` lines.
    Sdp,
    /// An RTSP response (headers and an SDP body, or a `KeyMgmt:` header).
    Rtsp,
    /// A pcap capture (MIKEY over UDP, raw IP or Ethernet link types).
    Pcap,
}

impl InputFormat {
    /// Every format, `Auto` first.
    pub const ALL: [InputFormat; 6] = [
        InputFormat::Auto,
        InputFormat::Hex,
        InputFormat::Base64,
        InputFormat::Sdp,
        InputFormat::Rtsp,
        InputFormat::Pcap,
    ];

    /// Its name on the command line and in the app: "auto", "hex", "base64", "sdp", "rtsp",
    /// "pcap".
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Hex => "hex",
            InputFormat::Base64 => "base64",
            InputFormat::Sdp => "sdp",
            InputFormat::Rtsp => "rtsp",
            InputFormat::Pcap => "pcap",
        }
    }

    /// The format a name names.
    pub fn from_name(name: &str) -> Option<Self> {
        InputFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Keys given to [`decode_input`] / [`Inspection::of_bytes`] (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeKeys {
    /// The pre-shared key (PSK-mode messages, I_TPi / TPi_I).
    pub psk: Option<Vec<u8>>,
    /// The envelope key (PK-mode messages, TPi_R / R_TPi), if known directly.
    pub envelope_key: Option<Vec<u8>>,
    /// R's RSA private key (PKCS#8 DER, or PEM text) to decrypt the PKE envelope key.
    pub rsa_private_key: Option<Vec<u8>>,
    /// A CA certificate (DER or PEM) to check CERT payloads against.
    pub ca_cert: Option<Vec<u8>>,
}

/// The result of [`decode_input`]: every MIKEY message found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedInput {
    /// The format the input was read as (the guess when [`InputFormat::Auto`] was given).
    pub format: InputFormat,
    /// The messages in input order.
    pub messages: Vec<FoundMessage>,
    /// Things in the input that are not MIKEY messages, skipped (e.g. "frame 3: TCP").
    pub skipped: Vec<String>,
}

/// One message found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundMessage {
    /// Where it was: "pcap frame 2 (UDP 10.0.0.1:2269 → 10.0.0.2:2269)", "SDP line 7".
    pub origin: String,
    /// The message inspected.
    pub inspection: Inspection,
}

/// Why an input holds no message to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Nothing but whitespace.
    Empty,
    /// Not hex: the first offending character and its position.
    BadHex {
        /// Character position.
        at: usize,
        /// The character.
        found: char,
    },
    /// Not base64.
    BadBase64(String),
    /// A text (SDP, RTSP) without any `a=key-mgmt:mikey` line or `KeyMgmt` header.
    NoMikey(String),
    /// A pcap that does not parse.
    BadPcap(String),
}

impl core::fmt::Display for InputError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            InputError::Empty => f.write_str("the input is empty"),
            InputError::BadHex { at, found } => {
                write!(f, "not hex: character {found:?} at position {at}")
            }
            InputError::BadBase64(why) => write!(f, "not base64: {why}"),
            InputError::NoMikey(why) => write!(f, "no MIKEY message found: {why}"),
            InputError::BadPcap(why) => write!(f, "not a readable pcap: {why}"),
        }
    }
}

impl std::error::Error for InputError {}

impl Inspection {
    /// Packet `id` of `sim` as `viewer` sees it: opened with the viewer's keys (the receiver's
    /// keys open what the receiver opens; [`Node::Intruder`] opens what the intruder holds).
    /// `None` if there is no such packet.
    pub fn of_packet(sim: &Simulation, id: PacketId, viewer: Viewer) -> Option<Inspection> {
        engine::of_packet(sim, id, viewer)
    }

    /// Any bytes, inspected with the keys given (no run behind them): the MACs are checked and
    /// the KEMAC opened when the keys allow it.
    pub fn of_bytes(bytes: &[u8], keys: &DecodeKeys) -> Inspection {
        engine::of_bytes(bytes, keys, None)
    }

    /// The field containing byte `offset`.
    pub fn field_at(&self, offset: usize) -> Option<usize> {
        self.fields.iter().position(|f| f.span.range.contains(&offset))
    }

    /// The calculations of one kind.
    pub fn calculations_of(&self, kind: CalcKind) -> impl Iterator<Item = &Calculation> {
        self.calculations.iter().filter(move |c| c.kind == kind)
    }

    /// Checks that [`Inspection::fields`] cover every byte exactly once, in order; the error
    /// says where not.
    pub fn check_coverage(&self) -> Result<(), String> {
        hexdump::check_fields(&self.fields, self.bytes.len())
    }
}

impl RoleView {
    /// What `node` knows and computed in `sim`, message by message.
    pub fn of(sim: &Simulation, node: Node) -> RoleView {
        role::of(sim, node)
    }
}

/// Finds every MIKEY message in `input` (read as `format`) and inspects it with `keys`.
/// Verification messages are checked with the RAND and identities of the I_MESSAGE before
/// them in the same input (same CSB ID).
pub fn decode_input(
    input: &[u8],
    format: InputFormat,
    keys: &DecodeKeys,
) -> Result<DecodedInput, InputError> {
    input::decode_input(input, format, keys)
}

/// A key typed as hex (spaces, `:` and `-` between digits allowed, as in [`decode_input`]'s
/// hex input): `None` for an empty text.
pub fn decode_key_hex(text: &str) -> Result<Option<Vec<u8>>, InputError> {
    if text.chars().all(|c| c.is_whitespace()) {
        return Ok(None);
    }
    input::hex_decode(text).map(Some)
}

#[cfg(test)]
mod key_hex_tests {
    use super::*;

    #[test]
    fn typed_keys() {
        assert_eq!(decode_key_hex("  "), Ok(None));
        assert_eq!(decode_key_hex("0a:0B 0c"), Ok(Some(vec![0x0a, 0x0b, 0x0c])));
        assert!(matches!(decode_key_hex("0g"), Err(InputError::BadHex { found: 'g', .. })));
        assert!(decode_key_hex("abc").is_err());
    }
}
