//! `dmikey` — runs a MIKEY session headless: the sensor, n third parties and R on the
//! simulated network, with the attacker's commands; prints the event trace and the verdicts,
//! writes the capture as a pcap (UDP port 2269) and the key log (JSON). `dmikey bench` times
//! a whole session next to the time of its own crypto operations.
#![forbid(unsafe_code)]

mod costs;
mod decode;
mod inject;
mod presets;

use std::process::ExitCode;
use std::sync::Arc;

use dmikey::crypto::kemac::KemacProfile;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::verdict;
use dmikey::sim::{Command, MaliciousKind, PacketAction, Permalink, Player, Simulation, Tamper};

const HELP_MAIN: &str = "\
dmikey — the distributed MIKEY mode (Abdmeziem et al., IoTBD 2016) over real RFC 3830 bytes

USAGE:
  dmikey run   [OPTIONS]      run one session, print the trace and the verdicts
  dmikey bench [OPTIONS]      time a whole session against its own crypto operations
  dmikey decode [FORMAT] FILE [KEYS] [--json]
                              annotate every MIKEY message of FILE (- = stdin), byte by byte
  dmikey presets [--json]     list the presets and the paper's claims (see PRESETS)
  dmikey costs [OPTIONS]      the four modes side by side: counts, bytes, frames, energy model
  dmikey --help

