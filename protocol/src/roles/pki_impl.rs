//! Adapter between the roles and the crypto layer for the PKI: key generation, certificate
//! issue, and the byte form of a [`super::Pki`].

use zeroize::Zeroizing;

use super::Pki;
use super::ca::{CertRole, Credential};
use crate::cost::Meter;
use crate::crypto::rng::Rng;
use crate::crypto::rsa::{self as crsa, RsaBits, RsaPrivateKey};
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

/// The CA: a key and its self-signed certificate.
pub fn new_ca(
    rng: &mut dyn Rng,
    meter: &mut Meter,
    bits: RsaBits,
    id: &[u8],
    from: u64,
) -> Result<(Credential, X509Ca), Error> {
    let key = crsa::generate(rng, bits, meter)?;
    let ca = X509Ca::new(&name(id), key.clone(), window(from), meter)?;
    Ok((Credential { key, cert_der: ca.cert_der().to_vec() }, ca))
}

/// A key for `subject` and its certificate, issued by the CA.
#[allow(clippy::too_many_arguments)]
pub fn new_leaf(
    rng: &mut dyn Rng,
    meter: &mut Meter,
    bits: RsaBits,
    ca: &X509Ca,
    subject: &[u8],
    role: CertRole,
    serial: u64,
    from: u64,
) -> Result<Credential, Error> {
    let key = crsa::generate(rng, bits, meter)?;
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

const MAGIC: &[u8; 8] = b"DMKPKI01";

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
/// key, certificate) of CA, R, TP1..TPn[, sensor], PSKs with TP1..TPn and with R.
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
    put(&mut out, &pki.psk_r);
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
    fn cred(&mut self, what: &str) -> Result<Credential, Error> {
        let key = RsaPrivateKey::from_pkcs8_der(self.field(what)?)
            .map_err(|e| Error::PkiBytes { why: format!("{what}: {e}") })?;
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
    let psk_r = Zeroizing::new(c.field("the PSK with R")?.to_vec());
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
