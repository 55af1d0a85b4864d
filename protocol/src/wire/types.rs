//! Code points of RFC 3830 (and RFC 4563 / 6043 where used), with the numbers of the RFC
//! tables and a name for each value (the inspector's annotations use [`name`](DataType::name)).
//!
//! Two kinds of enum: *open* ones keep `Unknown(u8)` so that a value which only labels
//! something (data type, ID type, error number) round-trips; *strict* ones have no unknown
//! arm because the value decides how many bytes follow (TS type, MAC alg, Key data type, …),
//! so an unknown value is a decode error ([`crate::Error::InvalidValue`]).
//!
//! Private-use values of this project (docs/wire-format.md, "Code points of our own") are
//! marked "(private)" in their names.

/// Defines a strict code-point enum: `from_u8` returns `None` for unknown values.
macro_rules! strict_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $val:literal => $desc:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $var),* }
        impl $name {
            /// Every value, in RFC order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            /// The wire value.
            pub fn to_u8(self) -> u8 { match self { $($name::$var => $val),* } }
            /// The code point for a wire value, `None` if it is not one this crate knows.
            pub fn from_u8(v: u8) -> Option<Self> { match v { $($val => Some($name::$var),)* _ => None } }
            /// Name of the value as the RFC tables write it.
            pub fn name(self) -> &'static str { match self { $($name::$var => $desc),* } }
        }
    };
}

/// Defines an open code-point enum with an `Unknown(u8)` arm.
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $val:literal => $desc:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $var,)* /** A value this crate has no name for. */ Unknown(u8) }
        impl $name {
            /// Every named value, in RFC order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            /// The wire value.
            pub fn to_u8(self) -> u8 { match self { $($name::$var => $val,)* $name::Unknown(v) => v } }
            /// The code point for a wire value (never fails).
            pub fn from_u8(v: u8) -> Self { match v { $($val => $name::$var,)* other => $name::Unknown(other) } }
            /// Name of the value as the RFC tables write it.
            pub fn name(self) -> &'static str { match self { $($name::$var => $desc,)* $name::Unknown(_) => "unknown" } }
        }
    };
}

open_enum! {
    /// HDR data type (RFC 3830 Table 6.1.a).
    DataType {
        PskInit = 0 => "Pre-shared (I_MESSAGE, PSK)",
        PskVerify = 1 => "PSK verification message",
        PkInit = 2 => "Public key (I_MESSAGE, PK)",
        PkVerify = 3 => "PK verification message",
        DhInit = 4 => "D-H init",
        DhResp = 5 => "D-H response",
        Error = 6 => "Error",
    }
}

strict_enum! {
    /// Payload types of the `Next payload` byte (RFC 3830 Table 6.1.b). `Hdr` is a pseudo
    /// kind (value 255, never on the wire) so a layout can name the header.
    PayloadKind {
        /// Common header (pseudo kind for layouts).
        Hdr = 255 => "HDR",
        Kemac = 1 => "KEMAC",
        Pke = 2 => "PKE",
        Dh = 3 => "DH",
        Sign = 4 => "SIGN",
        T = 5 => "T",
        Id = 6 => "ID",
        Cert = 7 => "CERT",
        Chash = 8 => "CHASH",
        V = 9 => "V",
        Sp = 10 => "SP",
        Rand = 11 => "RAND",
        Err = 12 => "ERR",
        KeyData = 20 => "Key data",
        GenExt = 21 => "General Extension",
    }
}

impl PayloadKind {
    /// A payload kind named by a `Next payload` byte (HDR's pseudo value 255 excluded).
    pub fn from_next(v: u8) -> Option<Self> {
        match Self::from_u8(v) {
            Some(PayloadKind::Hdr) | None => None,
            k => k,
        }
    }

    /// Meaning of a `Next payload` byte in words, e.g. "0x0B: a RAND payload follows".
    pub fn next_meaning(v: u8) -> String {
        match (v, PayloadKind::from_next(v)) {
            (0, _) => "0x00: this is the last payload".to_string(),
            (_, Some(k)) => format!("0x{v:02X}: a {} payload follows", k.name()),
            (_, None) => format!("0x{v:02X}: unknown payload type"),
        }
    }
}

