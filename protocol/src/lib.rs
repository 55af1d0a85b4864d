//! `dmikey` — the distributed MIKEY mode of Abdmeziem, Tandjaoui and Romdhani (IoTBD 2016)
//! over real RFC 3830 bytes and real crypto, plus the three standard MIKEY modes it is
//! compared with, a deterministic network simulation with a Dolev–Yao intruder, and the
//! exports (pcap, key log) that let anyone re-check a run outside this crate.
//!
//! Layers, bottom up (see `docs/design.md`): [`wire`] (bytes ⇄ payloads, with a labelled byte
//! range for every field), [`crypto`], [`replay`], [`sharing`], [`mikey`] (message builders
//! and openers), [`roles`] (sans-IO state machines), [`sim`] (the simulation the UI drives),
//! [`cost`] and [`export`].
#![forbid(unsafe_code)]

pub mod cost;
pub mod crypto;
pub mod energy;
pub mod error;
pub mod export;
pub mod glossary;
pub mod inspect;
pub mod lesson;
pub mod mikey;
pub mod replay;
pub mod roles;
pub mod sharing;
pub mod sim;
mod util;
pub mod wire;

pub use error::Error;
