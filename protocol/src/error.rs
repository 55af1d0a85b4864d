//! The one error type of the crate: every variant names what failed and where, in words a
//! student can read (its `Display`). Nothing that comes off the wire may panic instead.
//!
//! Each layer adds its variants in its own section (wire, crypto, sharing, roles/sim) so that
//! parallel work merges cleanly; keep the Display arms in the same order.

/// Everything that can go wrong while decoding, verifying or running a session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    // ---- wire (decoding) -------------------------------------------------------------
    /// The input ended inside a field.
    Truncated { payload: &'static str, field: &'static str, needed: usize, left: usize },
    /// Bytes were left over after the payload that the chain said was the last one.
    TrailingBytes { after: &'static str, count: usize },
    /// A `Next payload` byte names a payload type this decoder does not know.
    UnknownPayloadType { value: u8, after: &'static str },
    /// A `Next payload` byte names a known payload that is not allowed at this place.
    UnexpectedPayload { expected: &'static str, found: String, message: &'static str },
    /// A field holds a value the decoder cannot accept (unknown code point, bad pairing, …).
    InvalidValue { payload: &'static str, field: &'static str, value: u64, reason: &'static str },
    /// A reserved field is not zero.
    ReservedNotZero { payload: &'static str, field: &'static str, value: u64 },
    /// The HDR version is not 1.
    BadVersion { value: u8 },
    /// A length field disagrees with the length its value must have.
    LengthMismatch { payload: &'static str, field: &'static str, expected: usize, found: usize },
    /// A TLV tag appears twice where each tag may appear once.
    DuplicateTag { payload: &'static str, tag: u8, name: &'static str },
    /// A payload that must be present is missing.
    MissingPayload { payload: &'static str, message: &'static str },
    // ---- end wire ----

    // ---- crypto (keys, MACs, RSA, X.509, replay) ----------------------------------------
    /// A MAC (KEMAC MAC or V payload) did not verify.
    MacMismatch { message: String, payload: &'static str },
    /// An AES-CCM tag (private KEMAC profile, digest D1) did not verify.
    TagMismatch { message: String, payload: &'static str },
    /// A MAC or tag field has the wrong length for its algorithm.
    MacLength { message: String, payload: &'static str, expected: usize, found: usize },
    /// A key, salt or other crypto input has the wrong length.
    KeyLength { what: &'static str, expected: &'static str, found: usize },
    /// An RSA signature (SIGN payload or certificate) did not verify.
    SignatureInvalid { signer: String },
    /// The RSA envelope (PKE) could not be decrypted. Deliberately one generic error: the
    /// reason (padding, length, …) is not revealed (Bleichenbacher/Marvin, digest D17).
    PkeDecryptFailed { message: String },
    /// Any other failure inside the `rsa` crate (key generation, message too long, …).
    Rsa(String),
    /// The certificate's issuer or signature does not lead to the CA.
    CertificateNotFromCa { subject: String },
    /// The certificate's validity window ended before `now`.
    CertificateExpired { subject: String, not_after: u64, now: u64 },
    /// The certificate's validity window starts after `now`.
    CertificateNotYetValid { subject: String, not_before: u64, now: u64 },
    /// The certificate names someone other than the expected peer.
    CertificateSubjectMismatch { expected: String, found: String },
    /// The certificate does not carry the role the message needs (e.g. "dmikey-tp").
    CertificateRoleMismatch { subject: String, expected: &'static str, found: String },
    /// The certificate (or a key in it) could not be parsed or built.
    CertificateMalformed { subject: String, reason: String },
    /// The peer's Diffie-Hellman value is not a valid group element.
    DhValueInvalid { reason: &'static str },
    /// The timestamp is further from `now` than the allowed clock skew (RFC 3830 §5.4).
    TimestampOutsideWindow { skew_s: i64, window_s: u64 },
    /// The message is already in the replay cache (RFC 3830 §5.4).
    Replay { message: String },
    /// A COUNTER timestamp did not increase (digest D12).
    CounterNotIncreasing { peer: String, last: u32, got: u32 },
    // ---- end crypto ----

    // ---- sharing -------------------------------------------------------------------------
    // ---- end sharing ----

    // ---- roles and simulation ------------------------------------------------------------
    // ---- end roles ----
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            // ---- wire ----
            Error::Truncated { payload, field, needed, left } => write!(
                f,
                "message truncated inside {payload} (needs {needed} bytes, {left} left) while reading its {field}"
            ),
            Error::TrailingBytes { after, count } => write!(
                f,
                "{count} unexpected byte{} after the last payload ({after})",
                if *count == 1 { "" } else { "s" }
            ),
            Error::UnknownPayloadType { value, after } => {
                write!(f, "unknown payload type {value} named by the Next payload byte of {after}")
            }
            Error::UnexpectedPayload { expected, found, message } => {
                write!(f, "{message}: expected {expected} but the chain has {found}")
            }
            Error::InvalidValue { payload, field, value, reason } => {
                write!(f, "invalid {field} {value} in {payload}: {reason}")
            }
            Error::ReservedNotZero { payload, field, value } => {
                write!(f, "reserved field {field} of {payload} must be 0 but is {value}")
            }
            Error::BadVersion { value } => {
                write!(f, "MIKEY version {value} is not supported (only version 1 exists)")
            }
            Error::LengthMismatch { payload, field, expected, found } => {
                write!(f, "{field} in {payload} is {found} bytes long but must be {expected} bytes")
            }
            Error::DuplicateTag { payload, tag, name } => {
                write!(f, "tag {tag} ({name}) appears twice in {payload}")
            }
            Error::MissingPayload { payload, message } => {
                write!(f, "{message} has no {payload} payload")
            } // ---- end wire ----

            // ---- crypto ----
            Error::MacMismatch { message, payload } => {
                write!(f, "MAC mismatch in the {payload} of {message}")
            }
            Error::TagMismatch { message, payload } => {
                write!(f, "AES-CCM tag mismatch in the {payload} of {message}")
            }
            Error::MacLength { message, payload, expected, found } => write!(
                f,
                "the MAC in the {payload} of {message} is {found} bytes long, the algorithm needs {expected}"
            ),
            Error::KeyLength { what, expected, found } => {
                write!(f, "{what} is {found} bytes long, expected {expected}")
            }
            Error::SignatureInvalid { signer } => write!(f, "signature by {signer} does not verify"),
            Error::PkeDecryptFailed { message } => {
                write!(f, "the envelope key (PKE) of {message} could not be decrypted")
            }
            Error::Rsa(what) => write!(f, "RSA operation failed: {what}"),
            Error::CertificateNotFromCa { subject } => {
                write!(f, "certificate of {subject} was not issued by the CA")
            }
            Error::CertificateExpired { subject, not_after, now } => write!(
                f,
                "certificate of {subject} expired (valid until unix time {not_after}, now {now})"
            ),
            Error::CertificateNotYetValid { subject, not_before, now } => write!(
                f,
                "certificate of {subject} is not yet valid (valid from unix time {not_before}, now {now})"
            ),
            Error::CertificateSubjectMismatch { expected, found } => write!(
                f,
                "certificate names {found}, but the message claims to come from {expected}"
            ),
            Error::CertificateRoleMismatch { subject, expected, found } => write!(
                f,
                "certificate of {subject} has role \"{found}\", expected \"{expected}\""
            ),
            Error::CertificateMalformed { subject, reason } => {
                write!(f, "certificate of {subject} is malformed: {reason}")
            }
            Error::DhValueInvalid { reason } => {
                write!(f, "Diffie-Hellman value from the peer rejected: {reason}")
            }
            Error::TimestampOutsideWindow { skew_s, window_s } => write!(
                f,
                "timestamp {} s outside the \u{b1}{window_s} s window",
                skew_s.unsigned_abs()
            ),
            Error::Replay { message } => {
                write!(f, "{message} is a replay (already in the replay cache)")
            }
            Error::CounterNotIncreasing { peer, last, got } => write!(
                f,
                "COUNTER timestamp {got} from {peer} does not increase (last accepted {last})"
            ),
            // ---- end crypto ----

              // ---- sharing ----
              // ---- end sharing ----

              // ---- roles ----
              // ---- end roles ----
        }
    }
}

impl std::error::Error for Error {}
