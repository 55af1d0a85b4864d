//! A whole distributed session in the browser: the PKI is provisioned there (RSA-2048 keys
//! generated with the browser's randomness, `crypto.getRandomValues`), the session runs on the
//! simulated network, R rebuilds the TGK and the sensor and R derive the same TEK.
//! Run with `cargo test -p dmikey --target wasm32-unknown-unknown --test wasm_session`.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::SessionConfig;
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_distributed_session_with_rsa_2048_keys_generated_in_the_browser() {
    let mut cfg = SessionConfig::distributed(3, 2, Scheme::Shamir);
    cfg.rsa_bits = RsaBits::B2048;
    cfg.seed = None; // real randomness from the browser
    let mut sim = Simulation::new(cfg).expect("PKI provisioned in the browser");
    sim.run_to_end();
    let v = sim.verdict();
    assert!(v.r_rebuilt_tgk, "{}", v.sentence);
    assert!(v.teks_match, "{}", v.sentence);
    assert!(v.sensor_verified_r, "{}", v.sentence);
    assert_eq!(sim.responder().tgk(), sim.sensor().tgk());
    assert!(sim.responder().tgk().is_some());
}
