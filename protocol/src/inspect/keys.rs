//! The keys a student gives the decoder — typed in the app's decode box or read from files by
//! `dmikey decode` — read into [`DecodeKeys`] by one function for both, [`decode_keys`], with
//! errors that say what is wrong and how to fix it.
//!
//! * PSK and envelope key: hex (spaces, `:` and `-` between digits allowed).
//! * R's RSA private key: PKCS#8, as PEM (`-----BEGIN PRIVATE KEY-----`, what `openssl
//!   genpkey` writes), as hex of the DER (what the knowledge panel shows), or as raw DER.
//! * CA certificate: X.509, as PEM (`-----BEGIN CERTIFICATE-----`), hex of the DER, or DER.

use x509_cert::Certificate;
use x509_cert::der::Decode;

use super::{DecodeKeys, InputError, decode_key_hex, input};
use crate::crypto::rsa::RsaPrivateKey;

/// Key material as given: texts typed in, or a file's bytes. Empty means "not given".
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyInputs<'a> {
    /// The PSK, hex.
    pub psk: &'a str,
    /// The envelope key, hex.
    pub envelope_key: &'a str,
    /// R's RSA private key: PKCS#8 PEM, hex of the DER, or DER.
    pub rsa_private_key: &'a [u8],
    /// The CA certificate: PEM, hex of the DER, or DER.
    pub ca_cert: &'a [u8],
}

/// Why a key given to the decoder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The PSK or the envelope key is not hex.
    Hex {
        /// "PSK", "envelope key".
        what: &'static str,
        /// The hex reader's error.
        error: InputError,
    },
    /// The RSA private key cannot be read; why, and how to fix it.
    RsaKey(String),
    /// The CA certificate cannot be read; why.
    CaCert(String),
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            KeyError::Hex { what, error } => write!(f, "the {what} is {error}"),
            KeyError::RsaKey(why) => write!(f, "the RSA private key cannot be used: {why}"),
            KeyError::CaCert(why) => write!(f, "the CA certificate cannot be used: {why}"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Reads every key given (empty ones stay `None`); the RSA key comes out as PKCS#8 DER and
/// the certificate as DER, both checked.
pub fn decode_keys(k: &KeyInputs<'_>) -> Result<DecodeKeys, KeyError> {
    let hex = |what: &'static str, text: &str| {
        decode_key_hex(text).map_err(|error| KeyError::Hex { what, error })
    };
    Ok(DecodeKeys {
        psk: hex("PSK", k.psk)?,
        envelope_key: hex("envelope key", k.envelope_key)?,
        rsa_private_key: read_rsa_private_key(k.rsa_private_key).map_err(KeyError::RsaKey)?,
        ca_cert: read_certificate(k.ca_cert).map_err(KeyError::CaCert)?,
    })
}

/// The body of the first PEM block of `text`: its label and its base64-decoded bytes.
fn pem_block(text: &str) -> Option<Result<(String, Vec<u8>), String>> {
    let start = text.find("-----BEGIN ")?;
    let rest = text.get(start + 11..)?;
    let Some(label_end) = rest.find("-----") else {
        return Some(Err("a \"-----BEGIN\" line that does not end in \"-----\"".into()));
    };
    let label = rest.get(..label_end).unwrap_or_default().to_string();
    let body = rest.get(label_end + 5..).unwrap_or_default();
    let end_line = format!("-----END {label}-----");
    let Some(end) = body.find(&end_line) else {
        return Some(Err(format!("the PEM block has no \"{end_line}\" line")));
    };
    let body = body.get(..end).unwrap_or_default();
    if body.contains(':') {
        return Some(Err(format!(
            "the {label} PEM block has headers (Proc-Type, DEK-Info): it is encrypted"
        )));
    }
    Some(
        input::base64_decode(body)
            .map(|der| (label.clone(), der))
            .map_err(|e| format!("the {label} PEM block is {e}")),
    )
}

