//! Initialisation: the certificate authority issues X.509 certificates to R, to every TP and
//! (for the public-key and DH modes) to the sensor, and provisions the sensor with its TP list
//! and one PSK per TP (and, for the PSK mode only, a PSK shared with R). The result is a [`Pki`].
//!
//! What is provisioned is the protocol's decision: [`SessionConfig::pki_need`] gives a
//! [`PkiNeed`], split into independent [`PkiJob`]s (one RSA key each, and the PSKs), each drawn
//! from its own random stream of the seed, so the browser can run them on several workers in
//! any order and [`PkiNeed::assemble`] still makes the same PKI byte for byte. [`CertificateAuthority`] is the CA as a
//! role on the simulated network: it answers nothing (it is offline after provisioning) but can
//! show what it holds.

use zeroize::Zeroizing;

use super::{Ctx, Known, Node, Output, Role, RoleEvent, SessionConfig, SimTime};
use crate::cost::Meter;
use crate::crypto::rng;
use crate::crypto::rsa::RsaBits;
pub use crate::crypto::x509::CertRole;
use crate::error::Error;
use crate::roles::Mode;

/// Identities (NAI) of every participant, as carried in ID payloads and certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identities {
    pub ca: Vec<u8>,
    pub sensor: Vec<u8>,
    /// `tps[i - 1]` is the identity of TPi.
    pub tps: Vec<Vec<u8>>,
    pub responder: Vec<u8>,
}

impl Identities {
    /// The identities used by the demonstrator for `n` third parties.
    pub fn for_tps(n: u8) -> Identities {
        Identities {
            ca: b"ca@dmikey.example".to_vec(),
            sensor: b"sensor@ward7".to_vec(),
            tps: (1..=n).map(|i| format!("tp{i}@dmikey.example").into_bytes()).collect(),
            responder: b"r@hospital.example".to_vec(),
        }
    }

    /// The node an identity belongs to, if any.
    pub fn node_of(&self, id: &[u8]) -> Option<Node> {
        if id == self.sensor.as_slice() {
            return Some(Node::Sensor);
        }
        if id == self.responder.as_slice() {
            return Some(Node::Responder);
        }
        if id == self.ca.as_slice() {
            return Some(Node::Ca);
        }
        self.tps
            .iter()
            .position(|t| t.as_slice() == id)
            .and_then(|p| u8::try_from(p + 1).ok())
            .map(Node::Tp)
    }

    /// The identity of TPi (1-based).
    pub fn tp(&self, i: u8) -> Option<&[u8]> {
        self.tps.get(usize::from(i).checked_sub(1)?).map(|v| v.as_slice())
    }
}

/// An RSA key pair with its certificate.
#[derive(Clone)]
pub struct Credential {
    /// The private key.
    pub key: crate::crypto::rsa::RsaPrivateKey,
    /// The X.509v3 certificate (DER) issued by the CA (self-signed for the CA itself).
    pub cert_der: Vec<u8>,
}

impl core::fmt::Debug for Credential {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Credential {{ key: {:?}, cert: {} bytes }}", self.key, self.cert_der.len())
    }
}

/// Everything the CA provisions.
#[derive(Clone, Debug)]
pub struct Pki {
    pub ids: Identities,
    pub rsa_bits: RsaBits,
    pub ca: Credential,
    pub responder: Credential,
    /// `tps[i - 1]` belongs to TPi.
    pub tps: Vec<Credential>,
    /// The sensor's certificate (public-key and DH modes only).
    pub sensor: Option<Credential>,
    /// `psk_tp[i - 1]` is the PSK shared by the sensor and TPi.
    pub(crate) psk_tp: Vec<Zeroizing<Vec<u8>>>,
    /// The PSK shared by the sensor and R: the PSK mode only (in the other modes the sensor
    /// and R share nothing before the session).
    pub(crate) psk_r: Option<Zeroizing<Vec<u8>>>,
}

/// What PKI a session needs, decided by the protocol from its configuration: the seed the
/// keys are drawn from, the number of TPs, the RSA size, whether the sensor gets a certificate
/// (public-key and DH modes: it signs or decrypts itself) and whether the sensor and R share
/// a PSK (the PSK mode only: in the other modes they share nothing before the session).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PkiNeed {
    /// `None`: the keys come from the operating system's randomness (not reproducible).
    pub seed: Option<u64>,
    pub tps: u8,
    pub rsa_bits: RsaBits,
    pub sensor_cert: bool,
    pub psk_with_r: bool,
}

