//! Malformed inputs give the named error, and its sentence reads well: truncated, over-long,
//! wrong next payload, unknown payload type, reserved bits, bad version, trailing bytes.

mod wire_support;

use dmikey::Error;
use dmikey::wire::*;
use wire_support::*;

fn decode_err(bytes: &[u8]) -> Error {
    match Message::decode(bytes) {
        Ok(d) => panic!("decoded a bad message: {:?}", d.message.kinds()),
        Err(e) => e,
    }
}

#[test]
fn rand_cut_short_says_how_many_bytes_are_missing() {
    // HDR (19) + T (10) + RAND header (2) + 9 of 16 RAND bytes.
    let m = Message { hdr: hdr(DataType::PskInit, true), payloads: vec![t(), rand16()] };
    let bytes = m.encode();
    let e = decode_err(&bytes[..19 + 10 + 2 + 9]);
    assert_eq!(e, Error::Truncated { payload: "RAND", field: "RAND", needed: 16, left: 9 });
    assert!(e.to_string().starts_with("message truncated inside RAND (needs 16 bytes, 9 left)"), "{e}");
}

#[test]
fn every_strict_prefix_of_a_message_is_truncated() {
    for (name, m) in all_samples() {
        let bytes = m.encode();
        for cut in 0..bytes.len() {
            let e = decode_err(&bytes[..cut]);
            assert!(matches!(e, Error::Truncated { .. }), "{name} cut at {cut}: {e}");
        }
    }
}

#[test]
fn trailing_bytes_after_the_last_payload() {
    let mut bytes = psk_verify().encode();
    bytes.extend_from_slice(&[0xDE, 0xAD]);
    let e = decode_err(&bytes);
    assert_eq!(e, Error::TrailingBytes { after: "V", count: 2 });
    assert_eq!(e.to_string(), "2 unexpected bytes after the last payload (V)");
}

#[test]
fn bytes_after_sign_are_trailing() {
    let mut bytes = dh_init().encode();
    bytes.push(0);
    assert_eq!(decode_err(&bytes), Error::TrailingBytes { after: "SIGN", count: 1 });
}

#[test]
fn over_long_length_field_runs_past_the_end() {
    // ID len claims 0x0100 bytes; only a few follow.
    let m = Message { hdr: hdr(DataType::PskVerify, false), payloads: vec![id("sip:bob@example.com")] };
    let mut bytes = m.encode();
    bytes[19 + 2] = 0x01;
    let e = decode_err(&bytes);
    assert_eq!(e, Error::Truncated { payload: "ID", field: "ID data", needed: 0x0100 + 19, left: 19 });
    assert!(e.to_string().contains("truncated inside ID"), "{e}");
}

#[test]
fn wrong_next_payload_leaves_bytes_or_misreads() {
    // HDR says the chain is empty although a T payload follows: those bytes are trailing.
    let mut bytes = psk_verify().encode();
    bytes[2] = 0;
    assert!(matches!(decode_err(&bytes), Error::TrailingBytes { after: "HDR", .. }));
    // T's next payload says "last" although ID and V follow.
    let mut bytes = psk_verify().encode();
    bytes[19] = 0;
    assert_eq!(decode_err(&bytes), Error::TrailingBytes { after: "T", count: bytes.len() - 29 });
}

#[test]
fn unknown_next_payload_type_is_named() {
    let mut bytes = psk_verify().encode();
    bytes[19] = 15; // RANDR of RFC 6043, not supported here
    let e = decode_err(&bytes);
    assert_eq!(e, Error::UnknownPayloadType { value: 15, after: "T" });
    assert_eq!(e.to_string(), "unknown payload type 15 named by the Next payload byte of T");
}

#[test]
fn key_data_in_the_clear_is_unexpected() {
    let mut bytes = psk_verify().encode();
    bytes[19] = 20;
    let e = decode_err(&bytes);
    assert!(matches!(e, Error::UnexpectedPayload { .. }), "{e}");
    assert!(e.to_string().contains("only travels inside KEMAC"), "{e}");
}

