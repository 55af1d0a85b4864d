//! The inspector's copyable commands, run: each `openssl` line and each `python3` program
//! must print exactly the value the inspector shows. Nothing is skipped: without `openssl`,
//! `basenc` (coreutils) or `python3` with `cryptography`, the test fails saying what to
//! install (`scripts/setup` installs them).

use std::collections::BTreeSet;
use std::process::Command;

use dmikey::crypto::kemac::KemacProfile;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, Node, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{CalcKind, Inspection, Origin, RoleView, Simulation, Snippet, Tool};

fn tools_present() {
    let ok = |cmd: &str| {
        Command::new("sh").arg("-c").arg(cmd).output().is_ok_and(|o| o.status.success())
    };
    assert!(
        ok("openssl version"),
        "openssl is missing: install the Debian package openssl (scripts/setup)"
    );
    assert!(ok("printf 41 | basenc --base16 -d"), "basenc is missing: install coreutils >= 8.31");
    assert!(
        ok("python3 -c 'import cryptography'"),
        "python3 with cryptography is missing: install the Debian packages python3 python3-cryptography (scripts/setup)"
    );
}

fn run(s: &Snippet) -> String {
    let out = Command::new("sh").arg("-c").arg(&s.code).output().expect("sh runs");
    assert!(
        out.status.success(),
        "{:?} command failed: {}\n{}",
        s.tool,
        String::from_utf8_lossy(&out.stderr),
        s.code
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn sim(mut cfg: SessionConfig) -> Simulation {
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(21);
    cfg.optional.tp_i = true;
    let mut s = Simulation::new(cfg).expect("simulation");
    s.run_to_end();
    s
}

#[test]
fn every_command_prints_the_value_shown() {
    tools_present();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut kinds: BTreeSet<(String, String)> = BTreeSet::new();
    let mut runs = 0usize;
    let mut ccm = SessionConfig::distributed(3, 2, Scheme::Shamir);
    ccm.kemac = KemacProfile::AesCcm128;
    let mut xor = SessionConfig::distributed(2, 2, Scheme::Xor);
    xor.kemac = KemacProfile::AesCmHmacSha1;
    for cfg in [
        ccm,
        xor,
        SessionConfig::standard(Mode::Pk),
        SessionConfig::standard(Mode::Psk),
        SessionConfig::standard(Mode::Dh),
    ] {
        let s = sim(cfg);
        let mut per_run: BTreeSet<((String, String), String)> = BTreeSet::new();
        let mut calcs = Vec::new();
        for p in s.capture().iter().filter(|p| p.origin == Origin::Role) {
            calcs.extend(Inspection::of_packet(&s, p.id, p.to).expect("packet").calculations);
        }
        for node in [Node::Responder, Node::Sensor] {
            for st in RoleView::of(&s, node).steps {
                calcs.extend(st.calculations);
            }
        }
        for c in calcs {
            assert!(!c.commands.is_empty(), "{} has no command to reproduce it", c.title);
            for snip in &c.commands {
                // Each distinct command once, and per run one of each (calculation, tool).
                let key = (format!("{:?}", c.kind), format!("{:?}", snip.tool));
                kinds.insert(key.clone());
                if !seen.insert(snip.code.clone()) || !per_run.insert((key, c.title.clone())) {
                    continue;
                }
                let printed = run(snip);
                assert_eq!(
                    printed, snip.prints,
                    "{} ({:?}) prints the value shown",
                    c.title, snip.tool
                );
                if snip.prints != "OK" {
                    assert_eq!(
                        snip.prints,
                        hex(&c.output.bytes),
                        "{}: prints is the output",
                        c.title
                    );
                }
                runs += 1;
            }
        }
    }
    for (kind, tool) in [
        ("EncrKey", Tool::Openssl),
        ("EncrKey", Tool::Python3),
        ("AuthKey", Tool::Openssl),
        ("KemacMac", Tool::Openssl),
        ("KemacMac", Tool::Python3),
        ("KemacDecrypt", Tool::Openssl),
        ("CcmNonce", Tool::Python3),
        ("AesCmIv", Tool::Python3),
        ("VMac", Tool::Openssl),
        ("Signature", Tool::Openssl),
        ("Signature", Tool::Python3),
        ("EnvelopeKey", Tool::Python3),
        ("Tek", Tool::Openssl),
        ("Kcv", Tool::Python3),
        ("AuthKeyRi", Tool::Python3),
        ("TgkRebuild", Tool::Python3),
        ("DhPublic", Tool::Python3),
        ("DhShared", Tool::Python3),
    ] {
        assert!(
            kinds.contains(&(kind.to_string(), format!("{tool:?}"))),
            "a {kind} command for {tool:?} was run"
        );
    }
    assert!(runs >= 40, "ran {runs} commands");
    eprintln!("ran {runs} commands");
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The TGK of the sensor as the key log has it (`session.tgk`).
fn keylog_tgk(sim: &Simulation) -> String {
    let log = sim.keylog_json();
    let at = log.find("\"tgk\":\"").expect("the key log has the TGK") + 7;
    log[at..].chars().take_while(|c| c.is_ascii_hexdigit()).collect()
}

#[test]
fn every_scheme_rebuild_command_prints_the_key_logs_tgk() {
    tools_present();
    let mut runs = 0;
    for scheme in Scheme::ALL {
        for (n, k) in [(3u8, 2u8), (5, 3), (4, 4), (5, 5), (4, 1)] {
            let s = sim(SessionConfig::distributed(n, k, scheme));
            let rv = RoleView::of(&s, Node::Responder);
            let c = rv
                .steps
                .iter()
                .flat_map(|st| &st.calculations)
                .find(|c| c.kind == CalcKind::TgkRebuild)
                .unwrap_or_else(|| panic!("{scheme:?} ({n}, {k}): R's view rebuilds the TGK"));
            assert!(c.check.is_ok(), "{scheme:?} ({n}, {k}): {:?}", c.check);
            let tgk = keylog_tgk(&s);
            assert_eq!(hex(&c.output.bytes), tgk, "{scheme:?} ({n}, {k}): the key log's TGK");
            let snip = c.commands.iter().find(|x| x.tool == Tool::Python3).expect("python3");
            assert_eq!(run(snip), tgk, "{scheme:?} ({n}, {k}): the command prints the TGK");
            runs += 1;
            // A share changed by one bit: the program does not print the TGK (it fails on the
            // RS padding or the AONT canary, or prints another value).
            let first = c.inputs.first().expect("a share");
            let mut bad = first.bytes.clone();
            bad[0] ^= 1;
            let code = snip.code.replacen(&hex(&first.bytes), &hex(&bad), 1);
            assert_ne!(code, snip.code, "the share is in the command");
            let out = Command::new("sh").arg("-c").arg(&code).output().expect("sh runs");
            let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert!(
                !out.status.success() || printed != tgk,
                "{scheme:?} ({n}, {k}): a wrong share still printed the TGK"
            );
            if scheme == Scheme::AontRs {
                assert!(!out.status.success(), "AONT-RS: the canary catches a wrong share");
            }
        }
    }
    eprintln!("ran {runs} rebuild commands");
}
