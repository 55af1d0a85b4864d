//! The verdict the UI always shows: can R rebuild the TGK, can the intruder, and why — as
//! numbers and as one sentence ("R holds 2 of 3 needed shares — the TGK cannot be rebuilt
//! yet", "R rebuilt the TGK; TEK derived; the sensor verified R", "The intruder holds 2
//! shares: 96 of 128 TGK bits exposed, 32 left to guess offline against the public KCV").
//!
//! The verdict is deterministic. How long the guessing would take depends on the machine:
//! [`measure_kcv_guesses_per_second`] times the very computation a guesser repeats (one
//! candidate TGK checked against the public KCV) for a short bounded loop, and
//! [`guess_time_sentence`] turns (bits, rate) into words; the caller that measured formats it
//! (the CLI natively, the app in the browser).

use super::Node;
use super::event::EventKind;
use super::intruder::IntruderReport;
use super::simulation::{Fate, Origin, Simulation};
use crate::sharing;

/// The state of the session in numbers and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// R rebuilt (distributed) or agreed (standard modes) the TGK and it passed its check.
    pub r_rebuilt_tgk: bool,
    /// The TGK R holds is the one the sensor drew (false while R holds none).
    pub r_tgk_is_sensors: bool,
    /// Shares R accepted, and how many it needs (0, 0 in the standard modes).
    pub r_shares: (usize, usize),
    /// The intruder rebuilt the TGK.
    pub intruder_rebuilt_tgk: bool,
    /// Shares the intruder holds.
    pub intruder_shares: usize,
    /// TGK bits the intruder's knowledge determines.
    pub tgk_bits_exposed: usize,
    /// TGK size in bits.
    pub tgk_bits_total: usize,
    /// TGK bits the intruder must still guess, checking each guess offline against public
    /// values (the KCV in every I_TPi and TPi_R, R_I's MAC, the SRTP traffic); 0 once it holds
    /// the TGK.
    pub tgk_guess_bits: usize,
    /// Sensor and R derived byte-identical TEKs (at least one).
    pub teks_match: bool,
    /// The sensor verified R's proof (R_I, or the R_MESSAGE in the standard modes).
    pub sensor_verified_r: bool,
    /// The session failed or timed out somewhere.
    pub session_failed: bool,
    /// Every rejection: (message label, reason).
    pub rejections: Vec<(String, String)>,
    /// The sensor accepted a forged packet (a verification it made passed on it).
    pub sensor_accepted_forgery: bool,
    /// Every packet the intruder composed, and what became of it.
    pub forged_messages: Vec<ForgedOutcome>,
    /// The one-line verdict.
    pub sentence: String,
}

/// What became of one forged packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgedOutcome {
    pub packet: usize,
    pub label: String,
    pub to: Node,
    /// Every MAC and signature in it was real.
    pub fully_protected: bool,
    /// Delivered and accepted by its receiver.
    pub accepted: bool,
    /// Its receiver's rejection, in words.
    pub rejection: Option<String>,
    /// Not delivered (dropped or still in flight).
    pub undelivered: bool,
}

pub(crate) fn compute(sim: &Simulation) -> Verdict {
    compute_with(sim, &sim.intruder_report())
}

