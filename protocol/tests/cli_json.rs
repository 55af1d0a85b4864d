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
        "--inject",
        "--preset",
        "--kcv",
        "--steal-after",
        "--search-kcv",
        "presets",
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
    // Byte-identical but for the guess time, which each run measures on the machine.
    let deterministic = |out: &std::process::Output| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let time = parse_with_python(&text, "d['tgk_guess_time']");
        assert!(time.contains("bits left"), "{text}");
        text.replace(&time[1..time.len() - 1], "")
    };
    assert_eq!(deterministic(&by_options), deterministic(&by_link));
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

/// `dmikey run --json` for a distributed session with these options (1024-bit RSA, seed 7).
fn run_json(scheme: &str, n: &str, k: &str, attack: &[&str]) -> String {
    let mut args = vec![
        "run",
        "--mode",
        "distributed",
        "--scheme",
        scheme,
        "--tps",
        n,
        "--threshold",
        k,
        "--rsa",
        "1024",
        "--seed",
        "7",
        "--json",
    ];
    args.extend_from_slice(attack);
    let out = dmikey(&args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn one_malicious_tp_of_any_kind_is_rejected_by_name_and_r_holds_the_sensors_tgk() {
    for kind in ["own-tgk", "bogus-meta", "steal-index"] {
        let json = run_json("rs", "5", "3", &["--malicious", &format!("TP1:{kind}")]);
        let got = parse_with_python(
            &json,
            "d['r_rebuilt_tgk'], d['r_tgk_is_sensors'], d['teks_match'], \
             any(r['message'] == 'TP1_R' and 'TP1' in r['reason'] for r in d['rejections'])",
        );
        assert_eq!(got, "(True, True, True, True)", "{kind}: {json}");
    }
    // The default kind is today's wrong share; an unknown kind is refused.
    let json = run_json("rs", "5", "3", &["--malicious", "TP2"]);
    assert_eq!(parse_with_python(&json, "d['r_tgk_is_sensors'], d['teks_match']"), "(True, True)");
    let out = dmikey(&["run", "--scheme", "rs", "--malicious", "TP1:lie"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("own-tgk"));
}

#[test]
fn shares_that_determine_the_tgk_rebuild_it_below_k() {
    // AONT-RS n = 16, k = 9: 8 systematic shards are the whole 64-byte package.
    let tps: Vec<String> = (1..=8).map(|i| format!("TP{i}")).collect();
    let json = run_json("aont-rs", "16", "9", &["--compromise", &tps.join(",")]);
    assert_eq!(
        parse_with_python(&json, "d['intruder_rebuilt_tgk'], d['tgk_guess_bits']"),
        "(True, 0)",
        "{json}"
    );
    // Paper's RS n = k = 5: the fifth data shard is padding, four shares are the TGK.
    let json = run_json("rs", "5", "5", &["--compromise", "TP1,TP2,TP3,TP4"]);
    assert_eq!(parse_with_python(&json, "d['intruder_rebuilt_tgk']"), "True", "{json}");
    let json = run_json("rs", "5", "5", &["--drop", "TP5_R"]);
    assert_eq!(
        parse_with_python(&json, "d['r_rebuilt_tgk'], d['r_tgk_is_sensors'], d['teks_match']"),
        "(True, True, True)",
        "{json}"
    );
}

#[test]
fn the_bits_left_to_guess_against_the_public_kcv_are_counted_and_said_in_words() {
    let rs = run_json("rs", "5", "3", &["--compromise", "TP1,TP2"]);
    assert_eq!(
        parse_with_python(&rs, "d['tgk_bits_exposed'], d['tgk_guess_bits']"),
        "(96, 32)",
        "{rs}"
    );
    let words = parse_with_python(&rs, "d['tgk_guess_time']");
    assert!(
        words.starts_with("'32 bits left: 2^32 guesses against the public KCV, ")
            && words.ends_with(" on this machine'"),
        "{words}"
    );
    assert!(parse_with_python(&rs, "d['sentence']").contains("32 left to guess"), "{rs}");
    // Fewer than k Shamir shares leave the TGK uniform: the KCV is an oracle over 2^128.
    let shamir = run_json("shamir", "5", "3", &["--compromise", "TP1,TP2"]);
    assert_eq!(
        parse_with_python(&shamir, "d['tgk_bits_exposed'], d['tgk_guess_bits']"),
        "(0, 128)",
        "{shamir}"
    );
    assert!(parse_with_python(&shamir, "d['tgk_guess_time']").starts_with("'128 bits left"));
}

#[test]
fn colluding_impersonation_fools_r_and_says_so() {
    let out = dmikey(&["run", "--preset", "colluding-impersonation", "--rsa", "1024", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    assert_eq!(parse_with_python(&json, "d['r_tgk_is_sensors']"), "False", "{json}");
    assert_eq!(parse_with_python(&json, "'R was fooled' in d['sentence']"), "True", "{json}");
    assert_eq!(
        parse_with_python(&json, "[(f['label'], f['accepted']) for f in d['forged_messages']]"),
        "[('TP1_R (forged)', True), ('TP2_R (forged)', True), ('TP3_R (forged)', True)]"
    );
}

#[test]
fn forged_r_i_is_accepted_by_the_sensor() {
    let out = dmikey(&["run", "--preset", "forged-r-i", "--rsa", "1024", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    assert_eq!(parse_with_python(&json, "d['sensor_accepted_forgery']"), "True", "{json}");
}

#[test]
fn inject_grammar_on_the_command_line_forges_and_names_the_rejection() {
    // Without TP1's RSA key the forged TP1_R is refused by R's signature check.
    let out = dmikey(&[
        "run",
        "--scheme",
        "rs",
        "--seed",
        "4",
        "--rsa",
        "1024",
        "--compromise",
        "TP2",
        "--inject",
        "TP_R TP2>R index=2",
        "--inject",
        "R_I R>I",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    let got = parse_with_python(
        &json,
        "[(f['label'], f['accepted'], f['fully_protected']) for f in d['forged_messages']]",
    );
    assert_eq!(got, "[('TP2_R (forged)', True, True), ('R_I (forged)', False, False)]", "{json}");
    let bad = dmikey(&["run", "--scheme", "rs", "--inject", "TP_R TP1>Q"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("TP1>Q"));
}

#[test]
fn dh_messages_and_fact_picks_from_the_command_line() {
    // The facts listing names the captured DH I_MESSAGE's fact and the fields it fills.
    let base = ["run", "--mode", "dh", "--seed", "4", "--rsa", "1024", "--steal", "R"];
    let out = dmikey(&[&base[..], &["--facts"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("fact:") && l.contains("I_MESSAGE (DH) (packet #0"))
        .unwrap_or_else(|| panic!("{text}"));
    let id: String = line
        .trim_start()
        .trim_start_matches("fact:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A forged R_MESSAGE with R's stolen key, its T and CSB ID read from that fact: accepted.
    let dir = std::env::temp_dir().join(format!("dmikey-cli-dh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ng = dir.join("dh.pcapng");
    let spec = format!("DH_R R>I t=fact:{id} csb=fact:{id}");
    let out = dmikey(
        &[
            &base[..],
            &[
                "--drop",
                "R_MESSAGE (DH)",
                "--inject",
                &spec,
                "--pcapng",
                ng.to_str().unwrap(),
                "--json",
            ],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    let got = parse_with_python(
        &json,
        "[(f['label'], f['accepted'], f['fully_protected']) for f in d['forged_messages']]",
    );
    assert_eq!(got, "[('R_MESSAGE (DH) (forged)', True, True)]", "{json}");
    assert_eq!(parse_with_python(&json, "d['sensor_accepted_forgery']"), "True", "{json}");
    let bytes = std::fs::read(&ng).unwrap();
    assert_eq!(&bytes[..4], &0x0A0D_0D0Au32.to_le_bytes(), "a pcapng section header");
    assert!(bytes.windows(22).any(|w| w == b"forged by the intruder"));
    // A fact that does not hold the field is refused by name.
    let out = dmikey(&[&base[..], &["--inject", "DH_R R>I rand=fact:99999", "--json"]].concat());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("99999"), "{:?}", out);
}

#[test]
fn presets_lists_every_id_and_the_claims() {
    let out = dmikey(&["presets", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    let n = parse_with_python(&json, "len(d['presets'])");
    assert!(n.parse::<usize>().unwrap() >= 20, "{n}");
    assert_eq!(parse_with_python(&json, "len(d['claims'])"), "8");
    let text = dmikey(&["presets"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("kcv-brute-force"));
}

#[test]
fn kcv_off_is_a_switch() {
    let out = dmikey(&[
        "run",
        "--scheme",
        "rs",
        "--seed",
        "2",
        "--rsa",
        "1024",
        "--kcv",
        "off",
        "--malicious",
        "TP2",
        "--json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    assert_eq!(parse_with_python(&json, "d['r_tgk_is_sensors']"), "False", "{json}");
}
