//! What the lesson's text may say about a run: named quantities read off the [`Simulation`]
//! (its verdict, its intruder report, its meters, the energy model of [`crate::energy`] and
//! the claims of [`crate::sim::claims`]). The chapters use them in three ways: `{name}` in a
//! sentence is replaced by the value, `state: name = value` asserts a value at a step (the
//! tests check every assertion against the real run), and a question's answer is checked
//! against one.

use std::fmt;

use crate::energy::{self, Battery, FrameModel, Param, Prices, Profile};
use crate::roles::Node;
use crate::sim::event::EventKind;
use crate::sim::simulation::{Fate, Simulation};

/// A quantity's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Num(u64),
    Text(String),
    /// Labels ("TP2_R", "TP2"), in the order they happened.
    List(Vec<String>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(true) => f.write_str("yes"),
            Value::Bool(false) => f.write_str("no"),
            Value::Num(n) => write!(f, "{n}"),
            Value::Text(t) => f.write_str(t),
            Value::List(l) if l.is_empty() => f.write_str("none"),
            Value::List(l) => f.write_str(&l.join(", ")),
        }
    }
}

/// Every quantity, with what it means (docs/lesson.md lists the same).
pub const QUANTITIES: &[(&str, &str)] = &[
    ("step", "the step on screen"),
    ("mode", "psk, pk, dh or distributed"),
    ("scheme", "the sharing scheme (rs, shamir, xor, aont-rs; none in a standard mode)"),
    ("n", "third parties in the run"),
    ("k", "the threshold the run was configured with"),
    ("in_flight", "packets on the wire"),
    ("sent", "labels of every packet sent so far"),
    ("dropped", "packets that never arrived"),
    ("r.tgk", "R holds the TGK (rebuilt or received, and it passed its check)"),
    ("r.tgk_is_sensors", "the TGK R holds is the one the sensor drew"),
    ("r.fooled", "R holds a TGK that is not the sensor's"),
    ("r.shares", "shares R accepted"),
    ("r.needed", "shares R needs to rebuild the TGK"),
    ("r.spare", "shares R can lose and still rebuild the TGK (shares sent − needed)"),
    ("rejected", "labels of every message a receiver refused"),
    ("rejected.r", "labels of the messages R refused"),
    ("rejected.tps", "labels of the messages the third parties refused"),
    ("rejected.sensor", "labels of the messages the sensor refused"),
    ("bad_share", "the third parties whose share R's key check set aside"),
    ("sensor.verified_r", "the sensor verified R's proof (R_I, or R_MESSAGE)"),
    ("sensor.fooled", "the sensor accepted a forged message as R's proof"),
    ("teks_match", "the sensor and R derived the same TEK"),
    ("intruder.tgk", "the intruder rebuilt the TGK"),
    ("intruder.shares", "shares the intruder holds"),
    ("intruder.bits", "TGK bits the intruder's knowledge determines"),
    ("guess.bits", "TGK bits the intruder must still guess"),
    ("tgk.bits", "TGK size in bits"),
    ("compromised", "third parties the intruder took over"),
    ("share.bytes", "bytes of one share the sensor sent (0 in a standard mode)"),
    ("sensor.rsa_private", "RSA private-key operations (decrypt, sign) the sensor did"),
    ("sensor.rsa_public", "RSA public-key operations (encrypt, verify) the sensor did"),
    ("sensor.rsa_sign", "RSA signatures the sensor made"),
    ("sensor.rsa_encrypt", "RSA encryptions the sensor made (an envelope key to R)"),
    ("sensor.rsa_verify", "RSA signature verifications the sensor made"),
    ("sensor.aes", "AES blocks the sensor computed"),
    ("sensor.messages", "messages the sensor sent"),
    ("sensor.bytes", "bytes the sensor sent"),
    ("others.rsa_private", "RSA private-key operations of every other role together"),
    ("others.rsa_public", "RSA public-key operations of every other role together"),
    ("sensor.mj", "the sensor's modelled energy for this run (profile mote2005)"),
    ("sensor.crypto_mj", "its crypto part"),
    ("sensor.radio_mj", "its radio part (IEEE 802.15.4 frames)"),
    (
        "sensor.per_battery",
        "key agreements like this one a CR2032 coin cell holds, at sensor.mj each",
    ),
    ("price.rsa_private", "mote2005's figure for one RSA private-key operation at the run's size"),
    ("price.aes", "mote2005's figure for one AES block"),
    ("claim.ID", "the verdict this simulation gives the paper's claim ID (sim::claims)"),
];

/// The quantities of one state of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    values: Vec<(String, Value)>,
}

