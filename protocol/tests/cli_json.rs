//! The `dmikey` command line: `--json` prints one JSON object with the verdicts (checked with
//! python3's json parser), the distributed mode refuses to run without `--scheme`, `--help`
//! explains every option, and a link copied from the browser replays the same run.

use std::process::Command;

fn dmikey(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dmikey")).args(args).output().unwrap()
}

fn parse_with_python(json: &str, expr: &str) -> String {
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
            c.stdin.take().unwrap().write_all(json.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 is needed to check the JSON");
    assert!(out.status.success(), "python3 could not parse: {json}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn run_json_prints_one_parsable_object_with_the_verdicts() {
    let out = dmikey(&[
        "run",
        "--mode",
        "distributed",
        "--tps",
        "5",
        "--threshold",
        "3",
        "--scheme",
        "rs",
        "--seed",
        "42",
        "--rsa",
        "1024",
        "--compromise",
        "TP1,TP2,TP3",
        "--drop",
        "TP4_R",
        "--tamper",
        "TP5_R:50",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    let got = parse_with_python(
        &json,
        "d['r_rebuilt_tgk'], d['intruder_rebuilt_tgk'], d['tgk_bits_exposed'], d['teks_match'], [r['message'] for r in d['rejections']]",
    );
    assert_eq!(got, "(True, True, 128, True, ['TP5_R'])");
}

#[test]
fn every_mode_runs_and_agrees_on_the_tek() {
    for mode in ["psk", "pk", "dh"] {
        let out = dmikey(&["run", "--mode", mode, "--seed", "1", "--rsa", "1024", "--json"]);
        assert!(out.status.success(), "{mode}: {}", String::from_utf8_lossy(&out.stderr));
        let json = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            parse_with_python(&json, "d['r_rebuilt_tgk'], d['teks_match']"),
            "(True, True)",
            "{mode}"
        );
    }
}

#[test]
fn distributed_mode_without_scheme_is_refused() {
    let out = dmikey(&["run", "--mode", "distributed", "--tps", "3", "--seed", "1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scheme"));
}

#[test]
fn help_lists_the_options() {
    let out = dmikey(&["--help"]);
    assert!(out.status.success());
    let h = String::from_utf8(out.stdout).unwrap();
    for opt in [
        "--mode",
        "--scheme",
        "--compromise",
        "--drop",
        "--tamper",
        "--replay",
        "--pcap",
        "--keylog",
        "--json",
        "bench",
    ] {
        assert!(h.contains(opt), "help lacks {opt}");
    }
}

#[test]
fn keylog_is_json_with_every_message() {
    let dir = std::env::temp_dir().join(format!("dmikey-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kl = dir.join("run.json");
    let out = dmikey(&[
        "run",
        "--scheme",
        "shamir",
        "--tps",
        "3",
        "--threshold",
        "2",
        "--seed",
        "5",
        "--rsa",
        "1024",
        "--keylog",
        kl.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&kl).unwrap();
    let got = parse_with_python(
        &text,
        "d['format'], len(d['session']['shares']), len(d['session']['tgk']), all(m['protected_by']['key'] for m in d['messages'] if m['kind'] in ('ITp','TpR','RTp','RI'))",
    );
    assert_eq!(got, "('dmikey-keylog-1', 3, 32, True)");
}

#[test]
fn a_browser_link_replays_the_same_run_as_the_equivalent_options() {
    let dir = std::env::temp_dir().join(format!("dmikey-link-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("options.pcap"), dir.join("link.pcap"));
    let by_options = dmikey(&[
        "run",
        "--tps",
        "3",
        "--threshold",
        "2",
        "--scheme",
        "rs",
        "--rsa",
        "1024",
        "--seed",
        "5",
        "--compromise",
        "TP1",
        "--drop",
        "TP2_R",
        "--json",
        "--pcap",
        a.to_str().unwrap(),
    ]);
    let link = "v=1&mode=distributed&n=3&k=2&scheme=rs&kemac=aes-cm&rsa=1024&opt=r-tp,r-i\
                &seed=5&cmds=0:compromise:1;0:arm:TP2_R:drop&step=3";
    let by_link = dmikey(&["run", "--link", link, "--json", "--pcap", b.to_str().unwrap()]);
    for out in [&by_options, &by_link] {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(by_options.stdout, by_link.stdout);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    std::fs::remove_dir_all(&dir).ok();

    let mixed = dmikey(&["run", "--link", link, "--seed", "6"]);
    assert!(!mixed.status.success());
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("--link carries"));
    let bad = dmikey(&["run", "--link", "v=1&scheme=rs&cmds=1:explode:2"]);
    assert!(!bad.status.success());
    let why = String::from_utf8_lossy(&bad.stderr);
    assert!(why.contains("unknown command"), "{why}");
}
