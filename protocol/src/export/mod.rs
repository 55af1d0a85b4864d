//! Exports that let anyone re-check a run outside this crate: a pcap of every packet
//! ([`pcap`], UDP port 2269; [`pcapng`] the same with packet comments marking forgeries), a JSON key log ([`keylog`]) and the tiny JSON writer they use
//! ([`json`]).

pub mod json;
pub mod keylog;
pub mod pcap;
pub mod pcapng;