impl SessionConfig {
    /// The PKI this session runs on.
    pub fn pki_need(&self) -> PkiNeed {
        PkiNeed {
            seed: self.seed,
            tps: self.tps(),
            rsa_bits: self.rsa_bits,
            sensor_cert: matches!(self.mode, Mode::Pk | Mode::Dh),
            psk_with_r: self.mode == Mode::Psk,
        }
    }
}

/// The version of the key derivation in [`PkiNeed::id`]: a PKI stored under an older
/// derivation is never taken for a newer one. Bump it whenever a seed gives other keys
/// (pki3: RSA keys from `rsa`'s generator); `protocol/tests/roles_pki.rs` pins the keys of one
/// seed to this version.
const NEED_VERSION: &str = "pki3";

/// One independent piece of provisioning: one RSA key (of the CA, R, a TP or the sensor), or
/// the PSKs. Each is drawn from its own stream of the seed, so jobs can run in any order, on
/// any number of workers, and still give the same PKI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PkiJob {
    /// The RSA key of this node (`Node::Ca`, `Node::Responder`, `Node::Tp(i)`, `Node::Sensor`).
    Key(Node),
    /// The PSKs of the sensor with TP1..TPn (and with R in the PSK mode).
    Psks,
}

impl PkiJob {
    /// The name of the job's random stream, and its name for a person.
    fn label(self) -> String {
        match self {
            PkiJob::Key(node) => format!("key {}", node.label()),
            PkiJob::Psks => "PSKs".to_string(),
        }
    }

    /// What the job makes, in words (progress display).
    pub fn describe(self) -> String {
        match self {
            PkiJob::Key(Node::Ca) => "the CA's RSA key".to_string(),
            PkiJob::Key(Node::Sensor) => "the sensor's RSA key".to_string(),
            PkiJob::Key(node) => format!("the RSA key of {}", node.label()),
            PkiJob::Psks => "the pre-shared keys of the sensor".to_string(),
        }
    }
}

/// What a job made: an RSA private key, or the PSKs.
#[derive(Clone)]
pub enum PartValue {
    Key(crate::crypto::rsa::RsaPrivateKey),
    Psks { tp: Vec<Zeroizing<Vec<u8>>>, r: Option<Zeroizing<Vec<u8>>> },
}

/// The result of one [`PkiJob`]; [`PkiNeed::assemble`] makes the [`Pki`] out of all of them.
/// It has a byte form so that a worker can hand it to the page or to another worker.
#[derive(Clone)]
pub struct PkiPart {
    pub job: PkiJob,
    pub value: PartValue,
}

impl core::fmt::Debug for PkiPart {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PkiPart {{ job: {:?} }}", self.job)
    }
}

impl PkiPart {
    /// The byte form (private key material included).
    pub fn to_bytes(&self) -> Vec<u8> {
        super::pki_impl::part_to_bytes(self)
    }

    /// Reads back [`PkiPart::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PkiPart, Error> {
        super::pki_impl::part_from_bytes(bytes)
    }
}

impl PkiNeed {
    /// A stable text form of the need (it names the key derivation's version too). It is what
    /// a worker is told, and with a seed it is the key a provisioned PKI is stored under.
    pub fn id(&self) -> String {
        let seed = self.seed.map_or_else(|| "os".to_string(), |s| s.to_string());
        format!(
            "{NEED_VERSION}/seed={seed}/n={}/rsa={}/cert={}/pskr={}",
            self.tps,
            self.rsa_bits.bits(),
            u8::from(self.sensor_cert),
            u8::from(self.psk_with_r)
        )
    }

    /// The key under which a provisioned PKI may be kept: `None` without a seed (keys from
    /// the operating system are not reproducible, so there is nothing to look up).
    pub fn cache_key(&self) -> Option<String> {
        self.seed.map(|_| self.id())
    }

    /// Reads back [`PkiNeed::id`].
    pub fn parse(id: &str) -> Result<PkiNeed, Error> {
        let bad = |why: &str| Error::PkiBytes { why: format!("PKI need \"{id}\": {why}") };
        let mut it = id.split('/');
        if it.next() != Some(NEED_VERSION) {
            return Err(bad("unknown version"));
        }
        let mut field = |name: &str| -> Result<&str, Error> {
            it.next()
                .and_then(|f| f.strip_prefix(name))
                .and_then(|f| f.strip_prefix('='))
                .ok_or_else(|| bad(&format!("no field {name}")))
        };
        let seed = match field("seed")? {
            "os" => None,
            s => Some(s.parse::<u64>().map_err(|_| bad("the seed is not a number"))?),
        };
        let tps = field("n")?.parse::<u8>().map_err(|_| bad("n is not a number"))?;
        let rsa_bits = field("rsa")?
            .parse::<usize>()
            .ok()
            .and_then(RsaBits::from_bits)
            .ok_or_else(|| bad("unsupported RSA size"))?;
        let flag = |v: &str| match v {
            "0" => Ok(false),
            "1" => Ok(true),
            _ => Err(bad("a flag is not 0 or 1")),
        };
        let sensor_cert = flag(field("cert")?)?;
        let psk_with_r = flag(field("pskr")?)?;
        if it.next().is_some() {
            return Err(bad("trailing fields"));
        }
        Ok(PkiNeed { seed, tps, rsa_bits, sensor_cert, psk_with_r })
    }