/// The verdict, with the intruder's report already at hand.
pub(crate) fn compute_with(sim: &Simulation, ir: &IntruderReport) -> Verdict {
    let cfg = sim.config();
    let mut accepted: Vec<u8> = Vec::new();
    let mut rejections = Vec::new();
    // (label, receiver, reason) for the sentence.
    let mut refused: Vec<(String, Node, String)> = Vec::new();
    let mut bad_shares: Vec<(u8, u8)> = Vec::new();
    let mut failed = false;
    for e in sim.events() {
        match &e.kind {
            EventKind::ShareAccepted { by: Node::Responder, index, .. }
                if !accepted.contains(index) =>
            {
                accepted.push(*index);
            }
            EventKind::Rejected { label, error, by }
            | EventKind::VerificationFailed { label, error, by } => {
                // A share R had accepted into a group that another group outvoted (its index is
                // its TP's number: R binds them).
                if let (crate::Error::ShareMetadataMismatch { tp, .. }, Node::Responder) =
                    (error, by)
                {
                    accepted.retain(|i| i != tp);
                }
                rejections.push((label.clone(), error.to_string()));
                refused.push((label.clone(), *by, error.to_string()));
            }
            EventKind::BadShare { by: Node::Responder, tp, index } => {
                bad_shares.push((*tp, *index))
            }
            EventKind::SessionFailed { .. } | EventKind::TimedOut { .. } => failed = true,
            _ => {}
        }
    }
    // The fewest shares that can determine the TGK (which ones still matters under RS).
    let need = match (sim.is_distributed(), cfg.scheme) {
        (true, Some(s)) => usize::from(sharing::shares_needed(s, cfg.n, cfg.k, 16)),
        _ => 0,
    };
    let have = accepted.len();
    let r_rebuilt = sim.r_rebuilt();
    let s_teks = sim.sensor().teks();
    let r_teks = sim.responder().teks();
    let teks_match = !s_teks.is_empty() && s_teks == r_teks;
    let verified = sim.sensor_verified_r();
    let r_tgk_is_sensors = match (sim.responder().tgk(), sim.sensor().tgk()) {
        (Some(r), Some(i)) => {
            use subtle::ConstantTimeEq;
            bool::from(r.ct_eq(i))
        }
        _ => false,
    };

    let forged_messages: Vec<ForgedOutcome> = sim
        .capture()
        .iter()
        .filter_map(|p| match p.origin {
            Origin::Forged { fully_protected } => Some(ForgedOutcome {
                packet: p.id,
                label: p.label.clone(),
                to: p.to,
                fully_protected,
                accepted: matches!(p.fate, Fate::Delivered { rejected: None, .. }),
                rejection: match &p.fate {
                    Fate::Delivered { rejected: Some(r), .. } => Some(r.error.to_string()),
                    _ => None,
                },
                undelivered: !matches!(p.fate, Fate::Delivered { .. }),
            }),
            _ => None,
        })
        .collect();
    let sensor_accepted_forgery = sim.sensor_accepted_forgery();

    let mut parts: Vec<String> = Vec::new();
    if r_rebuilt {
        let what = if sim.is_distributed() { "R rebuilt the TGK" } else { "R holds the TGK" };
        let mut s = what.to_string();
        if !r_tgk_is_sensors {
            s.push_str(", but not the sensor's: R was fooled");
        }
        if teks_match {
            s.push_str("; TEK derived");
        } else if !r_teks.is_empty() {
            s.push_str("; TEK derived but the sensor's differs");
        }
        if sensor_accepted_forgery {
            s.push_str("; the sensor accepted a forged message as R's proof");
        } else if verified && ir.tgk_rebuilt && sim.is_distributed() {
            // R_I proves only that someone holding the TGK answered.
            s.push_str("; the sensor's check of R_I passed, but proves nothing about R: the intruder holds the TGK too");
        } else if verified {
            s.push_str("; the sensor verified R");
        } else if cfg.optional.r_i {
            s.push_str("; the sensor has not verified R");
        }
        parts.push(s);
    } else if sim.is_distributed() {
        let tail = if failed || sim.in_flight().is_empty() {
            "the TGK cannot be rebuilt"
        } else {
            "the TGK cannot be rebuilt yet"
        };
        parts.push(format!("R holds {have} of {need} needed shares — {tail}"));
    } else if failed || sim.in_flight().is_empty() {
        parts.push("R does not hold the TGK — the session failed".into());
    } else {
        parts.push("R does not hold the TGK yet".into());
    }
    if !r_rebuilt && sensor_accepted_forgery {
        parts.push(
            "Yet the sensor accepted a forged R_I as proof that R holds the TGK: it was fooled"
                .into(),
        );
    }
    let m = ir.shares.len();
    let shares = |m: usize| if m == 1 { "1 share".to_string() } else { format!("{m} shares") };
    let searched = ir.kcv_search.as_ref().filter(|s| s.found);
    let tgk_fact = ir
        .knowledge
        .facts()
        .iter()
        .find(|f| matches!(f.kind, crate::sim::knowledge::FactKind::Tgk { .. }));
    let unopened = ir
        .knowledge
        .facts()
        .iter()
        .find(|f| matches!(f.kind, crate::sim::knowledge::FactKind::Unopenable { .. }));
    if let (true, Some(s)) = (ir.tgk_rebuilt, searched) {
        parts.push(format!(
            "The intruder holds {} after searching the {} missing bits against the public KCV: \
             the TGK is exposed",
            shares(m),
            s.bits
        ));
    } else if ir.tgk_rebuilt && m == 0 {
        let stolen = ir.stolen_from.iter().map(Node::label).collect::<Vec<_>>();
        match tgk_fact.map(|f| &f.how) {
            Some(crate::sim::knowledge::How::OpenedKemac { packet }) if !stolen.is_empty() => {
                let label = sim.capture().get(*packet).map_or("", |p| p.label.as_str());
                parts.push(format!(
                    "The intruder stole the keys of {} after the session and opened the \
                     captured {label}: the TGK is exposed (no forward secrecy)",
                    stolen.join(", ")
                ))
            }
            _ if ir
                .knowledge
                .holds(&crate::sim::knowledge::FactKind::DhSecret { with: Node::Responder }) =>
            {
                parts.push(
                    "The intruder holds the TGK of each side, agreed with its own DH values: \
                     a man in the middle"
                        .into(),
                )
            }
            _ => parts.push("The intruder holds the TGK: the TGK is exposed".into()),
        }
    } else if ir.tgk_rebuilt {
        parts.push(format!("The intruder holds {}: the TGK is exposed", shares(m)));
    } else if let (Some(_), false) = (unopened, ir.stolen_from.is_empty()) {
        let stolen = ir.stolen_from.iter().map(Node::label).collect::<Vec<_>>();
        parts.push(format!(
            "The intruder stole the keys of {} after the session but cannot open the DH \
             exchange: forward secrecy",
            stolen.join(", ")
        ));
    } else if ir.tgk_bits_exposed > 0 {
        parts.push(format!(
            "The intruder holds {}: {} of {} TGK bits exposed, {} left to guess offline against \
             the public KCV",
            shares(m),
            ir.tgk_bits_exposed,
            ir.tgk_bits_total,
            ir.tgk_guess_bits
        ));
    } else if m > 0 && ir.tgk_guess_bits < ir.tgk_bits_total {
        parts.push(format!(
            "The intruder holds {}: nothing of the TGK is exposed, but only {} bits of the \
             AONT package are missing, to guess offline against the public KCV",
            shares(m),
            ir.tgk_guess_bits
        ));
    } else if m > 0 {
        parts.push(format!("The intruder holds {}: nothing of the TGK is exposed", shares(m)));
    }
    if let Some((label, reason)) = rejections.first()
        && !r_rebuilt
    {
        parts.push(format!("{label} was rejected: {reason}"));
    } else if r_rebuilt && !refused.is_empty() {
        // Even when R succeeds, say what was refused on the way, and by whom.
        let mut named: Vec<String> = refused
            .iter()
            .take(3)
            .map(|(label, by, reason)| {
                format!("{label} by {} ({reason})", super::event::role_name(*by))
            })
            .collect();
        if refused.len() > 3 {
            named.push(format!("{} more", refused.len() - 3));
        }
        parts.push(format!("Rejected on the way: {}", named.join("; ")));
    }
    if r_rebuilt && !bad_shares.is_empty() {
        let named: Vec<String> =
            bad_shares.iter().map(|(tp, i)| format!("share {i} from TP{tp}")).collect();
        parts.push(format!("R's key check set aside {}", named.join(", ")));
    }
    Verdict {
        r_rebuilt_tgk: r_rebuilt,
        r_tgk_is_sensors,
        tgk_guess_bits: ir.tgk_guess_bits,
        r_shares: (have, need),
        intruder_rebuilt_tgk: ir.tgk_rebuilt,
        intruder_shares: m,
        tgk_bits_exposed: ir.tgk_bits_exposed,
        tgk_bits_total: ir.tgk_bits_total,
        teks_match,
        sensor_verified_r: verified,
        session_failed: failed,
        rejections,
        sensor_accepted_forgery,
        forged_messages,
        sentence: parts.join(". "),
    }
}

