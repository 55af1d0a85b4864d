//! One complete session per mode: the sensor and R end with byte-identical TEKs, and the
//! sensor's crypto work is what the paper says it is.

mod roles_support;

use dmikey::roles::{Mode, Node, RoleEvent, SessionState};
use dmikey::sharing::Scheme;
use roles_support::{Net, config, distributed};

fn assert_same_teks(net: &Net) {
    let s = net.sensor.teks();
    let r = net.r.teks();
    assert!(!s.is_empty(), "the sensor derived no TEK; events: {:?}", net.events);
    assert_eq!(s.len(), r.len());
    for (a, b) in s.iter().zip(r) {
        assert_eq!(a.cs_id, b.cs_id);
        assert_eq!(a.tek.as_slice(), b.tek.as_slice(), "TEK of CS {}", a.cs_id);
        assert_eq!(a.salt.as_slice(), b.salt.as_slice());
    }
    assert_eq!(net.sensor.tgk(), net.r.tgk());
    assert!(net.rejections().is_empty(), "rejections: {:?}", net.rejections());
}

#[test]
fn psk_mode_sensor_and_r_share_the_tek() {
    let mut net = Net::new(config(Mode::Psk), 1);
    net.start();
    net.run();
    assert_same_teks(&net);
    assert_eq!(net.sensor.state(), SessionState::Done);
    assert!(!net.meters[&Node::Sensor].used_public_key_crypto());
}

#[test]
fn pk_mode_sensor_and_r_share_the_tek() {
    let mut net = Net::new(config(Mode::Pk), 2);
    net.start();
    net.run();
    assert_same_teks(&net);
    let m = &net.meters[&Node::Sensor];
    assert!(m.rsa_private >= 1 && m.rsa_public >= 1, "the sensor signs and encrypts: {m:?}");
}

#[test]
fn dh_mode_sensor_and_r_share_the_tek() {
    let mut net = Net::new(config(Mode::Dh), 3);
    net.start();
    net.run();
    assert_same_teks(&net);
    assert_eq!(net.sensor.tgk().map(|t| t.len()), Some(192), "TGK = OAKLEY-5 shared secret");
    assert_eq!(net.meters[&Node::Sensor].dh_exp, 2);
}

#[test]
fn distributed_mode_sensor_and_r_share_the_tek_and_the_sensor_does_no_public_key_crypto() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::Xor, Scheme::AontRs] {
        let mut cfg = distributed(3, 2, scheme);
        cfg.optional.tp_i = true;
        let mut net = Net::new(cfg, 4);
        net.start();
        net.run();
        assert_same_teks(&net);
        assert!(
            net.events_of(Node::Sensor).iter().any(
                |e| matches!(e, RoleEvent::VerificationPassed { what } if what.starts_with("R_I"))
            ),
            "{scheme:?}: R_I verified"
        );
        assert!(!net.meters[&Node::Sensor].used_public_key_crypto(), "{scheme:?}");
        let labels: Vec<&str> = net.deliveries.iter().map(|d| d.out.label.as_str()).collect();
        for l in ["I_TP1", "TP1_I", "TP1_R", "R_TP1", "R_I"] {
            assert!(labels.contains(&l), "{scheme:?}: {l} in {labels:?}");
        }
    }
}

#[test]
fn distributed_mode_with_counter_clock_and_ccm_profile() {
    let mut cfg = distributed(4, 3, Scheme::Shamir);
    cfg.sensor_clock = dmikey::roles::SensorClock::Counter;
    cfg.kemac = dmikey::crypto::kemac::KemacProfile::AesCcm128;
    let mut net = Net::new(cfg, 5);
    net.start();
    net.run();
    assert_same_teks(&net);
}

