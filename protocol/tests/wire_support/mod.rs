//! Sample messages of every data type, built from typed payloads, shared by the wire tests.
#![allow(dead_code)]

use dmikey::sharing::Scheme;
use dmikey::wire::MsgKind;
use dmikey::wire::genext::TypedId;
use dmikey::wire::*;

pub const CSB: u32 = 0x1234_5678;
/// 2026-11-24 18:30:00 UTC as NTP.
pub const T_NTP: u64 = ((1_795_545_000u64 + 2_208_988_800) & 0xFFFF_FFFF) << 32;

pub fn hdr(data_type: DataType, v_flag: bool) -> Hdr {
    Hdr {
        version: 1,
        data_type,
        v_flag,
        prf: PrfFunc::Mikey1,
        csb_id: CSB,
        cs_map: CsIdMap::SrtpId(vec![SrtpCs { policy_no: 0, ssrc: 0xDEAD_BEEF, roc: 0 }]),
    }
}

pub fn t() -> Payload {
    Payload::T(T(Timestamp::NtpUtc(T_NTP)))
}

pub fn rand16() -> Payload {
    Payload::Rand(Rand((0xA0..0xB0).collect()))
}

pub fn id(s: &str) -> Payload {
    Payload::Id(Id::uri(s))
}

pub fn sp_defaults() -> Payload {
    Payload::Sp(Sp {
        policy_no: 0,
        prot_type: ProtType::Srtp,
        params: vec![
            SpParam { typ: 0, value: vec![1] },
            SpParam { typ: 1, value: vec![16] },
            SpParam { typ: 2, value: vec![1] },
            SpParam { typ: 11, value: vec![10] },
        ],
    })
}

pub fn kemac_psk(encr_len: usize) -> Payload {
    Payload::Kemac(Kemac {
        encr_alg: EncrAlg::AesCm128,
        encr_data: vec![0x3D; encr_len],
        mac_alg: MacAlg::HmacSha1_160,
        mac: vec![0x11; 20],
    })
}

/// PSK I_MESSAGE: HDR, T, RAND, IDi, IDr, SP, KEMAC.
pub fn psk_init() -> Message {
    Message {
        hdr: hdr(DataType::PskInit, true),
        payloads: vec![
            t(),
            rand16(),
            id("sip:alice@example.com"),
            id("sip:bob@example.com"),
            sp_defaults(),
            kemac_psk(20),
        ],
    }
}

/// PSK verification message: HDR, T, IDr, V.
pub fn psk_verify() -> Message {
    Message {
        hdr: hdr(DataType::PskVerify, false),
        payloads: vec![
            t(),
            id("sip:bob@example.com"),
            Payload::V(V { alg: MacAlg::HmacSha1_160, data: vec![0x22; 20] }),
        ],
    }
}

/// PK I_MESSAGE: HDR, T, RAND, CERTi, IDr, SP, KEMAC, CHASH, PKE, SIGN.
pub fn pk_init() -> Message {
    Message {
        hdr: hdr(DataType::PkInit, true),
        payloads: vec![
            t(),
            rand16(),
            Payload::Cert(Cert { cert_type: CertType::X509v3Sign, data: vec![0x30; 300] }),
            id("server:r"),
            sp_defaults(),
            kemac_psk(34),
            Payload::Chash(Chash { func: HashFunc::Sha256, hash: vec![0x44; 32] }),
            Payload::Pke(Pke { cache: PkeCache::NoCache, data: vec![0xE5; 384] }),
            Payload::Sign(Sign { stype: SignType::Pss, signature: vec![0x5A; 384] }),
        ],
    }
}

/// PK verification message: HDR, T, IDr, V (HMAC-SHA-256-256).
pub fn pk_verify() -> Message {
    Message {
        hdr: hdr(DataType::PkVerify, false),
        payloads: vec![
            t(),
            id("server:r"),
            Payload::V(V { alg: MacAlg::HmacSha256_256, data: vec![0x33; 32] }),
        ],
    }
}

/// DH init: HDR, T, RAND, IDi, DH (OAKLEY 5), SIGN.
pub fn dh_init() -> Message {
    Message {
        hdr: hdr(DataType::DhInit, true),
        payloads: vec![
            t(),
            rand16(),
            id("sip:alice@example.com"),
            Payload::Dh(Dh {
                group: DhGroup::Oakley5,
                value: vec![0x77; 192],
                kv: KeyValidity::Null,
            }),
            Payload::Sign(Sign { stype: SignType::Pkcs1v15, signature: vec![0x5A; 256] }),
        ],
    }
}

/// DH response: HDR, T, IDr, DHr, DHi, SIGN.
pub fn dh_resp() -> Message {
    Message {
        hdr: hdr(DataType::DhResp, false),
        payloads: vec![
            t(),
            id("sip:bob@example.com"),
            Payload::Dh(Dh {
                group: DhGroup::Oakley5,
                value: vec![0x78; 192],
                kv: KeyValidity::Spi(vec![1, 2, 3, 4]),
            }),
            Payload::Dh(Dh {
                group: DhGroup::Oakley5,
                value: vec![0x77; 192],
                kv: KeyValidity::Null,
            }),
            Payload::Sign(Sign { stype: SignType::Pss, signature: vec![0x5B; 256] }),
        ],
    }
}

/// Error message: HDR, T, ERR, V.
pub fn error_msg() -> Message {
    Message {
        hdr: hdr(DataType::Error, false),
        payloads: vec![
            t(),
            Payload::Err(Err { code: ErrorNo::InsufficientShares }),
            Payload::V(V { alg: MacAlg::HmacSha1_160, data: vec![0x66; 20] }),
        ],
    }
}

pub fn dmikey_ext_itp() -> DmikeyExt {
    DmikeyExt {
        role: Some(MsgKind::ITp),
        scheme: Some(Scheme::Shamir),
        k: Some(2),
        n: Some(3),
        index: Some(1),
        secret_len: Some(16),
        final_r_id: Some(TypedId { id_type: IdType::Uri, data: b"server:r".to_vec() }),
        kcv: Some([0xb1, 0x35, 0xe7, 0x62, 0xe2, 0x8c, 0xf4, 0x4c]),
        ..Default::default()
    }
}

/// D-MIKEY I_TP1 with the CCM profile (private 241/241, 16-byte tag) and an Empty CS map.
pub fn dmikey_i_tp_ccm() -> Message {
    let mut h = hdr(DataType::PskInit, false);
    h.cs_map = CsIdMap::Empty { cs_count: 1 };
    Message {
        hdr: h,
        payloads: vec![
            Payload::T(T(Timestamp::Counter(7))),
            rand16(),
            id("sensor:ecg-7"),
            id("tp:1"),
            Payload::GenExt(dmikey_ext_itp().to_genext()),
            Payload::Kemac(Kemac {
                encr_alg: EncrAlg::AesCcm128,
                encr_data: vec![0x3E; 20],
                mac_alg: MacAlg::CcmTag,
                mac: vec![0x99; 16],
            }),
        ],
    }
}

/// Every sample with its name.
pub fn all_samples() -> Vec<(&'static str, Message)> {
    vec![
        ("PSK init", psk_init()),
        ("PSK verify", psk_verify()),
        ("PK init", pk_init()),
        ("PK verify", pk_verify()),
        ("DH init", dh_init()),
        ("DH resp", dh_resp()),
        ("Error", error_msg()),
        ("D-MIKEY I_TP (CCM)", dmikey_i_tp_ccm()),
    ]
}

pub fn data(name: &str) -> Vec<u8> {
    let p = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}