strict_enum! {
    /// PRF func (7 bits in HDR; RFC 3830 §6.1, RFC 6043 §6.1).
    PrfFunc {
        Mikey1 = 0 => "MIKEY-1 (HMAC-SHA-1)",
        HmacSha256 = 1 => "PRF-HMAC-SHA-256",
    }
}

strict_enum! {
    /// CS ID map type (RFC 3830 §6.1, RFC 4563 §5).
    CsIdMapType {
        SrtpId = 0 => "SRTP-ID",
        Empty = 1 => "Empty map (RFC 4563)",
    }
}

strict_enum! {
    /// TS type of the T payload (RFC 3830 Table 6.6).
    TsType {
        NtpUtc = 0 => "NTP-UTC",
        Ntp = 1 => "NTP",
        Counter = 2 => "COUNTER",
    }
}

impl TsType {
    /// Length of the TS value in bytes.
    pub fn value_len(self) -> usize {
        match self {
            TsType::NtpUtc | TsType::Ntp => 8,
            TsType::Counter => 4,
        }
    }
}

strict_enum! {
    /// KEMAC Encr alg (RFC 3830 Table 6.2.a, RFC 6043 Table 6.5; 241/242 private).
    EncrAlg {
        Null = 0 => "NULL",
        AesCm128 = 1 => "AES-CM-128",
        AesKw128 = 2 => "AES-KW-128",
        AesCm256 = 3 => "AES-CM-256",
        /// Private use: AES-CCM-128 with a 16-byte tag; pairs with MAC alg 241.
        AesCcm128 = 241 => "AES-CCM-128, 16-byte tag (private)",
        /// Private use: AES-CCM-128 with an 8-byte tag (CCM-8); pairs with MAC alg 241.
        AesCcm128_8 = 242 => "AES-CCM-128-8, 8-byte tag (private)",
    }
}

impl EncrAlg {
    /// Length of the CCM tag carried in the MAC field, for the private CCM algorithms.
    pub fn ccm_tag_len(self) -> Option<usize> {
        match self {
            EncrAlg::AesCcm128 => Some(16),
            EncrAlg::AesCcm128_8 => Some(8),
            _ => None,
        }
    }
}

strict_enum! {
    /// KEMAC MAC alg and V Auth alg (RFC 3830 Table 6.2.b, RFC 6043 Table 6.6; 241 private).
    MacAlg {
        Null = 0 => "NULL",
        HmacSha1_160 = 1 => "HMAC-SHA-1-160",
        HmacSha256_256 = 2 => "HMAC-SHA-256-256",
        /// Private use: the MAC field holds the CCM tag of Encr alg 241/242.
        CcmTag = 241 => "CCM tag (private)",
    }
}

impl MacAlg {
    /// Length of the MAC for the HMAC algorithms (`None` for the CCM tag, whose length
    /// depends on the Encr alg).
    pub fn hmac_len(self) -> Option<usize> {
        match self {
            MacAlg::Null => Some(0),
            MacAlg::HmacSha1_160 => Some(20),
            MacAlg::HmacSha256_256 => Some(32),
            MacAlg::CcmTag => None,
        }
    }
}

strict_enum! {
    /// Key data sub-payload Type (RFC 3830 Table 6.13.a).
    KeyDataType {
        Tgk = 0 => "TGK",
        TgkSalt = 1 => "TGK+SALT",
        Tek = 2 => "TEK",
        TekSalt = 3 => "TEK+SALT",
    }
}

impl KeyDataType {
    /// Whether a salt follows the key.
    pub fn has_salt(self) -> bool {
        matches!(self, KeyDataType::TgkSalt | KeyDataType::TekSalt)
    }
}

strict_enum! {
    /// Key validity type KV (RFC 3830 Table 6.13.b).
    KvType {
        Null = 0 => "NULL",
        Spi = 1 => "SPI/MKI",
        Interval = 2 => "Interval",
    }
}

