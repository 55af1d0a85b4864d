//! Adapter between the roles and the crypto layer for the PKI: certificate issue for keys
//! the provisioning jobs generated, and the byte forms of a [`super::Pki`] and of its parts.

use zeroize::Zeroizing;

use super::ca::{CertRole, Credential, PartValue, PkiJob, PkiPart};
use super::{Node, Pki};
use crate::cost::Meter;
use crate::crypto::rsa::{RsaBits, RsaPrivateKey};
pub use crate::crypto::x509::CertificateAuthority as X509Ca;
use crate::crypto::x509::ValidityWindow;
use crate::error::Error;

const YEAR_S: u64 = 365 * 24 * 3600;

fn name(id: &[u8]) -> String {
    String::from_utf8_lossy(id).into_owned()
}

fn window(from: u64) -> ValidityWindow {
    ValidityWindow { not_before: from, not_after: from + YEAR_S }
}

/// PKCS#8 DER of a private key (for the knowledge panel and the key log).
pub fn private_der(key: &RsaPrivateKey) -> Vec<u8> {
    key.to_pkcs8_der().map(|d| d.to_vec()).unwrap_or_default()
}

/// The CA's self-signed certificate for an already generated `key`.
pub fn certify_ca(
    key: RsaPrivateKey,
    id: &[u8],
    from: u64,
    meter: &mut Meter,
) -> Result<(Credential, X509Ca), Error> {
    let ca = X509Ca::new(&name(id), key.clone(), window(from), meter)?;
    Ok((Credential { key, cert_der: ca.cert_der().to_vec() }, ca))
}

/// The certificate the CA issues for an already generated `key` of `subject`.
pub fn certify_leaf(
    ca: &X509Ca,
    key: RsaPrivateKey,
    subject: &[u8],
    role: CertRole,
    serial: u64,
    from: u64,
    meter: &mut Meter,
) -> Result<Credential, Error> {
    let cert_der = ca.issue(
        &name(subject),
        role,
        &key.public_key(),
        window(from),
        serial.saturating_add(1),
        meter,
    )?;
    Ok(Credential { key, cert_der })
}

const MAGIC: &[u8; 8] = b"DMKPKI02";

fn put(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(&(v.len() as u32).to_be_bytes());
    out.extend_from_slice(v);
}

fn put_cred(out: &mut Vec<u8>, c: &Credential) {
    put(out, &private_der(&c.key));
    put(out, &c.cert_der);
}

/// The byte form of a PKI: `"DMKPKI01" || bits u16 || n u8 || sensor-cert flag u8`, then
/// length-prefixed (u32) fields: identities (CA, sensor, R, TP1..TPn), credentials (PKCS#8
/// key, certificate) of CA, R, TP1..TPn[, sensor], PSKs with TP1..TPn, then a flag (u8) and,
/// if it is 1, the PSK with R.
pub fn to_bytes(pki: &Pki) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(pki.rsa_bits.bits() as u16).to_be_bytes());
    out.push(pki.tps());
    out.push(u8::from(pki.sensor.is_some()));
    for id in [&pki.ids.ca, &pki.ids.sensor, &pki.ids.responder] {
        put(&mut out, id);
    }
    for id in &pki.ids.tps {
        put(&mut out, id);
    }
    put_cred(&mut out, &pki.ca);
    put_cred(&mut out, &pki.responder);
    for c in &pki.tps {
        put_cred(&mut out, c);
    }
    if let Some(c) = &pki.sensor {
        put_cred(&mut out, c);
    }
    for p in &pki.psk_tp {
        put(&mut out, p);
    }
    out.push(u8::from(pki.psk_r.is_some()));
    if let Some(p) = &pki.psk_r {
        put(&mut out, p);
    }
    out
}

struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(Error::PkiBytes { why: format!("truncated inside {what}") });
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn field(&mut self, what: &str) -> Result<&'a [u8], Error> {
        let l = self.take(4, what)?;
        let n = <[u8; 4]>::try_from(l).map(u32::from_be_bytes).unwrap_or(u32::MAX) as usize;
        self.take(n, what)
    }
    fn key(&mut self, what: &str) -> Result<RsaPrivateKey, Error> {
        RsaPrivateKey::from_pkcs8_der(self.field(what)?)
            .map_err(|e| Error::PkiBytes { why: format!("{what}: {e}") })
    }
    fn cred(&mut self, what: &str) -> Result<Credential, Error> {
        let key = self.key(what)?;
        Ok(Credential { key, cert_der: self.field(what)?.to_vec() })
    }
}

