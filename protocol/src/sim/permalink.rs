//! Links to a moment of a run: the configuration, the seed, the preset (if any), every
//! attacker command with the step it was given at, and the step on screen — all a
//! deterministic [`Simulation`] needs to come back to exactly the same state, bytes included.
//! The UI puts the text in the URL fragment ("Copy link"); opening such a URL replays it.
//!
//! ```text
//! v=1&mode=distributed&n=5&k=3&scheme=rs&kemac=aes-cm&rsa=2048&opt=r-tp,r-i&seed=1
//!    &preset=happy-path&cmds=0:compromise:1;3:drop:7;5:tamper:9:flip:12:01&step=12
//! ```
//!
//! Commands (each `STEP:` then one of): `drop:ID`, `delay:ID:MS`, `tamper:ID:TAMPER`,
//! `replay:ID[:NODE]`, `arm:LABEL:ACTION`, `down:NODE:NODE`, `up:NODE:NODE`, `loss:PERMILLE`,
//! `compromise:TP`, `malicious:TP[:KIND]` (KIND a [`MaliciousKind::cli_name`]; without it,
//! `wrong-share`), `inject:SPEC` (SPEC a forged message in the inject grammar,
//! [`ForgeSpec::to_text`], percent-encoded), `steal:NODE`, `search`; TAMPER is `flip:OFFSET:MASK` (mask in hex) or
//! `set:PAYLOAD:FIELD:HEX` (empty PAYLOAD: any payload); ACTION is `drop`, `delay:MS`,
//! `tamper:TAMPER`, `replay:AFTER_MS[:NODE]` or `steal:NODE`; NODE is a label (I, R, CA, TP3, X). Text
//! (labels, field names) is percent-encoded, so `:` `;` `&` `=` never appear inside a token.
//!
//! The [`Script`] records commands with the rule of [`Player::edit`]: a command given at step
//! s replaces the future after s, so the commands recorded at later steps are forgotten —
//! which is also why a script's steps never decrease.

use super::Node;
use super::command::{Command, MaliciousKind, PacketAction, Tamper};
use super::forge::ForgeSpec;
use super::network::Link;
use super::player::Player;
use super::simulation::Simulation;
use crate::crypto::kemac::KemacProfile;
use crate::crypto::rsa::RsaBits;
use crate::error::Error;
use crate::export::json::to_hex;
use crate::roles::{Mode, SessionConfig};
use crate::sharing::Scheme;

/// The format version written in `v=`.
pub const VERSION: &str = "1";
/// Most third parties a link may ask for (the UI's own limit; each one costs an RSA key).
pub const MAX_TPS: u8 = 16;
/// Most commands a link may carry.
pub const MAX_COMMANDS: usize = 256;
/// Longest link text accepted, in bytes.
pub const MAX_LEN: usize = 16 * 1024;

/// The attacker's commands of a run, each with the step it was given at (see module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    entries: Vec<(usize, Command)>,
}

impl Script {
    /// An empty script.
    pub fn new() -> Self {
        Script::default()
    }

    /// Commands all given at step 0 (a preset's).
    pub fn at_start(commands: impl IntoIterator<Item = Command>) -> Self {
        Script { entries: commands.into_iter().map(|c| (0, c)).collect() }
    }

    /// Records `cmd`, given at `step`: the commands given after `step` no longer apply.
    pub fn record(&mut self, step: usize, cmd: Command) {
        self.entries.retain(|(s, _)| *s <= step);
        self.entries.push((step, cmd));
    }

    /// `(step, command)`, in the order they were given (steps never decrease).
    pub fn entries(&self) -> &[(usize, Command)] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Gives every command to `player` at its step (seeking there first) and leaves the
    /// player at the step of the last one. A command the simulation refuses is skipped (and
    /// dropped from the script); the refusals come back as `(command, error)`.
    pub fn replay(&mut self, player: &mut Player<Simulation>) -> Vec<(Command, Error)> {
        let mut refused = Vec::new();
        let mut kept = Vec::with_capacity(self.entries.len());
        for (step, cmd) in self.entries.drain(..) {
            let at = player.seek(step);
            match player.edit(|s| s.apply(cmd.clone())) {
                Ok(()) => kept.push((at, cmd)),
                Err(e) => refused.push((cmd, e)),
            }
        }
        self.entries = kept;
        refused
    }
}

