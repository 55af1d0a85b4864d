//! The lesson's chapters against the real simulation: the text parses; every chapter's run
//! reaches, at each step, the state its `state:` lines declare; every `{quantity}` resolves;
//! every mark names a packet, node or field of that step's view model; every question's
//! right and wrong answers are classified as such, the acting ones driven through the same
//! commands the page sends.

use std::collections::HashMap;
use std::sync::Arc;

use dmikey::sim::lesson::{self, At, Chapter, Expect, Facts, Question, Run};
use dmikey::sim::{Player, Simulation, ViewModel};

/// Starts runs on one PKI per configuration (a run's PKI depends only on its configuration).
struct Runs {
    pkis: HashMap<String, Arc<dmikey::sim::Pki>>,
}

impl Runs {
    fn new() -> Runs {
        Runs { pkis: HashMap::new() }
    }

    fn start(&mut self, run: &Run) -> Player<Simulation> {
        let cfg = run.link.config.clone();
        let key = format!("{:?}", cfg.pki_need());
        let pki = self
            .pkis
            .entry(key)
            .or_insert_with(|| Arc::new(Simulation::provision(&cfg).expect("provision")))
            .clone();
        let mut player = Player::new(Simulation::with_pki(cfg, pki).expect("simulation"));
        let mut script = run.link.script.clone();
        let refused = script.replay(&mut player);
        assert!(refused.is_empty(), "{}: commands refused: {refused:?}", run.spec);
        player.seek(0);
        player
    }
}

fn at(player: &mut Player<Simulation>, at: At) {
    match at {
        At::Step(s) => {
            let reached = player.seek(s);
            assert_eq!(reached, s, "the run ends at step {reached}, before step {s}");
        }
        At::End => {
            player.seek(lesson::END_STEP);
            assert_eq!(player.end(), Some(player.position()), "not at the end");
        }
    }
}

fn lesson() -> &'static lesson::Lesson {
    match lesson::lesson() {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_text_parses_into_the_nine_chapters() {
    let l = lesson();
    assert!(l.chapters.len() >= 9, "{} chapters", l.chapters.len());
    for ch in &l.chapters {
        assert!(!ch.questions.is_empty(), "chapter {} has no question", ch.number);
        assert!(ch.questions.len() <= 2, "chapter {} has more than two questions", ch.number);
        assert!(!ch.intro.is_empty(), "chapter {} has no introduction", ch.number);
        for s in &ch.steps {
            assert!(
                !s.text.is_empty(),
                "chapter {} line {}: a step without narration",
                ch.number,
                s.line
            );
        }
    }
}

fn check_chapter(ch: &Chapter, runs: &mut Runs) -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |line: usize, what: String| {
        failures.push(format!("chapter {} line {line}: {what}", ch.number))
    };
    for (i, t) in ch.intro.iter().enumerate() {
        // The introduction is filled with the first run's start.
        let mut p = runs.start(&ch.runs[0]);
        at(&mut p, At::Step(0));
        if let Err(e) = Facts::of(p.current(), 0).fill(t, &[]) {
            fail(0, format!("intro paragraph {i}: {e}"));
        }
    }
    for step in &ch.steps {
        let mut player = runs.start(&ch.runs[step.run]);
        at(&mut player, step.at);
        let facts = Facts::of(player.current(), player.position());
        for a in &step.states {
            match a.holds(&facts) {
                Ok(true) => {}
                Ok(false) => fail(
                    step.line,
                    format!(
                        "state: {a} is false at {:?}: {} is {:?}",
                        step.at,
                        a.name,
                        facts.get(&a.name)
                    ),
                ),
                Err(e) => fail(step.line, format!("state: {a}: {e}")),
            }
        }
        for t in &step.text {
            if let Err(e) = facts.fill(t, &[]) {
                fail(step.line, e);
            }
        }
        let model = ViewModel::of(&player, None);
        for m in &step.marks {
            if m.resolve(&model.packets, &model.nodes).is_none() {
                fail(
                    step.line,
                    format!("mark {m:?} names nothing in the view model at {:?}", step.at),
                );
            }
        }
    }
    for q in &ch.questions {
        for (answer, want) in [(&q.try_right, true), (&q.try_wrong, false)] {
            let checked = answer_as_a_student(q, &ch.runs[q.run], answer, runs);
            if checked.right != want {
                fail(
                    q.line,
                    format!(
                        "“{answer}” was classified right = {}: {}",
                        checked.right, checked.explanation
                    ),
                );
            }
            if checked.explanation.contains('{') || checked.explanation.is_empty() {
                fail(q.line, format!("explanation not filled: {}", checked.explanation));
            }
        }
        // Every choice the page offers is classified, and exactly the right one(s) are right.
        if let Expect::Choice { choices, .. } = &q.expect {
            let player = runs.start(&ch.runs[q.run]);
            let right: Vec<&String> =
                choices.iter().filter(|c| q.check(&player, c).right).collect();
            if right.len() != 1 {
                fail(q.line, format!("{} of the choices are right: {right:?}", right.len()));
            }
        }
        // A typed answer that is no number is wrong, with an explanation.
        if let Expect::Number(_) = &q.expect {
            let player = runs.start(&ch.runs[q.run]);
            let c = q.check(&player, "three");
            if c.right {
                fail(q.line, "“three” was classified right".into());
            }
        }
        if let Expect::Goal(_) = &q.expect {
            // Doing nothing is never the answer.
            let player = runs.start(&ch.runs[q.run]);
            if q.check(&player, "").right {
                fail(q.line, "the run as it stands already meets the goal".into());
            }
        }
    }
    failures
}

