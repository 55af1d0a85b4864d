//! The inspector on every message kind of every mode (PSK, PK, DH, distributed with each
//! sharing scheme; both KEMAC profiles): its fields cover every byte, and every calculation it
//! shows is recomputed here from the run's own secrets (the key log's PSKs, envelope keys,
//! TGK, shares and TEKs) with the crates used directly (hmac, sha1, aes, ctr, ccm, rsa) — not
//! with the inspector's or the roles' code.

use dmikey::crypto::kemac::KemacProfile;
use dmikey::crypto::rsa::{RsaBits, RsaPublicKey};
use dmikey::roles::{Mode, MsgKind, Node, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{
    CalcKind, Calculation, Check, Inspection, Opened, Origin, Packet, RoleView, Simulation,
};
use dmikey::wire::{Message, Payload};
use hmac::{Hmac, KeyInit, Mac};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hmac_sha1(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut m = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).expect("any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

/// RFC 3830 §4.1.2, written out again: P_SHA1 per 256-bit chunk of the inkey, XORed.
fn prf(inkey: &[u8], label: &[u8], n: usize) -> Vec<u8> {
    let m = n.div_ceil(20);
    let mut out = vec![0u8; m * 20];
    let chunks: Vec<&[u8]> =
        if inkey.is_empty() { vec![&[][..]] } else { inkey.chunks(32).collect() };
    for s in chunks {
        let mut a = label.to_vec();
        for i in 0..m {
            a = hmac_sha1(s, &[&a]);
            let b = hmac_sha1(s, &[&a, label]);
            for (o, x) in out[i * 20..(i + 1) * 20].iter_mut().zip(b) {
                *o ^= x;
            }
        }
    }
    out.truncate(n);
    out
}

fn label(constant: u32, cs: u8, csb: u32, rand: &[u8]) -> Vec<u8> {
    [&constant.to_be_bytes()[..], &[cs], &csb.to_be_bytes(), rand].concat()
}

fn run(mut cfg: SessionConfig, seed: u64) -> Simulation {
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(seed);
    cfg.optional.tp_i = true;
    let mut sim = Simulation::new(cfg).expect("simulation");
    sim.run_to_end();
    sim
}

/// The secret the key log names for packet `p`: PSK, envelope key, or TGK (R_I).
fn secret_of(sim: &Simulation, p: &Packet) -> Option<Vec<u8>> {
    let pki = sim.pki();
    match p.kind {
        MsgKind::ITp | MsgKind::TpI => {
            let i = match (p.from, p.to) {
                (Node::Tp(i), _) | (_, Node::Tp(i)) => i,
                _ => return None,
            };
            pki.psk_with_tp(i).map(<[u8]>::to_vec)
        }
        MsgKind::PskInit | MsgKind::PskVerify => pki.psk_with_r().map(<[u8]>::to_vec),
        MsgKind::TpR | MsgKind::PkInit | MsgKind::RTp | MsgKind::PkVerify => {
            sim.envelope_key_of(p.id).map(|k| k.to_vec())
        }
        MsgKind::RI => sim.sensor().tgk().map(<[u8]>::to_vec),
        _ => None,
    }
}

fn t64_of(m: &Message) -> [u8; 8] {
    m.timestamp().expect("a T payload").as_u64().to_be_bytes()
}

struct Checked {
    kinds: Vec<CalcKind>,
}

/// Recomputes calculation `c` of packet `p` independently.
fn recheck(sim: &Simulation, p: &Packet, c: &Calculation, keylog: &str, done: &mut Checked) {
    let facts = sim.session_facts().expect("session facts");
    let (csb, rand) = (facts.csb_id, facts.rand.clone());
    let m = Message::decode(&p.bytes).expect("decodes").message;
    let secret = secret_of(sim, p);
    let out = &c.output.bytes;
    let what = format!("{} of {}", c.title, p.label);
    assert!(!matches!(c.check, Check::Failed(_)), "{what} failed on an honest run: {:?}", c.check);
    let derived = |constant: u32| {
        let s = secret.clone().unwrap_or_else(|| panic!("{what}: the key log has the secret"));
        prf(&s, &label(constant, 0xFF, csb, &rand), out.len())
    };
    match c.kind {
        CalcKind::EncrKey => assert_eq!(*out, derived(0x1505_33E1), "{what}"),
        CalcKind::AuthKey => {
            assert_eq!(out.len(), 20, "{what}: 160 bits for HMAC-SHA-1-160");
            assert_eq!(*out, derived(0x2D22_AC75), "{what}");
            assert!(
                keylog.contains(&format!("\"auth_key\":\"{}\"", hex(out))),
                "{what}: the key log's auth_key"
            );
        }
        CalcKind::SaltKey => assert_eq!(*out, derived(0x29B8_8916), "{what}"),
        CalcKind::AesCmIv | CalcKind::CcmNonce => {
            let salt =
                prf(&secret.clone().expect("secret"), &label(0x29B8_8916, 0xFF, csb, &rand), 14);
            let mut x = [0u8; 14];
            x[2..6].copy_from_slice(&csb.to_be_bytes());
            x[6..].copy_from_slice(&t64_of(&m));
            let v: Vec<u8> = salt.iter().zip(x).map(|(a, b)| a ^ b).collect();
            let want = if c.kind == CalcKind::AesCmIv {
                [v, vec![0, 0]].concat()
            } else {
                v[1..14].to_vec()
            };
            assert_eq!(*out, want, "{what}");
        }
        CalcKind::KemacDecrypt => {
            use ctr::cipher::{KeyIvInit, StreamCipher};
            let s = secret.clone().expect("secret");
            let key = prf(&s, &label(0x1505_33E1, 0xFF, csb, &rand), 16);
            let iv = c.inputs.iter().find(|v| v.name == "IV").expect("IV input").bytes.clone();
            let k = m.kemac().expect("KEMAC");
            let mut pt = k.encr_data.clone();
            let mut cipher =
                ctr::Ctr128BE::<aes::Aes128>::new_from_slices(&key, &iv).expect("sizes");
            cipher.apply_keystream(&mut pt);
            assert_eq!(*out, pt, "{what}");
        }
        CalcKind::KemacMac => {
            let k = m.kemac().expect("KEMAC");
            if k.mac_alg.to_u8() == 241 {
                // AES-CCM: open with the ccm crate; the tag must check.
                use ccm::aead::{AeadInOut, KeyInit as _};
                use ccm::consts::{U13, U16};
                let s = secret.clone().expect("secret");
                let key = prf(&s, &label(0x1505_33E1, 0xFF, csb, &rand), 16);
                let nonce =
                    c.inputs.iter().find(|v| v.name == "nonce").expect("nonce").bytes.clone();
                let aad =
                    c.inputs.iter().find(|v| v.name.starts_with("AAD")).expect("AAD").bytes.clone();
                let cipher = ccm::Ccm::<aes::Aes128, U16, U13>::new_from_slice(&key).expect("key");
                let mut buf = k.encr_data.clone();
                let tag = ccm::aead::Tag::<ccm::Ccm<aes::Aes128, U16, U13>>::try_from(&k.mac[..])
                    .expect("16-byte tag");
                let nonce: [u8; 13] = nonce.try_into().expect("13 bytes");
                cipher
                    .decrypt_inout_detached(&nonce.into(), &aad, buf.as_mut_slice().into(), &tag)
                    .unwrap_or_else(|_| panic!("{what}: the CCM tag checks"));
                assert_eq!(*out, buf, "{what}");
            } else {
                let s = secret.clone().expect("secret");
                let auth = prf(&s, &label(0x2D22_AC75, 0xFF, csb, &rand), 20);
                let bytes = &p.bytes;
                // Find the KEMAC in the layout and apply RFC 3830 §5.2 coverage.
                let d = Message::decode(bytes).expect("decodes");
                let (_, r) = d.find::<dmikey::wire::Kemac>().expect("KEMAC range");
                let encr_end = r.start + 4 + k.encr_data.len();
                let covered: Vec<u8> = if matches!(p.kind, MsgKind::TpR | MsgKind::PkInit) {
                    [&[0u8][..], &bytes[r.start + 1..encr_end + 1]].concat()
                } else {
                    bytes[..encr_end + 1].to_vec()
                };
                let mac = hmac_sha1(&auth, &[&covered]);
                assert_eq!(*out, mac, "{what}");
                assert_eq!(k.mac, mac, "{what}: the MAC field");
            }
        }
        CalcKind::VMac => {
            let s = secret.clone().expect("secret");
            // R_I: auth_key_RI from the TGK; the others: auth_key from the PSK / envelope key.
            let auth = prf(&s, &label(0x2D22_AC75, 0xFF, csb, &rand), 20);
            let ids = &sim.pki().ids;
            let id_i = match p.kind {
                MsgKind::RTp => match p.to {
                    Node::Tp(i) => ids.tp(i).expect("TP id").to_vec(),
                    _ => panic!("R_TPi goes to a TP"),
                },
                _ => ids.sensor.clone(),
            };
            let id_r = m.ids().first().expect("IDr").data.clone();
            let v_len = 20;
            let mm = &p.bytes[..p.bytes.len() - v_len];
            let mac = hmac_sha1(&auth, &[mm, &id_i, &id_r, &t64_of(&m)]);
            assert_eq!(*out, mac, "{what}");
            assert_eq!(&p.bytes[p.bytes.len() - v_len..], &mac[..], "{what}: Ver data");
        }
        CalcKind::Signature => {
            let Some(Payload::Sign(s)) = m.payloads.last() else { panic!("{what}: SIGN last") };
            let cert = m
                .payloads
                .iter()
                .find_map(|x| if let Payload::Cert(c) = x { Some(c.data.clone()) } else { None })
                .expect("CERT");
            assert!(keylog.contains(&hex(&cert)), "{what}: the certificate is the key log's");
            let key = x509_spki(&cert);
            let covered = &p.bytes[..p.bytes.len() - s.signature.len()];
            let ok = if s.stype.to_u8() == 1 {
                key.inner().pss_verify::<sha2::Sha256>(covered, &s.signature).is_ok()
            } else {
                key.inner().pkcs1v15_verify::<sha2::Sha256>(covered, &s.signature).is_ok()
            };
            assert!(ok, "{what}: the signature verifies with the rsa crate");
            assert!(c.check.is_ok(), "{what}");
        }
        CalcKind::EnvelopeKey => {
            assert_eq!(Some(out.clone()), secret, "{what}: the key log's envelope key");
        }
        CalcKind::Tek | CalcKind::TekSalt => {
            let cs = c.inputs.iter().find(|v| v.name == "label").expect("label").bytes[4];
            let t = sim.sensor().teks().iter().find(|t| t.cs_id == cs).expect("the sensor's TEK");
            let want = if c.kind == CalcKind::Tek { t.tek.to_vec() } else { t.salt.to_vec() };
            assert_eq!(*out, want, "{what}: the key log's");
            assert!(keylog.contains(&hex(&want)), "{what}: in the key log");
        }
        CalcKind::Kcv => {
            let tgk = sim.sensor().tgk().expect("TGK");
            assert_eq!(*out, prf(tgk, &label(0x444D_4B43, 0xFF, csb, &rand), 8), "{what}");
        }
        CalcKind::AuthKeyRi => {
            let tgk = sim.sensor().tgk().expect("TGK");
            assert_eq!(*out, prf(tgk, &label(0x2D22_AC75, 0xFF, csb, &rand), 20), "{what}");
            assert!(
                keylog.contains(&format!("\"auth_key\":\"{}\"", hex(out))),
                "{what}: the key log's auth_key"
            );
        }
        CalcKind::TgkRebuild => {
            assert_eq!(Some(&out[..]), sim.sensor().tgk(), "{what}: the sensor's TGK");
        }
        CalcKind::DhPublic | CalcKind::DhShared => {
            let x = c.inputs.iter().find(|v| v.name.starts_with("x ")).expect("x").bytes.clone();
            assert_eq!(Some(x.as_slice()), sim.sensor().dh_exponent(), "{what}: the sensor's x");
            let dh: Vec<Vec<u8>> = m
                .payloads
                .iter()
                .filter_map(|x| if let Payload::Dh(d) = x { Some(d.value.clone()) } else { None })
                .collect();
            if c.kind == CalcKind::DhPublic {
                let dh_i = if p.kind == MsgKind::DhResp { &dh[1] } else { &dh[0] };
                assert_eq!(*out, modexp(&[2], &x), "{what}: 2^x mod p");
                assert_eq!(out, dh_i, "{what}: the DHi sent");
                assert!(c.check.is_ok(), "{what}");
            } else {
                let resp =
                    sim.capture().iter().find(|q| q.kind == MsgKind::DhResp).expect("R_MESSAGE");
                let r = Message::decode(&resp.bytes).expect("decodes").message;
                let dh_r = r.first::<dmikey::wire::Dh>().expect("DHr").value.clone();
                assert_eq!(*out, modexp(&dh_r, &x), "{what}: DHr^x mod p");
                assert_eq!(Some(&out[..]), sim.sensor().tgk(), "{what}: the sensor's TGK");
                assert!(
                    keylog.contains(&format!("\"tgk\":\"{}\"", hex(out))),
                    "{what}: the key log's TGK"
                );
            }
        }
    }
    if !done.kinds.contains(&c.kind) {
        done.kinds.push(c.kind);
    }
}

/// base^x mod p for the OAKLEY 5 prime (RFC 3526 §2), 192 bytes big-endian, with
/// crypto-bigint directly.
fn modexp(base: &[u8], x: &[u8]) -> Vec<u8> {
    use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
    use crypto_bigint::{BoxedUint, Odd};
    let p_hex = concat!(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
    );
    let p_bytes: Vec<u8> = (0..p_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&p_hex[i..i + 2], 16).unwrap())
        .collect();
    let p = BoxedUint::from_be_slice(&p_bytes, 1536).expect("p");
    let params = BoxedMontyParams::new_vartime(Odd::new(p).expect("odd"));
    let mut b = vec![0u8; 192];
    b[192 - base.len()..].copy_from_slice(base);
    let base = BoxedUint::from_be_slice(&b, 1536).expect("base");
    let e = BoxedUint::from_be_slice(x, (x.len() * 8) as u32).expect("x");
    let r = BoxedMontyForm::new(base, &params).pow(&e).retrieve();
    let be = r.to_be_bytes();
    be[be.len() - 192..].to_vec()
}

fn x509_spki(der: &[u8]) -> RsaPublicKey {
    use x509_cert::der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(der).expect("DER certificate");
    let spki = cert.tbs_certificate().subject_public_key_info().to_der().expect("SPKI");
    RsaPublicKey::from_spki_der(&spki).expect("RSA key")
}

/// Every packet as its receiver sees it: coverage, the decrypted key data equal to the key
/// log's, every calculation rechecked. Returns the calculation kinds seen.
fn check_run(sim: &Simulation) -> Vec<CalcKind> {
    let keylog = sim.keylog_json();
    let shares = sim.sent_shares();
    let mut done = Checked { kinds: Vec::new() };
    for p in sim.capture().iter().filter(|p| p.origin == Origin::Role && !p.tampered) {
        let i = Inspection::of_packet(sim, p.id, p.to).expect("packet");
        i.check_coverage().unwrap_or_else(|e| panic!("{}: {e}", p.label));
        assert!(i.decode_error.is_none(), "{}", p.label);
        assert_eq!(i.hex.iter().map(|r| r.bytes.len()).sum::<usize>(), p.bytes.len());
        for row in &i.hex {
            for (k, f) in row.field_of.iter().enumerate() {
                assert!(
                    i.fields[*f].span.range.contains(&(row.offset + k)),
                    "{}: hex ↔ field",
                    p.label
                );
            }
        }
        for d in &i.decrypted {
            if let Opened::Open { plaintext, fields, values, .. } = &d.opened {
                if !fields.is_empty() {
                    let mut at = 0;
                    for f in fields {
                        assert_eq!(f.span.range.start, at, "{}: plaintext fields", p.label);
                        at = f.span.range.end;
                    }
                    assert_eq!(at, plaintext.len(), "{}: the plaintext fields cover it", p.label);
                }
                for v in values.iter().filter(|v| v.name.starts_with("share ")) {
                    assert!(
                        shares.iter().any(|(_, s)| *s == v.bytes),
                        "{}: the share is the key log's",
                        p.label
                    );
                    assert!(keylog.contains(&hex(&v.bytes)), "{}: share in the key log", p.label);
                }
                for v in values.iter().filter(|v| v.name == "TGK") {
                    assert_eq!(Some(&v.bytes[..]), sim.sensor().tgk(), "{}: TGK", p.label);
                }
            } else if p.to != Node::Intruder
                && matches!(
                    p.kind,
                    MsgKind::ITp | MsgKind::TpR | MsgKind::PskInit | MsgKind::PkInit
                )
            {
                panic!("{}: the receiver opens it: {:?}", p.label, d.opened);
            }
        }
        for c in &i.calculations {
            recheck(sim, p, c, &keylog, &mut done);
        }
        // The intruder, holding nothing, opens nothing of the KEMACs.
        let x = Inspection::of_packet(sim, p.id, Node::Intruder).expect("packet");
        for d in x.decrypted.iter().filter(|d| d.title.starts_with("KEMAC")) {
            assert!(matches!(d.opened, Opened::Sealed { .. }), "{}: X opened {}", p.label, d.title);
        }
    }
    done.kinds
}

#[test]
fn distributed_runs_all_schemes_and_profiles() {
    let mut seen = Vec::new();
    for (scheme, profile) in [
        (Scheme::Shamir, KemacProfile::AesCmHmacSha1),
        (Scheme::Xor, KemacProfile::AesCcm128),
        (Scheme::PaperRs, KemacProfile::AesCmHmacSha1),
        (Scheme::AontRs, KemacProfile::AesCcm128),
    ] {
        let mut cfg = SessionConfig::distributed(3, 2, scheme);
        cfg.kemac = profile;
        let sim = run(cfg, 7);
        assert!(sim.responder().tgk().is_some(), "R rebuilt the TGK");
        let kinds = check_run(&sim);
        for k in kinds {
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
        // R's role view rebuilds the TGK from the shares it opened, and derives the TEKs.
        let rv = RoleView::of(&sim, Node::Responder);
        let rebuild: Vec<&Calculation> = rv
            .steps
            .iter()
            .flat_map(|s| &s.calculations)
            .filter(|c| c.kind == CalcKind::TgkRebuild)
            .collect();
        assert_eq!(rebuild.len(), 1, "{scheme:?}");
        assert_eq!(Some(&rebuild[0].output.bytes[..]), sim.sensor().tgk());
        assert!(rebuild[0].check.is_ok());
        let keylog = sim.keylog_json();
        for c in rv.steps.iter().flat_map(|s| &s.calculations).filter(|c| c.kind == CalcKind::Tek) {
            assert!(keylog.contains(&hex(&c.output.bytes)), "R's TEK is the key log's");
        }
        // The sensor's role view derives the same TEKs from its own TGK.
        let sv = RoleView::of(&sim, Node::Sensor);
        let teks: Vec<&Calculation> = sv
            .steps
            .iter()
            .flat_map(|s| &s.calculations)
            .filter(|c| c.kind == CalcKind::Tek)
            .collect();
        assert!(!teks.is_empty(), "{scheme:?}: the sensor's TEKs");
        for c in teks {
            assert!(
                sim.sensor().teks().iter().any(|t| t.tek.as_slice() == c.output.bytes.as_slice())
            );
        }
    }
    for k in [
        CalcKind::EncrKey,
        CalcKind::AuthKey,
        CalcKind::SaltKey,
        CalcKind::AesCmIv,
        CalcKind::CcmNonce,
        CalcKind::KemacDecrypt,
        CalcKind::KemacMac,
        CalcKind::VMac,
        CalcKind::Signature,
        CalcKind::EnvelopeKey,
        CalcKind::Kcv,
        CalcKind::AuthKeyRi,
    ] {
        assert!(seen.contains(&k), "the distributed runs show a {k:?} calculation");
    }
}

#[test]
fn standard_modes_all_messages() {
    for (mode, profile) in [
        (Mode::Psk, KemacProfile::AesCmHmacSha1),
        (Mode::Psk, KemacProfile::AesCcm128),
        (Mode::Pk, KemacProfile::AesCmHmacSha1),
        (Mode::Pk, KemacProfile::AesCcm128),
        (Mode::Dh, KemacProfile::AesCmHmacSha1),
    ] {
        let mut cfg = SessionConfig::standard(mode);
        cfg.kemac = profile;
        let sim = run(cfg, 11);
        let kinds = check_run(&sim);
        match mode {
            Mode::Psk => {
                for k in [
                    CalcKind::AuthKey,
                    CalcKind::KemacMac,
                    CalcKind::Tek,
                    CalcKind::TekSalt,
                    CalcKind::VMac,
                ] {
                    assert!(kinds.contains(&k), "{mode:?} {profile:?}: {k:?}");
                }
            }
            Mode::Pk => {
                for k in [
                    CalcKind::EnvelopeKey,
                    CalcKind::KemacDecrypt,
                    CalcKind::Signature,
                    CalcKind::Tek,
                    CalcKind::VMac,
                ] {
                    assert!(kinds.contains(&k), "{mode:?}: {k:?}");
                }
            }
            Mode::Dh => {
                for k in [
                    CalcKind::Signature,
                    CalcKind::DhPublic,
                    CalcKind::DhShared,
                    CalcKind::Tek,
                    CalcKind::TekSalt,
                ] {
                    assert!(kinds.contains(&k), "DH: {k:?}");
                }
            }
            Mode::Distributed => {}
        }
    }
}

#[test]
fn certificates_are_decoded_and_chain_to_the_ca() {
    let sim = run(SessionConfig::distributed(2, 2, Scheme::Xor), 3);
    let p = sim.capture().iter().find(|p| p.kind == MsgKind::TpR).expect("TP1_R");
    let i = Inspection::of_packet(&sim, p.id, Node::Responder).expect("packet");
    let c = i.certificates.first().expect("a CERT payload");
    assert_eq!(c.version, 3);
    assert_eq!(c.modulus_bits, 1024);
    assert_eq!(c.exponent, "65537");
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert!(c.subject.contains("CN=tp1@") && c.subject.contains("OU=dmikey-tp"), "{}", c.subject);
    assert!(c.extensions.iter().any(|e| e.name == "basicConstraints" && e.critical));
    assert!(c.chain.is_ok(), "{:?}", c.chain);
    assert_eq!(&i.bytes[c.range.clone()], sim.pki().tps[0].cert_der.as_slice());
}

#[test]
fn a_tampered_mac_is_reported_not_accepted() {
    let mut cfg = SessionConfig::distributed(2, 2, Scheme::Xor);
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(5);
    let mut sim = Simulation::new(cfg).expect("sim");
    let id = sim.in_flight().first().map(|p| p.id).expect("I_TP1 in flight");
    let len = sim.capture()[id].bytes.len();
    sim.apply(dmikey::sim::Command::Tamper {
        packet: id,
        how: dmikey::sim::Tamper::FlipByte { offset: len - 1, mask: 1 },
    })
    .expect("tamper");
    let i = Inspection::of_packet(&sim, id, Node::Tp(1)).expect("packet");
    let mac = i.calculations_of(CalcKind::KemacMac).next().expect("MAC calculation");
    assert!(matches!(mac.check, Check::Failed(_)), "{:?}", mac.check);
}

#[test]
fn the_runs_pcap_decodes_and_the_psk_given_checks_its_own_mac_only() {
    let sim = run(SessionConfig::distributed(3, 2, Scheme::Shamir), 13);
    let psk1 = sim.pki().psk_with_tp(1).expect("PSK of TP1").to_vec();
    let keys = dmikey::sim::DecodeKeys { psk: Some(psk1), ..Default::default() };
    let out = dmikey::sim::decode_input(&sim.pcap(), dmikey::sim::InputFormat::Auto, &keys)
        .expect("pcap");
    assert_eq!(out.format, dmikey::sim::InputFormat::Pcap);
    assert_eq!(out.messages.len(), sim.capture().len());
    let mut ok = Vec::new();
    for (m, p) in out.messages.iter().zip(sim.capture()) {
        assert_eq!(m.inspection.bytes, p.bytes, "{}", m.origin);
        m.inspection.check_coverage().expect("covered");
        for c in m.inspection.calculations_of(CalcKind::KemacMac) {
            if c.check.is_ok() {
                ok.push(p.label.clone());
            }
        }
    }
    assert_eq!(ok, vec!["I_TP1".to_string()], "only TP1's PSK verifies, and only its I_TP1");
    // The decrypted share of I_TP1 is the key log's share 1.
    let m =
        out.messages.iter().zip(sim.capture()).find(|(_, p)| p.label == "I_TP1").expect("I_TP1").0;
    let share = m.inspection.decrypted.iter().find_map(|d| match &d.opened {
        Opened::Open { values, .. } => {
            values.iter().find(|v| v.name.starts_with("share 1")).cloned()
        }
        Opened::Sealed { .. } => None,
    });
    let (_, logged) = sim.sent_shares().into_iter().find(|(i, _)| *i == 1).expect("share 1");
    assert_eq!(share.map(|v| v.bytes), Some(logged));
}

#[test]
fn cli_decode_annotates_a_file_and_checks_the_mac() {
    let sim = run(SessionConfig::distributed(2, 2, Scheme::Xor), 17);
    let p = sim.capture().iter().find(|p| p.label == "I_TP2").expect("I_TP2");
    let dir = std::env::temp_dir().join(format!("dmikey-decode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("i_tp2.hex");
    std::fs::write(&file, hex(&p.bytes)).expect("write");
    let psk = hex(sim.pki().psk_with_tp(2).expect("PSK"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dmikey"))
        .args(["decode", "--hex"])
        .arg(&file)
        .args(["--psk", &psk])
        .output()
        .expect("dmikey runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MAC OK"), "{text}");
    assert!(text.contains("share 2"), "{text}");
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_dmikey"))
        .args(["decode", "--json"])
        .arg(&file)
        .output()
        .expect("dmikey runs");
    assert!(json.status.success());
    let j = String::from_utf8_lossy(&json.stdout);
    assert!(j.starts_with('{') && j.contains("\"fields\"") && j.contains("needs the PSK"), "{j}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_intruder_opens_only_what_it_holds() {
    let mut cfg = SessionConfig::distributed(3, 2, Scheme::Shamir);
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(19);
    let mut sim = Simulation::new(cfg).expect("sim");
    sim.apply(dmikey::sim::Command::Compromise { tp: 2 }).expect("compromise TP2");
    sim.run_to_end();
    let shares = sim.sent_shares();
    for p in sim.capture().iter().filter(|p| p.kind == MsgKind::ITp) {
        let x = Inspection::of_packet(&sim, p.id, Node::Intruder).expect("packet");
        let kemac = x.decrypted.iter().find(|d| d.title.starts_with("KEMAC")).expect("KEMAC view");
        match (&kemac.opened, p.to) {
            (Opened::Open { values, .. }, Node::Tp(2)) => {
                let v = values.iter().find(|v| v.name.starts_with("share 2")).expect("share 2");
                assert!(shares.iter().any(|(i, s)| *i == 2 && *s == v.bytes));
                assert!(kemac.holders.contains(&Node::Intruder));
            }
            (Opened::Sealed { why }, Node::Tp(i)) if i != 2 => {
                assert!(why.contains("the intruder does not hold"), "{why}");
                assert!(!kemac.holders.contains(&Node::Intruder));
            }
            (o, to) => panic!("{}: {o:?} for {to:?}", p.label),
        }
    }
    // TP1_R is sealed for X: only R's RSA key opens the PKE.
    let p = sim
        .capture()
        .iter()
        .find(|p| p.kind == MsgKind::TpR && p.from == Node::Tp(1))
        .expect("TP1_R");
    let x = Inspection::of_packet(&sim, p.id, Node::Intruder).expect("packet");
    assert!(
        x.decrypted.iter().all(|d| matches!(d.opened, Opened::Sealed { .. })),
        "{:?}",
        x.decrypted
    );
}

fn kemac_view(i: &Inspection) -> &dmikey::sim::DecryptedView {
    i.decrypted.iter().find(|d| d.title.starts_with("KEMAC")).expect("KEMAC view")
}

#[test]
fn the_intruder_sees_with_every_key_it_holds() {
    let base = || {
        let mut cfg = SessionConfig::distributed(3, 2, Scheme::Shamir);
        cfg.rsa_bits = RsaBits::B1024;
        cfg.seed = Some(23);
        Simulation::new(cfg).expect("sim")
    };
    let shares = |sim: &Simulation| sim.sent_shares();
    let tp_r = |sim: &Simulation, i: u8| {
        sim.capture()
            .iter()
            .find(|p| p.kind == MsgKind::TpR && p.from == Node::Tp(i))
            .expect("TPi_R")
            .id
    };
    let r_tp = |sim: &Simulation, i: u8| {
        sim.capture()
            .iter()
            .find(|p| p.kind == MsgKind::RTp && p.to == Node::Tp(i))
            .expect("R_TPi")
            .id
    };

    // TP2 compromised before it drew its envelope key: TP2_R stays sealed for X.
    let mut early = base();
    early.apply(dmikey::sim::Command::Compromise { tp: 2 }).expect("compromise");
    early.run_to_end();
    let x = Inspection::of_packet(&early, tp_r(&early, 2), Node::Intruder).expect("TP2_R");
    assert!(matches!(kemac_view(&x).opened, Opened::Sealed { .. }), "{:?}", x.decrypted);
    assert!(!kemac_view(&x).holders.contains(&Node::Intruder));

    // TP2 compromised after it sent TP2_R: the envelope key it drew is handed over, so X opens
    // TP2_R's KEMAC (share 2, the encrypted IDi, the MAC checked) and checks R_TP2's V MAC —
    // and still not TP1_R, whose envelope key only TP1 and R hold.
    let mut late = base();
    late.run_to_end();
    late.apply(dmikey::sim::Command::Compromise { tp: 2 }).expect("compromise");
    let x = Inspection::of_packet(&late, tp_r(&late, 2), Node::Intruder).expect("TP2_R");
    let k = kemac_view(&x);
    assert!(k.holders.contains(&Node::Intruder), "{:?}", k.holders);
    let Opened::Open { values, .. } = &k.opened else { panic!("X opens TP2_R: {:?}", k.opened) };
    let share = values.iter().find(|v| v.name.starts_with("share 2")).expect("share 2");
    assert!(shares(&late).iter().any(|(i, s)| *i == 2 && *s == share.bytes));
    assert!(values.iter().any(|v| v.name.starts_with("IDi")), "the encrypted IDi");
    let mac = x.calculations_of(CalcKind::KemacMac).next().expect("MAC");
    assert!(mac.check.is_ok(), "{:?}", mac.check);
    assert!(x.calculations_of(CalcKind::EnvelopeKey).next().is_none(), "not from the PKE");
    let v = Inspection::of_packet(&late, r_tp(&late, 2), Node::Intruder).expect("R_TP2");
    assert!(v.calculations_of(CalcKind::VMac).next().expect("V MAC").check.is_ok());
    let x1 = Inspection::of_packet(&late, tp_r(&late, 1), Node::Intruder).expect("TP1_R");
    assert!(x1.decrypted.iter().all(|d| matches!(d.opened, Opened::Sealed { .. })));
    let v1 = Inspection::of_packet(&late, r_tp(&late, 1), Node::Intruder).expect("R_TP1");
    assert!(v1.calculations_of(CalcKind::VMac).next().is_none(), "X cannot key R_TP1's MAC");

    // R's RSA key stolen after the session: X decrypts every TPi_R's PKE itself (the same
    // calculation R shows), opens every KEMAC, and holds the TGK it rebuilt.
    let mut stolen = base();
    stolen.run_to_end();
    stolen.apply(dmikey::sim::Command::StealKeys { node: Node::Responder }).expect("steal");
    assert!(stolen.intruder().tgk().is_some(), "X rebuilt the TGK");
    for i in 1..=3u8 {
        let x = Inspection::of_packet(&stolen, tp_r(&stolen, i), Node::Intruder).expect("TPi_R");
        let env = x.calculations_of(CalcKind::EnvelopeKey).next().expect("PKE decrypted by X");
        assert_eq!(
            Some(env.output.bytes.clone()),
            stolen.envelope_key_of(tp_r(&stolen, i)).map(|k| k.to_vec())
        );
        assert!(!env.commands.is_empty());
        let k = kemac_view(&x);
        assert!(matches!(k.opened, Opened::Open { .. }), "TP{i}_R: {:?}", k.opened);
        let pke = x.decrypted.iter().find(|d| d.title.starts_with("PKE")).expect("PKE view");
        assert!(pke.holders.contains(&Node::Intruder));
    }
    // And the KCV of an I_TPi checks with the TGK X holds.
    let itp = stolen.capture().iter().find(|p| p.kind == MsgKind::ITp).expect("I_TP1").id;
    let x = Inspection::of_packet(&stolen, itp, Node::Intruder).expect("I_TP1");
    assert!(x.calculations_of(CalcKind::Kcv).next().expect("KCV").check.is_ok());
    assert!(matches!(kemac_view(&x).opened, Opened::Sealed { .. }), "no PSK of TP1");
}

#[test]
fn dh_the_tgk_is_computed_only_by_who_holds_an_exponent() {
    let sim = run(SessionConfig::standard(Mode::Dh), 29);
    let keylog = sim.keylog_json();
    let init = sim.capture().iter().find(|p| p.kind == MsgKind::DhInit).expect("I_MESSAGE");
    let resp = sim.capture().iter().find(|p| p.kind == MsgKind::DhResp).expect("R_MESSAGE");
    for id in [init.id, resp.id] {
        let s = Inspection::of_packet(&sim, id, Node::Sensor).expect("packet");
        let shared = s.calculations_of(CalcKind::DhShared).next().expect("g^(xy) for I");
        assert!(keylog.contains(&format!("\"tgk\":\"{}\"", hex(&shared.output.bytes))));
        assert!(s.calculations_of(CalcKind::DhPublic).next().expect("g^x").check.is_ok());
        let sign = s.calculations_of(CalcKind::Signature).next().expect("SIGN");
        assert!(sign.check.is_ok() && !sign.commands.is_empty(), "{:?}", sign.check);
        assert!(s.calculations_of(CalcKind::Tek).next().is_some(), "the TEK from g^(xy)");
        for c in s.calculations_of(CalcKind::Tek) {
            assert!(sim.sensor().teks().iter().any(|t| t.tek.as_slice() == c.output.bytes));
        }
    }
    let r = Inspection::of_packet(&sim, init.id, Node::Responder).expect("I_MESSAGE");
    assert!(r.calculations_of(CalcKind::DhShared).next().is_none());
    assert!(r.findings.iter().any(|f| f.text.contains("erased")), "{:?}", r.findings);
    assert!(r.calculations_of(CalcKind::Tek).next().is_some(), "R holds the TGK");
    // Nothing R still knows is its exponent y (g^v ≠ DHr for every value it holds).
    let dh_r = Message::decode(&resp.bytes).expect("decodes").message;
    let dh_r = dh_r.first::<dmikey::wire::Dh>().expect("DHr").value.clone();
    for k in sim.node_knowledge(Node::Responder) {
        assert_ne!(modexp(&[2], &k.value), dh_r, "R still holds y as {}", k.name);
    }
    let mut stolen = run(SessionConfig::standard(Mode::Dh), 29);
    stolen.apply(dmikey::sim::Command::StealKeys { node: Node::Responder }).expect("steal");
    stolen.apply(dmikey::sim::Command::StealKeys { node: Node::Sensor }).expect("steal");
    for id in [init.id, resp.id] {
        let x = Inspection::of_packet(&stolen, id, Node::Intruder).expect("packet");
        assert!(x.calculations_of(CalcKind::DhShared).next().is_none());
        assert!(x.calculations_of(CalcKind::DhPublic).next().is_none());
        assert!(x.calculations_of(CalcKind::Tek).next().is_none(), "X derives no TEK");
        assert!(x.findings.iter().any(|f| f.text.contains("the intruder holds neither of them")));
    }
    // And nothing the intruder holds is x or y.
    let dh_i = init.decoded().expect("decodes").message.first::<dmikey::wire::Dh>().expect("DHi");
    for f in stolen.intruder().knowledge().facts().iter().filter(|f| !f.value.is_empty()) {
        let g = modexp(&[2], &f.value);
        assert!(g != dh_r && g != dh_i.value, "the intruder holds an exponent: {}", f.sentence);
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<String> =
        b.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[test]
fn decode_with_r_s_rsa_key_and_the_ca_as_pem_hex_or_der() {
    use dmikey::sim::{KeyInputs, decode_keys};
    let sim = run(SessionConfig::distributed(2, 2, Scheme::Xor), 31);
    let p = sim.capture().iter().find(|p| p.label == "TP2_R").expect("TP2_R");
    let key = sim.pki().responder.key.to_pkcs8_der().expect("DER").to_vec();
    let ca = sim.pki().ca.cert_der.clone();
    let env = sim.envelope_key_of(p.id).expect("envelope key").to_vec();
    let (_, share2) = sim.sent_shares().into_iter().find(|(i, _)| *i == 2).expect("share 2");
    for (k, c) in [
        (pem("PRIVATE KEY", &key).into_bytes(), pem("CERTIFICATE", &ca).into_bytes()),
        (hex(&key).into_bytes(), hex(&ca).into_bytes()),
        (key.clone(), ca.clone()),
    ] {
        let keys =
            decode_keys(&KeyInputs { rsa_private_key: &k, ca_cert: &c, ..KeyInputs::default() })
                .expect("keys read");
        let out = dmikey::sim::decode_input(
            hex(&p.bytes).as_bytes(),
            dmikey::sim::InputFormat::Hex,
            &keys,
        )
        .expect("decodes");
        let i = &out.messages[0].inspection;
        let e = i.calculations_of(CalcKind::EnvelopeKey).next().expect("PKE opened");
        assert_eq!(e.output.bytes, env, "the key log's envelope key");
        assert!(i.calculations_of(CalcKind::KemacMac).next().expect("MAC").check.is_ok());
        let opened = i.decrypted.iter().any(|d| match &d.opened {
            Opened::Open { values, .. } => values.iter().any(|v| v.bytes == share2),
            Opened::Sealed { .. } => false,
        });
        assert!(opened, "share 2 opened");
        assert!(i.certificates[0].chain.is_ok(), "chains to the CA given");
    }
    // The CLI reads the same files with the same function, and says what is wrong.
    let dir = std::env::temp_dir().join(format!("dmikey-decode-rsa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (msg, keyf, caf, bad) =
        (dir.join("m.hex"), dir.join("r.pem"), dir.join("ca.pem"), dir.join("bad.pem"));
    std::fs::write(&msg, hex(&p.bytes)).expect("write");
    std::fs::write(&keyf, pem("PRIVATE KEY", &key)).expect("write");
    std::fs::write(&caf, pem("CERTIFICATE", &ca)).expect("write");
    std::fs::write(&bad, pem("RSA PRIVATE KEY", &key)).expect("write");
    let cli = |args: &[&std::path::Path]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dmikey"));
        c.arg("decode").arg(args[0]).arg("--rsa-key").arg(args[1]).arg("--ca").arg(args[2]);
        c.output().expect("dmikey runs")
    };
    let ok = cli(&[&msg, &keyf, &caf]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains(&hex(&env)) && text.contains(&hex(&share2)), "{text}");
    let no = cli(&[&msg, &bad, &caf]);
    assert!(!no.status.success());
    let err = String::from_utf8_lossy(&no.stderr);
    assert!(
        err.contains("RSA private key cannot be used") && err.contains("openssl pkcs8"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_authenticated_err_is_covered_and_its_v_mac_rechecked() {
    let mut cfg = SessionConfig::distributed(3, 3, Scheme::Shamir);
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(37);
    let mut sim = Simulation::new(cfg).expect("sim");
    let itp3 = sim.in_flight().iter().find(|p| p.label == "I_TP3").map(|p| p.id).expect("I_TP3");
    sim.apply(dmikey::sim::Command::Drop { packet: itp3 }).expect("drop");
    sim.run_to_end();
    let errs: Vec<&Packet> = sim.capture().iter().filter(|p| p.kind == MsgKind::Error).collect();
    assert!(!errs.is_empty(), "R tells TP1 and TP2 their shares are not enough");
    let facts = sim.session_facts().expect("facts");
    for p in errs {
        let Node::Tp(i) = p.to else { panic!("{}: to a TP", p.label) };
        let i_ = Inspection::of_packet(&sim, p.id, p.to).expect("ERR");
        i_.check_coverage().unwrap_or_else(|e| panic!("{}: {e}", p.label));
        let v = i_.calculations_of(CalcKind::VMac).next().expect("the V MAC");
        assert!(v.check.is_ok(), "{}: {:?}", p.label, v.check);
        // Independently: auth_key from the envelope key of TPi_R, over M ‖ IDtp ‖ IDr ‖ T.
        let tp_r = sim
            .capture()
            .iter()
            .find(|q| q.kind == MsgKind::TpR && q.from == Node::Tp(i))
            .expect("TPi_R");
        let env = sim.envelope_key_of(tp_r.id).expect("envelope key");
        let auth = prf(&env, &label(0x2D22_AC75, 0xFF, facts.csb_id, &facts.rand), 20);
        let m = Message::decode(&p.bytes).expect("decodes").message;
        let ids = &sim.pki().ids;
        let mm = &p.bytes[..p.bytes.len() - 20];
        let mac = hmac_sha1(&auth, &[mm, ids.tp(i).expect("id"), &ids.responder, &t64_of(&m)]);
        assert_eq!(v.output.bytes, mac, "{}", p.label);
        assert_eq!(&p.bytes[p.bytes.len() - 20..], &mac[..20]);
        // The intruder, without TPi's envelope key, cannot key it.
        let x = Inspection::of_packet(&sim, p.id, Node::Intruder).expect("ERR");
        assert!(x.calculations_of(CalcKind::VMac).next().is_none(), "{}", p.label);
    }
}
