//! The lesson: a guided tour through the paper for a student alone. Its chapters live in one
//! text file, `chapters.md` (format in `docs/lesson.md`), read here into [`Chapter`]s: each a
//! configured run of the real [`Simulation`] (a preset or a link, [`Run`]), narration per
//! step with highlight marks ([`Mark`]) and `state:` assertions ([`Assertion`]) on what the
//! narration says about the run, and check-your-understanding [`Question`]s whose answers
//! are checked against the simulation's state ([`Question::check`]).
//!
//! Every number a sentence gives is a `{quantity}` read off the run ([`facts`]), never typed
//! in the text; `protocol/tests/lesson_chapters.rs` runs every chapter and checks every
//! assertion, mark and question against the real simulation.

pub mod facts;

use std::sync::OnceLock;

use crate::crypto::rsa::RsaBits;
use crate::roles::Node;
use crate::sim::command::{Command, MaliciousKind, PacketAction, Tamper};
use crate::sim::network::PacketId;
use crate::sim::permalink::{Permalink, Script};
use crate::sim::player::Player;
use crate::sim::simulation::Simulation;
use crate::sim::view::{NodeView, PacketView, decode_layout};
pub use facts::{Assertion, Facts, Op, QUANTITIES, Value};

/// The chapters' text.
pub const TEXT: &str = include_str!("chapters.md");

/// The seed of a preset run (presets are built with [`PRESET_RSA`] and this seed).
pub const PRESET_SEED: u64 = 1;
/// The RSA size of a preset run: the smallest, so a chapter's keys are made quickly.
pub const PRESET_RSA: RsaBits = RsaBits::B1024;
/// The step a link asks for when a lesson step says `at end` (the player stops at the end).
pub const END_STEP: usize = 100_000;
/// Most steps a question's check runs to reach the end of a run.
pub const RUN_CAP: usize = 2_000;

/// A line of the text that cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// 1-based line of `chapters.md`.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chapters.md line {}: {}", self.line, self.reason)
    }
}

/// The run a step shows: a preset (built with [`PRESET_RSA`], seed [`PRESET_SEED`]) or a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// As written after `run:` ("preset malicious-tp", "link v=1&mode=psk&…").
    pub spec: String,
    /// The configuration, the preset and the commands given at step 0.
    pub link: Permalink,
}

impl Run {
    fn parse(spec: &str) -> Result<Run, String> {
        let spec = spec.trim();
        let link = if let Some(id) = spec.strip_prefix("preset ") {
            let id = id.trim();
            let p = crate::sim::presets(PRESET_RSA, Some(PRESET_SEED))
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| format!("no preset named {id}"))?;
            Permalink {
                config: p.config.clone(),
                preset: Some(p.id.to_string()),
                script: Script::at_start(p.commands.clone()),
                step: 0,
            }
        } else if let Some(text) = spec.strip_prefix("link ") {
            Permalink::parse(text.trim()).map_err(|e| e.to_string())?
        } else {
            return Err(format!("“{spec}” is neither “preset ID” nor “link TEXT”"));
        };
        Ok(Run { spec: spec.to_string(), link })
    }

    /// The link text (without `#`) that opens this run at `at`.
    pub fn fragment(&self, at: At) -> String {
        Permalink { step: at.step(), ..self.link.clone() }.to_fragment()
    }

    /// The run at step 0, its commands applied, on a freshly provisioned PKI (the tests'
    /// and the CLI's way; the page opens [`Run::fragment`] instead).
    pub fn start(&self) -> Result<Player<Simulation>, crate::Error> {
        let mut player = Player::new(Simulation::new(self.link.config.clone())?);
        let mut script = self.link.script.clone();
        if let Some((_, e)) = script.replay(&mut player).into_iter().next() {
            return Err(e);
        }
        player.seek(0);
        Ok(player)
    }
}

/// Where a step stands in its run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Step(usize),
    /// The last step of the run.
    End,
}

impl At {
    /// The step to seek to ([`END_STEP`] for the end).
    pub fn step(self) -> usize {
        match self {
            At::Step(s) => s,
            At::End => END_STEP,
        }
    }
}

/// What the narration points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// The latest packet sent with this label ("I_TP1", "TP2_R", "I_MESSAGE (PSK)").
    Packet(String),
    /// A node by its label ("I", "TP1", "R", "CA").
    Node(String),
    /// A payload (and optionally one of its fields) of the latest packet with `label`.
    Field { label: String, payload: String, field: Option<String> },
}