/// Reads back [`to_bytes`].
pub fn from_bytes(bytes: &[u8]) -> Result<Pki, Error> {
    let mut c = Cursor(bytes);
    if c.take(8, "the magic")? != MAGIC {
        return Err(Error::PkiBytes { why: "not a dmikey PKI (bad magic)".into() });
    }
    let b = c.take(2, "the RSA size")?;
    let rsa_bits = match <[u8; 2]>::try_from(b).map(u16::from_be_bytes).unwrap_or(0) {
        1024 => RsaBits::B1024,
        2048 => RsaBits::B2048,
        3072 => RsaBits::B3072,
        other => return Err(Error::PkiBytes { why: format!("unsupported RSA size {other}") }),
    };
    let h = c.take(2, "the counts")?;
    let (n, has_sensor) = match h {
        [n, s] => (*n, *s != 0),
        _ => return Err(Error::PkiBytes { why: "truncated inside the counts".into() }),
    };
    let ca_id = c.field("the CA identity")?.to_vec();
    let sensor_id = c.field("the sensor identity")?.to_vec();
    let r_id = c.field("R's identity")?.to_vec();
    let mut tps_ids = Vec::new();
    for _ in 0..n {
        tps_ids.push(c.field("a TP identity")?.to_vec());
    }
    let ca = c.cred("the CA credential")?;
    let responder = c.cred("R's credential")?;
    let mut tps = Vec::new();
    for _ in 0..n {
        tps.push(c.cred("a TP credential")?);
    }
    let sensor = if has_sensor { Some(c.cred("the sensor credential")?) } else { None };
    let mut psk_tp = Vec::new();
    for _ in 0..n {
        psk_tp.push(Zeroizing::new(c.field("a PSK")?.to_vec()));
    }
    let psk_r = match c.take(1, "the PSK-with-R flag")? {
        [0] => None,
        [1] => Some(Zeroizing::new(c.field("the PSK with R")?.to_vec())),
        _ => return Err(Error::PkiBytes { why: "the PSK-with-R flag is not 0 or 1".into() }),
    };
    if !c.0.is_empty() {
        return Err(Error::PkiBytes { why: format!("{} trailing bytes", c.0.len()) });
    }
    Ok(Pki {
        ids: super::Identities { ca: ca_id, sensor: sensor_id, tps: tps_ids, responder: r_id },
        rsa_bits,
        ca,
        responder,
        tps,
        sensor,
        psk_tp,
        psk_r,
    })
}

const PART_MAGIC: &[u8; 8] = b"DMKPART1";

/// The byte form of a [`PkiPart`]: `"DMKPART1" || job tag u8 || TP number u8`, then for a
/// key its PKCS#8 DER (length-prefixed), for the PSKs their count u8, each PSK
/// (length-prefixed), a flag u8 and, if it is 1, the PSK with R.
pub fn part_to_bytes(part: &PkiPart) -> Vec<u8> {
    let mut out = PART_MAGIC.to_vec();
    let (tag, i) = match part.job {
        PkiJob::Key(Node::Ca) => (0, 0),
        PkiJob::Key(Node::Responder) => (1, 0),
        PkiJob::Key(Node::Tp(i)) => (2, i),
        PkiJob::Key(Node::Sensor) => (3, 0),
        PkiJob::Key(Node::Intruder) => (5, 0),
        PkiJob::Psks => (4, 0),
    };
    out.extend_from_slice(&[tag, i]);
    match &part.value {
        PartValue::Key(k) => put(&mut out, &private_der(k)),
        PartValue::Psks { tp, r } => {
            out.push(u8::try_from(tp.len()).unwrap_or(u8::MAX));
            for p in tp {
                put(&mut out, p);
            }
            out.push(u8::from(r.is_some()));
            if let Some(p) = r {
                put(&mut out, p);
            }
        }
    }
    out
}

/// Reads back [`part_to_bytes`].
pub fn part_from_bytes(bytes: &[u8]) -> Result<PkiPart, Error> {
    let mut c = Cursor(bytes);
    if c.take(8, "the magic")? != PART_MAGIC {
        return Err(Error::PkiBytes { why: "not a part of a dmikey PKI (bad magic)".into() });
    }
    let job = match c.take(2, "the job")? {
        [0, 0] => PkiJob::Key(Node::Ca),
        [1, 0] => PkiJob::Key(Node::Responder),
        [2, i] if *i > 0 => PkiJob::Key(Node::Tp(*i)),
        [3, 0] => PkiJob::Key(Node::Sensor),
        [4, 0] => PkiJob::Psks,
        _ => return Err(Error::PkiBytes { why: "unknown provisioning job".into() }),
    };
    let value = match job {
        PkiJob::Psks => {
            let n = c.take(1, "the PSK count")?.first().copied().unwrap_or(0);
            let mut tp = Vec::new();
            for _ in 0..n {
                tp.push(Zeroizing::new(c.field("a PSK")?.to_vec()));
            }
            let r = match c.take(1, "the PSK-with-R flag")? {
                [0] => None,
                [1] => Some(Zeroizing::new(c.field("the PSK with R")?.to_vec())),
                _ => {
                    return Err(Error::PkiBytes {
                        why: "the PSK-with-R flag is not 0 or 1".into(),
                    });
                }
            };
            PartValue::Psks { tp, r }
        }
        PkiJob::Key(_) => PartValue::Key(c.key("the RSA key")?),
    };
    if !c.0.is_empty() {
        return Err(Error::PkiBytes { why: format!("{} trailing bytes", c.0.len()) });
    }
    Ok(PkiPart { job, value })
}
