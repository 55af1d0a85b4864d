//! `dmikey costs`: the four modes side by side, as text and as JSON (checked with python3's
//! parser), with both hardware profiles.

use std::process::Command;

fn dmikey(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dmikey")).args(args).output().expect("the binary runs")
}

/// Evaluates the python expression `expr` over the JSON text as `d`.
fn python(json: &str, expr: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import json,sys; d=json.loads(sys.stdin.read()); print(repr(({expr})))"),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().expect("stdin").write_all(json.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 is needed to check the JSON");
    assert!(out.status.success(), "python3 could not parse: {json}");
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn costs_json(rsa: &str, profile: &str) -> String {
    let out = dmikey(&["costs", "--tps", "5", "--rsa", rsa, "--profile", profile, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn check(json: &str, profile: &str, bits: u64) {
    assert_eq!(python(json, "d['profile']['name']"), format!("'{profile}'"));
    assert_eq!(
        python(json, "[m['mode'] for m in d['modes']]"),
        "['psk', 'pk', 'dh', 'distributed']"
    );
    // The sensor first in every mode; the distributed mode has I, TP1..TP5, R.
    assert_eq!(python(json, "{m['roles'][0]['role'] for m in d['modes']}"), "{'I'}");
    assert_eq!(python(json, "len(d['modes'][3]['roles'])"), "7");
    assert_eq!(python(json, "all(m['r_rebuilt_tgk'] for m in d['modes'])"), "True");
    // The energy is its parts.
    assert_eq!(
        python(
            json,
            "all(abs(r['energy_mj'] - r['crypto_mj'] - r['radio_mj'] - r['listen_mj']) < 1e-9 for m in d['modes'] for r in m['roles'])"
        ),
        "True"
    );
    // The sensor does no public-key work in the distributed mode, some in PK mode, at the size asked.
    assert_eq!(python(json, "d['modes'][3]['roles'][0]['counts']['rsa']"), "[]");
    assert_eq!(python(json, "d['modes'][3]['roles'][0]['counts']['dh_exp']"), "0");
    assert_eq!(
        python(json, "[o['bits'] for o in d['modes'][1]['roles'][0]['counts']['rsa']]"),
        format!("[{bits}]")
    );
    // Every figure used has its source and status, and the profile's own value.
    assert_eq!(
        python(
            json,
            "all(s['source'] and s['status'] and not s['edited'] for m in d['modes'] for r in m['roles'] for s in r['sources'])"
        ),
        "True"
    );
    assert_eq!(python(json, "d['energy_is']"), "'a model, not a measurement'");
    assert_eq!(python(json, "d['frames']['payload_per_frame']"), "107");
    assert_eq!(
        python(
            json,
            "all(r['frames']['sent'] >= r['messages']['sent'] for m in d['modes'] for r in m['roles'])"
        ),
        "True"
    );
}

#[test]
fn costs_json_with_the_mote2005_profile_at_rsa_2048() {
    let json = costs_json("2048", "mote2005");
    check(&json, "mote2005", 2048);
    // mote2005: an RSA-2048 signature is 2302.7 mJ, so the sensor's PK-mode energy exceeds it.
    assert_eq!(python(&json, "d['modes'][1]['roles'][0]['crypto_mj'] > 2302.7"), "True");
    assert!(python(&json, "[s['source'] for s in d['modes'][1]['roles'][0]['sources'] if s['figure'] == 'rsa2048_sign'][0]").contains("Wander"));
}

#[test]
fn costs_json_with_the_modern_mcu_profile() {
    let json = costs_json("1024", "modern-mcu");
    check(&json, "modern-mcu", 1024);
    assert!(python(&json, "[s['source'] for s in d['modes'][1]['roles'][0]['sources'] if s['figure'] == 'rsa1024_sign'][0]").contains("wolfSSL"));
}

#[test]
fn costs_text_and_errors() {
    let out = dmikey(&[
        "costs",
        "--tps",
        "2",
        "--rsa",
        "1024",
        "--profile",
        "modern-mcu",
        "--listen-ms",
        "5",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("ENERGY IS A MODEL, NOT A MEASUREMENT"));
    for title in ["Pre-shared key", "Public key", "Diffie–Hellman", "Distributed"] {
        assert!(text.contains(title), "{title}");
    }
    assert!(text.contains("5 ms per key agreement"));
    let bad = dmikey(&["costs", "--profile", "pentium"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("mote2005 or modern-mcu"));
    let big = dmikey(&["costs", "--tps", "17"]);
    assert!(!big.status.success());
}