/// A mark found in the model at a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marked {
    Packet(PacketId),
    Node(Node),
    /// `what`: "the KEMAC payload of I_TP1, bytes 40–90"; `hex`: those bytes.
    Field {
        packet: PacketId,
        what: String,
        hex: String,
    },
}

impl Mark {
    fn parse(text: &str) -> Result<Mark, String> {
        let text = text.trim();
        if let Some(l) = text.strip_prefix("packet ") {
            Ok(Mark::Packet(l.trim().to_string()))
        } else if let Some(l) = text.strip_prefix("node ") {
            Ok(Mark::Node(l.trim().to_string()))
        } else if let Some(rest) = text.strip_prefix("field ") {
            let (what, label) = rest
                .split_once(" of ")
                .ok_or("a field mark reads “field PAYLOAD[/FIELD] of LABEL”")?;
            let (payload, field) = match what.split_once('/') {
                Some((p, f)) => (p.trim().to_string(), Some(f.trim().to_string())),
                None => (what.trim().to_string(), None),
            };
            Ok(Mark::Field { label: label.trim().to_string(), payload, field })
        } else {
            Err(format!("“{text}” is not “packet LABEL”, “node LABEL” or “field … of LABEL”"))
        }
    }

    /// What this mark names in a step's packets and nodes, if it is there.
    pub fn resolve(&self, packets: &[PacketView], nodes: &[NodeView]) -> Option<Marked> {
        let latest = |label: &str| packets.iter().rev().find(|p| p.label == label);
        match self {
            Mark::Packet(l) => latest(l).map(|p| Marked::Packet(p.id)),
            Mark::Node(l) => nodes.iter().find(|n| n.label == *l).map(|n| Marked::Node(n.node)),
            Mark::Field { label, payload, field } => {
                let p = latest(label)?;
                let layout = decode_layout(&p.bytes).ok()?;
                let pay = layout.iter().find(|x| x.name == payload)?;
                let (range, what) = match field {
                    None => (pay.range.clone(), format!("the {payload} payload of {label}")),
                    Some(f) => {
                        let span = pay.fields.iter().find(|s| s.label == f)?;
                        (span.range.clone(), format!("the {f} field of {payload} in {label}"))
                    }
                };
                let bytes = p.bytes.get(range.clone())?;
                const SHOWN: usize = 32;
                let mut hex: Vec<String> =
                    bytes.iter().take(SHOWN).map(|b| format!("{b:02x}")).collect();
                if bytes.len() > SHOWN {
                    hex.push(format!("… ({} bytes)", bytes.len()));
                }
                Some(Marked::Field {
                    packet: p.id,
                    what: format!("{what}, bytes {}–{}", range.start, range.end.saturating_sub(1)),
                    hex: hex.join(" "),
                })
            }
        }
    }
}

/// One step of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Index into [`Chapter::runs`].
    pub run: usize,
    pub at: At,
    /// Paragraphs of narration, with `{quantity}` placeholders ([`Step::narration`]).
    pub text: Vec<String>,
    pub marks: Vec<Mark>,
    /// What the narration says about the run at this step.
    pub states: Vec<Assertion>,
    /// Line of its heading in `chapters.md`.
    pub line: usize,
}

impl Step {
    /// The narration filled with the quantities of `facts`.
    pub fn narration(&self, facts: &Facts) -> Vec<String> {
        self.text.iter().map(|t| facts.fill_lenient(t, &[])).collect()
    }
}

/// A button the page offers a question's student: a command to the simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// "drop I_TP1", "compromise 3" as written.
    pub spec: String,
    pub command: Command,
}

impl Action {
    fn parse(text: &str) -> Result<Action, String> {
        let text = text.trim();
        let (verb, arg) = text.split_once(' ').ok_or_else(|| format!("“{text}”: VERB ARGUMENT"))?;
        let arg = arg.trim();
        let arm = |action| Command::Arm { label: arg.to_string(), action };
        let tp = || arg.parse::<u8>().map_err(|_| format!("“{arg}” is not a third party's number"));
        let command = match verb {
            "drop" => arm(PacketAction::Drop),
            "tamper" => arm(PacketAction::Tamper(Tamper::FlipByte { offset: 40, mask: 0x01 })),
            "replay" => arm(PacketAction::ReplayAfterDelivery { to: None, after_ms: 10 }),
            "compromise" => Command::Compromise { tp: tp()? },
            "malicious" => Command::MakeMalicious { tp: tp()?, kind: MaliciousKind::WrongShare },
            _ => {
                return Err(format!(
                    "“{verb}” is not drop, tamper, replay, compromise or malicious"
                ));
            }
        };
        Ok(Action { spec: text.to_string(), command })
    }

