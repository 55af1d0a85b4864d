//! The two example messages of RFC 4567 §5.1 (a MIKEY PSK exchange carried in SDP), as decoded by
//! hand field by field (docs/wire-format.md, "Test vectors"): I_MESSAGE (132 bytes) and R_MESSAGE
//! (71 bytes).
//!
//! Provenance: the RFC's base64 text could not be retrieved on this machine (no copy of
//! RFC 4567 in the reachable corpora). The bytes below are a field-by-field hex
//! decode of that base64; the encrypted key data (36 bytes) and the two 20-byte MACs, which
//! that decode does not give, are filled with marker bytes. What is checked is therefore the
//! structure the RFC example has: payload chain, code points, identities, lengths, and that a
//! strict decoder consumes exactly 132 and 71 bytes.

use dmikey::wire::*;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn i_message() -> Vec<u8> {
    let mut b = hex("01 00 05 80 cd177e50 01 00  00 00000000 00000000"); // HDR: next = T
    b.extend(hex("0b 00 c8e350ea00000000")); // T: next = RAND, NTP-UTC
    b.extend(hex("06 10 4a28da979ee21a7651a0d7f19136d98c")); // RAND: next = ID, 16 bytes
    b.extend(hex("0a 00 000f")); // ID: next = SP, NAI, 15 bytes
    b.extend(b"donald@duck.com");
    b.extend(hex("01 00 00 0000")); // SP: next = KEMAC, policy 0, SRTP, no params
    b.extend(hex("00 01 0024")); // KEMAC: last, AES-CM-128, 36 bytes
    b.extend([0xE0; 36]); // (encrypted key data: marker bytes)
    b.push(0x01); // HMAC-SHA-1-160
    b.extend([0xAC; 20]); // (MAC: marker bytes)
    b
}

fn r_message() -> Vec<u8> {
    let mut b = hex("01 01 05 80 cd177e50 01 00  00 00000000 00000000"); // HDR dt 1: next = T
    b.extend(hex("06 00 c8e350ea00000000")); // T (echo): next = ID
    b.extend(hex("09 00 0010")); // ID: next = V, NAI, 16 bytes
    b.extend(b"mickey@mouse.com");
    b.extend(hex("00 01")); // V: last, HMAC-SHA-1-160
    b.extend([0x5C; 20]); // (Ver data: marker bytes)
    b
}

#[test]
fn rfc4567_i_message_decodes_with_the_right_structure() {
    let bytes = i_message();
    assert_eq!(bytes.len(), 132);
    let d = Message::decode(&bytes).unwrap();
    d.layout.check_coverage(132).unwrap();
    let m = &d.message;
    assert_eq!(m.hdr.data_type, DataType::PskInit);
    assert!(m.hdr.v_flag);
    assert_eq!(m.hdr.prf, PrfFunc::Mikey1);
    assert_eq!(m.hdr.csb_id, 0xCD17_7E50);
    assert_eq!(m.hdr.cs_map, CsIdMap::SrtpId(vec![SrtpCs { policy_no: 0, ssrc: 0, roc: 0 }]));
    use PayloadKind as K;
    assert_eq!(m.kinds(), [K::T, K::Rand, K::Id, K::Sp, K::Kemac]);
    assert_eq!(m.timestamp(), Some(Timestamp::NtpUtc(0xC8E3_50EA_0000_0000)));
    assert_eq!(m.first::<Rand>().unwrap().0.len(), 16);
    assert_eq!(m.ids()[0], &Id { id_type: IdType::Nai, data: b"donald@duck.com".to_vec() });
    assert_eq!(
        m.first::<Sp>().unwrap(),
        &Sp { policy_no: 0, prot_type: ProtType::Srtp, params: vec![] }
    );
    let k = m.kemac().unwrap();
    assert_eq!(
        (k.encr_alg, k.encr_data.len(), k.mac_alg, k.mac.len()),
        (EncrAlg::AesCm128, 36, MacAlg::HmacSha1_160, 20)
    );
    // KEMAC is last and ends exactly at byte 132; its MAC is the last 20 bytes.
    let (i, r) = d.find::<Kemac>().unwrap();
    assert_eq!(r.end, 132);
    assert_eq!(d.field_range(i, "MAC"), Some(112..132));
    assert_eq!(m.encode(), bytes);
}

#[test]
fn rfc4567_r_message_decodes_with_the_right_structure() {
    let bytes = r_message();
    assert_eq!(bytes.len(), 71);
    let d = Message::decode(&bytes).unwrap();
    d.layout.check_coverage(71).unwrap();
    let m = &d.message;
    assert_eq!(m.hdr.data_type, DataType::PskVerify);
    use PayloadKind as K;
    assert_eq!(m.kinds(), [K::T, K::Id, K::V]);
    assert_eq!(m.ids()[0].data, b"mickey@mouse.com");
    let v = m.first::<V>().unwrap();
    assert_eq!((v.alg, v.data.len()), (MacAlg::HmacSha1_160, 20));
    assert_eq!(d.field_range(2, "Ver data"), Some(51..71));
    assert_eq!(m.encode(), bytes);
}
