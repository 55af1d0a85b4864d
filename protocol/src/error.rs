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
    // ---- end wire ----

    // ---- crypto (keys, MACs, RSA, X.509, replay) ----------------------------------------
    // ---- end crypto ----

    // ---- sharing -------------------------------------------------------------------------
    // ---- end sharing ----

    // ---- roles and simulation ------------------------------------------------------------
    /// A distributed session was configured without a sharing scheme.
    NoSchemeChosen,
    /// The session's threshold is impossible (needs 1 ≤ k ≤ n).
    SessionThreshold { n: u8, k: u8 },
    /// A message of a kind this role never accepts (or not in its current state).
    UnexpectedMessage { message: String, why: &'static str },
    /// The HDR data type is not the one this message must have.
    WrongDataType { message: String, expected: &'static str, found: u8 },
    /// A payload required by the message's template is absent.
    MissingPayload { message: String, payload: &'static str },
    /// A payload appears where the message's template does not allow it.
    ExtraPayload { message: String, payload: &'static str },
    /// The identity in a message is not one this role knows.
    UnknownPeer { message: String, id: String },
    /// The message names another responder than this role.
    NotAddressedToMe { message: String, id: String },
    /// A response arrived for a session the receiver never started or already closed.
    NoOutstandingSession { message: String },
    /// A second answer arrived for a question that was already answered.
    AlreadyAnswered { message: String },
    /// A field that must echo the request does not.
    EchoMismatch { message: String, field: &'static str },
    /// The D-MIKEY General Extension lacks a tag the message needs.
    ExtensionTagMissing { message: String, tag: &'static str },
    /// The D-MIKEY ROLE tag names another message than the one received.
    ExtensionRoleMismatch { message: String, expected: u8, found: u8 },
    /// A share's metadata disagrees with the other shares of its session.
    ShareMetadataMismatch { tp: u8, field: &'static str },
    /// Two TPs sent the same share index.
    ShareIndexTaken { index: u8, by_tp: u8 },
    /// A share index outside 1..=n.
    ShareIndexOutOfRange { index: u8, n: u8 },
    /// The same TP sent a second share for one session.
    DuplicateShareFromTp { tp: u8 },
    /// The session (sensor, CSB ID, RAND) was already completed: a replayed share set.
    SessionAlreadyComplete { message: String },
    /// The signer's certificate does not name the role the message needs.
    SignerWrongRole { message: String, expected: &'static str },
    /// The identity inside the KEMAC differs from the identity that signed (RFC 3830 §3.2).
    EncryptedIdNotSigner { message: String },
    /// The sensor has no key material for this mode (provisioning incomplete).
    NotProvisioned { what: String },
    /// R could not rebuild a TGK that passes the key check before its deadline.
    CollectionFailed { have: usize, need: usize, reason: String },
    /// The session timed out waiting for an answer.
    SessionTimedOut { what: String },
    /// The provisioned PKI bytes could not be read back.
    PkiBytes { why: String },
    // ---- end roles ----
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            // ---- wire ----
            Error::Truncated { payload, field, needed, left } => write!(
                f,
                "message truncated inside {payload} ({field}: needs {needed} bytes, {left} left)"
            ),
            // ---- end wire ----

            // ---- crypto ----
            // ---- end crypto ----

            // ---- sharing ----
            // ---- end sharing ----

            // ---- roles ----
            Error::NoSchemeChosen => write!(
                f,
                "no TGK sharing scheme was chosen for the distributed session (choose rs, shamir, xor or aont-rs)"
            ),
            Error::SessionThreshold { n, k } => {
                write!(f, "threshold k = {k} is impossible with n = {n} third parties (need 1 ≤ k ≤ n)")
            }
            Error::UnexpectedMessage { message, why } => write!(f, "{message} was not expected: {why}"),
            Error::WrongDataType { message, expected, found } => {
                write!(f, "{message} has data type {found}, expected {expected}")
            }
            Error::MissingPayload { message, payload } => write!(f, "{message} lacks its {payload} payload"),
            Error::ExtraPayload { message, payload } => {
                write!(f, "{message} carries a {payload} payload its template does not allow")
            }
            Error::UnknownPeer { message, id } => write!(f, "{message} comes from unknown identity \"{id}\""),
            Error::NotAddressedToMe { message, id } => {
                write!(f, "{message} is addressed to \"{id}\", not to this role")
            }
            Error::NoOutstandingSession { message } => {
                write!(f, "{message} answers no session this role has outstanding")
            }
            Error::AlreadyAnswered { message } => write!(f, "{message} was already received once for this session"),
            Error::EchoMismatch { message, field } => {
                write!(f, "{message} does not echo the {field} of the request")
            }
            Error::ExtensionTagMissing { message, tag } => {
                write!(f, "the D-MIKEY extension of {message} lacks its {tag} tag")
            }
            Error::ExtensionRoleMismatch { message, expected, found } => write!(
                f,
                "the D-MIKEY extension of {message} says role {found}, expected role {expected}"
            ),
            Error::ShareMetadataMismatch { tp, field } => {
                write!(f, "the share from TP{tp} disagrees with the others on {field}")
            }
            Error::ShareIndexTaken { index, by_tp } => write!(f, "share index {index} was already sent by TP{by_tp}"),
            Error::ShareIndexOutOfRange { index, n } => write!(f, "share index {index} is outside 1..={n}"),
            Error::DuplicateShareFromTp { tp } => write!(f, "TP{tp} already sent a share for this session"),
            Error::SessionAlreadyComplete { message } => write!(
                f,
                "{message} belongs to a session that is already complete (replayed share)"
            ),
            Error::SignerWrongRole { message, expected } => {
                write!(f, "the signer of {message} is not certified as {expected}")
            }
            Error::EncryptedIdNotSigner { message } => write!(
                f,
                "the identity encrypted in the KEMAC of {message} is not the signer's identity"
            ),
            Error::NotProvisioned { what } => write!(f, "not provisioned: {what}"),
            Error::CollectionFailed { have, need, reason } => write!(
                f,
                "R could not rebuild the TGK ({have} shares, needs {need}): {reason}"
            ),
            Error::SessionTimedOut { what } => write!(f, "timed out waiting for {what}"),
            Error::PkiBytes { why } => write!(f, "the provisioned PKI cannot be read back: {why}"),
            // ---- end roles ----
        }
    }
}

impl std::error::Error for Error {}