/// Everything a link carries (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    /// The session configuration (mode, n, k, scheme, KEMAC, RSA size, optional messages,
    /// seed — what the UI lets the audience choose; the rest keeps its default).
    pub config: SessionConfig,
    /// The preset the run started from, by its id ("happy-path", …), if any.
    pub preset: Option<String>,
    pub script: Script,
    /// The step on screen.
    pub step: usize,
}

impl Permalink {
    /// The link text, without the leading `#`.
    pub fn to_fragment(&self) -> String {
        let c = &self.config;
        let mut s = String::with_capacity(160);
        s.push_str("v=");
        s.push_str(VERSION);
        s.push_str("&mode=");
        s.push_str(c.mode.name());
        push_num(&mut s, "&n=", c.n as u64);
        push_num(&mut s, "&k=", c.k as u64);
        if let Some(scheme) = c.scheme {
            s.push_str("&scheme=");
            s.push_str(scheme.cli_name());
        }
        s.push_str("&kemac=");
        s.push_str(c.kemac.cli_name());
        push_num(&mut s, "&rsa=", c.rsa_bits.bits() as u64);
        s.push_str("&opt=");
        let opts = [(c.optional.tp_i, "tp-i"), (c.optional.r_tp, "r-tp"), (c.optional.r_i, "r-i")];
        let on: Vec<&str> = opts.iter().filter(|(b, _)| *b).map(|(_, n)| *n).collect();
        s.push_str(&on.join(","));
        if let Some(seed) = c.seed {
            push_num(&mut s, "&seed=", seed);
        }
        if !c.key_check {
            s.push_str("&kcv=off");
        }
        if let Some(p) = &self.preset {
            s.push_str("&preset=");
            escape_into(&mut s, p);
        }
        if !self.script.is_empty() {
            s.push_str("&cmds=");
            for (i, (step, cmd)) in self.script.entries.iter().enumerate() {
                if i > 0 {
                    s.push(';');
                }
                s.push_str(&step.to_string());
                s.push(':');
                write_command(&mut s, cmd);
            }
        }
        push_num(&mut s, "&step=", self.step as u64);
        s
    }