/// Writes every message of one session per mode to `$DMIKEY_DUMP/<mode>-<n>-<label>.bin` so
/// `shared/tools/mikey-oracle/check.sh` can decode them (run with `--ignored`).
#[test]
#[ignore]
fn dump_messages_for_the_oracle() {
    let dir = std::env::var("DMIKEY_DUMP").unwrap_or_else(|_| "/tmp/dmikey-dump".into());
    std::fs::create_dir_all(&dir).unwrap();
    let mut dist = distributed(3, 2, Scheme::Shamir);
    dist.optional.tp_i = true;
    for cfg in [config(Mode::Psk), config(Mode::Pk), config(Mode::Dh), dist] {
        let mode = cfg.mode.name();
        let mut net = Net::new(cfg, 7);
        net.start();
        net.run();
        for (i, d) in net.deliveries.iter().enumerate() {
            let name = d.out.label.replace([' ', '(', ')'], "");
            std::fs::write(format!("{dir}/{mode}-{i:02}-{name}.bin"), &d.out.bytes).unwrap();
        }
    }
}

#[test]
fn every_field_range_of_every_message_covers_all_its_bytes() {
    let mut dist = distributed(3, 2, Scheme::Shamir);
    dist.optional.tp_i = true;
    for cfg in [config(Mode::Psk), config(Mode::Pk), config(Mode::Dh), dist] {
        let mut net = Net::new(cfg, 8);
        net.start();
        net.run();
        for d in &net.deliveries {
            let dec = dmikey::wire::Message::decode(&d.out.bytes).unwrap();
            dec.layout
                .check_coverage(d.out.bytes.len())
                .unwrap_or_else(|e| panic!("{}: {e}", d.out.label));
        }
    }
}

/// Prints each role's operation counts for one session per mode (run with `--ignored
/// --nocapture`); the figures behind the paper's energy argument.
#[test]
#[ignore]
fn print_costs_per_role_and_mode() {
    let mut dist = distributed(5, 3, Scheme::Shamir);
    dist.rsa_bits = dmikey::crypto::rsa::RsaBits::B2048;
    let mut modes = vec![dist];
    for m in [Mode::Psk, Mode::Pk, Mode::Dh] {
        let mut c = config(m);
        c.rsa_bits = dmikey::crypto::rsa::RsaBits::B2048;
        modes.push(c);
    }
    for cfg in modes {
        let mode = cfg.mode.name();
        let mut net = Net::new(cfg, 9);
        net.start();
        net.run();
        let table = dmikey::cost::CostTable {
            mode,
            rows: net.meters.iter().map(|(node, m)| (node.label(), m.clone())).collect(),
        };
        eprintln!("{mode}\n{}", table.to_text());
    }
}

#[test]
fn distributed_mode_works_with_every_kemac_profile_and_rsa_padding() {
    use dmikey::crypto::kemac::KemacProfile;
    use dmikey::crypto::rsa::{PkePadding, SignPadding};
    for (kemac, pke, sign) in [
        (KemacProfile::AesCmHmacSha1, PkePadding::Pkcs1v15, SignPadding::Pkcs1v15),
        (KemacProfile::AesCcm128Tag8, PkePadding::Oaep, SignPadding::Pkcs1v15),
        (KemacProfile::AesCcm128, PkePadding::Pkcs1v15, SignPadding::Pss),
    ] {
        let mut cfg = distributed(2, 2, Scheme::Xor);
        (cfg.kemac, cfg.pke, cfg.sign) = (kemac, pke, sign);
        let mut net = Net::new(cfg, 10);
        net.start();
        net.run();
        assert_same_teks(&net);
    }
    for mode in [Mode::Pk, Mode::Dh] {
        let mut cfg = config(mode);
        (cfg.pke, cfg.sign) = (PkePadding::Pkcs1v15, SignPadding::Pkcs1v15);
        let mut net = Net::new(cfg, 12);
        net.start();
        net.run();
        assert_same_teks(&net);
    }
}

#[test]
fn without_r_i_the_sensor_derives_its_tek_at_once_and_never_times_out() {
    let mut cfg = distributed(3, 2, Scheme::Shamir);
    cfg.optional = dmikey::roles::Optional { tp_i: false, r_tp: false, r_i: false };
    let mut net = Net::new(cfg, 13);
    net.start();
    assert_eq!(net.sensor.state(), SessionState::Done);
    net.run();
    assert_same_teks(&net);
    let labels: Vec<&str> = net.deliveries.iter().map(|d| d.out.label.as_str()).collect();
    assert!(labels.iter().all(|l| l.starts_with("I_TP") || l.ends_with("_R")), "{labels:?}");
}