    /// What the button says: the command in words ("drop I_TP1", "compromise TP3").
    pub fn label(&self) -> String {
        self.command.describe()
    }
}

/// What a question's answer is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The student acts; the answer is right when the run, played to its end, satisfies all
    /// of these (`goal A and B`).
    Goal(Vec<Assertion>),
    /// A typed number, right when it equals this quantity at the end of the run.
    Number(String),
    /// One of `choices`, right when it equals (or, for a list, is in) this quantity.
    Choice { quantity: String, choices: Vec<String> },
}

/// A check-your-understanding question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Index into [`Chapter::runs`]: the run it is asked on.
    pub run: usize,
    pub ask: String,
    /// Commands the page offers (for a [`Expect::Goal`]).
    pub actions: Vec<Action>,
    pub expect: Expect,
    /// Explanations, with `{quantity}` and `{answer}` placeholders.
    pub right: String,
    pub wrong: String,
    /// For the tests: an answer (or, for a goal, `;`-separated actions) that is right, and
    /// one that is wrong.
    pub try_right: String,
    pub try_wrong: String,
    pub line: usize,
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub right: bool,
    /// Why, in the chapter's words, with the run's numbers.
    pub explanation: String,
}

impl Question {
    /// Checks `answer` (the typed or chosen text; ignored for a goal) against the run in
    /// `player`, played from its position to its end on a branch of its own.
    pub fn check(&self, player: &Player<Simulation>, answer: &str) -> Checked {
        let mut end = player.fork();
        end.run(RUN_CAP);
        let facts = Facts::of(end.current(), end.position());
        let answer = answer.trim();
        let right = match &self.expect {
            Expect::Goal(all) => all.iter().all(|a| a.holds(&facts).unwrap_or(false)),
            Expect::Number(q) => match (answer.parse::<u64>(), facts.get(q)) {
                (Ok(n), Some(Value::Num(v))) => n == *v,
                _ => false,
            },
            Expect::Choice { quantity, .. } => match facts.get(quantity) {
                Some(Value::List(l)) => l.iter().any(|x| x == answer),
                Some(v) => v.to_string() == answer,
                None => false,
            },
        };
        let template = if right { &self.right } else { &self.wrong };
        let shown = if answer.is_empty() { "nothing" } else { answer };
        Checked { right, explanation: facts.fill_lenient(template, &[("answer", shown)]) }
    }

    /// The actions of a `try-right:` / `try-wrong:` line of a goal question (for the tests).
    pub fn try_actions(text: &str) -> Result<Vec<Action>, String> {
        text.split(';').filter(|s| !s.trim().is_empty()).map(Action::parse).collect()
    }
}

/// One chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// 1-based, its place in the list (`chapter=N` in the link).
    pub number: usize,
    pub title: String,
    /// Paragraphs before its first step.
    pub intro: Vec<String>,
    pub runs: Vec<Run>,
    pub steps: Vec<Step>,
    pub questions: Vec<Question>,
}

/// The whole lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub chapters: Vec<Chapter>,
}

impl Lesson {
    /// Chapter `number` (1-based).
    pub fn chapter(&self, number: usize) -> Option<&Chapter> {
        number.checked_sub(1).and_then(|i| self.chapters.get(i))
    }
}

/// The lesson of `chapters.md`, read once.
pub fn lesson() -> Result<&'static Lesson, &'static LessonError> {
    static LESSON: OnceLock<Result<Lesson, LessonError>> = OnceLock::new();
    LESSON.get_or_init(|| parse(TEXT)).as_ref()
}

/// Where a line's text goes.
enum Block {
    Intro,
    Step,
    Question,
}

/// The question keys whose text may go on over the next lines.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Ask,
    Right,
    Wrong,
}

#[derive(Default)]
struct Draft {
    ask: String,
    actions: Vec<Action>,
    answer: Option<String>,
    choices: Vec<String>,
    right: String,
    wrong: String,
    try_right: String,
    try_wrong: String,
    line: usize,
    run: usize,
}

fn push_text(paras: &mut Vec<String>, line: &str, new_para: &mut bool) {
    match paras.last_mut() {
        Some(p) if !*new_para => {
            p.push(' ');
            p.push_str(line);
        }
        _ => paras.push(line.to_string()),
    }
    *new_para = false;
}

