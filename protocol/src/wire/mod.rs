//! RFC 3830 bytes ⇄ typed payloads. The bottom layer of the crate: no crypto, no clock.
//!
//! Every decode goes through a [`codec::Reader`] that records a labelled byte range
//! ([`layout::FieldSpan`]) for each field it reads, so the inspector's annotations and the
//! MAC/signature coverage ranges come from the same code that parsed the bytes.
//!
//! * [`codec`] — `Reader`, `Codec`, length-prefix helper.
//! * [`types`] — code points (data types, algorithms, error numbers, …) with their names.
//! * [`payloads`] — one struct per payload (HDR, T, RAND, ID, CERT, CHASH, V, SP, KEMAC,
//!   Key data, PKE, SIGN, DH, ERR, General Extension).
//! * [`message`] — a message as HDR plus payload chain; the key-data chain inside KEMAC.
//! * [`layout`] — field and payload spans, coverage check.
//! * [`genext`] — the D-MIKEY General Extension (type 241).

pub mod codec;
pub mod genext;
pub mod layout;
pub mod message;
pub mod payloads;
pub mod time;
pub mod types;

pub use codec::{Codec, Reader};
pub use genext::DmikeyExt;
pub use layout::{FieldSpan, Layout, PayloadSpan};
pub use message::{
    Decoded, Message, Partial, Payload, decode_key_data_chain, encode_key_data_chain,
};
pub use payloads::*;
pub use types::*;
