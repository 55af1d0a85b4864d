//! The published figures the energy model prices operations with: one table, each figure
//! with its source and the status of that source. Nothing else in the crate holds a figure.
//!
//! Status (how the figure was obtained, as the reference collection that gathered them
//! labels it): `Primary` — read in the original work or the vendor's datasheet or log;
//! `Secondary` — read in a work quoting the original; `Tertiary` — seen only in a code
//! comment or a mailing-list post, low confidence; `Derived` — computed from figures above
//! with the formula given, not published; `Assumed` — no figure was found, the value is a
//! placeholder or a choice of this model.

use crate::crypto::rsa::RsaBits;

/// How a figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Primary,
    Secondary,
    Tertiary,
    Derived,
    Assumed,
}

impl Status {
    /// The label shown beside the figure.
    pub fn label(self) -> &'static str {
        match self {
            Status::Primary => "primary",
            Status::Secondary => "secondary",
            Status::Tertiary => "tertiary (low confidence)",
            Status::Derived => "derived (not published)",
            Status::Assumed => "assumed (no figure found)",
        }
    }
}

/// What a figure prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// One AES-128 block, µJ.
    AesBlock,
    /// One SHA-1 compression (64-byte block), µJ.
    Sha1Compression,
    /// One SHA-256 compression (64-byte block), µJ.
    Sha256Compression,
    /// One RSA PKE encryption, mJ.
    RsaEncrypt(RsaBits),
    /// One RSA PKE decryption, mJ.
    RsaDecrypt(RsaBits),
    /// One RSA signature, mJ.
    RsaSign(RsaBits),
    /// One RSA signature verification, mJ.
    RsaVerify(RsaBits),
    /// One modular exponentiation in the 1536-bit DH group (256-bit exponent), mJ.
    DhExp,
    /// Radio transmit energy per byte on the air, µJ.
    TxByte,
    /// Radio receive energy per byte on the air, µJ.
    RxByte,
    /// Radio power while listening idle for a message, mW.
    ListenPower,
    /// Idle listening per key agreement, ms.
    ListenTime,
}

impl Param {
    /// Every parameter, in display order.
    pub fn all() -> Vec<Param> {
        let mut v = vec![Param::AesBlock, Param::Sha1Compression, Param::Sha256Compression];
        for b in RsaBits::ALL {
            v.extend([Param::RsaEncrypt(b), Param::RsaDecrypt(b), Param::RsaSign(b)]);
            v.push(Param::RsaVerify(b));
        }
        v.extend([Param::DhExp, Param::TxByte, Param::RxByte, Param::ListenPower]);
        v.push(Param::ListenTime);
        v
    }

    /// A stable key (URL, JSON, the app's inputs): "aes_block", "rsa2048_sign", …
    pub fn key(self) -> String {
        match self {
            Param::AesBlock => "aes_block".into(),
            Param::Sha1Compression => "sha1_compression".into(),
            Param::Sha256Compression => "sha256_compression".into(),
            Param::RsaEncrypt(b) => format!("rsa{}_encrypt", b.bits()),
            Param::RsaDecrypt(b) => format!("rsa{}_decrypt", b.bits()),
            Param::RsaSign(b) => format!("rsa{}_sign", b.bits()),
            Param::RsaVerify(b) => format!("rsa{}_verify", b.bits()),
            Param::DhExp => "dh1536_exp".into(),
            Param::TxByte => "radio_tx_byte".into(),
            Param::RxByte => "radio_rx_byte".into(),
            Param::ListenPower => "listen_power".into(),
            Param::ListenTime => "listen_time".into(),
        }
    }

    /// What it prices, in words.
    pub fn title(self) -> String {
        match self {
            Param::AesBlock => "AES-128, one block".into(),
            Param::Sha1Compression => "SHA-1, one compression".into(),
            Param::Sha256Compression => "SHA-256, one compression".into(),
            Param::RsaEncrypt(b) => format!("RSA-{} encrypt (public key)", b.bits()),
            Param::RsaDecrypt(b) => format!("RSA-{} decrypt (private key)", b.bits()),
            Param::RsaSign(b) => format!("RSA-{} sign (private key)", b.bits()),
            Param::RsaVerify(b) => format!("RSA-{} verify (public key)", b.bits()),
            Param::DhExp => "DH-1536, one exponentiation".into(),
            Param::TxByte => "Radio transmit, per byte on the air".into(),
            Param::RxByte => "Radio receive, per byte on the air".into(),
            Param::ListenPower => "Radio idle listening, power".into(),
            Param::ListenTime => "Idle listening per key agreement".into(),
        }
    }

    /// The unit its value is given in.
    pub fn unit(self) -> &'static str {
        match self {
            Param::AesBlock | Param::Sha1Compression | Param::Sha256Compression => "µJ",
            Param::TxByte | Param::RxByte => "µJ/B",
            Param::ListenPower => "mW",
            Param::ListenTime => "ms",
            _ => "mJ",
        }
    }
}