impl Verdict {
    /// The verdict as one JSON object (the `dmikey run --json` output).
    pub fn to_json(&self) -> String {
        let mut w = crate::export::json::JsonWriter::new();
        self.write_json(&mut w);
        w.finish()
    }

    /// The verdict as one JSON object with extra string fields at the end (the CLI adds the
    /// guessing time it measured, which the deterministic verdict cannot hold).
    pub fn to_json_with(&self, extra: &[(&str, &str)]) -> String {
        let mut w = crate::export::json::JsonWriter::new();
        w.begin_object();
        self.write_fields(&mut w);
        for (key, value) in extra {
            w.field_str(key, value);
        }
        w.end_object();
        w.finish()
    }

    /// Writes the verdict object into `w`.
    pub fn write_json(&self, w: &mut crate::export::json::JsonWriter) {
        w.begin_object();
        self.write_fields(w);
        w.end_object();
    }

    fn write_fields(&self, w: &mut crate::export::json::JsonWriter) {
        w.field_bool("r_rebuilt_tgk", self.r_rebuilt_tgk);
        w.field_bool("r_tgk_is_sensors", self.r_tgk_is_sensors);
        w.key("r_shares").begin_object();
        w.field_uint("have", self.r_shares.0 as u64).field_uint("need", self.r_shares.1 as u64);
        w.end_object();
        w.field_bool("intruder_rebuilt_tgk", self.intruder_rebuilt_tgk);
        w.field_uint("intruder_shares", self.intruder_shares as u64);
        w.field_uint("tgk_bits_exposed", self.tgk_bits_exposed as u64);
        w.field_uint("tgk_bits_total", self.tgk_bits_total as u64);
        w.field_uint("tgk_guess_bits", self.tgk_guess_bits as u64);
        w.field_bool("teks_match", self.teks_match);
        w.field_bool("sensor_verified_r", self.sensor_verified_r);
        w.field_bool("session_failed", self.session_failed);
        w.key("rejections").begin_array();
        for (m, r) in &self.rejections {
            w.begin_object().field_str("message", m).field_str("reason", r).end_object();
        }
        w.end_array();
        w.field_bool("sensor_accepted_forgery", self.sensor_accepted_forgery);
        w.key("forged_messages").begin_array();
        for f in &self.forged_messages {
            w.begin_object()
                .field_uint("packet", f.packet as u64)
                .field_str("label", &f.label)
                .field_str("to", &f.to.label())
                .field_bool("fully_protected", f.fully_protected)
                .field_bool("accepted", f.accepted);
            match &f.rejection {
                Some(r) => w.field_str("rejection", r),
                None => w.key("rejection").null(),
            };
            w.end_object();
        }
        w.end_array();
        w.field_str("sentence", &self.sentence);
    }
}

