//! What each role takes out of the [`Pki`] (its RSA key, its certificate, the CA's and R's
//! certificates, its PSKs), plus small helpers every role shares: a fresh HDR, the default SRTP
//! policy (docs/distributed-mode.md, "Crypto sessions") and the TEK derivation of RFC 3830 §4.1.3.

use zeroize::Zeroizing;

use super::{DerivedTek, Identities, Known, Node, Pki};
use crate::cost::Meter;
use crate::crypto::derive;
use crate::crypto::rng::{self, Rng};
use crate::error::Error;
use crate::mikey::core::crypto_prf;
use crate::mikey::pkix::RsaPrivate;
use crate::wire::{CsIdMap, DataType, Hdr, PrfFunc, ProtType, Sp, SrtpCs};

/// Key material of one role.
#[derive(Clone)]
pub struct RoleKeys {
    pub ids: Identities,
    pub key: Option<RsaPrivate>,
    pub cert: Vec<u8>,
    pub ca_cert: Vec<u8>,
    pub r_cert: Vec<u8>,
    psk_tp: Vec<Zeroizing<Vec<u8>>>,
    /// The PSK shared by the sensor and R; empty unless the PKI was made for the PSK mode.
    pub psk_r: Zeroizing<Vec<u8>>,
}

impl RoleKeys {
    /// The material `node` holds after provisioning.
    pub fn for_node(pki: &Pki, node: Node) -> Result<RoleKeys, Error> {
        let cred = match node {
            Node::Sensor => pki.sensor.clone(),
            Node::Tp(i) => pki.tps.get(usize::from(i).saturating_sub(1)).cloned(),
            Node::Responder => Some(pki.responder.clone()),
            Node::Ca => Some(pki.ca.clone()),
            Node::Intruder => None,
        };
        let key = cred.as_ref().map(|c| c.key.clone());
        let (psk_tp, psk_r) = match node {
            Node::Sensor => (pki.psk_tp.clone(), pki.psk_r.clone().unwrap_or_default()),
            Node::Tp(i) => (
                pki.psk_tp.get(usize::from(i).saturating_sub(1)).cloned().into_iter().collect(),
                Zeroizing::new(Vec::new()),
            ),
            Node::Responder => (Vec::new(), pki.psk_r.clone().unwrap_or_default()),
            _ => (Vec::new(), Zeroizing::new(Vec::new())),
        };
        Ok(RoleKeys {
            ids: pki.ids.clone(),
            key,
            cert: cred.map(|c| c.cert_der).unwrap_or_default(),
            ca_cert: pki.ca.cert_der.clone(),
            r_cert: pki.responder.cert_der.clone(),
            psk_tp,
            psk_r,
        })
    }

    /// The sensor's PSK with TPi (1-based).
    pub fn psk_tp(&self, i: u8) -> Result<&[u8], Error> {
        self.psk_tp
            .get(usize::from(i).saturating_sub(1))
            .map(|k| k.as_slice())
            .ok_or_else(|| Error::NotProvisioned { what: format!("no PSK with TP{i}") })
    }

    /// A TP's (only) PSK with the sensor.
    pub fn own_psk(&self) -> Result<&[u8], Error> {
        self.psk_tp
            .first()
            .map(|k| k.as_slice())
            .ok_or_else(|| Error::NotProvisioned { what: "no PSK with the sensor".into() })
    }

    /// The long-term keys, for the knowledge panel.
    pub fn knowledge(&self, who: &str) -> Vec<Known> {
        let mut k = Vec::new();
        if let Some(key) = &self.key {
            k.push(Known {
                name: format!("RSA private key of {who} (PKCS#8)"),
                value: super::pki_impl::private_der(key),
                secret: true,
            });
        }
        if !self.cert.is_empty() {
            k.push(Known {
                name: format!("certificate of {who}"),
                value: self.cert.clone(),
                secret: false,
            });
        }
        k.push(Known { name: "CA certificate".into(), value: self.ca_cert.clone(), secret: false });
        for (i, p) in self.psk_tp.iter().enumerate() {
            let name = if who == "sensor" {
                format!("PSK with TP{}", i + 1)
            } else {
                "PSK with the sensor".to_string()
            };
            k.push(Known { name, value: p.to_vec(), secret: true });
        }
        if !self.psk_r.is_empty() {
            let name = if who == "sensor" { "PSK with R" } else { "PSK with the sensor" };
            k.push(Known { name: name.into(), value: self.psk_r.to_vec(), secret: true });
        }
        k
    }
}

/// A random non-zero u32 (CSB ID, SSRC).
pub fn nonzero_u32(rng: &mut dyn Rng) -> u32 {
    loop {
        let b = rng::bytes(rng, 4);
        let v = u32::from_be_bytes([
            b.first().copied().unwrap_or(0),
            b.get(1).copied().unwrap_or(0),
            b.get(2).copied().unwrap_or(0),
            b.get(3).copied().unwrap_or(1),
        ]);
        if v != 0 {
            return v;
        }
    }
}

/// The PRF of every session ([`new_hdr`]); R accepts shares only under it.
pub const SESSION_PRF: PrfFunc = PrfFunc::Mikey1;

/// A fresh HDR: MIKEY-1 PRF, one SRTP crypto session (policy 0, random SSRC, ROC 0).
pub fn new_hdr(dt: DataType, v_flag: bool, csb_id: u32, rng: &mut dyn Rng) -> Hdr {
    Hdr {
        version: 1,
        data_type: dt,
        v_flag,
        prf: SESSION_PRF,
        csb_id,
        cs_map: CsIdMap::SrtpId(vec![SrtpCs { policy_no: 0, ssrc: nonzero_u32(rng), roc: 0 }]),
    }
}

/// SP policy 0, SRTP, no parameters (= the RFC 3711 defaults).
pub fn srtp_policy() -> Sp {
    Sp { policy_no: 0, prot_type: ProtType::Srtp, params: Vec::new() }
}

/// TEK (16 bytes) and SRTP master salt (14 bytes) of every crypto session of `hdr`.
pub fn derive_teks(hdr: &Hdr, tgk: &[u8], rand: &[u8], meter: &mut Meter) -> Vec<DerivedTek> {
    let f = crypto_prf(hdr.prf);
    (1..=hdr.cs_map.cs_count())
        .map(|cs_id| DerivedTek {
            cs_id,
            tek: derive::tek(f, tgk, cs_id, hdr.csb_id, rand, 16, meter),
            salt: derive::salt(f, tgk, cs_id, hdr.csb_id, rand, 14, meter),
        })
        .collect()
}