    /// Reads a link text (with or without the leading `#`). Fields may come in any order;
    /// unknown fields are an error, so a typo is not silently ignored.
    pub fn parse(text: &str) -> Result<Permalink, Error> {
        let text = text.strip_prefix('#').unwrap_or(text);
        if text.len() > MAX_LEN {
            return Err(bad("link", "longer than 16 KiB"));
        }
        let mut version = None;
        let mut mode = Mode::Distributed;
        let (mut n, mut k, mut scheme) = (5u8, 3u8, None);
        let mut kemac = KemacProfile::AesCmHmacSha1;
        let mut rsa = RsaBits::B2048;
        let mut opt = None;
        let mut key_check = true;
        let (mut seed, mut preset, mut script, mut step) = (None, None, Script::new(), 0usize);
        for field in text.split('&').filter(|f| !f.is_empty()) {
            let (key, value) =
                field.split_once('=').ok_or_else(|| bad(field, "needs KEY=VALUE"))?;
            match key {
                "v" => version = Some(value),
                "mode" => {
                    mode = Mode::from_name(value)
                        .ok_or_else(|| bad(field, "mode is psk, pk, dh or distributed"))?
                }
                "n" => n = number(field, value, 1, MAX_TPS as u64)? as u8,
                "k" => k = number(field, value, 1, MAX_TPS as u64)? as u8,
                "scheme" => {
                    scheme = Some(
                        Scheme::from_cli_name(value)
                            .map_err(|_| bad(field, "scheme is rs, shamir, xor or aont-rs"))?,
                    )
                }
                "kemac" => {
                    kemac = KemacProfile::from_cli_name(value)
                        .ok_or_else(|| bad(field, "kemac is aes-cm, aes-ccm or aes-ccm-8"))?
                }
                "rsa" => {
                    rsa = RsaBits::from_bits(number(field, value, 0, 65_536)? as usize)
                        .ok_or_else(|| bad(field, "rsa is 1024, 2048 or 3072"))?
                }
                "opt" => {
                    let mut o = crate::roles::Optional { tp_i: false, r_tp: false, r_i: false };
                    for name in value.split(',').filter(|x| !x.is_empty()) {
                        match name {
                            "tp-i" => o.tp_i = true,
                            "r-tp" => o.r_tp = true,
                            "r-i" => o.r_i = true,
                            _ => return Err(bad(field, "opt lists tp-i, r-tp, r-i")),
                        }
                    }
                    opt = Some(o);
                }
                "seed" => seed = Some(number(field, value, 0, u64::MAX)?),
                "kcv" => {
                    key_check = match value {
                        "on" => true,
                        "off" => false,
                        _ => return Err(bad(field, "kcv is on or off")),
                    }
                }
                "preset" => preset = Some(unescape(field, value)?),
                "cmds" => {
                    for entry in value.split(';').filter(|e| !e.is_empty()) {
                        if script.entries.len() == MAX_COMMANDS {
                            return Err(bad(field, "more than 256 commands"));
                        }
                        let (at, cmd) = read_entry(entry)?;
                        if script.entries.last().is_some_and(|(s, _)| *s > at) {
                            return Err(bad(entry, "steps must not decrease"));
                        }
                        script.entries.push((at, cmd));
                    }
                }
                "step" => step = number(field, value, 0, 1_000_000)? as usize,
                _ => return Err(bad(field, "unknown field")),
            }
        }
        match version {
            Some(VERSION) => {}
            Some(_) => return Err(bad("v", "this version of dmikey reads links of version 1")),
            None => return Err(bad("link", "not a dmikey link (no v=1)")),
        }
        if mode == Mode::Distributed && scheme.is_none() {
            return Err(bad("scheme", "the distributed mode needs a scheme"));
        }
        // n, k and the scheme are kept as written even in a standard mode (which ignores
        // them), so that switching back to the distributed mode finds them again.
        let mut config = SessionConfig { n, k, scheme, ..SessionConfig::standard(mode) };
        config.kemac = kemac;
        config.rsa_bits = rsa;
        config.seed = seed;
        config.key_check = key_check;
        if let Some(o) = opt {
            config.optional = o;
        }
        Ok(Permalink { config, preset, script, step })
    }
}

fn bad(part: &str, reason: &'static str) -> Error {
    // Echo at most 60 characters of what was read (a link may be long or hostile).
    let part: String = part.chars().take(60).collect();
    Error::BadLink { part, reason }
}

fn push_num(s: &mut String, key: &str, v: u64) {
    s.push_str(key);
    s.push_str(&v.to_string());
}

fn number(part: &str, value: &str, min: u64, max: u64) -> Result<u64, Error> {
    // Digits only: no sign, no spaces, no leading zeros (one spelling per number).
    if value.is_empty()
        || !value.bytes().all(|b| b.is_ascii_digit())
        || (value.len() > 1 && value.starts_with('0'))
    {
        return Err(bad(part, "not a number"));
    }
    match value.parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(bad(part, "number out of range")),
    }
}

fn hex(part: &str, value: &str) -> Result<Vec<u8>, Error> {
    let digit = |b: u8| (b as char).to_digit(16);
    let b = value.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(bad(part, "hex bytes need an even number of digits"));
    }
    b.chunks(2)
        .map(|p| match p {
            [h, l] => match (digit(*h), digit(*l)) {
                (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
                _ => Err(bad(part, "not hex")),
            },
            _ => Err(bad(part, "hex bytes need an even number of digits")),
        })
        .collect()
}

/// Percent-encodes everything but ASCII letters, digits and `-` `.` `_` `~`.
fn escape_into(s: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            s.push(b as char);
        } else {
            s.push('%');
            s.push_str(&to_hex(&[b]));
        }
    }
}

fn unescape(part: &str, token: &str) -> Result<String, Error> {
    let mut out = Vec::with_capacity(token.len());
    let mut bytes = token.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let pair: Vec<u8> = bytes.by_ref().take(2).collect();
            match core::str::from_utf8(&pair) {
                Ok(pair) if pair.len() == 2 => out.extend(hex(part, pair)?),
                _ => return Err(bad(part, "bad % escape")),
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).map_err(|_| bad(part, "text is not UTF-8"))
}

