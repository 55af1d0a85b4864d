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
              // ---- end crypto ----

              // ---- sharing ----
              // ---- end sharing ----

              // ---- roles ----
              // ---- end roles ----
        }
    }
}

impl std::error::Error for Error {}
