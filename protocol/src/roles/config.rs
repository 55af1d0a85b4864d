//! Session configuration: which MIKEY mode runs, how the TGK is shared, which crypto profile
//! protects each segment, which optional messages are sent. There is deliberately no
//! `Default`: the sharing scheme of a distributed session is always chosen explicitly.

use crate::crypto::kemac::KemacProfile;
use crate::crypto::rsa::{PkePadding, RsaBits, SignPadding};
use crate::error::Error;
use crate::sharing::Scheme;

/// The MIKEY mode a session runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// RFC 3830 §3.1 pre-shared key, sensor ↔ R directly.
    Psk,
    /// RFC 3830 §3.2 public-key (RSA envelope), the sensor doing the RSA itself.
    Pk,
    /// RFC 3830 §3.3 signed Diffie–Hellman (the baseline the paper rules out).
    Dh,
    /// The paper's distributed mode: shares via n third parties.
    Distributed,
}

impl Mode {
    /// Every mode, in the order the UI lists them.
    pub const ALL: [Mode; 4] = [Mode::Psk, Mode::Pk, Mode::Dh, Mode::Distributed];

    /// The mode a name ([`Mode::name`]) names.
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Name used on the command line and in exports: "psk", "pk", "dh", "distributed".
    pub fn name(self) -> &'static str {
        match self {
            Mode::Psk => "psk",
            Mode::Pk => "pk",
            Mode::Dh => "dh",
            Mode::Distributed => "distributed",
        }
    }

    /// Its name in words, for the UI.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Psk => "Pre-shared key (RFC 3830 §3.1)",
            Mode::Pk => "Public key (RFC 3830 §3.2)",
            Mode::Dh => "Diffie–Hellman (RFC 3830 §3.3)",
            Mode::Distributed => "Distributed (the paper)",
        }
    }
}

/// Which optional messages are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Optional {
    /// TPi → sensor verification (TPi_I); the sensor sets V = 1 in I_TPi
    /// (docs/distributed-mode.md, "Optional verifications").
    pub tp_i: bool,
    /// R → TPi verification (R_TPi); TPs set V = 1 in TPi_R.
    pub r_tp: bool,
    /// R → sensor proof of the TGK (R_I). In the standard modes: the R_MESSAGE (V = 1).
    pub r_i: bool,
}

/// How the sensor fills its T payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensorClock {
    /// NTP-UTC timestamps (a synchronised clock).
    Ntp,
    /// A 32-bit COUNTER (a sensor without a real-time clock), strictly increasing per TP.
    Counter,
}

/// Timing policy (all in milliseconds / seconds of simulated time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timing {
    /// Allowed clock skew for T at TPs and R (RFC 3830 §5.4), seconds. Default 120.
    pub window_s: u64,
    /// Looser window for T_I as checked by R, seconds. Default 300 (see
    /// docs/responder-checks.md, "Replay protection").
    pub t_i_window_s: u64,
    /// How long R collects shares of one session before giving up, ms. Default 10 000.
    pub collect_ms: u64,
    /// How long the sensor waits for R_I / the response before failing the session, ms.
    /// Default 15 000.
    pub sensor_timeout_ms: u64,
    /// How long R remembers a completed session (replayed share sets are rejected), ms.
    /// Default 600 000.
    pub session_cache_ms: u64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            window_s: 120,
            t_i_window_s: 300,
            collect_ms: 10_000,
            sensor_timeout_ms: 15_000,
            session_cache_ms: 600_000,
        }
    }
}

/// Everything that is chosen per session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    pub mode: Mode,
    /// Number of third parties (distributed mode), 1..=255.
    pub n: u8,
    /// Threshold, 1..=n (XOR always needs all n).
    pub k: u8,
    /// Sharing scheme; required for the distributed mode, no silent default.
    pub scheme: Option<Scheme>,
    /// KEMAC profile of the sensor's segment (I_TPi, and the PSK-mode I_MESSAGE).
    /// The TP ↔ R segment always uses AES-CM-128 + HMAC-SHA-1-160.
    pub kemac: KemacProfile,
    pub rsa_bits: RsaBits,
    pub pke: PkePadding,
    pub sign: SignPadding,
    pub optional: Optional,
    pub sensor_clock: SensorClock,
    /// Seed of the simulation's CSPRNG (None: real randomness).
    pub seed: Option<u64>,
    pub timing: Timing,
    /// The key-check value, our addition to the paper (docs/distributed-mode.md, "Key check
    /// value"; docs/attacks.md, "Switching the KCV off"): the sensor sends KCV = PRF(TGK, …)
    /// and R accepts a rebuilt TGK only if it matches. Off (the paper's protocol): the sensor
    /// sends eight zero bytes in the KCV tag and R takes the first TGK its shares give,
    /// unchecked. Default on.
    pub key_check: bool,
}

impl SessionConfig {
    /// A distributed-mode session with the recommended defaults for everything except the
    /// sharing, which the caller chooses: AES-CM + HMAC KEMAC, RSA-2048, OAEP, PSS,
    /// R_TPi and R_I on, TPi_I off (docs/distributed-mode.md, "Optional
    /// verifications"), NTP clock.
    pub fn distributed(n: u8, k: u8, scheme: Scheme) -> SessionConfig {
        SessionConfig { n, k, scheme: Some(scheme), ..SessionConfig::standard(Mode::Distributed) }
    }

    /// A standard-mode session (PSK, PK or DH) with the same defaults; `n`, `k`, `scheme`
    /// are unused by those modes.
    pub fn standard(mode: Mode) -> SessionConfig {
        SessionConfig {
            mode,
            n: 1,
            k: 1,
            scheme: None,
            kemac: KemacProfile::AesCmHmacSha1,
            rsa_bits: RsaBits::B2048,
            pke: PkePadding::Oaep,
            sign: SignPadding::Pss,
            optional: Optional { tp_i: false, r_tp: true, r_i: true },
            sensor_clock: SensorClock::Ntp,
            seed: None,
            timing: Timing::default(),
            key_check: true,
        }
    }

    /// Checks the combination: a scheme for the distributed mode, 1 ≤ k ≤ n.
    pub fn validate(&self) -> Result<(), Error> {
        if self.mode == Mode::Distributed {
            if self.scheme.is_none() {
                return Err(Error::NoSchemeChosen);
            }
            if self.n == 0 || self.k == 0 || self.k > self.n {
                return Err(Error::SessionThreshold { n: self.n, k: self.k });
            }
        }
        Ok(())
    }

    /// Number of third parties that take part (0 in the standard modes).
    pub fn tps(&self) -> u8 {
        if self.mode == Mode::Distributed { self.n } else { 0 }
    }
}
