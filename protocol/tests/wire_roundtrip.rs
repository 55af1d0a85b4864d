//! Round trips: every payload type and every code point encodes and decodes to itself, and
//! the layout of every sample message covers 100 % of its bytes with no overlap.

mod wire_support;

use dmikey::wire::*;
use wire_support::*;

fn round_trip(m: &Message) -> Decoded {
    let bytes = m.encode();
    let d = Message::decode(&bytes).unwrap_or_else(|e| panic!("decode failed: {e}"));
    assert_eq!(&d.message, m);
    assert_eq!(d.message.encode(), bytes);
    d.layout.check_coverage(bytes.len()).unwrap();
    d
}

#[test]
fn every_message_kind_round_trips_with_full_coverage() {
    for (name, m) in all_samples() {
        let d = round_trip(&m);
        assert_eq!(d.layout.payloads.len(), m.payloads.len() + 1, "{name}");
        assert_eq!(d.layout.payloads[0].kind, PayloadKind::Hdr);
    }
}

#[test]
fn payload_before_sign_carries_next_payload_4() {
    let m = pk_init();
    let bytes = m.encode();
    let d = Message::decode(&bytes).unwrap();
    let pke = d.message.position::<Pke>().unwrap();
    let next = d.field_range(pke, "Next payload").unwrap();
    assert_eq!(bytes[next.start], 4);
    // SIGN has no Next payload field at all.
    let sign = d.message.position::<Sign>().unwrap();
    assert_eq!(d.field_range(sign, "Next payload"), None);
    assert_eq!(d.range_of(sign).end, bytes.len());
}

#[test]
fn every_timestamp_type_round_trips() {
    for ts in
        [Timestamp::NtpUtc(T_NTP), Timestamp::Ntp(0xC8E3_50EA_0000_0000), Timestamp::Counter(9)]
    {
        let m = Message { hdr: hdr(DataType::PskVerify, false), payloads: vec![Payload::T(T(ts))] };
        round_trip(&m);
    }
}

#[test]
fn every_encr_and_mac_alg_pair_round_trips() {
    let pairs = [
        (EncrAlg::Null, MacAlg::Null, 0),
        (EncrAlg::AesCm128, MacAlg::HmacSha1_160, 20),
        (EncrAlg::AesKw128, MacAlg::Null, 0),
        (EncrAlg::AesCm256, MacAlg::HmacSha256_256, 32),
        (EncrAlg::AesCcm128, MacAlg::CcmTag, 16),
        (EncrAlg::AesCcm128_8, MacAlg::CcmTag, 8),
    ];
    for (e, mac_alg, n) in pairs {
        let k = Kemac { encr_alg: e, encr_data: vec![1; 5], mac_alg, mac: vec![2; n] };
        let m = Message { hdr: hdr(DataType::PskInit, false), payloads: vec![Payload::Kemac(k)] };
        let d = round_trip(&m);
        assert_eq!(d.field_range(0, "MAC").unwrap().len(), n);
    }
}

#[test]
fn every_v_alg_chash_func_dh_group_and_sign_type_round_trips() {
    let mut payloads = Vec::new();
    for (alg, n) in [(MacAlg::Null, 0), (MacAlg::HmacSha1_160, 20), (MacAlg::HmacSha256_256, 32)] {
        payloads.push(Payload::V(V { alg, data: vec![3; n] }));
    }
    for f in HashFunc::ALL {
        payloads.push(Payload::Chash(Chash { func: *f, hash: vec![4; f.hash_len()] }));
    }
    for g in DhGroup::ALL {
        payloads.push(Payload::Dh(Dh {
            group: *g,
            value: vec![5; g.value_len()],
            kv: KeyValidity::Null,
        }));
    }
    payloads.push(Payload::Dh(Dh {
        group: DhGroup::Oakley1,
        value: vec![6; 96],
        kv: KeyValidity::Interval { from: vec![0; 6], to: vec![0xFF; 6] },
    }));
    for c in PkeCache::ALL {
        payloads.push(Payload::Pke(Pke { cache: *c, data: vec![7; 128] }));
    }
    round_trip(&Message { hdr: hdr(DataType::DhInit, true), payloads: payloads.clone() });
    for s in SignType::ALL {
        let mut p = payloads.clone();
        p.push(Payload::Sign(Sign { stype: *s, signature: vec![8; 4095] }));
        round_trip(&Message { hdr: hdr(DataType::DhInit, true), payloads: p });
    }
}