/// DER bytes from PEM text (the first block must carry `label`), hex text, or DER as given.
fn der_of(bytes: &[u8], label: &str) -> Result<Option<Vec<u8>>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    // DER starts with a SEQUENCE tag (0x30, also the digit '0') and is not all text.
    let text = core::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.chars().any(|c| c.is_control() && !c.is_whitespace()));
    if bytes.first() == Some(&0x30) && text.is_none() {
        return Ok(Some(bytes.to_vec()));
    }
    let Some(text) = text else {
        return Err("neither text (PEM or hex) nor DER (which starts with byte 0x30)".into());
    };
    match pem_block(text) {
        Some(Ok((found, der))) if found == label => Ok(Some(der)),
        Some(Ok((found, _))) => Err(format!(
            "a PEM block \"{found}\" where \"{label}\" is wanted{}",
            match (label, found.as_str()) {
                ("PRIVATE KEY", "RSA PRIVATE KEY") => {
                    " (PKCS#1): convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem`"
                }
                ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY") => {
                    " (encrypted): decrypt it with `openssl pkey -in key.pem`"
                }
                _ => "",
            }
        )),
        Some(Err(why)) => Err(why),
        None => match decode_key_hex(text) {
            Ok(der) => Ok(der),
            Err(e) => {
                Err(format!("neither PEM (no \"-----BEGIN {label}-----\" line) nor hex ({e})"))
            }
        },
    }
}

/// R's RSA private key as PKCS#8 DER, checked: from PEM, hex of the DER, or DER.
pub fn read_rsa_private_key(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let Some(der) = der_of(bytes, "PRIVATE KEY")? else { return Ok(None) };
    match RsaPrivateKey::from_pkcs8_der(&der) {
        Ok(_) => Ok(Some(der)),
        Err(e) => Err(format!("not a PKCS#8 RSA private key ({e})")),
    }
}

/// An X.509 certificate as DER, checked: from PEM, hex of the DER, or DER.
pub fn read_certificate(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let Some(der) = der_of(bytes, "CERTIFICATE")? else { return Ok(None) };
    match Certificate::from_der(&der) {
        Ok(_) => Ok(Some(der)),
        Err(e) => Err(format!("not an X.509 certificate in DER ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, der: &[u8]) -> String {
        use base64::Engine;
        let b = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> =
            b.as_bytes().chunks(64).map(|c| core::str::from_utf8(c).unwrap()).collect();
        format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
    }

    fn key_der() -> Vec<u8> {
        let pki = crate::sim::Simulation::provision(&{
            let mut c = crate::roles::SessionConfig::standard(crate::roles::Mode::Pk);
            c.rsa_bits = crate::crypto::rsa::RsaBits::B1024;
            c.seed = Some(1);
            c
        })
        .unwrap();
        pki.responder.key.to_pkcs8_der().unwrap().to_vec()
    }

    #[test]
    fn every_form_of_the_key_reads_the_same() {
        let der = key_der();
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        for given in [der.clone(), pem("PRIVATE KEY", &der).into_bytes(), hex.into_bytes()] {
            assert_eq!(read_rsa_private_key(&given), Ok(Some(der.clone())));
        }
        assert_eq!(read_rsa_private_key(b"  \n"), Ok(None));
    }

    #[test]
    fn wrong_keys_say_what_is_wrong() {
        let der = key_der();
        let e = read_rsa_private_key(pem("RSA PRIVATE KEY", &der).as_bytes()).unwrap_err();
        assert!(e.contains("PKCS#1") && e.contains("openssl pkcs8 -topk8"), "{e}");
        let e = read_rsa_private_key(b"-----BEGIN PRIVATE KEY-----\nAAAA\n").unwrap_err();
        assert!(e.contains("-----END PRIVATE KEY-----"), "{e}");
        let e = read_rsa_private_key(b"hello").unwrap_err();
        assert!(e.contains("neither PEM") && e.contains("not hex"), "{e}");
        let e = read_rsa_private_key(&der[..der.len() - 1]).unwrap_err();
        assert!(e.contains("not a PKCS#8 RSA private key"), "{e}");
        let e = read_rsa_private_key(pem("CERTIFICATE", &der).as_bytes()).unwrap_err();
        assert!(e.contains("\"CERTIFICATE\" where \"PRIVATE KEY\""), "{e}");
        let e = read_certificate(&der).unwrap_err();
        assert!(e.contains("not an X.509 certificate"), "{e}");
        let e = decode_keys(&KeyInputs { psk: "0g", ..KeyInputs::default() }).unwrap_err();
        assert_eq!(e.to_string(), "the PSK is not hex: character 'g' at position 1");
        let e = decode_keys(&KeyInputs { ca_cert: b"zz", ..KeyInputs::default() }).unwrap_err();
        assert!(e.to_string().starts_with("the CA certificate cannot be used: neither PEM"));
    }
}
