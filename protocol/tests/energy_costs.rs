//! The cost comparison and the energy model: the view's counts are the meters of the same
//! sessions (every mode, n = 1..=16), the model's arithmetic checked against a case computed
//! by hand, and every sentence the cost view says about its numbers checked against the
//! sessions it describes.

use std::sync::{Arc, OnceLock};

use dmikey::sim::energy::{
    self, Battery, CostSetup, FrameModel, MAX_N, ModeCost, Param, Prices, Profile, Status, compare,
    text,
};
use dmikey::sim::{KemacProfile, Meter, Mode, Pki, RsaBits, Scheme, SessionConfig, Simulation};

fn setup() -> CostSetup {
    CostSetup {
        n: 5,
        k: 3,
        scheme: Scheme::Shamir,
        rsa_bits: RsaBits::B1024,
        kemac: KemacProfile::AesCmHmacSha1,
        seed: 11,
    }
}

/// The comparison's PKI (16 third parties, RSA-1024), made once for every test here.
fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(setup().provision_upto(MAX_N).expect("provisioning"))).clone()
}

/// Every counter of a meter (not its times).
fn counts(m: &Meter) -> impl PartialEq + std::fmt::Debug + use<> {
    (
        (m.aes_blocks, m.hmac_calls, m.sha1_compressions, m.sha256_compressions, m.prf_calls),
        (m.rsa_public, m.rsa_private, m.rsa_keygen, m.rsa.clone(), m.dh_exp),
        (m.bytes_sent, m.bytes_received, m.sent_sizes.clone(), m.received_sizes.clone()),
    )
}

/// The session of `mode` written out by hand (not through `CostSetup::session`).
fn by_hand(mode: Mode, n: u8) -> SessionConfig {
    let mut cfg = match mode {
        Mode::Distributed => SessionConfig::distributed(n, 3.min(n), Scheme::Shamir),
        m => SessionConfig::standard(m),
    };
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(11);
    cfg
}

#[test]
fn the_views_counts_are_the_meters_of_the_same_sessions_for_every_mode_and_n() {
    let (s, pki) = (setup(), pki());
    let prices = Prices::of(Profile::mote2005());
    let frames = FrameModel::IEEE_802_15_4;
    for mode in Mode::ALL {
        for n in 1..=MAX_N {
            let run = compare::run(&s, mode, n, &pki).expect("the session runs");
            let view = ModeCost::new(&run, &prices, &frames);
            let mut sim = Simulation::with_pki(by_hand(mode, n), pki.clone()).expect("starts");
            sim.run_to_end();
            let table = sim.costs();
            assert!(view.r_rebuilt_tgk && sim.verdict().r_rebuilt_tgk, "{mode:?} n = {n}");
            assert_eq!(view.roles.len(), table.rows.len(), "{mode:?} n = {n}");
            assert_eq!(view.roles.first().map(|r| r.role.as_str()), Some("I"), "sensor first");
            for (row, (label, meter)) in view.roles.iter().zip(&table.rows) {
                assert_eq!(&row.role, label);
                assert_eq!(counts(&row.meter), counts(meter), "{mode:?} n = {n} {label}");
                let frames_of = |sizes: &[usize]| sizes.iter().map(|&l| frames.frames(l)).sum();
                assert_eq!(row.frames_sent, frames_of(&meter.sent_sizes));
                assert_eq!(row.frames_received, frames_of(&meter.received_sizes));
                assert_eq!(row.meter.bytes_sent, meter.sent_sizes.iter().sum::<usize>() as u64);
            }
            if mode == Mode::Distributed {
                assert_eq!(view.n, n);
                assert_eq!(view.roles.len(), usize::from(n) + 2);
            }
        }
    }
}

#[test]
fn a_session_on_the_shared_pki_counts_what_it_counts_on_a_pki_of_its_own() {
    // The comparison runs every n on one 16-TP PKI. The keys are the same (each from its own
    // stream of the seed); only the serial numbers of the certificates differ, so the
    // messages keep their sizes and every role the same counts.
    for (mode, n) in [(Mode::Distributed, 3), (Mode::Pk, 1), (Mode::Dh, 1), (Mode::Psk, 1)] {
        let mut shared = Simulation::with_pki(by_hand(mode, n), pki()).expect("starts");
        shared.run_to_end();
        let mut own = Simulation::new(by_hand(mode, n)).expect("provisions and starts");
        own.run_to_end();
        let sizes = |s: &Simulation| s.capture().iter().map(|p| p.bytes.len()).collect::<Vec<_>>();
        assert_eq!(sizes(&shared), sizes(&own), "{mode:?}");
        let c = |s: &Simulation| {
            s.costs().rows.iter().map(|(l, m)| (l.clone(), counts(m))).collect::<Vec<_>>()
        };
        assert_eq!(c(&shared), c(&own), "{mode:?}");
    }
}