RUN OPTIONS:
  --mode psk|pk|dh|distributed   MIKEY mode (default: distributed)
  --tps N                        third parties n, 1..=255 (default 5)
  --threshold K                  shares needed k, 1..=n (default 3; XOR always needs n)
  --scheme rs|shamir|xor|aont-rs TGK sharing; REQUIRED for the distributed mode
                                 (rs = the paper's systematic Reed-Solomon, leaks slices)
  --seed N                       deterministic run (same seed + commands = same bytes);
                                 without it: real randomness from the OS
  --kemac aes-cm|aes-ccm         KEMAC of the sensor's segment (default aes-cm, RFC 3830)
  --rsa 1024|2048|3072           RSA modulus of the PKI (default 2048)
  --tp-i / --no-tp-i             send TPi_I (default off)
  --r-tp / --no-r-tp             send R_TPi (default on)
  --r-i  / --no-r-i              send R_I (default on)
ATTACKER (repeatable; LABEL is a message label such as I_TP2, TP4_R, R_I):
  --compromise TP1,TP2           the intruder takes over these TPs (PSK, RSA key, all they know)
  --malicious TP3[:KIND]         these TPs lie in TPi_R (validly signed); KIND is
                                 wrong-share (default: its share with bits flipped),
                                 own-tgk (K = 1, a TGK of its own and its KCV),
                                 bogus-meta (a false KCV), steal-index (the next TP's index)
  --drop LABEL[,LABEL]           drop these messages
  --delay LABEL:MS               deliver LABEL MS milliseconds late
  --tamper LABEL:OFFSET          flip byte OFFSET of LABEL (XOR 0x01)
  --replay LABEL                 replay LABEL to its receiver after it was delivered
  --loss PERMILLE                lose each packet with probability PERMILLE/1000 (seeded)
  --link 'v=1&…'                 replay a run linked from the browser (its Copy link; the
                                 text after '#'): configuration, seed and commands at their
                                 steps; not combined with the options above
{INJECT}{PRESETS}OUTPUT:
  --pcap FILE                    write the packets (IPv4/UDP port 2269, raw IP)
  --pcapng FILE                  the same as pcapng, forged packets marked in a comment
  --keylog FILE                  write the key log (JSON, see dmikey::export::keylog)
  --json                         print only the verdicts as one JSON object
  --costs                        print the per-role operation counts

BENCH OPTIONS:
  --tps N (5)  --threshold K (3)  --scheme S (rs, printed)  --rsa BITS (2048)
  --runs N (5)  --seed N (1)

DECODE OPTIONS:
  --hex|--base64|--sdp|--rtsp|--pcap   input format (default: guessed)
  --psk HEX                      pre-shared key: checks the MACs, opens the KEMAC
  --envelope-key HEX             envelope key of a public-key-mode message
  --rsa-key FILE                 R's RSA private key (PKCS#8: PEM, hex or DER) to open the PKE
  --ca FILE                      CA certificate (PEM, hex or DER) to check CERT payloads against
  --json                         print the inspection as JSON

COSTS OPTIONS (the energy is a model: measured counts × published figures):
  --tps N (5, 1..=16)  --threshold K (3)  --scheme S (rs)  --rsa BITS (2048)
  --kemac aes-cm|aes-ccm (aes-cm)  --seed N (1)
  --profile mote2005|modern-mcu  figures of a 2005 mote or a current Cortex-M4 (mote2005)
  --listen-ms T                  idle listening per key agreement (0, which is optimistic)
  --json                         per mode and role: counts, bytes, frames, energy_mj,
                                 crypto_mj, radio_mj and the figures used with their sources

EXAMPLES:
  dmikey run --mode distributed --tps 5 --threshold 3 --scheme rs --seed 42 \\
             --compromise TP1,TP2 --drop TP4_R --pcap run.pcap --keylog run.json
  dmikey bench --tps 5 --rsa 2048
  dmikey run --preset colluding-impersonation --json
  dmikey costs --tps 5 --rsa 2048 --profile modern-mcu --json
";

/// The whole help text: the main text with the forging and preset sections in place.
fn help() -> String {
    HELP_MAIN.replace("{INJECT}", inject::HELP).replace("{PRESETS}", presets::HELP)
}

/// Parsed `run` options.
struct RunArgs {
    mode: Mode,
    n: u8,
    k: u8,
    scheme: Option<Scheme>,
    seed: Option<u64>,
    kemac: KemacProfile,
    rsa: RsaBits,
    tp_i: bool,
    r_tp: bool,
    r_i: bool,
    commands: Vec<Command>,
    /// A link from the browser: the whole configuration and the commands at their steps.
    link: Option<Permalink>,
    /// Whether any configuration or attacker option was given (they exclude `--link`).
    config_given: bool,
    pcap: Option<String>,
    pcapng: Option<String>,
    facts: bool,
    keylog: Option<String>,
    json: bool,
    costs: bool,
    /// `--preset ID`.
    preset: Option<String>,
    /// `--kcv on|off`.
    key_check: bool,
    /// `--inject`, `--steal`, `--steal-after`, `--search-kcv`: after the other commands.
    forging: Vec<Command>,
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    Mode::from_name(s).ok_or_else(|| format!("unknown mode \"{s}\" (psk, pk, dh or distributed)"))
}

fn parse_rsa(s: &str) -> Result<RsaBits, String> {
    s.parse()
        .ok()
        .and_then(RsaBits::from_bits)
        .ok_or_else(|| format!("unsupported RSA size \"{s}\" (1024, 2048 or 3072)"))
}

fn parse_kemac(s: &str) -> Result<KemacProfile, String> {
    KemacProfile::from_cli_name(s)
        .ok_or_else(|| format!("unknown KEMAC profile \"{s}\" (aes-cm, aes-ccm or aes-ccm-8)"))
}

fn parse_tp(s: &str) -> Result<u8, String> {
    let t = s.trim();
    let digits = t.strip_prefix("TP").or_else(|| t.strip_prefix("tp")).unwrap_or(t);
    digits.parse::<u8>().map_err(|_| format!("\"{s}\" is not a third party (TP1, TP2, …)"))
}

fn parse_malicious(s: &str) -> Result<(u8, MaliciousKind), String> {
    let (tp, kind) = match s.split_once(':') {
        None => (s, MaliciousKind::WrongShare),
        Some((tp, name)) => {
            let kind = MaliciousKind::from_cli_name(name.trim()).ok_or_else(|| {
                let names: Vec<&str> = MaliciousKind::ALL.iter().map(|k| k.cli_name()).collect();
                format!("unknown malicious kind \"{name}\" ({})", names.join(", "))
            })?;
            (tp, kind)
        }
    };
    Ok((parse_tp(tp)?, kind))
}

fn parse_num<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, String> {
    s.trim().parse::<T>().map_err(|_| format!("{what}: \"{s}\" is not a valid number"))
}

fn split_label(s: &str, what: &str) -> Result<(String, String), String> {
    let (l, v) =
        s.rsplit_once(':').ok_or_else(|| format!("{what} needs LABEL:VALUE, got \"{s}\""))?;
    Ok((l.to_string(), v.to_string()))
}

fn value(p: &mut lexopt::Parser, name: &str) -> Result<String, String> {
    p.value()
        .map_err(|e| format!("{name}: {e}"))?
        .into_string()
        .map_err(|_| format!("{name}: not valid UTF-8"))
}

fn parse_run(p: &mut lexopt::Parser) -> Result<RunArgs, String> {
    use lexopt::Arg::Long;
    let mut a = RunArgs {
        mode: Mode::Distributed,
        n: 5,
        k: 3,
        scheme: None,
        seed: None,
        kemac: KemacProfile::AesCmHmacSha1,
        rsa: RsaBits::B2048,
        tp_i: false,
        r_tp: true,
        r_i: true,
        commands: Vec::new(),
        link: None,
        config_given: false,
        pcap: None,
        pcapng: None,
        facts: false,
        keylog: None,
        json: false,
        costs: false,
        preset: None,
        key_check: true,
        forging: Vec::new(),
    };
    let mut compromise = Vec::new();
    let mut malicious = Vec::new();
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        if let Long(name) = arg
            && !matches!(
                name,
                "link" | "pcap" | "pcapng" | "keylog" | "json" | "costs" | "facts" | "preset"
            )
        {
            a.config_given = true;
        }
        match arg {
            Long("link") => {
                let text = value(p, "--link")?;
                a.link = Some(Permalink::parse(&text).map_err(|e| format!("--link: {e}"))?);
            }
            Long("mode") => a.mode = parse_mode(&value(p, "--mode")?)?,
            Long("tps") => a.n = parse_num(&value(p, "--tps")?, "--tps")?,
            Long("threshold") => a.k = parse_num(&value(p, "--threshold")?, "--threshold")?,
            Long("scheme") => {
                let v = value(p, "--scheme")?;
                a.scheme = Some(Scheme::from_cli_name(&v).map_err(|e| e.to_string())?);
            }
            Long("seed") => a.seed = Some(parse_num(&value(p, "--seed")?, "--seed")?),
            Long("kemac") => a.kemac = parse_kemac(&value(p, "--kemac")?)?,
            Long("rsa") => a.rsa = parse_rsa(&value(p, "--rsa")?)?,
            Long("tp-i") => a.tp_i = true,
            Long("no-tp-i") => a.tp_i = false,
            Long("r-tp") => a.r_tp = true,
            Long("no-r-tp") => a.r_tp = false,
            Long("r-i") => a.r_i = true,
            Long("no-r-i") => a.r_i = false,
            Long("compromise") => {
                for t in value(p, "--compromise")?.split(',') {
                    compromise.push(parse_tp(t)?);
                }
            }
            Long("malicious") => {
                for t in value(p, "--malicious")?.split(',') {
                    malicious.push(parse_malicious(t)?);
                }
            }
            Long("drop") => {
                for l in value(p, "--drop")?.split(',') {
                    a.commands
                        .push(Command::Arm { label: l.trim().into(), action: PacketAction::Drop });
                }
            }
            Long("delay") => {
                let (label, ms) = split_label(&value(p, "--delay")?, "--delay")?;
                let ms = parse_num(&ms, "--delay")?;
                a.commands.push(Command::Arm { label, action: PacketAction::Delay { ms } });
            }
            Long("tamper") => {
                let (label, off) = split_label(&value(p, "--tamper")?, "--tamper")?;
                let offset = parse_num(&off, "--tamper")?;
                a.commands.push(Command::Arm {
                    label,
                    action: PacketAction::Tamper(Tamper::FlipByte { offset, mask: 0x01 }),
                });
            }
            Long("replay") => {
                for l in value(p, "--replay")?.split(',') {
                    a.commands.push(Command::Arm {
                        label: l.trim().into(),
                        action: PacketAction::ReplayAfterDelivery { to: None, after_ms: 10 },
                    });
                }
            }
            Long("loss") => {
                let permille = parse_num(&value(p, "--loss")?, "--loss")?;
                a.commands.push(Command::SetLossRate { permille });
            }
            Long("preset") => a.preset = Some(value(p, "--preset")?),
            Long("kcv") => a.key_check = inject::key_check(&value(p, "--kcv")?)?,
            Long("inject") => a.forging.push(inject::command(&value(p, "--inject")?)?),
            Long("steal") => {
                let v = value(p, "--steal")?;
                let node = dmikey::sim::Node::from_label(v.trim())
                    .ok_or_else(|| format!("--steal: \"{v}\" is not a node (I, R, TPi)"))?;
                a.forging.push(Command::StealKeys { node });
            }
            Long("steal-after") => {
                let (label, node) = split_label(&value(p, "--steal-after")?, "--steal-after")?;
                let node = dmikey::sim::Node::from_label(node.trim())
                    .ok_or_else(|| format!("--steal-after: \"{node}\" is not a node"))?;
                a.forging.push(Command::Arm {
                    label,
                    action: PacketAction::StealAfterDelivery { node },
                });
            }
            Long("search-kcv") => a.forging.push(Command::SearchKcv),
            Long("pcap") => a.pcap = Some(value(p, "--pcap")?),
            Long("pcapng") => a.pcapng = Some(value(p, "--pcapng")?),
            Long("keylog") => a.keylog = Some(value(p, "--keylog")?),
            Long("json") => a.json = true,
            Long("costs") => a.costs = true,
            Long("facts") => a.facts = true,
            other => return Err(other.unexpected().to_string()),
        }
    }
    if a.link.is_some() {
        if a.config_given {
            return Err("--link carries the whole configuration and the commands; only \
                        --pcap, --pcapng, --keylog, --json, --costs and --facts go with it"
                .into());
        }
        return Ok(a);
    }
    if a.preset.is_some() {
        if a.link.is_some() {
            return Err("--preset and --link both give the whole run; choose one".into());
        }
        // The preset gives configuration and commands; attacker options come after them.
        let mut cmds: Vec<Command> =
            compromise.into_iter().map(|tp| Command::Compromise { tp }).collect();
        cmds.extend(malicious.into_iter().map(|(tp, kind)| Command::MakeMalicious { tp, kind }));
        cmds.append(&mut a.commands);
        cmds.append(&mut a.forging);
        a.commands = cmds;
        return Ok(a);
    }
    if a.mode == Mode::Distributed && a.scheme.is_none() {
        return Err(
            "the distributed mode needs --scheme rs|shamir|xor|aont-rs (there is no default)"
                .into(),
        );
    }
    // Compromise and malice first (they concern the TPs from the start), then the rest.
    let mut cmds: Vec<Command> =
        compromise.into_iter().map(|tp| Command::Compromise { tp }).collect();
    cmds.extend(malicious.into_iter().map(|(tp, kind)| Command::MakeMalicious { tp, kind }));
    cmds.append(&mut a.commands);
    cmds.append(&mut a.forging);
    a.commands = cmds;
    Ok(a)
}

fn config_of(a: &RunArgs) -> SessionConfig {
    let mut cfg = match (a.mode, a.scheme) {
        (Mode::Distributed, Some(s)) => SessionConfig::distributed(a.n, a.k, s),
        (m, _) => SessionConfig::standard(m),
    };
    cfg.kemac = a.kemac;
    cfg.rsa_bits = a.rsa;
    cfg.seed = a.seed;
    cfg.optional.tp_i = a.tp_i;
    cfg.optional.r_tp = a.r_tp;
    cfg.optional.r_i = a.r_i;
    cfg.key_check = a.key_check;
    cfg
}

fn run(a: RunArgs) -> Result<(), String> {
    // The KCV search's wall-clock time, measured here (the simulation stays deterministic).
    let mut search_ms: Option<f64> = None;
    let sim = match &a.link {
        // The browser's way: each command at its step (seeking there first), then to the end.
        Some(link) => {
            let sim = Simulation::new(link.config.clone()).map_err(|e| e.to_string())?;
            let mut player = Player::new(sim);
            let mut script = link.script.clone();
            if let Some((c, e)) = script.replay(&mut player).first() {
                return Err(format!("{}: {e}", c.describe()));
            }
            player.run(1_000_000);
            player.current().clone()
        }
        None => {
            let (cfg, mut cmds) = match &a.preset {
                Some(id) => {
                    let p = presets::find(id, a.rsa, Some(a.seed.unwrap_or(1)))?;
                    (p.config, p.commands)
                }
                None => (config_of(&a), Vec::new()),
            };
            cmds.extend(a.commands.iter().cloned());
            let mut sim = Simulation::new(cfg).map_err(|e| e.to_string())?;
            for c in &cmds {
                let start = std::time::Instant::now();
                sim.apply(c.clone()).map_err(|e| format!("{}: {e}", c.describe()))?;
                if *c == Command::SearchKcv {
                    search_ms = Some(start.elapsed().as_secs_f64() * 1e3);
                }
            }
            sim.run_to_end();
            sim
        }
    };
    let verdict = sim.verdict();
    // Offline guessing: timed here, natively, on the very check a guesser repeats.
    let guess = (verdict.tgk_bits_total > 0).then(|| {
        let rate = verdict::measure_kcv_guesses_per_second(100_000, 200);
        verdict::guess_time_sentence(verdict.tgk_guess_bits, rate)
    });
    if a.json {
        let search = search_ms.map(|ms| format!("{ms:.1} ms"));
        let mut extra: Vec<(&str, &str)> =
            guess.iter().map(|g| ("tgk_guess_time", g.as_str())).collect();
        if let Some(s) = &search {
            extra.push(("kcv_search_time", s.as_str()));
        }
        println!("{}", verdict.to_json_with(&extra));
    } else {
        for e in sim.events() {
            println!("[{:>6} ms] {}", e.at.0, e.describe());
        }
        println!();
        println!("Verdict: {}", verdict.sentence);
        println!("  R rebuilt the TGK:        {}", yes(verdict.r_rebuilt_tgk));
        if sim.is_distributed() {
            println!(
                "  R's shares:               {} of {} needed",
                verdict.r_shares.0, verdict.r_shares.1
            );
        }
        println!("  intruder rebuilt the TGK: {}", yes(verdict.intruder_rebuilt_tgk));
        println!(
            "  TGK bits exposed:         {} of {}",
            verdict.tgk_bits_exposed, verdict.tgk_bits_total
        );
        if let Some(g) = &guess {
            println!("  TGK bits to guess:        {g}");
        }
        println!("  R holds the sensor's TGK: {}", yes(verdict.r_tgk_is_sensors));
        println!("  TEKs match:               {}", yes(verdict.teks_match));
        println!("  sensor verified R:        {}", yes(verdict.sensor_verified_r));
        println!("  sensor accepted a forgery: {}", yes(verdict.sensor_accepted_forgery));
        if let (Some(ms), Some(s)) = (search_ms, sim.intruder_report().kcv_search) {
            println!(
                "  KCV search:               {} guesses over {} bits in {ms:.1} ms on this machine",
                s.guesses, s.bits
            );
        }
        for f in &verdict.forged_messages {
            let what = match (&f.rejection, f.accepted) {
                (Some(r), _) => format!("rejected: {r}"),
                (None, true) => "accepted".to_string(),
                (None, false) => "not delivered".to_string(),
            };
            println!("  forged {} → {}: {what}", f.label, f.to.label());
        }
        for (m, r) in &verdict.rejections {
            println!("  rejected {m}: {r}");
        }
    }
    if a.facts && !a.json {
        println!();
        print!("{}", inject::facts_text(&sim.intruder_report().knowledge));
    }
    if a.costs && !a.json {
        println!();
        print!("{}", sim.costs().to_text());
    }
    if let Some(path) = &a.pcap {
        std::fs::write(path, sim.pcap()).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    if let Some(path) = &a.pcapng {
        std::fs::write(path, sim.pcapng()).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    if let Some(path) = &a.keylog {
        std::fs::write(path, sim.keylog_json()).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn bench(p: &mut lexopt::Parser) -> Result<(), String> {
    use lexopt::Arg::Long;
    let (mut n, mut k, mut scheme, mut rsa, mut runs, mut seed) =
        (5u8, 3u8, Scheme::PaperRs, RsaBits::B2048, 5usize, 1u64);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("tps") => n = parse_num(&value(p, "--tps")?, "--tps")?,
            Long("threshold") => k = parse_num(&value(p, "--threshold")?, "--threshold")?,
            Long("scheme") => {
                scheme = Scheme::from_cli_name(&value(p, "--scheme")?).map_err(|e| e.to_string())?
            }
            Long("rsa") => rsa = parse_rsa(&value(p, "--rsa")?)?,
            Long("runs") => runs = parse_num::<usize>(&value(p, "--runs")?, "--runs")?.max(1),
            Long("seed") => seed = parse_num(&value(p, "--seed")?, "--seed")?,
            other => return Err(other.unexpected().to_string()),
        }
    }
    let k = k.min(n);
    let mut cfg = SessionConfig::distributed(n, k, scheme);
    cfg.rsa_bits = rsa;
    cfg.seed = Some(seed);
    println!(
        "bench: distributed mode, n = {n}, k = {k}, scheme {} ({}), RSA-{}, {runs} runs",
        scheme.cli_name(),
        scheme.name(),
        rsa.bits()
    );
    let pki = Arc::new(Simulation::provision(&cfg).map_err(|e| e.to_string())?);
    let r = dmikey::sim::bench::measure(&cfg, &pki, runs).map_err(|e| e.to_string())?;
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!("session time (median of {runs}):  {:>9.3} ms", ms(r.session));
    println!("crypto floor (median of {runs}):  {:>9.3} ms", ms(r.floor));
    println!(
        "ratio session / floor:        {:>9.3}   (median of the {runs} ratios; target ≤ 1.10)",
        r.ratio
    );
    println!(
        "  the floor is the sum of the session's own {} crypto operations, recorded with",
        r.ops
    );
    println!(
        "  their inputs (same keys, bytes, paddings) and each redone alone, outside any session;"
    );
    println!(
        "  the PKI is provisioned before timing. Per kind (count, median of summed alone times):"
    );
    for k in &r.breakdown {
        println!("  {:<24} {:>4} × = {:>9.3} ms", k.kind, k.count, ms(k.alone));
    }
    println!(
        "  (the same operations as timed in place by the roles' meters: {:.3} ms)",
        ms(r.in_session_crypto)
    );
    if !r.r_rebuilt {
        return Err("the benchmarked session did not complete (R did not rebuild the TGK)".into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut p = lexopt::Parser::from_env();
    let sub = match p.next() {
        Ok(Some(lexopt::Arg::Value(v))) => v.into_string().unwrap_or_default(),
        Ok(Some(lexopt::Arg::Long("help") | lexopt::Arg::Short('h'))) | Ok(None) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Ok(Some(other)) => {
            eprintln!("dmikey: {}\n\n{}", other.unexpected(), help());
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("dmikey: {e}");
            return ExitCode::from(2);
        }
    };
    let wants_help = std::env::args().any(|a| a == "--help" || a == "-h");
    if wants_help {
        print!("{}", help());
        return ExitCode::SUCCESS;
    }
    let result = match sub.as_str() {
        "run" => parse_run(&mut p).and_then(run),
        "bench" => bench(&mut p),
        "decode" => decode::decode(&mut p),
        "presets" => presets::list(&mut p),
        "costs" => costs::costs(&mut p),
        "help" => {
            print!("{}", help());
            Ok(())
        }
        other => Err(format!(
            "unknown command \"{other}\" (run, bench, presets, decode or costs; see --help)"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dmikey: {e}");
            ExitCode::from(2)
        }
    }
}
