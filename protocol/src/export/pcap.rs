//! Classic pcap (libpcap 2.4, microsecond timestamps) of a run: each MIKEY message is one
//! IPv4/UDP datagram to port 2269 ("mikey", the port Wireshark's MIKEY dissector listens on),
//! so `tshark -r run.pcap` decodes every message with no option.
//!
//! Address map (one address per role, fixed so captures of different runs line up):
//!
//! | role | IPv4 | MAC (Ethernet link type only) |
//! |---|---|---|
//! | CA | 10.0.0.1 | 02:00:00:00:00:01 |
//! | sensor I | 10.0.0.10 | 02:00:00:00:00:0a |
//! | TPi | 10.0.1.i | 02:00:00:00:01:ii |
//! | R | 10.0.2.1 | 02:00:00:00:02:01 |
//! | intruder X | 10.0.9.9 | 02:00:00:00:09:09 |
//!
//! Both UDP ports are 2269. Replayed or forged packets keep the address of the role they claim
//! to come from (that is what an on-path intruder can do). Timestamps are the simulated send
//! times added to the fixed epoch, so a seeded run gives a byte-identical file. IPv4 header and
//! UDP checksums are computed (the UDP one over the RFC 768 pseudo-header).

use crate::sim::Node;

/// The UDP port of MIKEY (IANA "mikey").
pub const MIKEY_PORT: u16 = 2269;

/// Link-layer framing of the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkType {
    /// LINKTYPE_RAW (101): the record starts with the IPv4 header.
    RawIp,
    /// LINKTYPE_ETHERNET (1): a 14-byte Ethernet II header comes first.
    Ethernet,
}

impl LinkType {
    pub(crate) fn code(self) -> u32 {
        match self {
            LinkType::RawIp => 101,
            LinkType::Ethernet => 1,
        }
    }
}

/// The IPv4 address of a role (see the module table).
pub fn ipv4_of(node: Node) -> [u8; 4] {
    match node {
        Node::Ca => [10, 0, 0, 1],
        Node::Sensor => [10, 0, 0, 10],
        Node::Tp(i) => [10, 0, 1, i],
        Node::Responder => [10, 0, 2, 1],
        Node::Intruder => [10, 0, 9, 9],
    }
}

fn mac_of(node: Node) -> [u8; 6] {
    let ip = ipv4_of(node);
    [0x02, 0, 0, 0, ip[2], ip[3]]
}

/// One datagram of the capture.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// Milliseconds since the simulation epoch.
    pub time_ms: u64,
    /// Claimed sender.
    pub from: Node,
    /// Receiver.
    pub to: Node,
    /// The MIKEY message (UDP payload).
    pub payload: &'a [u8],
}

