//! Messages made elsewhere: by the `mykey` crate (crates.io, 2.3.1; its PSK and DH
//! I_MESSAGEs), and a GStreamer-style PSK message (NULL encryption, NULL MAC, a TEK with SPI
//! key validity) written byte by byte from RFC 3830 §6.1–§6.14. Every byte is annotated, and
//! the verdicts say what RFC 3830 thinks. Native only: `mykey` is a dev-dependency for
//! targets other than wasm32.
#![cfg(not(target_arch = "wasm32"))]

use dmikey::sim::{
    CalcKind, Check, DecodeKeys, InputFormat, Inspection, Level, Opened, decode_input,
};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn every_byte_annotated(i: &Inspection) {
    i.check_coverage().unwrap_or_else(|e| panic!("{e}"));
    assert!(i.fields.iter().all(|f| f.span.label != "Undecoded"), "{:?}", i.decode_error);
    for d in &i.decrypted {
        if let Opened::Open { plaintext, fields, .. } = &d.opened {
            let covered: usize = fields.iter().map(|f| f.span.range.len()).sum();
            assert_eq!(
                covered,
                plaintext.len(),
                "{}: the inner fields cover the plaintext",
                d.title
            );
        }
    }
}

const PSK: [u8; 16] = [0x5A; 16];
const RAND: [u8; 16] = [0x13; 16];
const CSB: u32 = 0x1122_3344;

fn mykey_psk_message() -> mykey::MikeyMessage {
    mykey::MikeyMessage::new_psk_init_at(
        CSB,
        0xCAFE_F00D,
        &RAND,
        &PSK,
        mykey::payload::Timestamp::Counter(7),
    )
    .expect("mykey builds its PSK I_MESSAGE")
}

#[test]
fn mykey_psk_verdict_names_the_256_bit_auth_key_and_the_cs_id_0_tek() {
    let m = mykey_psk_message();
    let bytes = m.to_bytes().to_vec();
    let keys = DecodeKeys { psk: Some(PSK.to_vec()), ..DecodeKeys::default() };
    let out = decode_input(hex(&bytes).as_bytes(), InputFormat::Hex, &keys).expect("decodes");
    let i = &out.messages[0].inspection;
    every_byte_annotated(i);

    // The RFC's 160-bit auth_key does not verify it; the 256-bit one does.
    let macs: Vec<_> = i.calculations_of(CalcKind::KemacMac).collect();
    assert!(
        matches!(&macs[0].check, Check::Failed(s) if s.contains("256-bit auth_key") && s.contains("mykey")),
        "{:?}",
        macs[0].check
    );
    assert!(macs.iter().any(|c| c.check.is_ok()), "it verifies under the 256-bit key");
    let auth: Vec<_> = i.calculations_of(CalcKind::AuthKey).collect();
    assert!(
        auth.iter().any(|c| c.output.bytes.len() == 20)
            && auth.iter().any(|c| c.output.bytes.len() == 32)
    );
    let verdict: Vec<&str> =
        i.findings.iter().filter(|f| f.level == Level::Warning).map(|f| f.text.as_str()).collect();
    assert!(verdict.iter().any(|t| t.contains("256-bit auth_key")), "{verdict:?}");
    assert!(verdict.iter().any(|t| t.contains("cs_id 0")), "{verdict:?}");

    // The TGK inside equals what mykey recovers, and the cs_id 0 TEK equals mykey's.
    let tgk = m.verify_and_extract_tgk(&PSK).expect("mykey opens its own message");
    let opened = i.decrypted.iter().find_map(|d| match &d.opened {
        Opened::Open { values, .. } => values.iter().find(|v| v.name == "TGK"),
        Opened::Sealed { .. } => None,
    });
    assert_eq!(opened.map(|v| v.bytes.clone()), Some(tgk));
    let srtp = m
        .complete_psk(&PSK, mykey::srtp::SrtpCryptoSuite::AES_128_CM_SHA1_80)
        .expect("mykey derives");
    let tek0 = i
        .calculations_of(CalcKind::Tek)
        .find(|c| c.title.contains("cs_id 0"))
        .expect("the cs_id 0 TEK");
    assert_eq!(tek0.output.bytes, srtp.master_key);
    // …and it is not the TEK of crypto session 1, which the RFC derives.
    let tek1 = i
        .calculations_of(CalcKind::Tek)
        .find(|c| c.title.contains("crypto session 1"))
        .expect("TEK of CS 1");
    assert_ne!(tek1.output.bytes, srtp.master_key);
}