fn write_node(s: &mut String, n: Node) {
    s.push_str(&n.label());
}

fn write_tamper(s: &mut String, t: &Tamper) {
    match t {
        Tamper::FlipByte { offset, mask } => {
            s.push_str("flip:");
            s.push_str(&offset.to_string());
            s.push(':');
            s.push_str(&to_hex(&[*mask]));
        }
        Tamper::ReplaceField { payload, field, bytes } => {
            s.push_str("set:");
            escape_into(s, payload.as_deref().unwrap_or(""));
            s.push(':');
            escape_into(s, field);
            s.push(':');
            s.push_str(&to_hex(bytes));
        }
    }
}

fn write_action(s: &mut String, a: &PacketAction) {
    match a {
        PacketAction::Drop => s.push_str("drop"),
        PacketAction::Delay { ms } => push_num(s, "delay:", *ms),
        PacketAction::Tamper(t) => {
            s.push_str("tamper:");
            write_tamper(s, t);
        }
        PacketAction::ReplayAfterDelivery { to, after_ms } => {
            push_num(s, "replay:", *after_ms);
            if let Some(n) = to {
                s.push(':');
                write_node(s, *n);
            }
        }
        PacketAction::StealAfterDelivery { node } => {
            s.push_str("steal:");
            write_node(s, *node);
        }
    }
}

fn write_command(s: &mut String, c: &Command) {
    match c {
        Command::Drop { packet } => push_num(s, "drop:", *packet as u64),
        Command::Delay { packet, ms } => {
            push_num(s, "delay:", *packet as u64);
            push_num(s, ":", *ms);
        }
        Command::Tamper { packet, how } => {
            push_num(s, "tamper:", *packet as u64);
            s.push(':');
            write_tamper(s, how);
        }
        Command::Replay { packet, to } => {
            push_num(s, "replay:", *packet as u64);
            if let Some(n) = to {
                s.push(':');
                write_node(s, *n);
            }
        }
        Command::Arm { label, action } => {
            s.push_str("arm:");
            escape_into(s, label);
            s.push(':');
            write_action(s, action);
        }
        Command::LinkDown(l) | Command::LinkUp(l) => {
            s.push_str(if matches!(c, Command::LinkDown(_)) { "down:" } else { "up:" });
            write_node(s, l.0);
            s.push(':');
            write_node(s, l.1);
        }
        Command::SetLossRate { permille } => push_num(s, "loss:", *permille as u64),
        Command::Compromise { tp } => push_num(s, "compromise:", *tp as u64),
        Command::MakeMalicious { tp, kind } => {
            push_num(s, "malicious:", *tp as u64);
            // The default kind keeps the short form, so older links read the same.
            if *kind != MaliciousKind::WrongShare {
                s.push(':');
                s.push_str(kind.cli_name());
            }
        }
        Command::Inject { spec } => {
            s.push_str("inject:");
            escape_into(s, &spec.to_text());
        }
        Command::StealKeys { node } => {
            s.push_str("steal:");
            write_node(s, *node);
        }
        Command::SearchKcv => s.push_str("search"),
    }
}