    /// The jobs, CA first (every certificate is signed with its key).
    pub fn jobs(&self) -> Vec<PkiJob> {
        let mut jobs = vec![PkiJob::Key(Node::Ca), PkiJob::Key(Node::Responder)];
        jobs.extend((1..=self.tps).map(|i| PkiJob::Key(Node::Tp(i))));
        if self.sensor_cert {
            jobs.push(PkiJob::Key(Node::Sensor));
        }
        jobs.push(PkiJob::Psks);
        jobs
    }

    /// The random stream of one job: the seed's "pki" stream forked by the job's name, so a
    /// job depends on (seed, job) only. Without a seed, the operating system's randomness.
    fn rng(&self, job: PkiJob) -> Result<rng::SimRng, Error> {
        let root = match self.seed {
            Some(s) => rng::SimRng::from_seed(s),
            None => rng::SimRng::from_os()
                .map_err(|e| Error::RandomnessUnavailable { why: e.to_string() })?,
        };
        Ok(root.fork("pki").fork(&job.label()))
    }

    /// Runs one job (an RSA key generation: hundreds of milliseconds at 2048 bits in wasm).
    pub fn run_job(&self, job: PkiJob, meter: &mut Meter) -> Result<PkiPart, Error> {
        if !self.jobs().contains(&job) {
            return Err(Error::NotProvisioned {
                what: format!("{} is not needed", job.describe()),
            });
        }
        let mut rng = self.rng(job)?;
        let value = match job {
            PkiJob::Key(_) => {
                PartValue::Key(crate::crypto::rsa::generate(&mut rng, self.rsa_bits, meter)?)
            }
            // Each PSK from its own stream: the PSK a PSK-mode PKI gives the sensor and R is
            // never one that a PKI of another mode (same seed) gives the sensor and a TP.
            PkiJob::Psks => {
                let psk = |peer: Node| Zeroizing::new(rng::bytes(&mut rng.fork(&peer.label()), 16));
                PartValue::Psks {
                    tp: (1..=self.tps).map(|i| psk(Node::Tp(i))).collect(),
                    r: self.psk_with_r.then(|| psk(Node::Responder)),
                }
            }
        };
        Ok(PkiPart { job, value })
    }

    /// The PKI out of the parts of every job, in any order: the CA's self-signed certificate,
    /// then a certificate for each other key, signed by the CA (RSA PKCS#1 v1.5 signatures are
    /// deterministic, so the same parts give the same bytes). Certificates are valid from an
    /// hour before the simulation's clock starts, for a year.
    pub fn assemble(&self, parts: &[PkiPart]) -> Result<Pki, Error> {
        let mut meter = Meter::new();
        let find = |job: PkiJob| {
            parts.iter().find(|p| p.job == job).ok_or_else(|| Error::NotProvisioned {
                what: format!("{} is missing", job.describe()),
            })
        };
        let key = |node: Node| match &find(PkiJob::Key(node))?.value {
            PartValue::Key(k) => Ok(k.clone()),
            PartValue::Psks { .. } => {
                Err(Error::NotProvisioned { what: format!("no RSA key for {}", node.label()) })
            }
        };
        let ids = Identities::for_tps(self.tps);
        let from = SimTime(0).unix_secs().saturating_sub(3600);
        let (ca, ca_obj) = super::pki_impl::certify_ca(key(Node::Ca)?, &ids.ca, from, &mut meter)?;
        let leaf = |node: Node, subject: &[u8], role: CertRole, serial: u64, meter: &mut Meter| {
            super::pki_impl::certify_leaf(&ca_obj, key(node)?, subject, role, serial, from, meter)
        };
        let responder = leaf(Node::Responder, &ids.responder, CertRole::Responder, 1, &mut meter)?;
        let mut tps = Vec::new();
        for (i, id) in (1..=self.tps).zip(&ids.tps) {
            let serial = 1 + u64::from(i);
            tps.push(leaf(Node::Tp(i), id, CertRole::ThirdParty, serial, &mut meter)?);
        }
        let sensor = if self.sensor_cert {
            let serial = 2 + u64::from(self.tps);
            Some(leaf(Node::Sensor, &ids.sensor, CertRole::Sensor, serial, &mut meter)?)
        } else {
            None
        };
        let (psk_tp, psk_r) = match &find(PkiJob::Psks)?.value {
            PartValue::Psks { tp, r } => (tp.clone(), r.clone()),
            PartValue::Key(_) => {
                return Err(Error::NotProvisioned { what: "the PSKs are missing".into() });
            }
        };
        if psk_tp.len() != usize::from(self.tps) || psk_r.is_some() != self.psk_with_r {
            return Err(Error::NotProvisioned {
                what: "the PSKs were made for another PKI".into(),
            });
        }
        Ok(Pki { ids, rsa_bits: self.rsa_bits, ca, responder, tps, sensor, psk_tp, psk_r })
    }
}