#[test]
fn every_open_code_point_round_trips() {
    let mut payloads = Vec::new();
    for t in IdType::ALL.iter().copied().chain([IdType::Unknown(200)]) {
        payloads.push(Payload::Id(Id { id_type: t, data: b"x".to_vec() }));
    }
    for t in CertType::ALL.iter().copied().chain([CertType::Unknown(9)]) {
        payloads.push(Payload::Cert(Cert { cert_type: t, data: vec![0x30, 0] }));
    }
    for e in ErrorNo::ALL.iter().copied().chain([ErrorNo::Unknown(250)]) {
        payloads.push(Payload::Err(Err { code: e }));
    }
    for g in GenExtType::ALL.iter().copied().filter(|g| *g != GenExtType::Dmikey) {
        payloads.push(Payload::GenExt(GenExt { ext_type: g, data: b"ACME".to_vec() }));
    }
    payloads.push(Payload::GenExt(dmikey_ext_itp().to_genext()));
    payloads.push(Payload::Sp(Sp {
        policy_no: 3,
        prot_type: ProtType::Unknown(7),
        params: vec![],
    }));
    payloads.push(Payload::Rand(Rand(vec![])));
    for dt in DataType::ALL.iter().copied().chain([DataType::Unknown(26)]) {
        for prf in PrfFunc::ALL {
            let mut h = hdr(dt, dt == DataType::PskInit);
            h.prf = *prf;
            round_trip(&Message { hdr: h, payloads: payloads.clone() });
        }
    }
}

#[test]
fn cs_id_maps_round_trip() {
    for map in [
        CsIdMap::SrtpId(vec![]),
        CsIdMap::SrtpId(
            (0..3).map(|i| SrtpCs { policy_no: i, ssrc: u32::from(i) * 7, roc: 1 }).collect(),
        ),
        CsIdMap::Empty { cs_count: 0 },
        CsIdMap::Empty { cs_count: 1 },
    ] {
        let mut h = hdr(DataType::PskInit, true);
        h.cs_map = map;
        let d = round_trip(&Message { hdr: h.clone(), payloads: vec![t()] });
        // 10 fixed bytes, then 9 bytes per SRTP crypto session (not "16 bits").
        let per_cs = if matches!(h.cs_map, CsIdMap::SrtpId(_)) { 9 } else { 0 };
        assert_eq!(d.hdr_range().len(), 10 + per_cs * usize::from(h.cs_map.cs_count()));
    }
}

#[test]
fn key_data_chain_every_type_and_kv_round_trips() {
    let keys: Vec<KeyData> = KeyDataType::ALL
        .iter()
        .zip([
            KeyValidity::Null,
            KeyValidity::Spi(vec![7]),
            KeyValidity::Interval { from: vec![0; 6], to: vec![1; 6] },
            KeyValidity::Null,
        ])
        .map(|(t, kv)| KeyData {
            key_type: *t,
            key: (0x10..0x20).collect(),
            salt: t.has_salt().then(|| (0xA0..0xAE).collect()),
            kv,
        })
        .collect();
    for first_id in [None, Some(Id::uri("tp:2"))] {
        let plain = encode_key_data_chain(first_id.as_ref(), &keys);
        let (id, back, layout) = decode_key_data_chain(&plain, first_id.is_some()).unwrap();
        assert_eq!(id, first_id);
        assert_eq!(back, keys);
        layout.check_coverage(plain.len()).unwrap();
    }
}