#[test]
fn the_model_adds_up_a_case_computed_by_hand() {
    let mut m = Meter::new();
    m.aes_blocks = 10;
    m.sha1_compressions = 20;
    m.count_rsa(dmikey::cost::RsaKind::Sign, 1024);
    m.count_rsa(dmikey::cost::RsaKind::Verify, 2048);
    m.count_rsa(dmikey::cost::RsaKind::Verify, 2048);
    m.dh_exp = 2;
    m.count_sent(100);
    m.count_sent(200);
    m.count_received(50);
    let mut prices = Prices::of(Profile::mote2005());
    assert!(prices.set(Param::ListenTime, 10.0));
    assert!(prices.is_edited(Param::ListenTime) && !prices.is_edited(Param::AesBlock));
    assert!(!prices.set(Param::AesBlock, -1.0), "a negative price is refused");
    let e = energy::energy(&m, &prices, &FrameModel::IEEE_802_15_4);
    // By hand, mote2005: AES 10 × 25.9 µJ = 0.259 mJ; SHA-1 20 × 378 µJ = 7.56 mJ; one
    // RSA-1024 signature 304 mJ; two RSA-2048 verifications 2 × 53.7 = 107.4 mJ; two DH
    // exponentiations 2 × 680 = 1360 mJ: 1779.219 mJ.
    assert!((e.crypto_mj - 1779.219).abs() < 1e-9, "{}", e.crypto_mj);
    // Radio: 100 B = 1 frame = 100 + 26 = 126 B on the air; 200 B = 2 frames = 252 B;
    // 378 B × 1.67 µJ = 0.63126 mJ sent; 50 B = 76 B × 1.80 µJ = 0.1368 mJ received.
    assert!((e.radio_mj - 0.76806).abs() < 1e-9, "{}", e.radio_mj);
    // Listening: 56.4 mW × 10 ms = 0.564 mJ.
    assert!((e.listen_mj - 0.564).abs() < 1e-9, "{}", e.listen_mj);
    let total = 1779.219 + 0.76806 + 0.564;
    assert!((e.total_mj() - total).abs() < 1e-9);
    // CR2032: 225 mAh × 3.6 C/mAh × 3 V = 2430 J.
    let cell = Battery::CR2032;
    assert!((cell.energy_mj() - 2_430_000.0).abs() < 1e-6);
    let per_cell = energy::agreements_per_battery(&cell, total);
    assert!((per_cell - 2_430_000.0 / 1780.55106).abs() < 1e-6, "{per_cell}");
    let years = energy::battery_years(&cell, total, 24.0);
    assert!((years - 2_430_000.0 / (1780.55106 * 24.0 * 365.25)).abs() < 1e-9, "{years}");
    // modern-mcu, the same counts, listening back to 0: 10 × 0.19 µJ + 20 × 0.08 µJ +
    // 1.1 + 2 × 0.254 + 2 × 2.3 mJ = 6.2115 mJ; radio 378 × 0.61 + 76 × 0.63 µJ.
    let modern = energy::energy(&m, &Prices::of(Profile::modern_mcu()), &FrameModel::IEEE_802_15_4);
    assert!((modern.crypto_mj - 6.2115).abs() < 1e-9, "{}", modern.crypto_mj);
    assert!((modern.radio_mj - 0.27846).abs() < 1e-9, "{}", modern.radio_mj);
    assert_eq!(modern.listen_mj, 0.0);
}

#[test]
fn every_parameter_of_every_profile_has_a_figure_with_a_source() {
    for p in Profile::all() {
        for param in Param::all() {
            let f = p.figure(param).unwrap_or_else(|| panic!("{} has no {param:?}", p.name));
            assert!(f.value >= 0.0 && !f.source.is_empty(), "{} {param:?}", p.name);
        }
        assert_eq!(
            p.figure(Param::ListenTime).map(|f| (f.value, f.status)),
            Some((0.0, Status::Assumed))
        );
    }
    assert!(Profile::by_name("mote2005").is_some() && Profile::by_name("modern-mcu").is_some());
}