open_enum! {
    /// ID type (RFC 3830 Table 6.7.a, RFC 6043 §6.5).
    IdType {
        Nai = 0 => "NAI",
        Uri = 1 => "URI",
        ByteString = 2 => "Byte string",
    }
}

open_enum! {
    /// Cert type (RFC 3830 Table 6.7.b).
    CertType {
        X509v3 = 0 => "X.509v3",
        X509v3Url = 1 => "X.509v3 URL",
        X509v3Sign = 2 => "X.509v3 Sign",
        X509v3Encr = 3 => "X.509v3 Encr",
    }
}

strict_enum! {
    /// CHASH hash func (RFC 3830 Table 6.8, RFC 6043 §6.7).
    HashFunc {
        Sha1 = 0 => "SHA-1",
        Md5 = 1 => "MD5",
        Sha256 = 2 => "SHA-256",
    }
}

impl HashFunc {
    /// Length of the hash in bytes.
    pub fn hash_len(self) -> usize {
        match self {
            HashFunc::Sha1 => 20,
            HashFunc::Md5 => 16,
            HashFunc::Sha256 => 32,
        }
    }
}

strict_enum! {
    /// SIGN S type (RFC 3830 Table 6.5).
    SignType {
        Pkcs1v15 = 0 => "RSA/PKCS#1 v1.5",
        Pss = 1 => "RSA/PSS",
    }
}

strict_enum! {
    /// DH group (RFC 3830 Table 6.4).
    DhGroup {
        Oakley5 = 0 => "OAKLEY 5 (1536-bit MODP)",
        Oakley1 = 1 => "OAKLEY 1 (768-bit MODP)",
        Oakley2 = 2 => "OAKLEY 2 (1024-bit MODP)",
    }
}

impl DhGroup {
    /// Length of the DH value in bytes (the group's modulus size).
    pub fn value_len(self) -> usize {
        match self {
            DhGroup::Oakley5 => 192,
            DhGroup::Oakley1 => 96,
            DhGroup::Oakley2 => 128,
        }
    }
}

strict_enum! {
    /// PKE cache indicator C (RFC 3830 §6.3, 2 bits).
    PkeCache {
        NoCache = 0 => "no cache",
        Cache = 1 => "cache",
        CacheForCsb = 2 => "cache for CSB",
    }
}

open_enum! {
    /// ERR Error no (RFC 3830 Table 6.12, RFC 4738, RFC 6043; 241–244 private).
    ErrorNo {
        AuthFailure = 0 => "Authentication failure",
        InvalidTs = 1 => "Invalid timestamp",
        InvalidPrf = 2 => "PRF function not supported",
        InvalidMac = 3 => "MAC algorithm not supported",
        InvalidEa = 4 => "Encryption algorithm not supported",
        InvalidHa = 5 => "Hash function not supported",
        InvalidDh = 6 => "DH group not supported",
        InvalidId = 7 => "ID not supported",
        InvalidCert = 8 => "Certificate not supported",
        InvalidSp = 9 => "SP type not supported",
        InvalidSpPar = 10 => "SP parameters not supported",
        InvalidDt = 11 => "Data type not supported",
        Unspecified = 12 => "Unspecified error",
        UnsupportedMessageType = 13 => "Unsupported message type (RFC 4738)",
        InvalidTicket = 14 => "Invalid TICKET (RFC 6043)",
        InvalidTpPar = 15 => "Invalid TPpar (RFC 6043)",
        /// Private.
        InsufficientShares = 241 => "insufficient or inconsistent shares (private)",
        /// Private.
        UnknownFinalResponder = 242 => "unknown final responder / no certificate (private)",
        /// Private.
        ForwardingFailed = 243 => "forwarding failed (private)",
        /// Private.
        NotAuthorized = 244 => "sensor or TP not authorized (private)",
    }
}

open_enum! {
    /// SP Prot type (RFC 3830 Table 6.10).
    ProtType {
        Srtp = 0 => "SRTP",
    }
}