/// Provisioning in one thread: every job in turn, then the assembly (native use: tests, CLI).
pub struct Provisioner;

impl Provisioner {
    /// Provisions the PKI `need` describes.
    pub fn run(need: &PkiNeed, meter: &mut Meter) -> Result<Pki, Error> {
        let parts = need
            .jobs()
            .into_iter()
            .map(|j| need.run_job(j, meter))
            .collect::<Result<Vec<_>, _>>()?;
        need.assemble(&parts)
    }
}

impl Pki {
    /// The PSK the sensor shares with TPi (1-based).
    pub fn psk_with_tp(&self, i: u8) -> Option<&[u8]> {
        self.psk_tp.get(usize::from(i).checked_sub(1)?).map(|k| k.as_slice())
    }

    /// The PSK the sensor shares with R (a PKI made for the PSK mode only).
    pub fn psk_with_r(&self) -> Option<&[u8]> {
        self.psk_r.as_deref().map(|k| k.as_slice())
    }

    /// Whether this PKI can serve a session that needs `need` (the seed aside): enough TPs,
    /// the sensor's certificate and the sensor–R PSK if the mode uses them, the same RSA size.
    pub fn covers(&self, need: &PkiNeed) -> Result<(), Error> {
        if self.tps() < need.tps {
            return Err(Error::PkiTooSmall { tps: self.tps(), needed: need.tps });
        }
        let missing = if need.sensor_cert && self.sensor.is_none() {
            Some("the sensor's certificate")
        } else if need.psk_with_r && self.psk_r.is_none() {
            Some("a PSK shared by the sensor and R")
        } else {
            None
        };
        match missing {
            Some(what) => Err(Error::NotProvisioned {
                what: format!("this PKI has no {what} (it was made for another mode)"),
            }),
            None => Ok(()),
        }
    }

    /// Number of third parties provisioned.
    pub fn tps(&self) -> u8 {
        u8::try_from(self.tps.len()).unwrap_or(u8::MAX)
    }

    /// Serialises the PKI (keys included) so the browser can cache it.
    pub fn to_bytes(&self) -> Vec<u8> {
        super::pki_impl::to_bytes(self)
    }

    /// Reads back [`Pki::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Pki, Error> {
        super::pki_impl::from_bytes(bytes)
    }
}

/// The CA as a node of the network: offline after provisioning; it only shows its keys.
#[derive(Clone, Debug)]
pub struct CertificateAuthority {
    ca: Credential,
}

impl CertificateAuthority {
    pub fn new(pki: &Pki) -> CertificateAuthority {
        CertificateAuthority { ca: pki.ca.clone() }
    }
}

impl Role for CertificateAuthority {
    fn on_decoded(
        &mut self,
        _from: Node,
        _msg: Result<&crate::wire::Decoded, &Error>,
        _ctx: &mut Ctx,
    ) -> Output {
        Output::event(RoleEvent::Rejected {
            label: "message to the CA".into(),
            error: Error::UnexpectedMessage {
                message: "a message to the CA".into(),
                why: "the CA is offline once the PKI is provisioned",
            },
        })
    }

    fn on_timer(&mut self, _ctx: &mut Ctx) -> Output {
        Output::default()
    }

    fn next_deadline(&self) -> Option<SimTime> {
        None
    }

    fn knowledge(&self) -> Vec<Known> {
        vec![
            Known {
                name: "CA RSA private key (PKCS#8)".into(),
                value: super::pki_impl::private_der(&self.ca.key),
                secret: true,
            },
            Known { name: "CA certificate".into(), value: self.ca.cert_der.clone(), secret: false },
        ]
    }
}