/// Answers `q` the way a student does on the page: a goal question by pressing its buttons
/// (each a command given to the player at step 0, as the page's `command` does), the others
/// by typing or choosing `answer`; then Check.
fn answer_as_a_student(q: &Question, run: &Run, answer: &str, runs: &mut Runs) -> lesson::Checked {
    let mut player = runs.start(run);
    match &q.expect {
        Expect::Goal(_) => {
            let actions = Question::try_actions(answer).expect("try actions");
            for a in actions {
                assert!(
                    q.actions.iter().any(|b| b.command == a.command),
                    "line {}: “{}” is not one of the question's buttons",
                    q.line,
                    a.spec
                );
                player.try_edit(|s| s.apply(a.command.clone())).expect("command applies");
            }
            q.check(&player, "")
        }
        _ => q.check(&player, answer),
    }
}

#[test]
fn every_chapter_reaches_what_its_narration_declares() {
    let mut runs = Runs::new();
    let failures: Vec<String> =
        lesson().chapters.iter().flat_map(|ch| check_chapter(ch, &mut runs)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_chapter_that_says_r_cannot_rebuild_ends_with_r_without_the_tgk() {
    // The hardest try at the opposite: the XOR step says R cannot rebuild the TGK; run it to
    // its very end and look at R itself, not at the lesson's quantities.
    let mut runs = Runs::new();
    let ch = &lesson().chapters[6];
    let step = ch.steps.iter().find(|s| ch.runs[s.run].spec == "preset xor-one-loss");
    let step = step.expect("chapter 7 has the XOR step");
    let mut p = runs.start(&ch.runs[step.run]);
    p.run(lesson::RUN_CAP);
    assert!(p.current().responder().tgk().is_none(), "R holds a TGK");
    assert!(!p.current().verdict().r_rebuilt_tgk);
}

#[test]
fn the_link_of_a_step_opens_the_same_run() {
    for ch in &lesson().chapters {
        for run in &ch.runs {
            let text = run.fragment(At::Step(3));
            let link = dmikey::sim::Permalink::parse(&text).expect("the fragment parses");
            assert_eq!(link.config, run.link.config, "{}", run.spec);
            assert_eq!(link.script, run.link.script, "{}", run.spec);
            assert_eq!(link.step, 3);
        }
    }
}

/// Every acronym the lesson's text uses (TGK, KEMAC, I_TP1, …) is a glossary term, so the page
/// explains it on hover and focus.
#[test]
fn every_acronym_of_the_lesson_is_in_the_glossary() {
    use dmikey::sim::glossary::{Span, annotate};
    let is_acronym = |w: &str| {
        w.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !w.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut missing: Vec<String> = Vec::new();
    for ch in &lesson().chapters {
        let mut texts: Vec<&str> = vec![&ch.title];
        texts.extend(ch.intro.iter().map(String::as_str));
        for s in &ch.steps {
            texts.extend(s.text.iter().map(String::as_str));
        }
        for q in &ch.questions {
            texts.extend([q.ask.as_str(), q.right.as_str(), q.wrong.as_str()]);
        }
        for t in texts {
            let mut plain = String::new();
            for s in annotate(t) {
                match s {
                    Span::Term { .. } => plain.push(' '),
                    Span::Text(x) => plain.push_str(x),
                }
            }
            for w in plain.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if is_acronym(w) && !missing.iter().any(|m| m.starts_with(&format!("{w} "))) {
                    missing.push(format!("{w} (chapter {})", ch.number));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in the glossary: {}", missing.join(", "));
}