open_enum! {
    /// General Extension Type (RFC 3830 Table 6.15 and later; 241 = D-MIKEY).
    GenExtType {
        VendorId = 0 => "Vendor ID",
        SdpIds = 1 => "SDP IDs",
        TeslaIKey = 2 => "TESLA I-Key (RFC 4442)",
        KeyId = 3 => "Key ID (RFC 4563)",
        CsbId = 4 => "CSB_ID (RFC 4738)",
        OmaBcast = 5 => "OMA BCAST (RFC 5410)",
        /// Private: share metadata and end-to-end identities (docs/distributed-mode.md).
        Dmikey = 241 => "D-MIKEY (private)",
    }
}

/// Name and meaning of an SRTP policy parameter type (RFC 3830 §6.10.1, RFC 4771, 5748,
/// 7714, 8269), and the meaning of a one-byte value where it is an enumeration.
pub fn srtp_param_name(typ: u8) -> &'static str {
    match typ {
        0 => "Encryption algorithm",
        1 => "Session encryption key length",
        2 => "Authentication algorithm",
        3 => "Session authentication key length",
        4 => "Session salt key length",
        5 => "SRTP pseudo-random function",
        6 => "Key derivation rate",
        7 => "SRTP encryption off/on",
        8 => "SRTCP encryption off/on",
        9 => "Sender's FEC order",
        10 => "SRTP authentication off/on",
        11 => "Authentication tag length",
        12 => "SRTP prefix length",
        13 => "ROC transmission rate (RFC 4771)",
        14..=19 => "SRTP/SRTCP-specific authentication parameter (RFC 4771)",
        20 => "AEAD authentication tag length (RFC 7714)",
        _ => "unknown SRTP parameter",
    }
}

/// The value of an SRTP policy parameter in words ("1 = AES-CM", "16 bytes", "on").
pub fn srtp_param_value_meaning(typ: u8, value: &[u8]) -> String {
    let n: Option<u64> = if value.is_empty() || value.len() > 8 {
        None
    } else {
        Some(value.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)))
    };
    let Some(n) = n else {
        return format!("{} bytes", value.len());
    };
    let named = |s: &str| format!("{n} = {s}");
    match typ {
        0 => named(match n {
            0 => "NULL",
            1 => "AES-CM",
            2 => "AES-F8",
            3 => "SEED-CTR",
            4 => "SEED-CCM",
            5 => "SEED-GCM",
            6 => "AES-GCM",
            7 => "ARIA-CTR",
            8 => "ARIA-GCM",
            _ => "unknown",
        }),
        2 => named(match n {
            0 => "NULL",
            1 => "HMAC-SHA-1",
            2 => "RCCm1",
            3 => "RCCm2",
            4 => "RCCm3",
            _ => "unknown",
        }),
        5 => named(match n {
            0 => "AES-CM",
            1 => "SEED-CTR",
            2 => "ARIA-CTR",
            _ => "unknown",
        }),
        7 | 8 | 10 => named(match n {
            0 => "off",
            1 => "on",
            _ => "invalid",
        }),
        9 => named(if n == 0 { "FEC-SRTP" } else { "unknown" }),
        1 | 3 | 4 | 11 | 12 | 20 => format!("{n} bytes"),
        _ => format!("{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_round_trip_every_code_point() {
        for e in EncrAlg::ALL {
            assert_eq!(EncrAlg::from_u8(e.to_u8()), Some(*e));
        }
        for m in MacAlg::ALL {
            assert_eq!(MacAlg::from_u8(m.to_u8()), Some(*m));
        }
        for k in PayloadKind::ALL {
            assert_eq!(PayloadKind::from_u8(k.to_u8()), Some(*k));
        }
        assert_eq!(EncrAlg::from_u8(4), None);
        assert_eq!(PayloadKind::from_next(255), None);
    }

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(DataType::from_u8(26), DataType::Unknown(26));
        assert_eq!(DataType::Unknown(26).to_u8(), 26);
        assert_eq!(ErrorNo::from_u8(243), ErrorNo::ForwardingFailed);
        assert!(ErrorNo::ForwardingFailed.name().contains("private"));
    }

    #[test]
    fn private_code_points_are_marked() {
        assert!(EncrAlg::AesCcm128.name().contains("private"));
        assert!(EncrAlg::AesCcm128_8.name().contains("private"));
        assert!(MacAlg::CcmTag.name().contains("private"));
        assert_eq!(EncrAlg::AesCcm128.ccm_tag_len(), Some(16));
        assert_eq!(EncrAlg::AesCcm128_8.ccm_tag_len(), Some(8));
    }

    #[test]
    fn next_payload_meaning_reads_well() {
        assert_eq!(PayloadKind::next_meaning(0x0B), "0x0B: a RAND payload follows");
        assert_eq!(PayloadKind::next_meaning(0), "0x00: this is the last payload");
    }

    #[test]
    fn dh_lengths() {
        assert_eq!(DhGroup::Oakley5.value_len(), 192);
        assert_eq!(DhGroup::Oakley1.value_len(), 96);
        assert_eq!(DhGroup::Oakley2.value_len(), 128);
    }
}