#[test]
fn mykey_psk_without_the_key_is_annotated_and_sealed() {
    let bytes = mykey_psk_message().to_bytes().to_vec();
    let i = Inspection::of_bytes(&bytes, &DecodeKeys::default());
    every_byte_annotated(&i);
    assert!(i.decrypted.iter().any(|d| matches!(d.opened, Opened::Sealed { .. })));
}

#[test]
fn mykey_dh_messages_decode() {
    // X25519 (mykey's default, DH-Group 255, outside RFC 3830): read leniently.
    let x = mykey::MikeyMessage::new_dh_init(CSB, 1, &RAND, &[0x42; 32]).expect("mykey DH");
    let i = Inspection::of_bytes(x.to_bytes(), &DecodeKeys::default());
    every_byte_annotated(&i);
    assert!(i.findings.iter().any(|f| f.text.contains("DH-Group 255")), "{:?}", i.findings);
    assert!(
        i.findings.iter().any(|f| f.level == Level::Error && f.text.contains("no SIGN")),
        "{:?}",
        i.findings
    );
    let dh = i.payloads.iter().find(|p| p.name == "DH").expect("DH payload");
    assert_eq!(dh.range.len(), 1 + 1 + 32 + 1);

    // OAKLEY 2 (1024-bit MODP): an RFC group, the strict decoder reads it.
    let mut value = vec![0u8; 128];
    value[127] = 2;
    let m = mykey::MikeyMessage::new_dh_init_modp(
        CSB,
        1,
        &RAND,
        mykey::payload::DhGroup::Oakley2,
        &value,
    )
    .expect("mykey MODP DH");
    assert!(dmikey::wire::Message::decode(m.to_bytes()).is_ok());
    let i = Inspection::of_bytes(m.to_bytes(), &DecodeKeys::default());
    every_byte_annotated(&i);
}

/// A PSK I_MESSAGE as GStreamer's RTSP server sends it (NULL encryption, NULL MAC, a TEK with
/// an SPI/MKI), written out field by field.
fn gstreamer_style() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let tek = unhex("00112233445566778899aabbccddeeff");
    let mki = unhex("00000001");
    let msg = unhex(&format!(
        "{}{}{}{}{}",
        // HDR (§6.1): version 1, data type 0 (PSK init), next 5 (T), V 0 / PRF 0, CSB ID,
        // #CS 1, CS ID map type 0 (SRTP-ID), policy 0, SSRC, ROC 0
        "01 00 05 00 deadbeef 01 00 00 12345678 00000000",
        // T (§6.6): next 11 (RAND), TS type 0 (NTP-UTC), 8-byte value
        "0b 00 e8f1a2b3c4d5e6f7",
        // RAND (§6.11): next 10 (SP), length 16
        "0a 10 0102030405060708090a0b0c0d0e0f10",
        // SP (§6.10): next 1 (KEMAC), policy 0, prot type 0 (SRTP), param length 9:
        // type 0 (enc alg) = 1 (AES-CM), type 1 (enc key len) = 16, type 2 (auth alg) = 1
        // (HMAC-SHA-1) — §6.10.1
        "01 00 00 0009 00 01 01 01 01 10 02 01 01",
        // KEMAC (§6.2): next 0, Encr alg 0 (NULL), Encr data len 25, then the Key data
        // sub-payload in the clear (§6.13): next 0, Type 2 (TEK) / KV 1 (SPI), key len 16,
        // the TEK, SPI len 4, the MKI (§6.14); MAC alg 0 (NULL), no MAC
        "00 00 0019",
    ));
    let mut m = msg;
    m.extend_from_slice(&unhex("00 21 0010"));
    m.extend_from_slice(&tek);
    m.push(4);
    m.extend_from_slice(&mki);
    m.push(0);
    (m, tek, mki)
}