/// The tokens of one command entry, read front to back.
struct Tokens<'a> {
    entry: &'a str,
    rest: core::str::Split<'a, char>,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Result<&'a str, Error> {
        self.rest.next().ok_or_else(|| bad(self.entry, "command is incomplete"))
    }
    fn optional(&mut self) -> Option<&'a str> {
        self.rest.next()
    }
    fn num(&mut self, max: u64) -> Result<u64, Error> {
        let t = self.next()?;
        number(self.entry, t, 0, max)
    }
    fn text(&mut self) -> Result<String, Error> {
        let t = self.next()?;
        unescape(self.entry, t)
    }
    fn node(&mut self) -> Result<Node, Error> {
        let t = self.next()?;
        Node::from_label(t).ok_or_else(|| bad(self.entry, "unknown node (I, R, CA, TPi or X)"))
    }
    fn opt_node(&mut self) -> Result<Option<Node>, Error> {
        match self.optional() {
            None => Ok(None),
            Some(t) => Node::from_label(t)
                .map(Some)
                .ok_or_else(|| bad(self.entry, "unknown node (I, R, CA, TPi or X)")),
        }
    }
    fn tamper(&mut self) -> Result<Tamper, Error> {
        match self.next()? {
            "flip" => {
                let offset = self.num(u32::MAX as u64)? as usize;
                let mask = hex(self.entry, self.next()?)?;
                match mask.as_slice() {
                    [m] => Ok(Tamper::FlipByte { offset, mask: *m }),
                    _ => Err(bad(self.entry, "flip mask is one byte in hex")),
                }
            }
            "set" => {
                let payload = self.text()?;
                let field = self.text()?;
                let bytes = hex(self.entry, self.next()?)?;
                let payload = if payload.is_empty() { None } else { Some(payload) };
                Ok(Tamper::ReplaceField { payload, field, bytes })
            }
            _ => Err(bad(self.entry, "tamper is flip or set")),
        }
    }
    fn action(&mut self) -> Result<PacketAction, Error> {
        Ok(match self.next()? {
            "drop" => PacketAction::Drop,
            "delay" => PacketAction::Delay { ms: self.num(u32::MAX as u64)? },
            "tamper" => PacketAction::Tamper(self.tamper()?),
            "replay" => {
                let after_ms = self.num(u32::MAX as u64)?;
                PacketAction::ReplayAfterDelivery { after_ms, to: self.opt_node()? }
            }
            "steal" => PacketAction::StealAfterDelivery { node: self.node()? },
            _ => return Err(bad(self.entry, "action is drop, delay, tamper, replay or steal")),
        })
    }
    fn end(mut self) -> Result<(), Error> {
        match self.rest.next() {
            None => Ok(()),
            Some(_) => Err(bad(self.entry, "command has too many parts")),
        }
    }
}

