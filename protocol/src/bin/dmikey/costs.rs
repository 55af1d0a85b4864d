//! `dmikey costs`: the four modes side by side for one n, RSA size and KEMAC profile — the
//! counts of real sessions (their meters) per role, bytes, 802.15.4 frames, and the energy
//! model's figures with their sources.

use std::sync::Arc;

use dmikey::crypto::kemac::KemacProfile;
use dmikey::export::json::JsonWriter;
use dmikey::sharing::Scheme;
use dmikey::sim::energy::{
    self, CostSetup, FrameModel, ModeCost, Param, Prices, Profile, RoleCost, compare, text,
};

use super::{parse_num, parse_rsa, value};

pub fn costs(p: &mut lexopt::Parser) -> Result<(), String> {
    use lexopt::Arg::Long;
    let mut setup = CostSetup {
        n: 5,
        k: 3,
        scheme: Scheme::PaperRs,
        rsa_bits: dmikey::crypto::rsa::RsaBits::B2048,
        kemac: KemacProfile::AesCmHmacSha1,
        seed: CostSetup::SEED,
    };
    let (mut profile, mut json, mut listen_ms) = (Profile::mote2005(), false, None);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Long("tps") => setup.n = parse_num(&value(p, "--tps")?, "--tps")?,
            Long("threshold") => setup.k = parse_num(&value(p, "--threshold")?, "--threshold")?,
            Long("scheme") => {
                setup.scheme =
                    Scheme::from_cli_name(&value(p, "--scheme")?).map_err(|e| e.to_string())?
            }
            Long("rsa") => setup.rsa_bits = parse_rsa(&value(p, "--rsa")?)?,
            Long("kemac") => {
                let v = value(p, "--kemac")?;
                setup.kemac = KemacProfile::from_cli_name(&v)
                    .ok_or_else(|| format!("unknown KEMAC profile \"{v}\" (aes-cm, aes-ccm)"))?;
            }
            Long("profile") => {
                let v = value(p, "--profile")?;
                profile = Profile::by_name(&v)
                    .ok_or_else(|| format!("unknown profile \"{v}\" (mote2005 or modern-mcu)"))?;
            }
            Long("listen-ms") => {
                let v = value(p, "--listen-ms")?;
                listen_ms = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|t| t.is_finite() && *t >= 0.0)
                        .ok_or_else(|| format!("--listen-ms: not a duration in ms: \"{v}\""))?,
                );
            }
            Long("seed") => setup.seed = parse_num(&value(p, "--seed")?, "--seed")?,
            Long("json") => json = true,
            other => return Err(other.unexpected().to_string()),
        }
    }
    if setup.n == 0 || setup.n > energy::MAX_N {
        return Err(format!("--tps: 1..={} for the comparison", energy::MAX_N));
    }
    let mut prices = Prices::of(profile);
    if let Some(t) = listen_ms {
        prices.set(Param::ListenTime, t);
    }
    let frames = FrameModel::IEEE_802_15_4;
    let pki = Arc::new(setup.provision_upto(setup.n).map_err(|e| e.to_string())?);
    let costs: Vec<ModeCost> = compare::run_all(&setup, &pki)
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| ModeCost::new(r, &prices, &frames))
        .collect();
    if json {
        println!("{}", to_json(&setup, &prices, &frames, &costs));
    } else {
        print!("{}", to_text(&setup, &prices, &frames, &costs));
    }
    if let Some(c) = costs.iter().find(|c| !c.r_rebuilt_tgk) {
        return Err(format!("the {} session did not complete", c.mode.name()));
    }
    Ok(())
}

fn rows(r: &RoleCost, bits: usize) -> Vec<(&'static str, String)> {
    let m = &r.meter;
    let rsa = m.rsa_at(bits);
    vec![
        ("AES blocks", m.aes_blocks.to_string()),
        ("SHA-1 compr.", m.sha1_compressions.to_string()),
        ("SHA-256 compr.", m.sha256_compressions.to_string()),
        ("HMAC calls", m.hmac_calls.to_string()),
        ("PRF calls", m.prf_calls.to_string()),
        ("RSA pub ops", rsa.public().to_string()),
        ("RSA priv ops", rsa.private().to_string()),
        ("DH exps", m.dh_exp.to_string()),
        ("bytes sent", m.bytes_sent.to_string()),
        ("bytes recv", m.bytes_received.to_string()),
        ("frames sent", r.frames_sent.to_string()),
        ("frames recv", r.frames_received.to_string()),
        ("crypto mJ", format!("{:.3}", r.energy.crypto_mj)),
        ("radio mJ", format!("{:.3}", r.energy.radio_mj)),
        ("energy mJ", format!("{:.3}", r.energy.total_mj())),
        ("time ms", format!("{:.3}", r.crypto_time().as_secs_f64() * 1e3)),
    ]
}