#[test]
fn gstreamer_style_null_tek_spi_message_decodes_fully_with_the_rfc_verdict() {
    let (bytes, tek, mki) = gstreamer_style();
    // Encr data len: 1 + 1 + 2 + 16 + 1 + 4 = 25.
    let i = Inspection::of_bytes(&bytes, &DecodeKeys::default());
    every_byte_annotated(&i);
    assert!(i.decode_error.is_none(), "{:?}", i.decode_error);
    let text: Vec<&str> = i.findings.iter().map(|f| f.text.as_str()).collect();
    assert!(text.iter().any(|t| t.contains("NULL MAC") && t.contains("SHOULD NOT")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("NULL encryption")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("TEK") && t.contains("not a TGK")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("SPI/MKI 0x00000001")), "{text:?}");
    let values = i
        .decrypted
        .iter()
        .find_map(|d| match &d.opened {
            Opened::Open { values, fields, .. } => Some((values.clone(), fields.clone())),
            Opened::Sealed { .. } => None,
        })
        .expect("NULL encryption: open to anyone");
    assert!(values.0.iter().any(|v| v.name == "TEK" && v.bytes == tek));
    assert!(values.0.iter().any(|v| v.name == "SPI/MKI" && v.bytes == mki));
    assert!(values.1.iter().any(|f| f.span.label == "SPI"));
    // A PSK given changes nothing: there is no MAC to check, and nothing claims otherwise.
    let with_psk = Inspection::of_bytes(
        &bytes,
        &DecodeKeys { psk: Some(PSK.to_vec()), ..DecodeKeys::default() },
    );
    assert!(with_psk.calculations.iter().all(|c| c.kind != CalcKind::KemacMac));
}

#[test]
fn sdp_and_rtsp_carry_the_same_message() {
    use base64::Engine as _;
    let (bytes, ..) = gstreamer_style();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let sdp = format!(
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\na=key-mgmt:mikey {b64}\r\nm=video 0 RTP/SAVP 96\r\n"
    );
    let rtsp = format!("RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n\r\n{sdp}");
    for (input, format) in [
        (sdp.clone(), InputFormat::Sdp),
        (sdp, InputFormat::Auto),
        (rtsp.clone(), InputFormat::Rtsp),
        (rtsp, InputFormat::Auto),
        (b64.clone(), InputFormat::Base64),
        (hex(&bytes), InputFormat::Auto),
    ] {
        let out = decode_input(input.as_bytes(), format, &DecodeKeys::default()).expect("decodes");
        assert_eq!(out.messages.len(), 1, "{format:?}");
        assert_eq!(out.messages[0].inspection.bytes, bytes, "{format:?}");
    }
    let header =
        format!("RTSP/1.0 200 OK\r\nKeyMgmt: prot=mikey; uri=\"rtsp://x\"; data=\"{b64}\"\r\n\r\n");
    let out =
        decode_input(header.as_bytes(), InputFormat::Auto, &DecodeKeys::default()).expect("header");
    assert_eq!(out.messages[0].inspection.bytes, bytes);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let k = DecodeKeys::default();
    assert_eq!(decode_input(b"  \n", InputFormat::Auto, &k), Err(dmikey::sim::InputError::Empty));
    assert!(matches!(
        decode_input(b"01zz", InputFormat::Hex, &k),
        Err(dmikey::sim::InputError::BadHex { .. })
    ));
    assert!(matches!(
        decode_input(b"v=0\r\ns=-\r\n", InputFormat::Sdp, &k),
        Err(dmikey::sim::InputError::NoMikey(_))
    ));
    assert!(matches!(
        decode_input(b"\xd4\xc3\xb2\xa1", InputFormat::Pcap, &k),
        Err(dmikey::sim::InputError::BadPcap(_))
    ));
    // Garbage hex decodes as far as it goes: every byte still has a field.
    let out = decode_input(b"0100ff", InputFormat::Hex, &k).expect("hex");
    let i = &out.messages[0].inspection;
    i.check_coverage().expect("covered");
    assert!(i.decode_error.is_some());
}

