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
    /// An AES-CCM tag (private KEMAC profile, docs/wire-format.md) did not verify.
    TagMismatch { message: String, payload: &'static str },
    /// A MAC or tag field has the wrong length for its algorithm.
    MacLength { message: String, payload: &'static str, expected: usize, found: usize },
    /// A key, salt or other crypto input has the wrong length.
    KeyLength { what: &'static str, expected: &'static str, found: usize },
    /// An RSA signature (SIGN payload or certificate) did not verify.
    SignatureInvalid { signer: String },
    /// The RSA envelope (PKE) could not be decrypted. Deliberately one generic error: the reason
    /// (padding, length, …) is not revealed (Bleichenbacher/Marvin; see docs/wire-format.md, "RSA
    /// profile").
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
    /// A certificate the CA signed names no subject (no CN): it stands for nobody, so it
    /// cannot stand for the peer the receiver expected (`claimed`).
    CertificateWithoutCommonName { claimed: String },
    /// A DER encoding (an RSA key's SubjectPublicKeyInfo or PKCS#8 form) is malformed.
    Der { what: &'static str, reason: String },
    /// The peer's Diffie-Hellman value is not a valid group element.
    DhValueInvalid { reason: &'static str },
    /// The timestamp is further from `now` than the allowed clock skew (RFC 3830 §5.4).
    TimestampOutsideWindow { skew_s: i64, window_s: u64 },
    /// The message is already in the replay cache (RFC 3830 §5.4).
    Replay { message: String },
    /// A COUNTER timestamp did not increase (see docs/responder-checks.md, "Replay protection").
    CounterNotIncreasing { peer: String, last: u32, got: u32 },
    // ---- end crypto ----

    // ---- sharing -------------------------------------------------------------------------
    /// A TGK must be split into at least one share (n = 0).
    ShareCountZero,
    /// The threshold k must be at least 1.
    ThresholdZero,
    /// The threshold k exceeds the number of shares n.
    ThresholdAboveShareCount { k: u8, n: u8 },
    /// The secret to split (or the SECRET_LEN announced with its shares) is empty or too long.
    SecretLength { len: usize, max: usize },
    /// A share scheme code (GenExt SCHEME) that this crate does not know.
    UnknownScheme { code: u8 },
    /// A share scheme name (command line) that this crate does not know.
    UnknownSchemeName { name: String },
    /// A share carries an index outside 1..=n.
    ShareIndexOutOfRange { index: u8, n: u8 },
    /// Two shares carry the same index.
    ShareIndexDuplicate { index: u8 },
    /// A share does not have the length the scheme gives shares of this secret.
    ShareLengthMismatch { index: u8, expected: usize, found: usize },
    /// Fewer shares than the scheme's threshold.
    InsufficientShares { scheme: &'static str, have: usize, need: u8 },
    /// The TGK rebuilt from exactly the threshold number of shares failed the caller's key
    /// check: one of these shares is wrong and there is no spare share to find out which.
    ShareKeyCheckFailed { used: Vec<u8> },
    /// The zero padding of the Reed–Solomon data rebuilt from these shares is not zero.
    SharePaddingNotZero { used: Vec<u8> },
    /// The AONT-RS package rebuilt from these shares does not end with its canary.
    ShareAontCanaryMismatch { used: Vec<u8> },
    /// No subset of the threshold size gave a TGK that passes the key check.
    NoConsistentShareSubset { have: usize, need: u8, tried: usize, cap_reached: bool },
    /// The Reed–Solomon library refused its input (a bug: parameters are checked before).
    ShareErasureCode { detail: String },
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
    PayloadMissing { message: String, payload: &'static str },
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
    /// A share's SCHEME, K, N, SECRET_LEN or PRF is not the one of R's session policy.
    SharePolicyMismatch { tp: u8, field: &'static str, got: String, expected: String },
    /// A TP sent a share under another index than the one the sensor gives it.
    ShareIndexNotAssigned { tp: u8, index: u8 },
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
    /// A payload range computed from the decoded layout is missing.
    LayoutMissing { payload: usize },
    /// A byte range computed from decoded lengths does not fit the message.
    LayoutOutOfRange { start: usize, end: usize, len: usize },
    /// The KEMAC (or V) uses algorithms this role does not accept for the message.
    KemacAlgorithms { message: String, encr_alg: u8, mac_alg: u8 },
    /// A DH payload names a group other than OAKLEY 5.
    DhGroupUnsupported { message: String, group: u8 },
    /// R already collects the maximum number of sessions for this sensor.
    TooManyPendingSessions { limit: usize },
    /// The provisioned PKI bytes could not be read back.
    PkiBytes { why: String },
    // ---- end roles ----

    // ---- sim (simulation, commands, exports) -----------------------------------------
    /// The operating system gave no randomness for an unseeded run.
    RandomnessUnavailable { why: String },
    /// The shared PKI has fewer third parties than the session needs.
    PkiTooSmall { tps: u8, needed: u8 },
    /// A command named a packet that was never sent.
    NoSuchPacket { packet: usize },
    /// A command needs a packet in flight, but it was already delivered or dropped.
    PacketNotInFlight { packet: usize, label: String },
    /// A tamper that would change nothing (XOR mask 0).
    TamperNoChange,
    /// A byte offset outside the message.
    TamperOffset { offset: usize, len: usize },
    /// The message has no field of that name.
    TamperFieldNotFound { field: String, message: String },
    /// The replacement bytes do not have the field's length.
    TamperFieldLength { field: String, expected: usize, got: usize },
    /// A command named a third party that does not exist.
    NoSuchThirdParty { tp: u8, n: u8 },
    /// A loss rate above 1000 ‰.
    LossRateTooHigh { permille: u16 },
    /// A link to a moment of a run (`sim::permalink`) that cannot be read.
    BadLink { part: String, reason: &'static str },
    /// A forged-message spec (the inject grammar) that cannot be read.
    BadForgeSpec { part: String, reason: &'static str },
    /// A forged message cannot be built: a field has no value (nothing captured or held to
    /// take it from) or the wrong one.
    ForgeField { field: &'static str, reason: String },
    /// A spec names a fact the intruder does not hold.
    NoSuchFact { fact: usize },
    /// The intruder's exhaustive search against the public KCV cannot run.
    SearchNotPossible { reason: String },
    // ---- end sim ----
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
            Error::SignatureInvalid { signer } => {
                write!(f, "signature by {signer} does not verify")
            }
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
            Error::CertificateRoleMismatch { subject, expected, found } => {
                write!(f, "certificate of {subject} has role \"{found}\", expected \"{expected}\"")
            }
            Error::CertificateMalformed { subject, reason } => {
                write!(f, "certificate of {subject} is malformed: {reason}")
            }
            Error::CertificateWithoutCommonName { claimed } => write!(
                f,
                "the certificate presented for {claimed} names no subject (it has no CN): it \
                 certifies nobody"
            ),
            Error::Der { what, reason } => write!(f, "{what} is malformed DER: {reason}"),
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
            Error::ShareCountZero => {
                write!(f, "n = 0: a TGK must be split into at least one share")
            }
            Error::ThresholdZero => write!(f, "k = 0: at least one share must be needed"),
            Error::ThresholdAboveShareCount { k, n } => {
                write!(f, "k = {k} is larger than n = {n}")
            }
            Error::SecretLength { len, max } => {
                write!(f, "a secret of {len} bytes cannot be shared (1 to {max} bytes)")
            }
            Error::UnknownScheme { code } => write!(
                f,
                "share scheme {code} is unknown (1 Shamir, 2 XOR, 3 Reed–Solomon, 4 AONT-RS)"
            ),
            Error::UnknownSchemeName { name } => {
                write!(f, "share scheme \"{name}\" is unknown (rs, shamir, xor or aont-rs)")
            }
            Error::ShareIndexOutOfRange { index, n } => {
                write!(f, "share index {index} is outside 1..={n}")
            }
            Error::ShareIndexDuplicate { index } => {
                write!(f, "share {index} was received twice")
            }
            Error::ShareLengthMismatch { index, expected, found } => {
                write!(f, "share {index} is {found} bytes long where {expected} bytes are expected")
            }
            Error::InsufficientShares { scheme, have, need } => {
                write!(f, "{have} share(s) cannot rebuild the TGK: {scheme} needs {need}")
            }
            Error::ShareKeyCheckFailed { used } => write!(
                f,
                "the TGK rebuilt from shares {} fails its key check: one of them is wrong",
                index_list(used)
            ),
            Error::SharePaddingNotZero { used } => write!(
                f,
                "the Reed–Solomon padding rebuilt from shares {} is not zero: one of them is wrong",
                index_list(used)
            ),
            Error::ShareAontCanaryMismatch { used } => write!(
                f,
                "the AONT-RS package rebuilt from shares {} has a wrong canary: one of them is wrong",
                index_list(used)
            ),
            Error::NoConsistentShareSubset { have, need, tried, cap_reached } => {
                write!(
                    f,
                    "no {need} of the {have} shares give a TGK that passes the key check \
                     ({tried} subsets tried"
                )?;
                if *cap_reached {
                    write!(f, ", search stopped at the cap)")
                } else {
                    write!(f, ", all of them)")
                }
            }
            Error::ShareErasureCode { detail } => {
                write!(f, "the Reed–Solomon code refused its input: {detail}")
            } // ---- end sharing ----

            // ---- roles ----
            Error::NoSchemeChosen => write!(
                f,
                "no TGK sharing scheme was chosen for the distributed session (choose rs, shamir, xor or aont-rs)"
            ),
            Error::SessionThreshold { n, k } => {
                write!(
                    f,
                    "threshold k = {k} is impossible with n = {n} third parties (need 1 ≤ k ≤ n)"
                )
            }
            Error::UnexpectedMessage { message, why } => {
                write!(f, "{message} was not expected: {why}")
            }
            Error::WrongDataType { message, expected, found } => {
                write!(f, "{message} has data type {found}, expected {expected}")
            }
            Error::PayloadMissing { message, payload } => {
                write!(f, "{message} lacks its {payload} payload")
            }
            Error::ExtraPayload { message, payload } => {
                write!(f, "{message} carries a {payload} payload its template does not allow")
            }
            Error::UnknownPeer { message, id } => {
                write!(f, "{message} comes from unknown identity \"{id}\"")
            }
            Error::NotAddressedToMe { message, id } => {
                write!(f, "{message} is addressed to \"{id}\", not to this role")
            }
            Error::NoOutstandingSession { message } => {
                write!(f, "{message} answers no session this role has outstanding")
            }
            Error::AlreadyAnswered { message } => {
                write!(f, "{message} was already received once for this session")
            }
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
            Error::ShareIndexTaken { index, by_tp } => {
                write!(f, "share index {index} was already sent by TP{by_tp}")
            }
            Error::SharePolicyMismatch { tp, field, got, expected } => write!(
                f,
                "the share from TP{tp} says {field} = {got}, but R's session policy is \
                 {field} = {expected}"
            ),
            Error::ShareIndexNotAssigned { tp, index } => write!(
                f,
                "TP{tp} sent share index {index}, but the sensor gives TP{tp} share {tp} only"
            ),
            Error::DuplicateShareFromTp { tp } => {
                write!(f, "TP{tp} already sent a share for this session")
            }
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
            Error::CollectionFailed { have, need, reason } => {
                write!(f, "R could not rebuild the TGK ({have} shares, needs {need}): {reason}")
            }
            Error::SessionTimedOut { what } => write!(f, "timed out waiting for {what}"),
            Error::LayoutMissing { payload } => {
                write!(f, "internal: no byte range for payload {payload}")
            }
            Error::LayoutOutOfRange { start, end, len } => {
                write!(f, "internal: byte range {start}..{end} is outside the {len}-byte message")
            }
            Error::KemacAlgorithms { message, encr_alg, mac_alg } => write!(
                f,
                "{message} uses Encr alg {encr_alg} / MAC alg {mac_alg}, which this role does not accept"
            ),
            Error::DhGroupUnsupported { message, group } => {
                write!(f, "{message} uses DH group {group}; only OAKLEY 5 is supported")
            }
            Error::TooManyPendingSessions { limit } => write!(
                f,
                "R already collects shares of {limit} sessions for this sensor; the new one is refused"
            ),
            Error::PkiBytes { why } => write!(f, "the provisioned PKI cannot be read back: {why}"),
            // ---- end roles ----

            // ---- sim ----
            Error::RandomnessUnavailable { why } => {
                write!(f, "the operating system gave no randomness: {why}")
            }
            Error::PkiTooSmall { tps, needed } => {
                write!(f, "the provisioned PKI has {tps} third parties, the session needs {needed}")
            }
            Error::NoSuchPacket { packet } => write!(f, "there is no packet #{packet}"),
            Error::PacketNotInFlight { packet, label } => {
                write!(f, "packet #{packet} ({label}) is no longer in flight")
            }
            Error::TamperNoChange => write!(f, "flipping with mask 0x00 would change nothing"),
            Error::TamperOffset { offset, len } => {
                write!(f, "byte {offset} is outside the message ({len} bytes)")
            }
            Error::TamperFieldNotFound { field, message } => {
                write!(f, "{message} has no field named \"{field}\"")
            }
            Error::TamperFieldLength { field, expected, got } => {
                write!(f, "the {field} field is {expected} bytes long, the replacement has {got}")
            }
            Error::NoSuchThirdParty { tp, n } => {
                write!(f, "there is no TP{tp} (the session has TP1 to TP{n})")
            }
            Error::LossRateTooHigh { permille } => {
                write!(f, "a loss rate of {permille} ‰ is above 1000 ‰")
            }
            Error::BadLink { part, reason } => {
                write!(f, "the link cannot be read at \"{part}\": {reason}")
            }
            Error::BadForgeSpec { part, reason } => {
                write!(f, "the forged message cannot be read at \"{part}\": {reason}")
            }
            Error::ForgeField { field, reason } => {
                write!(f, "cannot forge the message: {field}: {reason}")
            }
            Error::NoSuchFact { fact } => {
                write!(f, "the intruder holds no fact #{fact}")
            }
            Error::SearchNotPossible { reason } => {
                write!(f, "the intruder cannot search the TGK against the KCV: {reason}")
            } // ---- end sim ----
        }
    }
}

impl std::error::Error for Error {}

// ---- sharing helpers ----
/// "1, 3 and 5": share indices in words.
fn index_list(indices: &[u8]) -> String {
    match indices {
        [] => "(none)".to_string(),
        [one] => one.to_string(),
        [rest @ .., last] => {
            let head: Vec<String> = rest.iter().map(u8::to_string).collect();
            format!("{} and {last}", head.join(", "))
        }
    }
}
// ---- end sharing helpers ----

// ---- sim helpers ----
impl Error {
    /// Whether this error is a failed MAC, tag or signature check (the UI shows these as
    /// "verification failed").
    pub fn is_verification_failure(&self) -> bool {
        matches!(
            self,
            Error::MacMismatch { .. } | Error::TagMismatch { .. } | Error::SignatureInvalid { .. }
        )
    }
}
// ---- end sim helpers ----