fn read_entry(entry: &str) -> Result<(usize, Command), Error> {
    let mut t = Tokens { entry, rest: entry.split(':') };
    let step = t.num(1_000_000)? as usize;
    const ID: u64 = u32::MAX as u64;
    const MS: u64 = u32::MAX as u64;
    let cmd = match t.next()? {
        "drop" => Command::Drop { packet: t.num(ID)? as usize },
        "delay" => Command::Delay { packet: t.num(ID)? as usize, ms: t.num(MS)? },
        "tamper" => Command::Tamper { packet: t.num(ID)? as usize, how: t.tamper()? },
        "replay" => Command::Replay { packet: t.num(ID)? as usize, to: t.opt_node()? },
        "arm" => Command::Arm { label: t.text()?, action: t.action()? },
        "down" => Command::LinkDown(Link::new(t.node()?, t.node()?)),
        "up" => Command::LinkUp(Link::new(t.node()?, t.node()?)),
        "loss" => Command::SetLossRate { permille: t.num(1000)? as u16 },
        "compromise" => Command::Compromise { tp: t.num(255)? as u8 },
        "malicious" => {
            let tp = t.num(255)? as u8;
            let kind = match t.optional() {
                None => MaliciousKind::WrongShare,
                Some(name) => MaliciousKind::from_cli_name(name).ok_or_else(|| {
                    bad(entry, "malicious kind is wrong-share, own-tgk, bogus-meta or steal-index")
                })?,
            };
            Command::MakeMalicious { tp, kind }
        }
        "inject" => Command::Inject {
            spec: ForgeSpec::parse(&t.text()?)
                .map_err(|_| bad(entry, "inject needs a forged message in the inject grammar"))?,
        },
        "steal" => Command::StealKeys { node: t.node()? },
        "search" => Command::SearchKcv,
        _ => return Err(bad(entry, "unknown command")),
    };
    t.end()?;
    Ok((step, cmd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::forge::{Bytes, Pick};

    fn every_command() -> Vec<Command> {
        vec![
            Command::Drop { packet: 7 },
            Command::Delay { packet: 3, ms: 250 },
            Command::Tamper { packet: 9, how: Tamper::FlipByte { offset: 12, mask: 0x81 } },
            Command::Tamper {
                packet: 9,
                how: Tamper::ReplaceField {
                    payload: Some("HDR".into()),
                    field: "CSB ID".into(),
                    bytes: vec![0xde, 0xad, 0xbe, 0xef],
                },
            },
            Command::Tamper {
                packet: 2,
                how: Tamper::ReplaceField {
                    payload: None,
                    field: "a:b;c&d=e%f#g é".into(),
                    bytes: vec![],
                },
            },
            Command::Replay { packet: 4, to: None },
            Command::Replay { packet: 4, to: Some(Node::Tp(12)) },
            Command::Arm { label: "TP4_R".into(), action: PacketAction::Drop },
            Command::Arm { label: "I_TP2".into(), action: PacketAction::Delay { ms: 1500 } },
            Command::Arm {
                label: "R_I".into(),
                action: PacketAction::Tamper(Tamper::FlipByte { offset: 0, mask: 1 }),
            },
            Command::Arm {
                label: "TP1_R".into(),
                action: PacketAction::ReplayAfterDelivery { to: None, after_ms: 10 },
            },
            Command::Arm {
                label: "TP1_R".into(),
                action: PacketAction::ReplayAfterDelivery {
                    to: Some(Node::Responder),
                    after_ms: 0,
                },
            },
            Command::LinkDown(Link::new(Node::Tp(3), Node::Responder)),
            Command::LinkUp(Link::new(Node::Sensor, Node::Tp(1))),
            Command::SetLossRate { permille: 1000 },
            Command::Compromise { tp: 1 },
            Command::MakeMalicious { tp: 16, kind: MaliciousKind::WrongShare },
            Command::MakeMalicious { tp: 1, kind: MaliciousKind::OwnTgk },
            Command::MakeMalicious { tp: 2, kind: MaliciousKind::BogusMeta },
            Command::MakeMalicious { tp: 3, kind: MaliciousKind::StealIndex },
            Command::Inject {
                spec: ForgeSpec::new(super::super::MsgKind::RI, Node::Responder, Node::Sensor),
            },
            Command::Inject {
                spec: ForgeSpec {
                    tgk: Some(Bytes::Typed(vec![7; 16])),
                    share: Some(Bytes::Fact(3)),
                    index: Some(Pick::Typed(2)),
                    id_i: Some(Pick::Typed(b"a b:c;d&e=f%".to_vec())),
                    csb_id: Some(Pick::Typed(9)),
                    ..ForgeSpec::new(super::super::MsgKind::TpR, Node::Tp(2), Node::Responder)
                },
            },
            Command::StealKeys { node: Node::Responder },
            Command::Arm {
                label: "R_MESSAGE (PSK)".into(),
                action: PacketAction::StealAfterDelivery { node: Node::Responder },
            },
            Command::SearchKcv,
        ]
    }

    /// Fails to compile when a command is added without a case here (and in
    /// `every_command`).
    #[test]
    fn every_command_variant_is_covered() {
        let mut seen = std::collections::BTreeSet::new();
        for c in every_command() {
            let name = match c {
                Command::Drop { .. } => "drop",
                Command::Delay { .. } => "delay",
                Command::Tamper { .. } => "tamper",
                Command::Replay { .. } => "replay",
                Command::Arm { .. } => "arm",
                Command::LinkDown(_) => "down",
                Command::LinkUp(_) => "up",
                Command::SetLossRate { .. } => "loss",
                Command::Compromise { .. } => "compromise",
                Command::MakeMalicious { .. } => "malicious",
                Command::Inject { .. } => "inject",
                Command::StealKeys { .. } => "steal",
                Command::SearchKcv => "search",
            };
            seen.insert(name);
        }
        assert_eq!(seen.len(), 13, "every_command misses a variant: {seen:?}");
    }

    fn link(config: SessionConfig, commands: Vec<Command>, step: usize) -> Permalink {
        let mut script = Script::new();
        for (i, c) in commands.into_iter().enumerate() {
            script.record(i / 3, c);
        }
        Permalink { config, preset: Some("happy-path".into()), script, step }
    }

    #[test]
    fn every_command_and_config_survives_a_round_trip() {
        let mut cfg = SessionConfig::distributed(16, 9, Scheme::AontRs);
        cfg.kemac = KemacProfile::AesCcm128Tag8;
        cfg.rsa_bits = RsaBits::B3072;
        cfg.seed = Some(u64::MAX);
        cfg.optional.tp_i = true;
        cfg.optional.r_i = false;
        cfg.key_check = false;
        let l = link(cfg, every_command(), 42);
        let text = l.to_fragment();
        assert_eq!(Permalink::parse(&text).unwrap(), l);
        assert_eq!(Permalink::parse(&format!("#{text}")).unwrap(), l);
        // Only URL-fragment-safe characters, and no separator inside a token.
        assert!(text.bytes().all(|b| b.is_ascii_graphic() && b != b'#'), "{text}");
        for mode in [Mode::Psk, Mode::Pk, Mode::Dh] {
            let mut c = SessionConfig::standard(mode);
            if mode == Mode::Dh {
                // Left over from a distributed configuration: kept.
                (c.n, c.k, c.scheme) = (7, 4, Some(Scheme::Shamir));
            }
            c.seed = None;
            c.optional = crate::roles::Optional { tp_i: false, r_tp: false, r_i: false };
            let l = Permalink { config: c, preset: None, script: Script::new(), step: 0 };
            assert_eq!(Permalink::parse(&l.to_fragment()).unwrap(), l);
        }
    }

    #[test]
    fn the_written_form_is_stable() {
        let mut script = Script::at_start([Command::Compromise { tp: 1 }]);
        script.record(3, Command::Drop { packet: 7 });
        script.record(
            5,
            Command::Tamper { packet: 9, how: Tamper::FlipByte { offset: 12, mask: 1 } },
        );
        let mut cfg = SessionConfig::distributed(5, 3, Scheme::PaperRs);
        cfg.seed = Some(1);
        let l = Permalink { config: cfg, preset: Some("happy-path".into()), script, step: 12 };
        assert_eq!(
            l.to_fragment(),
            "v=1&mode=distributed&n=5&k=3&scheme=rs&kemac=aes-cm&rsa=2048&opt=r-tp,r-i&seed=1\
             &preset=happy-path&cmds=0:compromise:1;3:drop:7;5:tamper:9:flip:12:01&step=12"
        );
    }

    #[test]
    fn malicious_links_carry_the_kind_and_old_links_mean_a_wrong_share() {
        let base = "v=1&mode=distributed&scheme=rs&cmds=";
        let old = Permalink::parse(&format!("{base}0:malicious:3")).unwrap();
        let cmds: Vec<Command> = old.script.entries().iter().map(|(_, c)| c.clone()).collect();
        assert_eq!(cmds, vec![Command::MakeMalicious { tp: 3, kind: MaliciousKind::WrongShare }]);
        assert!(old.to_fragment().contains("cmds=0:malicious:3&"), "{}", old.to_fragment());
        for kind in MaliciousKind::ALL {
            let text = format!("{base}0:malicious:2:{}", kind.cli_name());
            let l = Permalink::parse(&text).unwrap();
            let cmds: Vec<Command> = l.script.entries().iter().map(|(_, c)| c.clone()).collect();
            assert_eq!(cmds, vec![Command::MakeMalicious { tp: 2, kind }]);
        }
        let err = Permalink::parse(&format!("{base}0:malicious:2:liar")).unwrap_err();
        assert!(err.to_string().contains("steal-index"), "{err}");
    }

    #[test]
    fn a_command_at_an_earlier_step_forgets_the_later_ones() {
        let mut s = Script::new();
        s.record(2, Command::Drop { packet: 1 });
        s.record(5, Command::Drop { packet: 2 });
        s.record(5, Command::Drop { packet: 3 });
        s.record(8, Command::Drop { packet: 4 });
        s.record(5, Command::Drop { packet: 5 });
        let packets: Vec<(usize, usize)> = s
            .entries()
            .iter()
            .map(|(at, c)| match c {
                Command::Drop { packet } => (*at, *packet),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(packets, vec![(2, 1), (5, 2), (5, 3), (5, 5)]);
    }

    #[test]
    fn malformed_links_are_typed_errors_that_say_what_is_wrong() {
        let ok = "v=1&mode=distributed&scheme=rs";
        assert!(Permalink::parse(ok).is_ok());
        let cases: &[(&str, &str)] = &[
            ("", "no v=1"),
            ("mode=distributed&scheme=rs", "no v=1"),
            ("v=2&scheme=rs", "version 1"),
            ("v=1&mode=distributed", "needs a scheme"),
            ("v=1&scheme=rs&n=17", "out of range"),
            ("v=1&scheme=rs&n=0", "out of range"),
            ("v=1&scheme=rs&n=05", "not a number"),
            ("v=1&scheme=rs&n=+5", "not a number"),
            ("v=1&scheme=rs&seed=18446744073709551616", "out of range"),
            ("v=1&scheme=shamir2", "scheme is"),
            ("v=1&scheme=rs&rsa=4096", "rsa is"),
            ("v=1&scheme=rs&kemac=gcm", "kemac is"),
            ("v=1&scheme=rs&opt=r-i,foo", "opt lists"),
            ("v=1&scheme=rs&colour=red", "unknown field"),
            ("v=1&scheme=rs&step", "KEY=VALUE"),
            ("v=1&scheme=rs&cmds=3:drop", "incomplete"),
            ("v=1&scheme=rs&cmds=3:drop:1:2", "too many parts"),
            ("v=1&scheme=rs&cmds=3:explode:1", "unknown command"),
            ("v=1&scheme=rs&cmds=5:drop:1;3:drop:2", "must not decrease"),
            ("v=1&scheme=rs&cmds=1:loss:1001", "out of range"),
            ("v=1&scheme=rs&cmds=1:down:I:TP0", "unknown node"),
            ("v=1&scheme=rs&cmds=1:down:I:Q", "unknown node"),
            ("v=1&scheme=rs&cmds=1:replay:3:TP", "unknown node"),
            ("v=1&scheme=rs&cmds=1:tamper:3:flip:0:1", "even number"),
            ("v=1&scheme=rs&cmds=1:tamper:3:flip:0:0102", "one byte"),
            ("v=1&scheme=rs&cmds=1:tamper:3:xor:0:01", "flip or set"),
            ("v=1&scheme=rs&cmds=1:tamper:3:set:HDR:CSB%zz:00", "not hex"),
            ("v=1&scheme=rs&cmds=1:tamper:3:set:HDR:CSB%2:00", "bad % escape"),
            ("v=1&scheme=rs&cmds=1:tamper:3:set:HDR:CSB%:00", "bad % escape"),
            ("v=1&scheme=rs&cmds=1:tamper:3:set:HDR:CSB:0g", "not hex"),
            ("v=1&scheme=rs&cmds=1:arm:R%ff:drop", "not UTF-8"),
            ("v=1&scheme=rs&cmds=1:arm:R_I:explode", "action is"),
        ];
        for (text, want) in cases {
            let e = Permalink::parse(text).expect_err(text);
            let msg = e.to_string();
            assert!(matches!(e, Error::BadLink { .. }), "{text}: {e:?}");
            assert!(msg.contains(want), "{text}: {msg}");
        }
        let long = format!("v=1&scheme=rs&cmds={}", "0:drop:1;".repeat(MAX_COMMANDS + 1));
        assert!(Permalink::parse(&long).unwrap_err().to_string().contains("256"));
        let huge = "v=1&".repeat(5000);
        assert!(Permalink::parse(&huge).unwrap_err().to_string().contains("16 KiB"));
    }

    #[test]
    fn node_labels_and_profile_names_read_back() {
        for n in
            [Node::Sensor, Node::Responder, Node::Ca, Node::Intruder, Node::Tp(1), Node::Tp(255)]
        {
            assert_eq!(Node::from_label(&n.label()), Some(n));
        }
        for bad in ["", "TP", "TP0", "TP01", "TP256", "tp1", "TP-1", "TP+1", "Y"] {
            assert_eq!(Node::from_label(bad), None, "{bad}");
        }
        for p in KemacProfile::ALL {
            assert_eq!(KemacProfile::from_cli_name(p.cli_name()), Some(p));
        }
        for m in Mode::ALL {
            assert_eq!(Mode::from_name(m.name()), Some(m));
        }
        for r in RsaBits::ALL {
            assert_eq!(RsaBits::from_bits(r.bits()), Some(r));
        }
    }
}