/// One figure of a profile: its value and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub param: Param,
    /// In [`Param::unit`].
    pub value: f64,
    pub status: Status,
    /// The source, short: "Wander et al. 2005 (PerCom), RSA-1024 sign".
    pub source: &'static str,
}

/// A hardware profile: a set of figures for one class of device.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// "mote2005" or "modern-mcu".
    pub name: &'static str,
    pub title: &'static str,
    /// The platform the figures describe, and how they combine.
    pub platform: &'static str,
    pub figures: Vec<Figure>,
}

fn f(param: Param, value: f64, status: Status, source: &'static str) -> Figure {
    Figure { param, value, status, source }
}

impl Profile {
    /// Every profile, the default first.
    pub fn all() -> Vec<Profile> {
        vec![Profile::mote2005(), Profile::modern_mcu()]
    }

    /// The profile a name names.
    pub fn by_name(name: &str) -> Option<Profile> {
        Profile::all().into_iter().find(|p| p.name == name)
    }

    /// The figure of `param`.
    pub fn figure(&self, param: Param) -> Option<&Figure> {
        self.figures.iter().find(|f| f.param == param)
    }

    /// A 2005 sensor mote: Wander et al.'s Mica2dot public-key energies, the CC2420
    /// 802.15.4 radio of the MICAz.
    pub fn mote2005() -> Profile {
        use Param::*;
        use RsaBits::*;
        use Status::*;
        Profile {
            name: "mote2005",
            title: "2005 sensor mote (Mica2dot / MICAz class)",
            platform: "ATmega128L 8-bit MCU at 4 MHz (public-key figures measured by Wander et \
                       al. 2005 on the Mica2dot); CC2420 IEEE 802.15.4 radio of the MICAz at \
                       250 kbit/s; 3.0 V supply",
            figures: vec![
                f(
                    AesBlock,
                    25.9,
                    Tertiary,
                    "Wander et al. 2005, AES-128 1.62 µJ/B × 16 B, seen only in a code comment",
                ),
                f(
                    Sha1Compression,
                    378.0,
                    Tertiary,
                    "Wander et al. 2005, SHA-1 5.9 µJ/B × 64 B, seen only in a code comment",
                ),
                f(
                    Sha256Compression,
                    378.0,
                    Assumed,
                    "no SHA-256 figure for this mote was found: SHA-1's figure as a placeholder",
                ),
                f(
                    RsaEncrypt(B1024),
                    15.4,
                    Secondary,
                    "Wander et al. 2005, RSA-1024 key exchange, client side",
                ),
                f(
                    RsaDecrypt(B1024),
                    304.0,
                    Secondary,
                    "Wander et al. 2005, RSA-1024 key exchange, server side",
                ),
                f(RsaSign(B1024), 304.0, Secondary, "Wander et al. 2005, RSA-1024 sign"),
                f(RsaVerify(B1024), 11.9, Secondary, "Wander et al. 2005, RSA-1024 verify"),
                f(
                    RsaEncrypt(B2048),
                    57.2,
                    Secondary,
                    "Wander et al. 2005, RSA-2048 key exchange, client side",
                ),
                f(
                    RsaDecrypt(B2048),
                    2302.7,
                    Secondary,
                    "Wander et al. 2005, RSA-2048 key exchange, server side",
                ),
                f(RsaSign(B2048), 2302.7, Secondary, "Wander et al. 2005, RSA-2048 sign"),
                f(RsaVerify(B2048), 53.7, Secondary, "Wander et al. 2005, RSA-2048 verify"),
                f(
                    RsaEncrypt(B3072),
                    128.7,
                    Derived,
                    "RSA-2048 encrypt × (3072/2048)² (public-key cost grows with the square of the size)",
                ),
                f(
                    RsaDecrypt(B3072),
                    7771.6,
                    Derived,
                    "RSA-2048 decrypt × (3072/2048)³ (private-key cost grows with the cube of the size)",
                ),
                f(RsaSign(B3072), 7771.6, Derived, "RSA-2048 sign × (3072/2048)³"),
                f(RsaVerify(B3072), 120.8, Derived, "RSA-2048 verify × (3072/2048)²"),
                f(
                    DhExp,
                    680.0,
                    Derived,
                    "Gura et al. 2004 512-bit modular exponentiation (5.37 s) scaled to a 1536-bit modulus and a 256-bit exponent, calibrated on Wander's RSA-1024 sign",
                ),
                f(
                    TxByte,
                    1.67,
                    Derived,
                    "CC2420 datasheet: TX 17.4 mA at 0 dBm × 3 V × 32 µs per byte at 250 kbit/s",
                ),
                f(RxByte, 1.80, Derived, "CC2420 datasheet: RX 18.8 mA × 3 V × 32 µs per byte"),
                f(ListenPower, 56.4, Derived, "CC2420 datasheet: RX 18.8 mA × 3 V"),
                f(
                    ListenTime,
                    0.0,
                    Assumed,
                    "a parameter: 0 is optimistic (idle listening can dominate, de Meulenaer et al.)",
                ),
            ],
        }
    }

