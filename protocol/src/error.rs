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
              // ---- end roles ----
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