/// Times the computation an offline guesser repeats — one candidate TGK checked against the
/// public key-check value, with the session's PRF — for at most `max_checks` candidates or
/// about `max_ms` milliseconds, whichever comes first, and returns the candidates checked per
/// second on this machine. Works natively and in the browser (`performance.now()`).
pub fn measure_kcv_guesses_per_second(max_checks: u32, max_ms: u64) -> f64 {
    use crate::cost::Meter;
    use crate::crypto::derive;
    use crate::mikey::core::crypto_prf;
    let prf = crypto_prf(crate::roles::SESSION_PRF);
    let (csb_id, rand) = (0x0102_0304u32, [0x5au8; 16]);
    let kcv = derive::kcv(prf, &[0u8; 16], csb_id, &rand, &mut Meter::new());
    let mut meter = Meter::new();
    let start = web_time::Instant::now();
    let budget = core::time::Duration::from_millis(max_ms.max(1));
    let mut checked = 0u32;
    let mut candidate = [0u8; 16];
    while checked < max_checks.max(1) {
        candidate[..4].copy_from_slice(&checked.wrapping_add(1).to_be_bytes());
        // The result is used so the check cannot be optimised away.
        if derive::kcv_matches(prf, &candidate, csb_id, &rand, &kcv, &mut meter) {
            candidate[15] ^= 1;
        }
        checked += 1;
        if checked.is_multiple_of(64) && start.elapsed() >= budget {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    f64::from(checked) / secs
}

/// `bits` left to guess at `per_second` guesses per second, in words: "32 bits left: 2^32
/// guesses against the public KCV, about 9 minutes on this machine".
pub fn guess_time_sentence(bits: usize, per_second: f64) -> String {
    if bits == 0 {
        return "nothing left to guess: the TGK is known".into();
    }
    let seconds = 2f64.powi(i32::try_from(bits).unwrap_or(i32::MAX)) / per_second.max(1e-9);
    format!(
        "{bits} bits left: 2^{bits} guesses against the public KCV, {} on this machine",
        duration_words(seconds)
    )
}

/// A duration in the largest unit that keeps the number readable.
fn duration_words(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86_400.0;
    const YEAR: f64 = 365.25 * DAY;
    let round = |v: f64, unit: &str| {
        let v = v.round().max(1.0);
        format!("about {v:.0} {unit}{}", if v == 1.0 { "" } else { "s" })
    };
    if seconds < 1.0 {
        "under a second".into()
    } else if seconds < MINUTE {
        round(seconds, "second")
    } else if seconds < HOUR {
        round(seconds / MINUTE, "minute")
    } else if seconds < DAY {
        round(seconds / HOUR, "hour")
    } else if seconds < YEAR {
        round(seconds / DAY, "day")
    } else if seconds < 1e6 * YEAR {
        round(seconds / YEAR, "year")
    } else {
        format!("about 10^{:.0} years", (seconds / YEAR).log10().floor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guess_sentences_scale_with_the_rate() {
        assert_eq!(
            guess_time_sentence(32, 2f64.powi(32) / 540.0),
            "32 bits left: 2^32 guesses against the public KCV, about 9 minutes on this machine"
        );
        assert_eq!(
            guess_time_sentence(128, 1e6),
            "128 bits left: 2^128 guesses against the public KCV, about 10^25 years on this machine"
        );
        assert!(guess_time_sentence(8, 1e6).ends_with("under a second on this machine"));
        assert_eq!(guess_time_sentence(0, 1e6), "nothing left to guess: the TGK is known");
        assert!(guess_time_sentence(40, 2f64.powi(40) / 3600.0).contains("about 1 hour on"));
    }

    #[test]
    fn the_rate_is_measured_within_its_bounds() {
        let rate = measure_kcv_guesses_per_second(200, 50);
        assert!(rate.is_finite() && rate > 0.0);
    }
}