#[test]
fn a_v_mac_without_the_identities_is_recognised() {
    // A run's PSK I_MESSAGE and R_MESSAGE, the V MAC recomputed libmikey's way (M ‖ T,
    // identities omitted), both in one SDP text: the inspector checks the second with the
    // RAND of the first, and says how it verifies.
    use base64::Engine as _;
    use hmac::{Hmac, KeyInit, Mac};
    let mut cfg = dmikey::roles::SessionConfig::standard(dmikey::roles::Mode::Psk);
    cfg.rsa_bits = dmikey::crypto::rsa::RsaBits::B1024;
    cfg.seed = Some(4);
    let mut sim = dmikey::sim::Simulation::new(cfg).expect("sim");
    sim.run_to_end();
    let cap = sim.capture();
    let init = cap.iter().find(|p| p.kind == dmikey::roles::MsgKind::PskInit).expect("I_MESSAGE");
    let ver = cap.iter().find(|p| p.kind == dmikey::roles::MsgKind::PskVerify).expect("R_MESSAGE");
    let psk = sim.pki().psk_with_r().expect("PSK").to_vec();
    let keys = DecodeKeys { psk: Some(psk), ..DecodeKeys::default() };
    let auth = {
        let out = decode_input(hex(&ver.bytes).as_bytes(), InputFormat::Hex, &keys).expect("alone");
        // Alone, the R_MESSAGE's V cannot be checked: the I_MESSAGE's RAND is missing.
        let v = out.messages[0].inspection.calculations_of(CalcKind::VMac).next().expect("V");
        assert!(matches!(v.check, Check::NotChecked(_)), "{:?}", v.check);
        let sdp = |b: &[u8]| {
            format!("a=key-mgmt:mikey {}", base64::engine::general_purpose::STANDARD.encode(b))
        };
        let both = format!("{}\r\n{}\r\n", sdp(&init.bytes), sdp(&ver.bytes));
        let out = decode_input(both.as_bytes(), InputFormat::Sdp, &keys).expect("both");
        let v = out.messages[1].inspection.calculations_of(CalcKind::VMac).next().expect("V");
        assert!(v.check.is_ok(), "{:?}", v.check);
        v.inputs[0].bytes.clone()
    };
    let mut bytes = ver.bytes.clone();
    let n = bytes.len();
    let t = dmikey::wire::Message::decode(&bytes).expect("decodes").message.timestamp().expect("T");
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&auth).expect("key");
    mac.update(&bytes[..n - 20]);
    mac.update(&t.as_u64().to_be_bytes());
    let tag = mac.finalize().into_bytes();
    bytes[n - 20..].copy_from_slice(&tag);
    let sdp = |b: &[u8]| {
        format!("a=key-mgmt:mikey {}", base64::engine::general_purpose::STANDARD.encode(b))
    };
    let both = format!("{}\r\n{}\r\n", sdp(&init.bytes), sdp(&bytes));
    let out = decode_input(both.as_bytes(), InputFormat::Sdp, &keys).expect("both");
    let i = &out.messages[1].inspection;
    let first = i.calculations_of(CalcKind::VMac).next().expect("V");
    assert!(
        matches!(&first.check, Check::Failed(s) if s.contains("without the identities")),
        "{:?}",
        first.check
    );
    assert!(i.calculations_of(CalcKind::VMac).any(|c| c.check.is_ok()));
    assert!(i.findings.iter().any(|f| f.text.contains("libmikey")));
}

#[test]
fn every_prefix_and_every_flipped_byte_still_has_a_field_per_byte() {
    let (gst, ..) = gstreamer_style();
    let mykey = mykey_psk_message().to_bytes().to_vec();
    let keys = DecodeKeys { psk: Some(PSK.to_vec()), ..DecodeKeys::default() };
    for msg in [gst, mykey] {
        for n in 0..=msg.len() {
            let i = Inspection::of_bytes(&msg[..n], &keys);
            i.check_coverage().unwrap_or_else(|e| panic!("prefix {n}: {e}"));
            assert_eq!(i.decode_error.is_none(), n == msg.len(), "prefix {n}");
        }
        for at in 0..msg.len() {
            let mut m = msg.clone();
            m[at] ^= 0x80;
            Inspection::of_bytes(&m, &keys)
                .check_coverage()
                .unwrap_or_else(|e| panic!("flip {at}: {e}"));
        }
    }
}
