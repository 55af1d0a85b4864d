//! Adapter between the roles and the crypto layer for the PKI: key generation, certificate
//! issue, and the byte form of a [`super::Pki`].
