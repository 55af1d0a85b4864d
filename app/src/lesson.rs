//! The lesson view: the chapters of `dmikey::sim::lesson` (one text file in the protocol
//! crate), each page a step of a real run shown in the network and sequence diagrams beside
//! it, its narration filled with the run's numbers, what it points at highlighted
//! (`data-marked` in the topology and the timeline), and the chapter's questions checked
//! against the simulation's state. The place is kept in the link
//! (`view=lesson&chapter=5&step=3`, see `url.rs`). Everything said and checked comes from
//! the protocol crate; this module only renders and forwards the student's actions.
use dmikey::sim::lesson::{
    self, At, Chapter, Checked, Expect, Facts, Lesson, Marked, Question, Step,
};
use leptos::prelude::*;

use crate::glossary::Glossed;
use crate::state::{AppState, Marks, View};

/// What a page of a chapter is: one of its steps, or one of its questions.
#[derive(Clone, Copy)]
enum Page<'a> {
    Step(&'a Step),
    Question(usize, &'a Question),
}

fn the_lesson() -> Option<&'static Lesson> {
    lesson::lesson().ok()
}

/// Pages of a chapter: its steps, then its questions.
fn pages(ch: &Chapter) -> usize {
    ch.steps.len() + ch.questions.len()
}

/// Page `page` (1-based) of `ch`.
fn page_of(ch: &Chapter, page: usize) -> Option<Page<'_>> {
    let i = page.checked_sub(1)?;
    match ch.steps.get(i) {
        Some(s) => Some(Page::Step(s)),
        None => {
            let q = i - ch.steps.len();
            ch.questions.get(q).map(|x| Page::Question(q, x))
        }
    }
}

/// The run a page shows and where: a step at its position, a question at step 0 (the
/// student acts on it from the start).
fn page_run(ch: &Chapter, page: usize) -> Option<(usize, At)> {
    match page_of(ch, page)? {
        Page::Step(s) => Some((s.run, s.at)),
        Page::Question(_, q) => Some((q.run, At::Step(0))),
    }
}

/// The place clamped to the lesson: an existing chapter and page.
fn clamp(place: (usize, usize)) -> (usize, usize) {
    let Some(l) = the_lesson() else { return (1, 1) };
    let chapter = place.0.clamp(1, l.chapters.len().max(1));
    let last = l.chapter(chapter).map_or(1, pages).max(1);
    (chapter, place.1.clamp(1, last))
}

/// The link of the run that `place` shows (what `url.rs` hands the page when the address
/// names a lesson page).
pub fn page_link(place: (usize, usize)) -> Option<String> {
    let (chapter, page) = clamp(place);
    let ch = the_lesson()?.chapter(chapter)?;
    let (run, at) = page_run(ch, page)?;
    Some(ch.runs.get(run)?.fragment(at))
}

