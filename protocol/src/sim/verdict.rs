//! The verdict the UI always shows: can R rebuild the TGK, can the intruder, and why — as
//! numbers and as one sentence ("R holds 2 of 3 needed shares — the TGK cannot be rebuilt
//! yet", "R rebuilt the TGK; TEK derived; the sensor verified R", "The intruder holds 3
//! shares: the TGK is exposed").

use super::Node;
use super::event::EventKind;
use super::intruder::IntruderReport;
use super::simulation::Simulation;
use crate::sharing;

/// The state of the session in numbers and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// R rebuilt (distributed) or agreed (standard modes) the TGK and it passed its check.
    pub r_rebuilt_tgk: bool,
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
    /// Sensor and R derived byte-identical TEKs (at least one).
    pub teks_match: bool,
    /// The sensor verified R's proof (R_I, or the R_MESSAGE in the standard modes).
    pub sensor_verified_r: bool,
    /// The session failed or timed out somewhere.
    pub session_failed: bool,
    /// Every rejection: (message label, reason).
    pub rejections: Vec<(String, String)>,
    /// The one-line verdict.
    pub sentence: String,
}

pub(crate) fn compute(sim: &Simulation) -> Verdict {
    compute_with(sim, &sim.intruder_report())
}

/// The verdict, with the intruder's report already at hand.
pub(crate) fn compute_with(sim: &Simulation, ir: &IntruderReport) -> Verdict {
    let cfg = sim.config();
    let mut accepted: Vec<u8> = Vec::new();
    let mut rejections = Vec::new();
    let mut failed = false;
    for e in sim.events() {
        match &e.kind {
            EventKind::ShareAccepted { by: Node::Responder, index, .. }
                if !accepted.contains(index) =>
            {
                accepted.push(*index);
            }
            EventKind::Rejected { label, error, .. }
            | EventKind::VerificationFailed { label, error, .. } => {
                rejections.push((label.clone(), error.to_string()));
            }
            EventKind::SessionFailed { .. } | EventKind::TimedOut { .. } => failed = true,
            _ => {}
        }
    }
    let need = match (sim.is_distributed(), cfg.scheme) {
        (true, Some(s)) => usize::from(sharing::threshold(s, cfg.n, cfg.k)),
        _ => 0,
    };
    let have = accepted.len();
    let r_rebuilt = sim.r_rebuilt();
    let s_teks = sim.sensor().teks();
    let r_teks = sim.responder().teks();
    let teks_match = !s_teks.is_empty() && s_teks == r_teks;
    let verified = sim.sensor_verified_r();

    let mut parts: Vec<String> = Vec::new();
    if r_rebuilt {
        let what = if sim.is_distributed() { "R rebuilt the TGK" } else { "R holds the TGK" };
        let mut s = what.to_string();
        if teks_match {
            s.push_str("; TEK derived");
        } else if !r_teks.is_empty() {
            s.push_str("; TEK derived but the sensor's differs");
        }
        if verified {
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
    let m = ir.shares.len();
    let shares = |m: usize| if m == 1 { "1 share".to_string() } else { format!("{m} shares") };
    if ir.tgk_rebuilt {
        parts.push(format!("The intruder holds {}: the TGK is exposed", shares(m)));
    } else if ir.tgk_bits_exposed > 0 {
        parts.push(format!(
            "The intruder holds {}: {} of {} TGK bits exposed",
            shares(m),
            ir.tgk_bits_exposed,
            ir.tgk_bits_total
        ));
    } else if m > 0 {
        parts.push(format!("The intruder holds {}: nothing of the TGK is exposed", shares(m)));
    }
    if let Some((label, reason)) = rejections.first()
        && !r_rebuilt
    {
        parts.push(format!("{label} was rejected: {reason}"));
    }
    Verdict {
        r_rebuilt_tgk: r_rebuilt,
        r_shares: (have, need),
        intruder_rebuilt_tgk: ir.tgk_rebuilt,
        intruder_shares: m,
        tgk_bits_exposed: ir.tgk_bits_exposed,
        tgk_bits_total: ir.tgk_bits_total,
        teks_match,
        sensor_verified_r: verified,
        session_failed: failed,
        rejections,
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

    /// Writes the verdict object into `w`.
    pub fn write_json(&self, w: &mut crate::export::json::JsonWriter) {
        w.begin_object();
        w.field_bool("r_rebuilt_tgk", self.r_rebuilt_tgk);
        w.key("r_shares").begin_object();
        w.field_uint("have", self.r_shares.0 as u64).field_uint("need", self.r_shares.1 as u64);
        w.end_object();
        w.field_bool("intruder_rebuilt_tgk", self.intruder_rebuilt_tgk);
        w.field_uint("intruder_shares", self.intruder_shares as u64);
        w.field_uint("tgk_bits_exposed", self.tgk_bits_exposed as u64);
        w.field_uint("tgk_bits_total", self.tgk_bits_total as u64);
        w.field_bool("teks_match", self.teks_match);
        w.field_bool("sensor_verified_r", self.sensor_verified_r);
        w.field_bool("session_failed", self.session_failed);
        w.key("rejections").begin_array();
        for (m, r) in &self.rejections {
            w.begin_object().field_str("message", m).field_str("reason", r).end_object();
        }
        w.end_array();
        w.field_str("sentence", &self.sentence);
        w.end_object();
    }
}
