//! `dmikey presets` (list the presets with their ids, stories and verdicts) and
//! `dmikey run --preset ID` (the preset's configuration and commands).

use dmikey::crypto::rsa::RsaBits;
use dmikey::sim::{Preset, claims, presets};

/// Help text of the subcommand and of the run options it adds.
pub const HELP: &str = "\
PRESETS:
  dmikey presets [--json]        list every preset: id, title, story, the verdict it reaches,
                                 then the paper's claims and the presets that show each
  dmikey run --preset ID         run preset ID (its configuration and commands); --rsa and
                                 --seed (default 1) apply, attacker options are added after
                                 its commands
";

/// The preset `id` for RSA size `rsa` and `seed`.
pub fn find(id: &str, rsa: RsaBits, seed: Option<u64>) -> Result<Preset, String> {
    let all = presets(rsa, seed);
    let ids: Vec<&str> = all.iter().map(|p| p.id).collect();
    let names = ids.join(", ");
    all.into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| format!("unknown preset \"{id}\" (one of: {names})"))
}

/// `dmikey presets`.
pub fn list(p: &mut lexopt::Parser) -> Result<(), String> {
    let mut json = false;
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            lexopt::Arg::Long("json") => json = true,
            other => return Err(other.unexpected().to_string()),
        }
    }
    let all = presets(RsaBits::B2048, Some(1));
    if json {
        let mut w = dmikey::export::json::JsonWriter::new();
        w.begin_object();
        w.key("presets").begin_array();
        for p in &all {
            w.begin_object()
                .field_str("id", p.id)
                .field_str("title", p.title)
                .field_str("story", p.story)
                .field_str("verdict", p.sentence)
                .end_object();
        }
        w.end_array();
        w.key("claims").begin_array();
        for c in claims() {
            w.begin_object()
                .field_str("id", c.id)
                .field_str("section", c.section)
                .field_str("property", c.property)
                .field_str("paper", c.paper)
                .field_str("verdict", c.verdict.word())
                .field_str("why", c.why);
            w.key("presets").begin_array();
            for id in c.presets {
                w.string(id);
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.field_str("avispa", dmikey::sim::AVISPA_PARAGRAPH);
        w.end_object();
        println!("{}", w.finish());
        return Ok(());
    }
    for p in &all {
        println!("{:<24} {}", p.id, p.title);
        println!("{:<24} {}", "", p.story);
        println!("{:<24} verdict: {}", "", p.sentence);
        println!();
    }
    println!("The paper's claims (§4.1, §4.2):");
    for c in claims() {
        println!("  {} ({}): {} — {}", c.property, c.section, c.verdict.word(), c.why);
        println!("    presets: {}", c.presets.join(", "));
    }
    println!();
    println!("{}", dmikey::sim::AVISPA_PARAGRAPH);
    Ok(())
}