/// The lesson view, mounted in the page's grid beside the exchange.
#[component]
pub fn LessonView() -> impl IntoView {
    let st = expect_context::<AppState>();
    let Some(lesson) = the_lesson() else {
        let why = lesson::lesson().err().map(|e| e.to_string()).unwrap_or_default();
        return view! {
            <section class="lesson" hidden=move || st.view.get() != View::Lesson>
                <p role="alert">{format!("The lesson cannot be read: {why}")}</p>
            </section>
        }
        .into_any();
    };
    let start = clamp(crate::url::lesson_place().unwrap_or((1, 1)));
    crate::url::set_lesson_place(start);
    let place = RwSignal::new(start);
    // The run on screen, as (chapter, run): when a link opened the page on a lesson page,
    // `main.rs` has already started that page's run.
    let opened = crate::url::lesson_place().and_then(|_| {
        let ch = lesson.chapter(start.0)?;
        page_run(ch, start.1).map(|(run, _)| (start.0, run))
    });
    let loaded = StoredValue::new(opened);
    // The student changed the run (a question's buttons): the next page opens it afresh.
    let dirty = StoredValue::new(false);
    let open = move |chapter: usize, page: usize, fresh: bool| {
        let Some(ch) = lesson.chapter(chapter) else { return };
        let Some((run, at)) = page_run(ch, page) else { return };
        let same = loaded.get_value() == Some((chapter, run)) && !dirty.get_value();
        if same && !fresh {
            st.seek(at.step());
        } else if let Some(r) = ch.runs.get(run) {
            st.open_link(&r.fragment(at));
            loaded.set_value(Some((chapter, run)));
            dirty.set_value(false);
        }
    };
    Effect::new(move |prev: Option<(View, (usize, usize))>| {
        let now = (st.view.get(), place.get());
        // A view set again to the same (a link opened in the address bar) changes nothing.
        if prev == Some(now) {
            return now;
        }
        let (view, (chapter, page)) = now;
        if view != View::Lesson {
            // Another view may change the run; coming back opens the page's run again.
            loaded.set_value(None);
            st.marks.set(Marks::default());
            return now;
        }
        crate::url::set_lesson_place((chapter, page));
        open(chapter, page, false);
        now
    });
    // A lesson link pasted into the address bar: `main.rs` opens its run, this follows.
    let on_hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(p) = crate::url::lesson_place() {
            let p = clamp(p);
            if let Some((run, _)) = lesson.chapter(p.0).and_then(|ch| page_run(ch, p.1)) {
                loaded.set_value(Some((p.0, run)));
                dirty.set_value(false);
            }
            place.set(p);
        }
    });
    std::mem::forget(on_hash);

    let chapter = Memo::new(move |_| lesson.chapter(place.get().0));
    // The run's quantities at the page's step (whatever step the student has moved to since),
    // for the narration's numbers.
    let facts = Memo::new(move |_| {
        st.model.playback.track();
        let (c, p) = place.get();
        if st.view.get() != View::Lesson {
            return None;
        }
        let at = lesson.chapter(c).and_then(|ch| page_run(ch, p)).map(|(_, at)| at.step())?;
        st.with_player(|player| {
            if player.position() == at {
                return Facts::of(player.current(), at);
            }
            let mut there = player.fork();
            let reached = there.seek(at);
            Facts::of(there.current(), reached)
        })
    });
    // What the page points at, found in the model on screen.
    let marked = Memo::new(move |_| {
        let (c, p) = place.get();
        let Some(Page::Step(step)) = lesson.chapter(c).and_then(|ch| page_of(ch, p)) else {
            return Vec::new();
        };
        st.model.packets.with(|packets| {
            st.model.nodes.with(|nodes| {
                step.marks.iter().filter_map(|m| m.resolve(packets, nodes)).collect::<Vec<_>>()
            })
        })
    });
    Effect::new(move |_| {
        if st.view.get() != View::Lesson {
            return;
        }
        let mut marks = Marks::default();
        for m in marked.get() {
            match m {
                Marked::Packet(id) | Marked::Field { packet: id, .. } => marks.packets.push(id),
                Marked::Node(n) => marks.nodes.push(n),
            }
        }
        st.marks.set(marks);
    });

    let go = move |delta: isize| {
        let (c, p) = place.get_untracked();
        let Some(ch) = lesson.chapter(c) else { return };
        let next = p as isize + delta;
        if next >= 1 && next as usize <= pages(ch) {
            place.set((c, next as usize));
        } else if next < 1 && c > 1 {
            let prev = lesson.chapter(c - 1).map_or(1, pages);
            place.set((c - 1, prev));
        } else if next as usize > pages(ch) && c < lesson.chapters.len() {
            place.set((c + 1, 1));
        }
    };
    let at_start = move || place.get() == (1, 1);
    let at_end = move || {
        let (c, p) = place.get();
        c == lesson.chapters.len() && lesson.chapter(c).is_some_and(|ch| p >= pages(ch))
    };

    view! {
        <section
            class="lesson"
            aria-label="Lesson"
            hidden=move || st.view.get() != View::Lesson
            data-chapter=move || place.get().0
            data-page=move || place.get().1
        >
            // Open on a first visit; a link to a chapter opens on the chapter itself.
            <details class="chapters" open=start == (1, 1)>
                <summary>"Chapters"</summary>
                <nav aria-label="Chapters">
                <ol>
                    {lesson
                        .chapters
                        .iter()
                        .map(|ch| {
                            let n = ch.number;
                            view! {
                                <li>
                                    <button
                                        class="chapter-link"
                                        aria-current=move || (place.get().0 == n).then_some("step")
                                        on:click=move |_| place.set((n, 1))
                                    >
                                        {format!("{n}. {}", ch.title)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                </nav>
            </details>
            <div class="lesson-nav">
                <button class="lesson-back" disabled=at_start on:click=move |_| go(-1)>
                    "← Back"
                </button>
                <button class="lesson-next" disabled=at_end on:click=move |_| go(1)>
                    "Next →"
                </button>
            </div>
            {move || {
                chapter
                    .get()
                    .map(|ch| {
                        view! {
                            <article class="chapter">
                                <h2>{format!("Chapter {}: {}", ch.number, ch.title)}</h2>
                                <p class="lesson-progress">
                                    {move || {
                                        let (_, p) = place.get();
                                        match page_of(ch, p) {
                                            Some(Page::Question(i, _)) => {
                                                format!(
                                                    "Check your understanding: question {} of {}",
                                                    i + 1,
                                                    ch.questions.len(),
                                                )
                                            }
                                            _ => format!("Step {p} of {}", ch.steps.len()),
                                        }
                                    }}
                                </p>
                                {move || {
                                    let (_, p) = place.get();
                                    (p == 1)
                                        .then(|| {
                                            ch.intro
                                                .iter()
                                                .map(|t| {
                                                    let t = t.clone();
                                                    view! {
                                                        <p class="intro">
                                                            <Glossed text=move || {
                                                                facts
                                                                    .with(|f| f.as_ref().map(|f| f.fill_lenient(&t, &[])))
                                                                    .unwrap_or_else(|| t.clone())
                                                            }/>
                                                        </p>
                                                    }
                                                })
                                                .collect_view()
                                        })
                                }}
                                {move || {
                                    let (c, p) = place.get();
                                    match page_of(ch, p) {
                                        Some(Page::Step(step)) => {
                                            view! { <StepText step=step facts=facts marked=marked/> }.into_any()
                                        }
                                        Some(Page::Question(_, q)) => {
                                            let restart = move || {
                                                open(c, p, true);
                                            };
                                            view! {
                                                <QuestionCard
                                                    question=q
                                                    on_act=move || dirty.set_value(true)
                                                    restart=restart
                                                />
                                            }
                                                .into_any()
                                        }
                                        None => ().into_any(),
                                    }
                                }}
                            </article>
                        }
                    })
            }}
        </section>
    }
    .into_any()
}

/// A step's narration, and the fields it points at.
#[component]
fn StepText(
    step: &'static Step,
    facts: Memo<Option<Facts>>,
    marked: Memo<Vec<Marked>>,
) -> impl IntoView {
    let texts = move || {
        facts.with(|f| match f {
            Some(f) => step.narration(f),
            None => step.text.clone(),
        })
    };
    view! {
        <div class="narration-text" aria-live="polite" data-marks=step.marks.len()>
            {move || {
                texts()
                    .into_iter()
                    .map(|t| view! { <p><Glossed text=t/></p> })
                    .collect_view()
            }}
        </div>
        {move || {
            let fields: Vec<(String, String)> = marked
                .get()
                .into_iter()
                .filter_map(|m| match m {
                    Marked::Field { what, hex, .. } => Some((what, hex)),
                    _ => None,
                })
                .collect();
            (!fields.is_empty())
                .then(|| {
                    view! {
                        <ul class="look-at" aria-label="Look at">
                            {fields
                                .into_iter()
                                .map(|(what, hex)| {
                                    view! {
                                        <li>
                                            <span class="what"><Glossed text=what/></span>
                                            <code class="hex">{hex}</code>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
        }}
    }
}

/// A question: its buttons (for one answered by acting), its answer field or choices, Check,
/// and the explanation.
#[component]
fn QuestionCard(
    question: &'static Question,
    on_act: impl Fn() + Copy + Send + Sync + 'static,
    restart: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let st = expect_context::<AppState>();
    let answer = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Checked>);
    let check = move |_| {
        let a = answer.get_untracked();
        result.set(st.with_player(|p| question.check(p, &a)));
    };
    let answer_part = match &question.expect {
        Expect::Goal(_) => view! {
            <div class="lesson-actions" role="group" aria-label="Act on the run">
                {question
                    .actions
                    .iter()
                    .map(|a| {
                        let cmd = a.command.clone();
                        view! {
                            <button
                                class="lesson-act"
                                data-command=a.spec.clone()
                                on:click=move |_| {
                                    on_act();
                                    st.command(cmd.clone());
                                    result.set(None);
                                }
                            >
                                {a.label()}
                            </button>
                        }
                    })
                    .collect_view()}
                <button
                    class="lesson-restart"
                    on:click=move |_| {
                        result.set(None);
                        restart();
                    }
                >
                    "Start the run again"
                </button>
            </div>
        }
        .into_any(),
        Expect::Number(_) => view! {
            <label class="lesson-answer">
                "Your answer: "
                <input
                    type="text"
                    inputmode="numeric"
                    class="lesson-number"
                    prop:value=move || answer.get()
                    on:input=move |e| {
                        answer.set(event_target_value(&e));
                        result.set(None);
                    }
                />
            </label>
        }
        .into_any(),
        Expect::Choice { choices, .. } => view! {
            <fieldset class="lesson-choices">
                <legend>"Your answer"</legend>
                {choices
                    .iter()
                    .map(|c| {
                        let c = c.clone();
                        let value = c.clone();
                        let shown = c.clone();
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name="lesson-choice"
                                    value=value.clone()
                                    prop:checked=move || answer.get() == value
                                    on:change=move |_| {
                                        answer.set(c.clone());
                                        result.set(None);
                                    }
                                />
                                {shown}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
    };
    view! {
        <div class="question">
            <h3>"Check your understanding"</h3>
            <p class="ask"><Glossed text=question.ask.clone()/></p>
            {answer_part}
            <button class="lesson-check" on:click=check>"Check"</button>
            {move || {
                result
                    .get()
                    .map(|r| {
                        view! {
                            <p
                                class="lesson-result"
                                class:right=r.right
                                class:wrong=!r.right
                                data-right=r.right.to_string()
                                role="status"
                            >
                                <span class="icon" aria-hidden="true">{if r.right { "✔ " } else { "✘ " }}</span>
                                <Glossed text=r.explanation.clone()/>
                            </p>
                        }
                    })
            }}
        </div>
    }
}