fn to_text(setup: &CostSetup, prices: &Prices, frames: &FrameModel, costs: &[ModeCost]) -> String {
    let bits = setup.rsa_bits.bits();
    let mut s = format!(
        "costs: n = {}, k = {}, scheme {}, RSA-{bits}, KEMAC {}, seed {}; profile {} — {}\n\
         ENERGY IS A MODEL, NOT A MEASUREMENT: measured counts × published figures.\n\n",
        setup.n,
        setup.k,
        setup.scheme.cli_name(),
        setup.kemac.cli_name(),
        setup.seed,
        prices.profile.name,
        prices.profile.title
    );
    for c in costs {
        s.push_str(&format!("{} (RSA-{bits} ops)\n", c.mode.title()));
        s.push_str(&format!("{:<15}", ""));
        for r in &c.roles {
            s.push_str(&format!(" {:>10}", r.role));
        }
        s.push('\n');
        let table: Vec<_> = c.roles.iter().map(|r| rows(r, bits)).collect();
        let names: Vec<&str> =
            table.first().map(|t| t.iter().map(|(n, _)| *n).collect()).unwrap_or_default();
        for (i, name) in names.iter().enumerate() {
            s.push_str(&format!("{name:<15}"));
            for t in &table {
                s.push_str(&format!(" {:>10}", t.get(i).map(|(_, v)| v.as_str()).unwrap_or("")));
            }
            s.push('\n');
        }
        s.push('\n');
    }
    s.push_str("Figures (value, status, source):\n");
    for param in Param::all() {
        if let Some(f) = prices.figure(param) {
            s.push_str(&format!(
                "  {:<38} {:>9} {:<5} {} — {}\n",
                param.title(),
                prices.get(param),
                param.unit(),
                f.status.label(),
                f.source
            ));
        }
    }
    s.push('\n');
    for line in text::findings(costs).iter().chain(&text::caveats(prices, frames)) {
        s.push_str(&format!("* {line}\n"));
    }
    s
}

fn to_json(setup: &CostSetup, prices: &Prices, frames: &FrameModel, costs: &[ModeCost]) -> String {
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key("setup").begin_object();
    w.field_uint("n", setup.n.into()).field_uint("k", setup.k.into());
    w.field_str("scheme", setup.scheme.cli_name());
    w.field_uint("rsa_bits", setup.rsa_bits.bits() as u64);
    w.field_str("kemac", setup.kemac.cli_name()).field_uint("seed", setup.seed);
    w.end_object();
    w.key("profile").begin_object();
    w.field_str("name", prices.profile.name).field_str("title", prices.profile.title);
    w.field_str("platform", prices.profile.platform);
    w.end_object();
    w.field_str("energy_is", "a model, not a measurement");
    w.key("frames").begin_object();
    w.field_uint("psdu_max", frames.psdu_max as u64);
    w.field_uint("payload_per_frame", frames.payload() as u64);
    w.field_uint("overhead_per_frame", frames.overhead() as u64);
    w.field_str("assumption", &frames.assumption());
    w.end_object();
    w.key("modes").begin_array();
    for c in costs {
        w.begin_object();
        w.field_str("mode", c.mode.name()).field_str("title", c.mode.title());
        w.field_uint("n", c.n.into()).field_uint("k", c.k.into());
        w.field_bool("r_rebuilt_tgk", c.r_rebuilt_tgk);
        w.key("roles").begin_array();
        for r in &c.roles {
            role_json(&mut w, r, prices);
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("findings").begin_array();
    for line in text::findings(costs).iter().chain(&text::caveats(prices, frames)) {
        w.string(line);
    }
    w.end_array();
    w.end_object();
    w.finish()
}

fn role_json(w: &mut JsonWriter, r: &RoleCost, prices: &Prices) {
    let m = &r.meter;
    w.begin_object();
    w.field_str("role", &r.role);
    w.key("counts").begin_object();
    w.field_uint("aes_blocks", m.aes_blocks);
    w.field_uint("sha1_compressions", m.sha1_compressions);
    w.field_uint("sha256_compressions", m.sha256_compressions);
    w.field_uint("hmac_calls", m.hmac_calls).field_uint("prf_calls", m.prf_calls);
    w.field_uint("rsa_public", m.rsa_public).field_uint("rsa_private", m.rsa_private);
    w.key("rsa").begin_array();
    for ops in &m.rsa {
        w.begin_object();
        w.field_uint("bits", ops.bits as u64);
        w.field_uint("encrypt", ops.encrypt).field_uint("decrypt", ops.decrypt);
        w.field_uint("sign", ops.sign).field_uint("verify", ops.verify);
        w.end_object();
    }
    w.end_array();
    w.field_uint("dh_exp", m.dh_exp);
    w.end_object();
    w.key("bytes").begin_object();
    w.field_uint("sent", m.bytes_sent).field_uint("received", m.bytes_received);
    w.end_object();
    w.key("messages").begin_object();
    w.field_uint("sent", m.sent_sizes.len() as u64);
    w.field_uint("received", m.received_sizes.len() as u64);
    w.end_object();
    w.key("frames").begin_object();
    w.field_uint("sent", r.frames_sent as u64).field_uint("received", r.frames_received as u64);
    w.field_uint("air_bytes_sent", r.air_sent as u64);
    w.field_uint("air_bytes_received", r.air_received as u64);
    w.end_object();
    w.key("energy_mj").float(r.energy.total_mj());
    w.key("crypto_mj").float(r.energy.crypto_mj);
    w.key("radio_mj").float(r.energy.radio_mj);
    w.key("listen_mj").float(r.energy.listen_mj);
    w.key("crypto_time_ms").float(r.crypto_time().as_secs_f64() * 1e3);
    w.key("sources").begin_array();
    for param in prices.used_by(m) {
        w.begin_object();
        w.field_str("figure", &param.key());
        w.key("value").float(prices.get(param));
        w.field_str("unit", param.unit());
        if let Some(f) = prices.figure(param) {
            w.field_str("status", f.status.label());
            w.field_str("source", f.source);
        }
        w.field_bool("edited", prices.is_edited(param));
        w.end_object();
    }
    w.end_array();
    w.end_object();
}