/// The kind of a MIKEY message on the wire (which template of RFC 3830 or of the paper).
/// The five messages of the distributed mode carry their kind in the D-MIKEY extension's
/// ROLE field ([`MsgKind::role_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MsgKind {
    /// Standard PSK mode I_MESSAGE (RFC 3830 §3.1).
    PskInit,
    /// Standard PSK mode R_MESSAGE (verification).
    PskVerify,
    /// Standard public-key mode I_MESSAGE (§3.2).
    PkInit,
    /// Standard public-key mode R_MESSAGE (verification).
    PkVerify,
    /// Diffie–Hellman mode I_MESSAGE (§3.3).
    DhInit,
    /// Diffie–Hellman mode R_MESSAGE.
    DhResp,
    /// Distributed mode: sensor → TPi (PSK I_MESSAGE carrying share i).
    ITp,
    /// Distributed mode: TPi → sensor (optional PSK verification).
    TpI,
    /// Distributed mode: TPi → R (PK I_MESSAGE carrying share i).
    TpR,
    /// Distributed mode: R → TPi (optional PK verification).
    RTp,
    /// Distributed mode: R → sensor (optional proof that R rebuilt the TGK).
    RI,
    /// An ERR message (data type 6).
    Error,
}

impl MsgKind {
    /// The value of the D-MIKEY extension's ROLE field for the five messages of the
    /// distributed mode; `None` for the standard modes' messages and ERR, which carry none.
    pub fn role_code(self) -> Option<u8> {
        match self {
            MsgKind::ITp => Some(1),
            MsgKind::TpI => Some(2),
            MsgKind::TpR => Some(3),
            MsgKind::RTp => Some(4),
            MsgKind::RI => Some(5),
            _ => None,
        }
    }

    /// The distributed-mode message a ROLE value names.
    pub fn from_role_code(v: u8) -> Option<MsgKind> {
        [MsgKind::ITp, MsgKind::TpI, MsgKind::TpR, MsgKind::RTp, MsgKind::RI]
            .into_iter()
            .find(|k| k.role_code() == Some(v))
    }

    /// The message as the paper and RFC 3830 name it, with its direction.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::PskInit => "I_MESSAGE (PSK)",
            MsgKind::PskVerify => "R_MESSAGE (PSK)",
            MsgKind::PkInit => "I_MESSAGE (PK)",
            MsgKind::PkVerify => "R_MESSAGE (PK)",
            MsgKind::DhInit => "I_MESSAGE (DH)",
            MsgKind::DhResp => "R_MESSAGE (DH)",
            MsgKind::ITp => "I_TP (sensor to third party)",
            MsgKind::TpI => "TP_I (third party to sensor)",
            MsgKind::TpR => "TP_R (third party to responder)",
            MsgKind::RTp => "R_TP (responder to third party)",
            MsgKind::RI => "R_I (responder to sensor)",
            MsgKind::Error => "ERR",
        }
    }
}
