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
            // ---- end roles ----
        }
    }
}

impl std::error::Error for Error {}