fn finish_question(d: Draft, ch: &mut Chapter) -> Result<(), LessonError> {
    let err = |reason: String| LessonError { line: d.line, reason };
    let answer = d.answer.ok_or_else(|| err("a question needs an answer: line".into()))?;
    let expect = if let Some(goal) = answer.strip_prefix("goal ") {
        Expect::Goal(
            goal.split(" and ").map(Assertion::parse).collect::<Result<_, _>>().map_err(err)?,
        )
    } else if let Some(q) = answer.strip_prefix("number ") {
        let q = q.trim().to_string();
        Assertion::parse(&format!("{q} = 0")).map_err(err)?;
        Expect::Number(q)
    } else if let Some(q) = answer.strip_prefix("choice ") {
        let q = q.trim().to_string();
        Assertion::parse(&format!("{q} = x")).map_err(err)?;
        if d.choices.len() < 2 {
            return Err(err("a choice question needs a choices: line with two or more".into()));
        }
        Expect::Choice { quantity: q, choices: d.choices }
    } else {
        return Err(err(format!("answer “{answer}”: goal ASSERTION, number NAME or choice NAME")));
    };
    if matches!(expect, Expect::Goal(_)) && d.actions.is_empty() {
        return Err(err("a goal question needs an act: line".into()));
    }
    for (what, s) in [("ask", &d.ask), ("right", &d.right), ("wrong", &d.wrong)] {
        if s.is_empty() {
            return Err(err(format!("a question needs a {what}: line")));
        }
    }
    if d.try_right.is_empty() || d.try_wrong.is_empty() {
        return Err(err("a question needs try-right: and try-wrong: lines".into()));
    }
    ch.questions.push(Question {
        run: d.run,
        ask: d.ask,
        actions: d.actions,
        expect,
        right: d.right,
        wrong: d.wrong,
        try_right: d.try_right,
        try_wrong: d.try_wrong,
        line: d.line,
    });
    Ok(())
}