impl Facts {
    /// The quantities of `sim` at step `position`.
    pub fn of(sim: &Simulation, position: usize) -> Facts {
        let report = sim.intruder_report();
        let v = sim.verdict_with(&report);
        let cfg = sim.config();
        let mut out: Vec<(String, Value)> = Vec::new();
        let mut put = |name: &str, value: Value| out.push((name.to_string(), value));
        let num = |n: usize| Value::Num(n as u64);
        put("step", num(position));
        put("mode", Value::Text(cfg.mode.name().to_string()));
        let scheme = match (sim.is_distributed(), cfg.scheme) {
            (true, Some(s)) => s.cli_name().to_string(),
            _ => "none".to_string(),
        };
        put("scheme", Value::Text(scheme));
        put("n", Value::Num(cfg.n.into()));
        put("k", Value::Num(cfg.k.into()));
        put("in_flight", num(sim.in_flight().len()));
        put("sent", Value::List(sim.capture().iter().map(|p| p.label.clone()).collect()));
        let dropped =
            sim.capture().iter().filter(|p| matches!(p.fate, Fate::Dropped { .. })).count();
        put("dropped", num(dropped));
        put("r.tgk", Value::Bool(v.r_rebuilt_tgk));
        put("r.tgk_is_sensors", Value::Bool(v.r_tgk_is_sensors));
        put("r.fooled", Value::Bool(v.r_rebuilt_tgk && !v.r_tgk_is_sensors));
        put("r.shares", num(v.r_shares.0));
        put("r.needed", num(v.r_shares.1));
        let shares_sent = if sim.is_distributed() { usize::from(cfg.n) } else { 0 };
        put("r.spare", num(shares_sent.saturating_sub(v.r_shares.1)));
        let mut rejected = Vec::new();
        let (mut by_r, mut by_tps, mut by_sensor, mut bad) = (vec![], vec![], vec![], vec![]);
        for e in sim.events() {
            match &e.kind {
                EventKind::Rejected { by, label, .. }
                | EventKind::VerificationFailed { by, label, .. } => {
                    rejected.push(label.clone());
                    match by {
                        Node::Responder => by_r.push(label.clone()),
                        Node::Tp(_) => by_tps.push(label.clone()),
                        Node::Sensor => by_sensor.push(label.clone()),
                        _ => {}
                    }
                }
                EventKind::BadShare { by: Node::Responder, tp, .. } => {
                    let tp = Node::Tp(*tp).label();
                    if !bad.contains(&tp) {
                        bad.push(tp);
                    }
                }
                _ => {}
            }
        }
        put("rejected", Value::List(rejected));
        put("rejected.r", Value::List(by_r));
        put("rejected.tps", Value::List(by_tps));
        put("rejected.sensor", Value::List(by_sensor));
        put("bad_share", Value::List(bad));
        put("sensor.verified_r", Value::Bool(v.sensor_verified_r));
        put("sensor.fooled", Value::Bool(v.sensor_accepted_forgery));
        put("teks_match", Value::Bool(v.teks_match));
        put("intruder.tgk", Value::Bool(v.intruder_rebuilt_tgk));
        put("intruder.shares", num(v.intruder_shares));
        put("intruder.bits", num(v.tgk_bits_exposed));
        put("guess.bits", num(v.tgk_guess_bits));
        put("tgk.bits", num(v.tgk_bits_total));
        put("compromised", num(report.compromised.len()));
        put("share.bytes", num(sim.sent_shares().first().map_or(0, |(_, s)| s.len())));
        let costs = sim.costs();
        let sensor = costs.role(&Node::Sensor.label()).cloned().unwrap_or_default();
        put("sensor.rsa_private", Value::Num(sensor.rsa_private));
        put("sensor.rsa_public", Value::Num(sensor.rsa_public));
        let sum = |f: fn(&crate::cost::RsaOps) -> u64| sensor.rsa.iter().map(f).sum::<u64>();
        put("sensor.rsa_sign", Value::Num(sum(|o| o.sign)));
        put("sensor.rsa_encrypt", Value::Num(sum(|o| o.encrypt)));
        put("sensor.rsa_verify", Value::Num(sum(|o| o.verify)));
        put("sensor.aes", Value::Num(sensor.aes_blocks));
        put("sensor.messages", num(sensor.sent_sizes.len()));
        put("sensor.bytes", Value::Num(sensor.bytes_sent));
        let others = costs.rows.iter().filter(|(l, _)| *l != Node::Sensor.label());
        let (others_private, others_public) =
            others.fold((0, 0), |(a, b), (_, m)| (a + m.rsa_private, b + m.rsa_public));
        put("others.rsa_private", Value::Num(others_private));
        put("others.rsa_public", Value::Num(others_public));
        let prices = Prices::of(Profile::mote2005());
        let e = energy::energy(&sensor, &prices, &FrameModel::IEEE_802_15_4);
        let mj = |x: f64| Value::Text(energy::chart::format_mj(x));
        put("sensor.mj", mj(e.total_mj()));
        put("sensor.crypto_mj", mj(e.crypto_mj));
        put("sensor.radio_mj", mj(e.radio_mj));
        let per_battery = energy::agreements_per_battery(&Battery::CR2032, e.total_mj());
        let per_battery =
            if per_battery.is_finite() { group(per_battery.round() as u64) } else { "∞".into() };
        put("sensor.per_battery", Value::Text(per_battery));
        put("price.rsa_private", mj(prices.get(Param::RsaDecrypt(cfg.rsa_bits))));
        put("price.aes", mj(prices.get(Param::AesBlock) / 1000.0));
        for c in crate::sim::claims::claims() {
            put(&format!("claim.{}", c.id), Value::Text(c.verdict.word().to_string()));
        }
        Facts { values: out }
    }

