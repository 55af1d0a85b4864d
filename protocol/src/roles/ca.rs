//! Initialisation: the certificate authority issues X.509 certificates to R, to every TP and
//! (for the public-key and DH modes) to the sensor, and provisions the sensor with its TP list
//! and one PSK per TP (and, for the PSK mode, a PSK shared with R). The result is a [`Pki`].
//!
//! [`Provisioner`] does this one RSA key or one certificate per [`Provisioner::step`], so the
//! browser can run it in a worker and show progress. [`CertificateAuthority`] is the CA as a
//! role on the simulated network: it answers nothing (it is offline after provisioning) but can
//! show what it holds.

use zeroize::Zeroizing;

use super::{Ctx, Known, Node, Output, Role, RoleEvent, SessionConfig, SimTime};
use crate::cost::Meter;
use crate::crypto::rng::{self, Rng};
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
    /// The PSK shared by the sensor and R (PSK mode).
    pub(crate) psk_r: Zeroizing<Vec<u8>>,
}

/// What one provisioning step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvisionStep {
    /// Work remains: `done` of `total` steps are finished; `what` names the last one.
    Progress { done: usize, total: usize, what: String },
    /// Everything is provisioned; call [`Provisioner::finish`].
    Done,
}

/// Builds a [`Pki`] one key or certificate at a time.
pub struct Provisioner {
    n: u8,
    bits: RsaBits,
    sensor_cert: bool,
    validity_from: u64,
    plan: Vec<Task>,
    next: usize,
    ids: Identities,
    creds: Vec<Option<Credential>>, // CA, R, TP1..TPn, sensor
    ca_obj: Option<super::pki_impl::X509Ca>,
    psk_tp: Vec<Zeroizing<Vec<u8>>>,
    psk_r: Zeroizing<Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
enum Task {
    CaKey,
    Key(usize),
    Psks,
}

impl Provisioner {
    /// A provisioner for the session `cfg` (n TPs, RSA size, sensor certificate if the mode
    /// is public-key or DH). Certificates are valid from `now` for a year.
    pub fn new(cfg: &SessionConfig, now: SimTime) -> Provisioner {
        let n = cfg.tps();
        let sensor_cert = matches!(cfg.mode, Mode::Pk | Mode::Dh);
        let mut plan = vec![Task::CaKey, Task::Key(1)];
        for i in 0..usize::from(n) {
            plan.push(Task::Key(2 + i));
        }
        if sensor_cert {
            plan.push(Task::Key(2 + usize::from(n)));
        }
        plan.push(Task::Psks);
        let slots = 3 + usize::from(n);
        Provisioner {
            n,
            bits: cfg.rsa_bits,
            sensor_cert,
            validity_from: now.unix_secs().saturating_sub(3600),
            plan,
            next: 0,
            ids: Identities::for_tps(n),
            creds: vec![None; slots],
            ca_obj: None,
            psk_tp: Vec::new(),
            psk_r: Zeroizing::new(Vec::new()),
        }
    }

    /// Number of steps in total.
    pub fn total_steps(&self) -> usize {
        self.plan.len()
    }

    /// Runs the next step: one RSA key generation plus its certificate, or the PSKs.
    pub fn step(&mut self, rng: &mut dyn Rng, meter: &mut Meter) -> Result<ProvisionStep, Error> {
        let Some(task) = self.plan.get(self.next).copied() else {
            return Ok(ProvisionStep::Done);
        };
        let what = match task {
            Task::CaKey => {
                let (cred, ca) = super::pki_impl::new_ca(
                    rng,
                    meter,
                    self.bits,
                    &self.ids.ca,
                    self.validity_from,
                )?;
                self.set(0, cred);
                self.ca_obj = Some(ca);
                "CA key and self-signed certificate".to_string()
            }
            Task::Key(slot) => {
                let (subject, role, name) = self.subject(slot);
                let ca = self.ca_obj.clone().ok_or_else(|| Error::NotProvisioned {
                    what: "the CA key must be generated first".into(),
                })?;
                let serial = u64::try_from(slot).unwrap_or(u64::MAX);
                let cred = super::pki_impl::new_leaf(
                    rng,
                    meter,
                    self.bits,
                    &ca,
                    &subject,
                    role,
                    serial,
                    self.validity_from,
                )?;
                self.set(slot, cred);
                format!("key and certificate of {name}")
            }
            Task::Psks => {
                self.psk_tp = (0..self.n).map(|_| Zeroizing::new(rng::bytes(rng, 16))).collect();
                self.psk_r = Zeroizing::new(rng::bytes(rng, 16));
                "pre-shared keys of the sensor".to_string()
            }
        };
        self.next += 1;
        Ok(ProvisionStep::Progress { done: self.next, total: self.plan.len(), what })
    }

    fn set(&mut self, slot: usize, cred: Credential) {
        if let Some(s) = self.creds.get_mut(slot) {
            *s = Some(cred);
        }
    }

    fn subject(&self, slot: usize) -> (Vec<u8>, CertRole, String) {
        let n = usize::from(self.n);
        if slot == 1 {
            (self.ids.responder.clone(), CertRole::Responder, "R".into())
        } else if slot >= 2 && slot < 2 + n {
            let i = slot - 1;
            (
                self.ids.tps.get(i - 1).cloned().unwrap_or_default(),
                CertRole::ThirdParty,
                format!("TP{i}"),
            )
        } else {
            (self.ids.sensor.clone(), CertRole::Sensor, "the sensor".into())
        }
    }

    /// The finished PKI (all steps must have run).
    pub fn finish(self) -> Result<Pki, Error> {
        if self.next < self.plan.len() {
            return Err(Error::NotProvisioned { what: "provisioning has steps left".into() });
        }
        let mut creds = self.creds.into_iter();
        let missing = || Error::NotProvisioned { what: "a key of the PKI is missing".into() };
        let ca = creds.next().flatten().ok_or_else(missing)?;
        let responder = creds.next().flatten().ok_or_else(missing)?;
        let mut tps = Vec::new();
        for _ in 0..self.n {
            tps.push(creds.next().flatten().ok_or_else(missing)?);
        }
        let sensor =
            if self.sensor_cert { Some(creds.next().flatten().ok_or_else(missing)?) } else { None };
        Ok(Pki {
            ids: self.ids,
            rsa_bits: self.bits,
            ca,
            responder,
            tps,
            sensor,
            psk_tp: self.psk_tp,
            psk_r: self.psk_r,
        })
    }

    /// Runs every step at once.
    pub fn run(
        cfg: &SessionConfig,
        now: SimTime,
        rng: &mut dyn Rng,
        meter: &mut Meter,
    ) -> Result<Pki, Error> {
        let mut p = Provisioner::new(cfg, now);
        while p.step(rng, meter)? != ProvisionStep::Done {}
        p.finish()
    }
}

impl Pki {
    /// The PSK the sensor shares with TPi (1-based).
    pub fn psk_with_tp(&self, i: u8) -> Option<&[u8]> {
        self.psk_tp.get(usize::from(i).checked_sub(1)?).map(|k| k.as_slice())
    }

    /// The PSK the sensor shares with R (PSK mode).
    pub fn psk_with_r(&self) -> &[u8] {
        &self.psk_r
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
    fn on_message(&mut self, _from: Node, _bytes: &[u8], _ctx: &mut Ctx) -> Output {
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
