//! The one place where the UI touches the protocol crate: re-exports of the simulation types
//! the components use. Swap the `use` below when `dmikey::sim` lands; nothing else changes.
pub use crate::stand_in::*;

/// While `true`, the page says plainly that it runs the stand-in, not the real protocol.
pub const STAND_IN: bool = true;