#[test]
fn key_data_chain_with_wrong_next_payload() {
    let k = KeyData { key_type: KeyDataType::Tgk, key: vec![1; 16], salt: None, kv: KeyValidity::Null };
    let mut plain = encode_key_data_chain(Some(&Id::uri("tp:1")), std::slice::from_ref(&k));
    plain[0] = 11; // ID's next says RAND instead of Key data
    let e = decode_key_data_chain(&plain, true).unwrap_err();
    assert!(matches!(e, Error::UnexpectedPayload { .. }), "{e}");
    assert!(e.to_string().starts_with("the key data chain inside KEMAC: expected a Key data"), "{e}");
    plain[0] = 0;
    assert_eq!(
        decode_key_data_chain(&plain, true).unwrap_err(),
        Error::MissingPayload { payload: "Key data", message: "the key data chain inside KEMAC" }
    );
    let mut plain = encode_key_data_chain(None, std::slice::from_ref(&k));
    plain.push(0);
    assert!(matches!(decode_key_data_chain(&plain, false).unwrap_err(), Error::TrailingBytes { .. }));
}

#[test]
fn version_other_than_one_is_rejected() {
    let mut bytes = psk_verify().encode();
    bytes[0] = 2;
    let e = decode_err(&bytes);
    assert_eq!(e, Error::BadVersion { value: 2 });
    assert_eq!(e.to_string(), "MIKEY version 2 is not supported (only version 1 exists)");
}

#[test]
fn reserved_fields_must_be_zero() {
    let mut bytes = error_msg().encode();
    // ERR starts after HDR (19) and T (10): next, Error no, Reserved(2).
    bytes[29 + 3] = 1;
    let e = decode_err(&bytes);
    assert_eq!(e, Error::ReservedNotZero { payload: "ERR", field: "Reserved", value: 1 });
    assert_eq!(e.to_string(), "reserved field Reserved of ERR must be 0 but is 1");

    let m = Message {
        hdr: hdr(DataType::DhInit, true),
        payloads: vec![Payload::Dh(Dh { group: DhGroup::Oakley1, value: vec![1; 96], kv: KeyValidity::Null })],
    };
    let mut bytes = m.encode();
    let last = bytes.len() - 1;
    bytes[last] = 0x10;
    assert_eq!(decode_err(&bytes), Error::ReservedNotZero { payload: "DH", field: "Reserv", value: 1 });
}

#[test]
fn unknown_length_deciding_code_points_are_invalid_values() {
    // TS type 3 (NTP-UTC-32) is not supported.
    let mut bytes = psk_verify().encode();
    bytes[20] = 3;
    let e = decode_err(&bytes);
    assert!(matches!(e, Error::InvalidValue { payload: "T", field: "TS type", value: 3, .. }), "{e}");
    assert!(e.to_string().starts_with("invalid TS type 3 in T: "), "{e}");
}

#[test]
fn ccm_tag_needs_a_ccm_encryption_algorithm() {
    let k = Kemac { encr_alg: EncrAlg::AesCm128, encr_data: vec![1; 4], mac_alg: MacAlg::CcmTag, mac: vec![] };
    let bytes = Message { hdr: hdr(DataType::PskInit, false), payloads: vec![Payload::Kemac(k)] }.encode();
    let e = decode_err(&bytes);
    assert!(matches!(e, Error::InvalidValue { payload: "KEMAC", field: "MAC alg", value: 241, .. }), "{e}");
    assert!(e.to_string().contains("needs Encr alg 241 or 242"), "{e}");
    let k = Kemac { encr_alg: EncrAlg::AesCcm128_8, encr_data: vec![1; 4], mac_alg: MacAlg::HmacSha1_160, mac: vec![0; 20] };
    let bytes = Message { hdr: hdr(DataType::PskInit, false), payloads: vec![Payload::Kemac(k)] }.encode();
    assert!(decode_err(&bytes).to_string().contains("must be paired with MAC alg 241"));
}

#[test]
fn sp_parameter_running_past_its_length_is_caught() {
    let bytes = psk_init().encode();
    let d = Message::decode(&bytes).unwrap();
    let sp = d.message.position::<Sp>().unwrap();
    let r = d.field_range(sp, "Param length").unwrap();
    let mut bad = bytes.clone();
    bad[r.start] = 5; // the first parameter claims 5 bytes, more than the 12 bytes of params allow
    let e = decode_err(&bad);
    assert!(matches!(e, Error::Truncated { payload: "SP", .. } | Error::TrailingBytes { .. }), "{e}");
}
