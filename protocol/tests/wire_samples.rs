//! Real bytes from elsewhere: the mikey-oracle samples (built by hand with Python and checked
//! against Wireshark and GStreamer), good and bad.

mod wire_support;

use dmikey::Error;
use dmikey::wire::*;
use wire_support::data;

fn decode_file(name: &str) -> (Vec<u8>, Decoded) {
    let bytes = data(name);
    let d = Message::decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    d.layout.check_coverage(bytes.len()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(d.message.encode(), bytes, "{name} re-encodes to the same bytes");
    (bytes, d)
}

use PayloadKind as K;

#[test]
fn oracle_psk_init_decodes() {
    let (_, d) = decode_file("psk_init.bin");
    assert_eq!(d.message.hdr.data_type, DataType::PskInit);
    assert!(d.message.hdr.v_flag);
    assert_eq!(d.message.hdr.csb_id, 0x1234_5678);
    assert_eq!(d.message.kinds(), [K::T, K::Rand, K::Id, K::Id, K::Sp, K::Kemac]);
    let ids = d.message.ids();
    assert_eq!(ids[0].data, b"sip:alice@example.com");
    assert_eq!(ids[1].data, b"sip:bob@example.com");
    let k = d.message.kemac().unwrap();
    assert_eq!((k.encr_alg, k.mac_alg, k.encr_data.len(), k.mac.len()), (EncrAlg::AesCm128, MacAlg::HmacSha1_160, 20, 20));
    assert_eq!(d.message.first::<Sp>().unwrap().params.len(), 10);
}

#[test]
fn oracle_null_kemac_carries_a_readable_key_data_chain() {
    let (_, d) = decode_file("psk_init_null.bin");
    assert_eq!(d.message.kinds(), [K::T, K::Rand, K::Sp, K::Kemac]);
    let k = d.message.kemac().unwrap();
    assert_eq!(k.encr_alg, EncrAlg::Null);
    let (_, keys, layout) = decode_key_data_chain(&k.encr_data, false).unwrap();
    assert_eq!(keys[0].key_type, KeyDataType::Tgk);
    assert_eq!(keys[0].key, hex("00112233445566778899aabbccddeeff"));
    layout.check_coverage(k.encr_data.len()).unwrap();
}

#[test]
fn oracle_tek_salt_spi() {
    let (_, d) = decode_file("psk_init_tek_salt_spi.bin");
    let k = d.message.kemac().unwrap();
    let (_, keys, _) = decode_key_data_chain(&k.encr_data, false).unwrap();
    assert_eq!(keys[0].key_type, KeyDataType::TekSalt);
    assert_eq!(keys[0].salt.as_deref(), Some(&(0xA0..0xAE).collect::<Vec<u8>>()[..]));
    assert_eq!(keys[0].kv, KeyValidity::Spi(vec![7]));
}

#[test]
fn oracle_genext_minimal_and_verify() {
    let (_, d) = decode_file("psk_init_genext.bin");
    assert_eq!(d.message.kinds(), [K::T, K::Rand, K::GenExt, K::GenExt, K::Sp, K::Kemac]);
    let g: Vec<_> = d.message.all::<dmikey::wire::GenExt>().collect();
    assert_eq!(g[0].ext_type, GenExtType::VendorId);
    assert_eq!(g[1].ext_type, GenExtType::SdpIds);
    assert_eq!(g[1].data, b"1 2");

    let (_, d) = decode_file("psk_init_minimal.bin");
    assert_eq!(d.message.kinds(), [K::T, K::Rand, K::Kemac]);
    assert_eq!(d.message.hdr.cs_map, CsIdMap::SrtpId(vec![]));

    let (_, d) = decode_file("psk_verify.bin");
    assert_eq!(d.message.hdr.data_type, DataType::PskVerify);
    assert_eq!(d.message.kinds(), [K::T, K::Id, K::V]);
}

#[test]
fn oracle_pk_init_structure() {
    // Structure only: the PKE and SIGN bytes are filler.
    let (bytes, d) = decode_file("pk_init.bin");
    assert_eq!(d.message.kinds(), [K::T, K::Rand, K::Id, K::Id, K::Sp, K::Kemac, K::Pke, K::Sign]);
    let pke = d.message.first::<Pke>().unwrap();
    assert_eq!((pke.cache, pke.data.len()), (PkeCache::Cache, 128));
    let (i, r) = d.find::<dmikey::wire::Sign>().unwrap();
    assert_eq!(r.end, bytes.len());
    assert_eq!(d.message.first::<dmikey::wire::Sign>().unwrap().signature.len(), 128);
    assert_eq!(d.field_range(i, "Signature").unwrap().len(), 128);
}

#[test]
fn oracle_bad_samples_fail_with_named_errors() {
    assert!(matches!(
        Message::decode(&data("bad/bad_truncated.bin")).unwrap_err(),
        Error::Truncated { payload: "KEMAC", field: "MAC", needed: 20, left: 13 }
    ));
    assert_eq!(
        Message::decode(&data("bad/bad_next_payload.bin")).unwrap_err(),
        Error::UnknownPayloadType { value: 15, after: "T" }
    );
    let e = Message::decode(&data("bad/bad_length.bin")).unwrap_err();
    assert!(matches!(e, Error::Truncated { payload: "RAND", field: "RAND", needed: 240, .. }), "{e}");
    assert_eq!(Message::decode(&data("bad/bad_version.bin")).unwrap_err(), Error::BadVersion { value: 2 });
    assert_eq!(
        Message::decode(&data("bad/bad_trailing.bin")).unwrap_err(),
        Error::TrailingBytes { after: "KEMAC", count: 2 }
    );
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}