#[test]
fn pk_mode_chain_starts_with_id_whose_next_is_20() {
    let k =
        KeyData { key_type: KeyDataType::Tgk, key: vec![9; 16], salt: None, kv: KeyValidity::Null };
    let plain = encode_key_data_chain(Some(&Id::uri("tp:1")), std::slice::from_ref(&k));
    assert_eq!(plain[0], 20);
    let (_, _, layout) = decode_key_data_chain(&plain, true).unwrap();
    assert_eq!(layout.payloads[0].kind, PayloadKind::Id);
    assert_eq!(layout.payloads[1].kind, PayloadKind::KeyData);
    // The plaintext of tests/crypto_vectors.rs (docs/wire-format.md, "Test vectors"): next 0, TGK,
    // KV 0, len 16, TGK = 10..1f.
    let tgk = KeyData {
        key_type: KeyDataType::Tgk,
        key: (0x10..0x20).collect(),
        salt: None,
        kv: KeyValidity::Null,
    };
    let plain = encode_key_data_chain(None, &[tgk]);
    assert_eq!(plain, [&[0x00, 0x00, 0x00, 0x10][..], &(0x10..0x20).collect::<Vec<u8>>()].concat());
}

#[test]
fn meanings_are_words() {
    let m = psk_init();
    let bytes = m.encode();
    let d = Message::decode(&bytes).unwrap();
    let (_, f) = d.layout.field_at(2).unwrap();
    assert_eq!(f.label, "Next payload");
    assert_eq!(f.meaning, "0x05: a T payload follows");
    let (p, f) = d.layout.field_at(d.range_of(0).start + 2).unwrap();
    assert_eq!(p.kind, PayloadKind::T);
    assert_eq!(f.meaning, "NTP-UTC 2026-11-24 18:30:00 UTC");
    let (_, f) = d.layout.field_at(d.range_of(0).start).unwrap();
    assert_eq!(f.meaning, "0x0B: a RAND payload follows");
    let sp = d.message.position::<Sp>().unwrap();
    let sp_span = &d.layout.payloads[sp + 1];
    assert!(sp_span.fields.iter().any(|f| f.meaning == "1: Session encryption key length"));
    assert!(sp_span.fields.iter().any(|f| f.meaning == "1 = AES-CM"));
}

#[test]
fn dmikey_genext_tlvs_are_annotated_inside_the_message() {
    let m = dmikey_i_tp_ccm();
    let bytes = m.encode();
    let d = Message::decode(&bytes).unwrap();
    let g = d.message.position::<GenExt>().unwrap();
    let span = &d.layout.payloads[g + 1];
    assert!(span.fields.iter().any(|f| f.label == "SCHEME" && f.meaning.contains("Shamir")));
    assert!(span.fields.iter().any(|f| f.label == "KCV" && f.meaning.contains("b135e762e28cf44c")));
    assert_eq!(d.message.dmikey_ext().unwrap().unwrap(), dmikey_ext_itp());
}

/// Writes every sample to `$DMIKEY_SAMPLE_DIR` (default: the system temp dir) so that
/// `shared/tools/mikey-oracle/check.sh` can decode our encoder's output with tshark.
/// Run with `cargo test -p dmikey --test wire_roundtrip -- --ignored`.
#[test]
#[ignore]
fn write_samples_for_the_oracle() {
    let dir = std::env::var("DMIKEY_SAMPLE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("dmikey-wire-samples"));
    std::fs::create_dir_all(&dir).unwrap();
    // Variants inside what tshark 4.0 dissects: no fake CERT (its X.509 dissector rejects
    // filler), no CHASH (not dissected), DH with KV 0 only.
    let mut pk_plain = pk_init();
    pk_plain.payloads.retain(|p| !matches!(p, Payload::Cert(_) | Payload::Chash(_)));
    pk_plain.payloads.insert(2, id("tp:1"));
    let mut dh_kv0 = dh_resp();
    for p in &mut dh_kv0.payloads {
        if let Payload::Dh(dh) = p {
            dh.kv = KeyValidity::Null;
        }
    }
    let extra = [("PK init plain", pk_plain), ("DH resp KV0", dh_kv0)];
    for (name, m) in all_samples().into_iter().chain(extra) {
        let file = name.to_lowercase().replace([' ', '(', ')'], "_");
        std::fs::write(dir.join(format!("{file}.bin")), m.encode()).unwrap();
    }
}
