//! The crypto layer: everything MIKEY computes over bytes, and nothing about how those bytes
//! are laid out (that is [`crate::wire`]; [`crate::mikey`] joins the two).
//!
//! * [`prf`] — the MIKEY-1 PRF (RFC 3830 §4.1.2) and PRF-HMAC-SHA-256 (RFC 6043 §6.1);
//! * [`derive`] — encr/auth/salt keys from a PSK or envelope key (§4.1.4), TEK/salt from the
//!   TGK (§4.1.3), and the D-MIKEY keys auth_key_RI and KCV (docs/distributed-mode.md);
//! * [`kemac`] — the KEMAC transforms: AES-CM-128 + HMAC-SHA-1-160 (§4.2.3/§4.2.4) and the
//!   private AES-CCM-128 profile (docs/wire-format.md);
//! * [`mac`] — HMAC-SHA-1-160 / HMAC-SHA-256-256 over a list of slices (V payload, §5.2);
//! * [`primes`] — RSA key generation (random primes, trial division, Baillie–PSW);
//! * [`rsa`] — PKE (OAEP / PKCS#1 v1.5) and SIGN (PSS / PKCS#1 v1.5) with `rsa` 0.10;
//! * [`x509`] — a small CA issuing and checking real X.509v3 certificates (`x509-cert`);
//! * [`dh`] — the OAKLEY group 5 Diffie-Hellman of the DH mode (§3.3);
//! * [`recorded`] — a session's crypto operations, recorded to be redone alone (`dmikey bench`);
//! * [`rng`] — the object-safe RNG every layer takes, and the deterministic [`rng::SimRng`].
//!
//! Code points (Encr alg, MAC alg, PRF func, S type …) appear here as small enums of our own
//! with `code()` helpers; the message layer maps the wire enums onto them.
//!
//! **Timestamps as crypto input (our reading; docs/wire-format.md, "Timestamps as crypto input").**
//! T enters crypto in two places: the AES-CM IV / CCM nonce (§4.2.3) and the V MAC (§5.2). RFC 3830
//! §6.6 says a 4-byte COUNTER "SHALL be padded (with leading zeros) to a 64-bit value when used as
//! input for the default PRF". We apply that zero-extension *everywhere* T is a crypto input: the
//! IV/nonce and the timestamp appended for the V MAC both use [`crate::mikey::core::t64`]
//! (0x00000000 || counter). The other reading (the 4 bytes as sent, for the V MAC) is not
//! implemented.

pub mod derive;
pub mod dh;
pub mod kemac;
pub mod mac;
pub mod prf;
pub mod primes;
pub mod recorded;
pub mod rng;
pub mod rsa;
pub mod x509;
