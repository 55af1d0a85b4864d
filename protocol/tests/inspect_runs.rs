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
    }
    if !done.kinds.contains(&c.kind) {
        done.kinds.push(c.kind);
    }
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
                for k in [CalcKind::Signature, CalcKind::Tek, CalcKind::TekSalt] {
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