    /// The value of quantity `name`, if there is one of that name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// `template` with every `{name}` replaced by its value; `extra` adds names of its own
    /// (a question's `answer`). An unknown name is an error naming it.
    pub fn fill(&self, template: &str, extra: &[(&str, &str)]) -> Result<String, String> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or_else(|| format!("unclosed {{ in: {template}"))?;
            let name = after[..close].trim();
            match (extra.iter().find(|(n, _)| *n == name), self.get(name)) {
                (Some((_, v)), _) => out.push_str(v),
                (None, Some(v)) => out.push_str(&v.to_string()),
                (None, None) => return Err(format!("no quantity named {{{name}}}")),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// [`Facts::fill`], leaving an unknown `{name}` as it is (the tests make sure there is none).
    pub fn fill_lenient(&self, template: &str, extra: &[(&str, &str)]) -> String {
        self.fill(template, extra).unwrap_or_else(|_| template.to_string())
    }
}

/// 12345 → "12,345".
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How an assertion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    /// A list holds the value.
    Has,
    /// A list does not hold the value.
    Lacks,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" => Op::Eq,
            "!=" => Op::Ne,
            ">" => Op::Gt,
            "<" => Op::Lt,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            "has" => Op::Has,
            "lacks" => Op::Lacks,
            _ => return None,
        })
    }
}

/// `name OP value`: what the text declares about the run ("r.tgk = no", "intruder.bits = 48",
/// "rejected.r has TP2_R").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    pub name: String,
    pub op: Op,
    pub value: String,
}

impl Assertion {
    /// Reads `name OP value`.
    pub fn parse(text: &str) -> Result<Assertion, String> {
        let text = text.trim();
        let mut parts = text.splitn(3, ' ');
        let (Some(name), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("“{text}” is not NAME OP VALUE"));
        };
        let op = Op::parse(op)
            .ok_or_else(|| format!("“{op}” is not =, !=, >, <, >=, <=, has, lacks"))?;
        let is_claim = name
            .strip_prefix("claim.")
            .is_some_and(|id| crate::sim::claims::claims().iter().any(|c| c.id == id));
        if !is_claim && !QUANTITIES.iter().any(|(q, _)| *q == name) {
            return Err(format!("no quantity named {name}"));
        }
        Ok(Assertion { name: name.to_string(), op, value: value.trim().to_string() })
    }

    /// Whether it holds of `facts`; `Err` says why it cannot be evaluated (a number compared
    /// with a word, an unknown name).
    pub fn holds(&self, facts: &Facts) -> Result<bool, String> {
        let v = facts.get(&self.name).ok_or_else(|| format!("no quantity named {}", self.name))?;
        let want = self.value.as_str();
        Ok(match (v, self.op) {
            (Value::List(l), Op::Has) => l.iter().any(|x| x == want),
            (Value::List(l), Op::Lacks) => !l.iter().any(|x| x == want),
            (_, Op::Has | Op::Lacks) => return Err(format!("{} is not a list", self.name)),
            (Value::Num(n), op) => {
                let w: u64 =
                    want.parse().map_err(|_| format!("{} is a number, not “{want}”", self.name))?;
                match op {
                    Op::Eq => *n == w,
                    Op::Ne => *n != w,
                    Op::Gt => *n > w,
                    Op::Lt => *n < w,
                    Op::Ge => *n >= w,
                    Op::Le => *n <= w,
                    Op::Has | Op::Lacks => false,
                }
            }
            (other, Op::Eq) => other.to_string() == want,
            (other, Op::Ne) => other.to_string() != want,
            (_, _) => return Err(format!("{} is not a number", self.name)),
        })
    }
}

impl fmt::Display for Assertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.op {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Has => "has",
            Op::Lacks => "lacks",
        };
        write!(f, "{} {op} {}", self.name, self.value)
    }
}