/// Writes a pcap file. `epoch_unix` is the wall-clock second of simulated time 0.
/// Payloads longer than a UDP datagram can carry (65 507 bytes) are truncated in the record
/// (the IP/UDP lengths still tell the true size); MIKEY messages are far smaller.
pub fn write(records: &[Record<'_>], epoch_unix: u64, link: LinkType) -> Vec<u8> {
    let mut out = Vec::new();
    // Global header.
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&65_535u32.to_le_bytes()); // snaplen
    out.extend_from_slice(&link.code().to_le_bytes());

    for (n, r) in records.iter().enumerate() {
        let frame = frame(r, n as u16, link);
        let ts_s = epoch_unix.saturating_add(r.time_ms / 1000);
        let ts_us = (r.time_ms % 1000) * 1000;
        let caplen = frame.len().min(65_535);
        out.extend_from_slice(&(ts_s as u32).to_le_bytes());
        out.extend_from_slice(&(ts_us as u32).to_le_bytes());
        out.extend_from_slice(&(caplen as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(frame.get(..caplen).unwrap_or(&frame));
    }
    out
}

pub(crate) fn frame(r: &Record<'_>, ip_id: u16, link: LinkType) -> Vec<u8> {
    let payload = r.payload.get(..65_507).unwrap_or(r.payload);
    let src = ipv4_of(r.from);
    let dst = ipv4_of(r.to);
    let udp_len = (8 + payload.len()) as u16;
    let total_len = 20 + udp_len;

    let mut f = Vec::with_capacity(14 + total_len as usize);
    if link == LinkType::Ethernet {
        f.extend_from_slice(&mac_of(r.to));
        f.extend_from_slice(&mac_of(r.from));
        f.extend_from_slice(&0x0800u16.to_be_bytes());
    }
    let ip_start = f.len();
    f.push(0x45); // version 4, IHL 5
    f.push(0); // DSCP/ECN
    f.extend_from_slice(&total_len.to_be_bytes());
    f.extend_from_slice(&ip_id.wrapping_add(1).to_be_bytes());
    f.extend_from_slice(&0x4000u16.to_be_bytes()); // DF, offset 0
    f.push(64); // TTL
    f.push(17); // UDP
    f.extend_from_slice(&[0, 0]); // checksum, patched below
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    let ip_sum = checksum(&[f.get(ip_start..).unwrap_or(&[])]);
    if let Some(slot) = f.get_mut(ip_start + 10..ip_start + 12) {
        slot.copy_from_slice(&ip_sum.to_be_bytes());
    }

    let mut udp = Vec::with_capacity(udp_len as usize);
    udp.extend_from_slice(&MIKEY_PORT.to_be_bytes());
    udp.extend_from_slice(&MIKEY_PORT.to_be_bytes());
    udp.extend_from_slice(&udp_len.to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(payload);
    let mut pseudo = Vec::with_capacity(12);
    pseudo.extend_from_slice(&src);
    pseudo.extend_from_slice(&dst);
    pseudo.extend_from_slice(&[0, 17]);
    pseudo.extend_from_slice(&udp_len.to_be_bytes());
    let mut udp_sum = checksum(&[&pseudo, &udp]);
    if udp_sum == 0 {
        udp_sum = 0xffff; // RFC 768: a computed zero is sent as all ones
    }
    if let Some(slot) = udp.get_mut(6..8) {
        slot.copy_from_slice(&udp_sum.to_be_bytes());
    }
    f.extend_from_slice(&udp);
    f
}

/// The Internet checksum (RFC 1071) over the concatenation of `parts` (each part but the last
/// must have even length, which holds for the headers above).
fn checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    for part in parts {
        let mut chunks = part.chunks_exact(2);
        for c in &mut chunks {
            sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
        }
        if let [last] = chunks.remainder() {
            sum += u32::from(*last) << 8;
        }
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(link: LinkType) -> Vec<u8> {
        let rec = Record { time_ms: 1500, from: Node::Sensor, to: Node::Tp(2), payload: b"abc" };
        write(&[rec], 1_700_000_000, link)
    }

    #[test]
    fn global_header_and_timestamps() {
        let p = one(LinkType::RawIp);
        assert_eq!(&p[0..4], &0xa1b2_c3d4u32.to_le_bytes());
        assert_eq!(&p[20..24], &101u32.to_le_bytes());
        assert_eq!(&p[24..28], &1_700_000_001u32.to_le_bytes());
        assert_eq!(&p[28..32], &500_000u32.to_le_bytes());
        assert_eq!(p.len(), 24 + 16 + 20 + 8 + 3);
    }

    #[test]
    fn ip_and_udp_checksums_verify() {
        let p = one(LinkType::RawIp);
        let ip = &p[40..];
        // A correct header sums to 0 (the checksum of the header with its checksum is 0).
        assert_eq!(checksum(&[&ip[..20]]), 0);
        let udp = &ip[20..];
        let mut pseudo = Vec::new();
        pseudo.extend_from_slice(&ip[12..20]);
        pseudo.extend_from_slice(&[0, 17, 0, udp.len() as u8]);
        assert_eq!(checksum(&[&pseudo, udp]), 0);
        assert_eq!(&ip[16..20], &[10, 0, 1, 2]);
        assert_eq!(&udp[2..4], &2269u16.to_be_bytes());
    }

    #[test]
    fn ethernet_framing_adds_fourteen_bytes() {
        assert_eq!(one(LinkType::Ethernet).len(), one(LinkType::RawIp).len() + 14);
    }
}