/// Reads the chapters' text (format: `docs/lesson.md`).
pub fn parse(text: &str) -> Result<Lesson, LessonError> {
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut block = Block::Intro;
    let mut new_para = true;
    let mut draft: Option<Draft> = None;
    let mut field: Option<Field> = None;
    // The run the next step inherits.
    let mut run: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let err = |reason: String| LessonError { line: n, reason };
        let line = raw.trim();
        if line.starts_with("<!--") {
            continue;
        }
        if line.is_empty() {
            new_para = true;
            field = None;
            continue;
        }
        if let Some(title) = line.strip_prefix("# ") {
            if let (Some(d), Some(ch)) = (draft.take(), chapters.last_mut()) {
                finish_question(d, ch)?;
            }
            chapters.push(Chapter {
                number: chapters.len() + 1,
                title: title.trim().to_string(),
                intro: vec![],
                runs: vec![],
                steps: vec![],
                questions: vec![],
            });
            block = Block::Intro;
            run = None;
            new_para = true;
            continue;
        }
        let Some(ch) = chapters.last_mut() else {
            return Err(err("text before the first chapter heading “# …”".into()));
        };
        if let Some(head) = line.strip_prefix("## ") {
            if let Some(d) = draft.take() {
                finish_question(d, ch)?;
            }
            field = None;
            new_para = true;
            let head = head.trim();
            if head == "question" {
                let run = run.ok_or_else(|| err("a question before any run: line".into()))?;
                draft = Some(Draft { line: n, run, ..Draft::default() });
                block = Block::Question;
            } else if let Some(at) = head.strip_prefix("at ") {
                let at = match at.trim() {
                    "end" => At::End,
                    s => At::Step(s.parse().map_err(|_| err(format!("“{s}” is not a step")))?),
                };
                if !ch.questions.is_empty() {
                    return Err(err("steps come before a chapter's questions".into()));
                }
                ch.steps.push(Step {
                    run: run.unwrap_or(usize::MAX),
                    at,
                    text: vec![],
                    marks: vec![],
                    states: vec![],
                    line: n,
                });
                block = Block::Step;
            } else {
                return Err(err(format!("“## {head}”: “## at N”, “## at end” or “## question”")));
            }
            continue;
        }
        if let Some(spec) = line.strip_prefix("run:") {
            let r = Run::parse(spec).map_err(err)?;
            let index = match ch.runs.iter().position(|x| *x == r) {
                Some(i) => i,
                None => {
                    ch.runs.push(r);
                    ch.runs.len() - 1
                }
            };
            run = Some(index);
            match block {
                Block::Step => {
                    if let Some(s) = ch.steps.last_mut() {
                        s.run = index;
                    }
                }
                Block::Question => {
                    if let Some(d) = draft.as_mut() {
                        d.run = index;
                    }
                }
                Block::Intro => {}
            }
            continue;
        }
        match block {
            Block::Intro => push_text(&mut ch.intro, line, &mut new_para),
            Block::Step => {
                let Some(step) = ch.steps.last_mut() else { continue };
                if step.run == usize::MAX {
                    return Err(err("a step before any run: line".into()));
                }
                if let Some(m) = line.strip_prefix("mark:") {
                    step.marks.push(Mark::parse(m).map_err(err)?);
                } else if let Some(s) = line.strip_prefix("state:") {
                    step.states.push(Assertion::parse(s).map_err(err)?);
                } else {
                    push_text(&mut step.text, line, &mut new_para);
                }
            }
            Block::Question => {
                let Some(d) = draft.as_mut() else { continue };
                let key = line.split_once(':').map(|(k, v)| (k.trim(), v.trim()));
                match key {
                    Some(("ask", v)) => {
                        d.ask = v.to_string();
                        field = Some(Field::Ask);
                    }
                    Some(("right", v)) => {
                        d.right = v.to_string();
                        field = Some(Field::Right);
                    }
                    Some(("wrong", v)) => {
                        d.wrong = v.to_string();
                        field = Some(Field::Wrong);
                    }
                    Some(("act", v)) => {
                        d.actions = v
                            .split(',')
                            .filter(|s| !s.trim().is_empty())
                            .map(Action::parse)
                            .collect::<Result<_, _>>()
                            .map_err(err)?;
                        field = None;
                    }
                    Some(("answer", v)) => {
                        d.answer = Some(v.to_string());
                        field = None;
                    }
                    Some(("choices", v)) => {
                        d.choices = v.split(',').map(|s| s.trim().to_string()).collect();
                        field = None;
                    }
                    Some(("try-right", v)) => {
                        d.try_right = v.to_string();
                        field = None;
                    }
                    Some(("try-wrong", v)) => {
                        d.try_wrong = v.to_string();
                        field = None;
                    }
                    _ => {
                        let target = match field {
                            Some(Field::Ask) => &mut d.ask,
                            Some(Field::Right) => &mut d.right,
                            Some(Field::Wrong) => &mut d.wrong,
                            None => {
                                return Err(err(format!(
                                    "“{line}”: a question's lines are ask:, act:, answer:, \
                                     choices:, right:, wrong:, try-right:, try-wrong:"
                                )));
                            }
                        };
                        target.push(' ');
                        target.push_str(line);
                    }
                }
            }
        }
    }
    if let (Some(d), Some(ch)) = (draft.take(), chapters.last_mut()) {
        finish_question(d, ch)?;
    }
    if chapters.is_empty() {
        return Err(LessonError { line: 1, reason: "no chapter".into() });
    }
    for ch in &chapters {
        if ch.steps.is_empty() {
            return Err(LessonError {
                line: 1,
                reason: format!("chapter “{}” has no step", ch.title),
            });
        }
    }
    Ok(Lesson { chapters })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chapters_parse() {
        let l = lesson().map_err(|e| e.to_string());
        let l = l.as_ref().map_err(String::as_str);
        assert!(l.is_ok(), "{l:?}");
        assert!(l.is_ok_and(|l| l.chapters.len() >= 9));
    }

    #[test]
    fn errors_name_their_line() {
        let e = parse("# One\nrun: preset happy-path\n## at 0\nstate: r.tgk maybe yes\n");
        assert_eq!(e.as_ref().map_err(|e| e.line), Err(4), "{e:?}");
        let e = parse("# One\nrun: preset no-such-preset\n");
        assert_eq!(e.as_ref().map_err(|e| e.line), Err(2), "{e:?}");
        let e = parse("text\n");
        assert_eq!(e.as_ref().map_err(|e| e.line), Err(1), "{e:?}");
        let e = parse("# One\nrun: preset happy-path\n## at 0\nx\n## question\nask: why?\n");
        assert!(e.is_err(), "a question without an answer: {e:?}");
    }

    #[test]
    fn steps_inherit_the_run_and_text_joins_into_paragraphs() {
        let l = parse(
            "# One\nintro a\nintro b\n\nintro c\nrun: preset happy-path\n## at 0\nline one\nline two\n## at end\nmark: node TP1\nstate: r.tgk = yes\n",
        );
        let l = l.as_ref().map_err(|e| e.to_string());
        let ch = l.as_ref().map(|l| &l.chapters[0]);
        assert_eq!(
            ch.map(|c| c.intro.clone()),
            Ok(vec!["intro a intro b".into(), "intro c".into()])
        );
        assert_eq!(ch.map(|c| c.steps[0].text.clone()), Ok(vec!["line one line two".into()]));
        assert_eq!(ch.map(|c| (c.steps[1].run, c.steps[1].at)), Ok((0, At::End)));
    }
}
