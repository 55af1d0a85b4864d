//! IEEE 802.15.4 frames: how many a message takes once fragmented, and how many bytes go on
//! the air with them.
//!
//! A 2.4 GHz 802.15.4 PHY frame carries at most 127 bytes of PSDU (aMaxPHYPacketSize). The
//! assumptions, stated in the view and the command line:
//! * MAC header 9 bytes (frame control 2, sequence number 1, destination PAN 2, short
//!   destination and source addresses 2 + 2) and FCS 2 bytes;
//! * link-layer security on: an auxiliary security header of 5 bytes (security control 1,
//!   frame counter 4, implicit key) and a 4-byte MIC (MIC-32);
//! * so 127 − 9 − 2 − 5 − 4 = 107 bytes of MIKEY message per frame; a message is cut into
//!   pieces of at most 107 bytes, one frame each, and no fragmentation, network or transport
//!   header (6LoWPAN, IPv6, UDP) is counted;
//! * each frame also costs its 6-byte PHY header on the air (preamble 4, SFD 1, length 1);
//! * no acknowledgements, retransmissions or back-off.

/// The frame format the counts assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameModel {
    /// Largest PSDU (MAC frame) in bytes.
    pub psdu_max: usize,
    /// MAC header bytes.
    pub mac_header: usize,
    /// Frame check sequence bytes.
    pub fcs: usize,
    /// Auxiliary security header bytes.
    pub security_header: usize,
    /// Message integrity code bytes.
    pub mic: usize,
    /// PHY synchronisation header and PHY header bytes (on the air, outside the PSDU).
    pub phy_header: usize,
}

impl FrameModel {
    /// The assumptions listed in the module documentation.
    pub const IEEE_802_15_4: FrameModel = FrameModel {
        psdu_max: 127,
        mac_header: 9,
        fcs: 2,
        security_header: 5,
        mic: 4,
        phy_header: 6,
    };

    /// Bytes of a frame that are not message: MAC header, FCS, security header, MIC and the
    /// PHY header.
    pub fn overhead(&self) -> usize {
        self.mac_header + self.fcs + self.security_header + self.mic + self.phy_header
    }

    /// Message bytes one frame carries.
    pub fn payload(&self) -> usize {
        self.psdu_max
            .saturating_sub(self.mac_header + self.fcs + self.security_header + self.mic)
            .max(1)
    }

    /// Frames a message of `len` bytes takes (an empty message still takes one).
    pub fn frames(&self, len: usize) -> usize {
        len.div_ceil(self.payload()).max(1)
    }

    /// Bytes on the air for a message of `len` bytes: the message and every frame's overhead.
    pub fn air_bytes(&self, len: usize) -> usize {
        len + self.frames(len) * self.overhead()
    }

    /// The sentence that states the assumptions (shown with the counts).
    pub fn assumption(&self) -> String {
        format!(
            "IEEE 802.15.4 frames of at most {} bytes: MAC header {} B + FCS {} B + auxiliary \
             security header {} B + MIC {} B leave {} B of MIKEY message per frame; each frame \
             adds a {} B PHY header on the air. No 6LoWPAN, IPv6 or UDP header, no ACKs, \
             retransmissions or back-off are counted.",
            self.psdu_max,
            self.mac_header,
            self.fcs,
            self.security_header,
            self.mic,
            self.payload(),
            self.phy_header
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragmentation_by_hand() {
        let f = FrameModel::IEEE_802_15_4;
        assert_eq!(f.payload(), 107);
        assert_eq!(f.overhead(), 26);
        assert_eq!((f.frames(0), f.frames(1), f.frames(107), f.frames(108)), (1, 1, 1, 2));
        // A 300-byte message: 3 frames (107 + 107 + 86), 300 + 3 × 26 = 378 bytes on the air.
        assert_eq!((f.frames(300), f.air_bytes(300)), (3, 378));
    }
}