    /// A current Cortex-M4 class microcontroller with an 802.15.4 radio: wolfSSL's STM32WB55
    /// timings at the nRF52840's CPU power.
    pub fn modern_mcu() -> Profile {
        use Param::*;
        use RsaBits::*;
        use Status::*;
        Profile {
            name: "modern-mcu",
            title: "Current MCU (Cortex-M4 class, 64 MHz, 802.15.4)",
            platform: "Times of wolfSSL on an STM32WB55 (Cortex-M4, 64 MHz, software \
                       crypto) at the CPU power of an nRF52840 (about 7 mW at 3 V): two chips \
                       of the same class, so every crypto figure is derived; nRF52840 \
                       802.15.4 radio at 250 kbit/s",
            figures: vec![
                f(
                    AesBlock,
                    0.19,
                    Derived,
                    "wolfSSL STM32WB55 software AES-128-CBC 585.9 KB/s (26.7 µs a block) × 7 mW",
                ),
                f(
                    Sha1Compression,
                    0.08,
                    Derived,
                    "wolfSSL STM32U585 (Cortex-M33, 160 MHz) SHA-1 5.225 MB/s (11.7 µs a block) × 7 mW",
                ),
                f(
                    Sha256Compression,
                    0.44,
                    Derived,
                    "wolfSSL STM32WB55 SHA-256 985.2 KB/s (63 µs a block) × 7 mW",
                ),
                f(
                    RsaEncrypt(B1024),
                    0.064,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW × (1024/2048)² (public-key cost grows with the square of the size)",
                ),
                f(
                    RsaDecrypt(B1024),
                    1.1,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW × (1024/2048)³ (private-key cost grows with the cube of the size)",
                ),
                f(
                    RsaSign(B1024),
                    1.1,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW × (1024/2048)³ (private-key cost grows with the cube of the size)",
                ),
                f(
                    RsaVerify(B1024),
                    0.064,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW × (1024/2048)² (public-key cost grows with the square of the size)",
                ),
                f(
                    RsaEncrypt(B2048),
                    0.254,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW",
                ),
                f(
                    RsaDecrypt(B2048),
                    8.83,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW",
                ),
                f(
                    RsaSign(B2048),
                    8.83,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW",
                ),
                f(
                    RsaVerify(B2048),
                    0.254,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW",
                ),
                f(
                    RsaEncrypt(B3072),
                    0.571,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW × (3072/2048)²",
                ),
                f(
                    RsaDecrypt(B3072),
                    29.8,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW × (3072/2048)³",
                ),
                f(
                    RsaSign(B3072),
                    29.8,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 private 1261 ms × 7 mW × (3072/2048)³",
                ),
                f(
                    RsaVerify(B3072),
                    0.571,
                    Derived,
                    "wolfSSL STM32WB55 RSA-2048 public 36.286 ms × 7 mW × (3072/2048)²",
                ),
                f(
                    DhExp,
                    2.3,
                    Derived,
                    "wolfSSL STM32WB55 DH-2048 agree 590.5 ms × (1536/2048)² (fixed exponent length) × 7 mW",
                ),
                f(
                    TxByte,
                    0.61,
                    Derived,
                    "nRF52840 product specification: 802.15.4 TX 6.40 mA at 0 dBm × 3 V × 32 µs per byte",
                ),
                f(
                    RxByte,
                    0.63,
                    Derived,
                    "nRF52840 product specification: 802.15.4 RX 6.53 mA × 3 V × 32 µs per byte",
                ),
                f(
                    ListenPower,
                    19.6,
                    Derived,
                    "nRF52840 product specification: 802.15.4 RX 6.53 mA × 3 V",
                ),
                f(
                    ListenTime,
                    0.0,
                    Assumed,
                    "a parameter: 0 is optimistic (idle listening can dominate, de Meulenaer et al.)",
                ),
            ],
        }
    }
}

/// The battery the lifetime figures assume: a CR2032 coin cell, about 225 mAh at 3 V.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Battery {
    pub capacity_mah: f64,
    pub volts: f64,
}

impl Battery {
    /// A CR2032 at its nominal 225 mAh and 3 V (a nominal rating, assumed: the capacity a
    /// cell gives depends on the load and the temperature).
    pub const CR2032: Battery = Battery { capacity_mah: 225.0, volts: 3.0 };

    /// The energy it holds, in mJ (mAh × 3.6 C/mAh × V = J).
    pub fn energy_mj(&self) -> f64 {
        self.capacity_mah * 3.6 * self.volts * 1000.0
    }
}
