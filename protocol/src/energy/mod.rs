//! The energy model: what a role's operations and radio traffic in one key agreement would
//! cost on a sensor-class device, priced with published figures. A **model, not a
//! measurement**: the counts are measured (the [`Meter`] of real sessions, see [`compare`]),
//! the prices are figures measured by others on other hardware ([`figures`]).
//!
//! ```text
//! E = E_crypto + E_radio + E_listen
//! E_crypto = aes_blocks × E_aes + sha1_compressions × E_sha1 + sha256_compressions × E_sha256
//!          + Σ_size (encrypt × E_enc + decrypt × E_dec + sign × E_sign + verify × E_verify)
//!          + dh_exp × E_dh
//! E_radio  = Σ_sent messages air_bytes(len) × E_tx + Σ_received messages air_bytes(len) × E_rx
//! E_listen = P_listen × t_listen
//! ```
//! PRF calls are priced through the HMACs they are made of (their SHA compressions); the
//! air bytes of a message are its bytes plus the overhead of each of its 802.15.4 frames
//! ([`frames`]). Not modelled: sleep and sensing current, radio start-up and turnaround,
//! ACKs, retransmissions, CSMA back-off; idle listening only as the parameter `t_listen`
//! (default 0, which is optimistic). CPU and radio energies are added, never overlapped.

pub mod chart;
pub mod compare;
pub mod figures;
pub mod frames;
pub mod text;

pub use compare::{CostSetup, MAX_N, ModeCost, ModeRun, RoleCost};
pub use figures::{Battery, Figure, Param, Profile, Status};
pub use frames::FrameModel;

use crate::cost::Meter;
use crate::crypto::rsa::RsaBits;

/// The figures in force: a profile's, some possibly edited by the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Prices {
    /// The profile they start from.
    pub profile: Profile,
    /// The values in force, one per [`Param::all`], in the parameter's unit.
    values: Vec<(Param, f64)>,
}

impl Prices {
    /// The profile's own figures.
    pub fn of(profile: Profile) -> Prices {
        let values = Param::all()
            .into_iter()
            .map(|p| (p, profile.figure(p).map(|f| f.value).unwrap_or(0.0)))
            .collect();
        Prices { profile, values }
    }

    /// The value of `param` in force, in its unit.
    pub fn get(&self, param: Param) -> f64 {
        self.values.iter().find(|(p, _)| *p == param).map(|(_, v)| *v).unwrap_or(0.0)
    }

    /// Sets `param` to `value` (in its unit); a negative or non-finite value is refused.
    pub fn set(&mut self, param: Param, value: f64) -> bool {
        if !value.is_finite() || value < 0.0 {
            return false;
        }
        match self.values.iter_mut().find(|(p, _)| *p == param) {
            Some(slot) => {
                slot.1 = value;
                true
            }
            None => false,
        }
    }

    /// Whether `param` differs from the profile's figure.
    pub fn is_edited(&self, param: Param) -> bool {
        self.profile.figure(param).map(|f| f.value) != Some(self.get(param))
    }

    /// The profile's figure for `param` (its source and status).
    pub fn figure(&self, param: Param) -> Option<&Figure> {
        self.profile.figure(param)
    }

    /// The parameters whose price this meter's energy uses (a count above zero, or the
    /// radio and listening figures).
    pub fn used_by(&self, meter: &Meter) -> Vec<Param> {
        let mut used = Vec::new();
        if meter.aes_blocks > 0 {
            used.push(Param::AesBlock);
        }
        if meter.sha1_compressions > 0 {
            used.push(Param::Sha1Compression);
        }
        if meter.sha256_compressions > 0 {
            used.push(Param::Sha256Compression);
        }
        for ops in &meter.rsa {
            let Some(b) = RsaBits::from_bits(ops.bits) else { continue };
            for (n, p) in [
                (ops.encrypt, Param::RsaEncrypt(b)),
                (ops.decrypt, Param::RsaDecrypt(b)),
                (ops.sign, Param::RsaSign(b)),
                (ops.verify, Param::RsaVerify(b)),
            ] {
                if n > 0 {
                    used.push(p);
                }
            }
        }
        if meter.dh_exp > 0 {
            used.push(Param::DhExp);
        }
        if !meter.sent_sizes.is_empty() {
            used.push(Param::TxByte);
        }
        if !meter.received_sizes.is_empty() {
            used.push(Param::RxByte);
        }
        used.extend([Param::ListenPower, Param::ListenTime]);
        used
    }
}

/// The modelled energy of one role in one key agreement, in mJ.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Energy {
    /// Crypto operations.
    pub crypto_mj: f64,
    /// Radio transmit and receive of the messages, frame overheads included.
    pub radio_mj: f64,
    /// Idle listening (the parameter).
    pub listen_mj: f64,
}

impl Energy {
    /// Everything.
    pub fn total_mj(&self) -> f64 {
        self.crypto_mj + self.radio_mj + self.listen_mj
    }
}

/// µJ per mJ.
const UJ: f64 = 1000.0;

/// The model's energy of the operations and messages counted on `meter`.
pub fn energy(meter: &Meter, prices: &Prices, frames: &FrameModel) -> Energy {
    let count = |n: u64| n as f64;
    let mut crypto = count(meter.aes_blocks) * prices.get(Param::AesBlock) / UJ
        + count(meter.sha1_compressions) * prices.get(Param::Sha1Compression) / UJ
        + count(meter.sha256_compressions) * prices.get(Param::Sha256Compression) / UJ
        + count(meter.dh_exp) * prices.get(Param::DhExp);
    for ops in &meter.rsa {
        let Some(b) = RsaBits::from_bits(ops.bits) else { continue };
        crypto += count(ops.encrypt) * prices.get(Param::RsaEncrypt(b))
            + count(ops.decrypt) * prices.get(Param::RsaDecrypt(b))
            + count(ops.sign) * prices.get(Param::RsaSign(b))
            + count(ops.verify) * prices.get(Param::RsaVerify(b));
    }
    let air = |sizes: &[usize]| sizes.iter().map(|&l| frames.air_bytes(l)).sum::<usize>() as f64;
    let radio = air(&meter.sent_sizes) * prices.get(Param::TxByte) / UJ
        + air(&meter.received_sizes) * prices.get(Param::RxByte) / UJ;
    // mW × ms = µJ.
    let listen = prices.get(Param::ListenPower) * prices.get(Param::ListenTime) / UJ;
    Energy { crypto_mj: crypto, radio_mj: radio, listen_mj: listen }
}

/// Key agreements a battery holds at `mj` each (infinite for a free one).
pub fn agreements_per_battery(battery: &Battery, mj: f64) -> f64 {
    if mj > 0.0 { battery.energy_mj() / mj } else { f64::INFINITY }
}

/// Years a battery lasts at `per_day` key agreements of `mj` each, if key agreement were the
/// only thing drawing on it.
pub fn battery_years(battery: &Battery, mj: f64, per_day: f64) -> f64 {
    let per_year = mj * per_day * 365.25;
    if per_year > 0.0 { battery.energy_mj() / per_year } else { f64::INFINITY }
}