#[test]
fn what_the_view_says_is_what_the_sessions_did() {
    let (s, pki) = (setup(), pki());
    let prices = Prices::of(Profile::mote2005());
    let frames = FrameModel::IEEE_802_15_4;
    let costs: Vec<ModeCost> = compare::run_all(&s, &pki)
        .expect("the sessions run")
        .iter()
        .map(|r| ModeCost::new(r, &prices, &frames))
        .collect();
    let of = |m: Mode| costs.iter().find(|c| c.mode == m).expect("every mode");
    let sensor = |m: Mode| of(m).sensor().expect("a sensor row").clone();
    let said = text::findings(&costs);
    assert_eq!(said.len(), 5);
    // 1. No public-key operation on the sensor in the distributed and PSK modes; some in PK, DH.
    for m in [Mode::Distributed, Mode::Psk] {
        let r = sensor(m);
        assert_eq!((r.meter.rsa_public + r.meter.rsa_private + r.meter.dh_exp), 0, "{m:?}");
        assert!(!r.meter.used_public_key_crypto());
    }
    assert!(sensor(Mode::Pk).meter.rsa_private > 0 && sensor(Mode::Pk).meter.rsa_public > 0);
    assert!(sensor(Mode::Dh).meter.dh_exp == 2 && sensor(Mode::Dh).meter.rsa_private > 0);
    assert!(said[0].contains("the sensor performs 0 RSA and 0 DH operations"), "{}", said[0]);
    assert!(said[0].contains("pre-shared-key mode (0 and 0)"), "{}", said[0]);
    // 2. The third parties and R do the public-key work.
    let others = of(Mode::Distributed).others();
    assert!(others.rsa_private >= u64::from(s.n) && others.rsa_public >= u64::from(s.n));
    assert!(said[1].contains(&format!(
        "{} RSA private-key and {} RSA public-key",
        others.rsa_private, others.rsa_public
    )));
    // 3. The sensor sends one message per third party (more than in PSK mode).
    let d = sensor(Mode::Distributed);
    assert!(d.meter.sent_sizes.len() >= usize::from(s.n));
    assert!(d.meter.sent_sizes.len() > sensor(Mode::Psk).meter.sent_sizes.len());
    let grows = compare::run(&s, Mode::Distributed, s.n + 1, &pki).expect("runs");
    let sensor_sent = |r: &compare::ModeRun| r.roles[0].1.bytes_sent;
    assert!(sensor_sent(&grows) > d.meter.bytes_sent, "grows with n");
    // 4. The ratios the sentence gives are those of the energies (lower than PK's on mote2005).
    assert!(d.energy.total_mj() < sensor(Mode::Pk).energy.total_mj());
    assert!(said[3].contains(&energy::chart::format_mj(d.energy.total_mj())), "{}", said[3]);
    // 5. The standard modes do not depend on n.
    for m in [Mode::Psk, Mode::Pk, Mode::Dh] {
        let one = compare::run(&s, m, 1, &pki).expect("runs");
        let many = compare::run(&s, m, MAX_N, &pki).expect("runs");
        assert_eq!(one.n, 0);
        let c = |r: &compare::ModeRun| {
            r.roles.iter().map(|(l, m)| (l.clone(), counts(m))).collect::<Vec<_>>()
        };
        assert_eq!(c(&one), c(&many), "{m:?}");
    }
}

#[test]
fn the_caveats_hold() {
    let (s, pki) = (setup(), pki());
    let mut prices = Prices::of(Profile::modern_mcu());
    let frames = FrameModel::IEEE_802_15_4;
    let runs = compare::run_all(&s, &pki).expect("runs");
    for run in &runs {
        let cost = ModeCost::new(run, &prices, &frames);
        for r in &cost.roles {
            // The TPs and R are priced with the very figures of the sensor.
            assert_eq!(r.energy, energy::energy(&r.meter, &prices, &frames), "{}", r.role);
            // No key generation in the sessions: the PKI comes before them.
            assert_eq!(r.meter.rsa_keygen, 0);
        }
    }
    let said = text::caveats(&prices, &frames);
    assert!(said[2].contains("0 ms per key agreement, which is optimistic"));
    assert!(said[3].contains("leave 107 B of MIKEY message per frame"));
    // Idle listening is the only energy that is not a count × a figure, and it is the parameter.
    let m = Meter::new();
    assert_eq!(energy::energy(&m, &prices, &frames).total_mj(), 0.0);
    prices.set(Param::ListenTime, 100.0);
    let e = energy::energy(&m, &prices, &frames);
    assert!((e.total_mj() - 19.6 * 100.0 / 1000.0).abs() < 1e-12);
    assert!(text::caveats(&prices, &frames)[2].contains("100 ms per key agreement at 19.6 mW"));
}

#[test]
fn a_cheaper_sensor_figure_never_raises_its_energy() {
    // Every figure enters with a non-negative count: lowering any one lowers or keeps E.
    let (s, pki) = (setup(), pki());
    let frames = FrameModel::IEEE_802_15_4;
    let run = compare::run(&s, Mode::Dh, 1, &pki).expect("runs");
    let base = Prices::of(Profile::mote2005());
    let e0 = ModeCost::new(&run, &base, &frames).sensor_mj();
    for param in Param::all() {
        let mut p = base.clone();
        p.set(param, 0.0);
        assert!(ModeCost::new(&run, &p, &frames).sensor_mj() <= e0, "{param:?}");
    }
}
