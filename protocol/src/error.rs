//! The one error type of the crate: every variant names what failed and where, in words a
//! student can read (its `Display`). Nothing that comes off the wire may panic instead.

/// Everything that can go wrong while decoding, verifying or running a session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input ended inside a field.
    Truncated { payload: &'static str, field: &'static str, needed: usize, left: usize },
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Error::Truncated { payload, field, needed, left } => write!(
                f,
                "message truncated inside {payload} ({field}: needs {needed} bytes, {left} left)"
            ),
        }
    }
}

impl std::error::Error for Error {}
