//! Shared UI state (handed down with `provide_context`) and the playback engine: the `Player`
//! of the simulation, the view model it publishes at the current position, the play timer and
//! the PKI cache.
//!
//! The model is `dmikey::sim::ViewModel`, taken as it is after each command or step; each
//! panel reads its own part through a `Memo`, so it redraws only when that part changed.
use std::sync::Arc;
use std::time::Duration;

use dmikey::sim::{
    Command, EventView, Expected, Inspection, IntruderReport, Known, Link, LinkView, Node,
    NodeView, PacketId, PacketView, Permalink, Pki, Playback, Preset, RoleView, Script,
    SessionConfig, Simulation, VerdictKind, ViewModel,
};
use leptos::prelude::*;

use crate::pki::PkiSource;
pub use crate::pki::PkiStatus;

/// The player the UI drives: the real simulation with snapshots for step back and seek.
pub type Player = dmikey::sim::Player<Simulation>;

/// What the screen shows: the model at the player's position, or why there is none yet.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Waiting(String),
    Run(Box<ViewModel>),
}

impl Screen {
    fn model(&self) -> Option<&ViewModel> {
        match self {
            Screen::Run(m) => Some(m),
            Screen::Waiting(_) => None,
        }
    }
}

/// The verdict as the banner shows it: its kind and its sentence (while there is no run, the
/// sentence says why).
#[derive(Clone, Debug, PartialEq)]
pub struct VerdictLine {
    pub kind: VerdictKind,
    pub sentence: String,
}

/// The parts of the model, one `Memo` per panel.
#[derive(Clone, Copy)]
pub struct Model {
    /// A run is on screen.
    pub ready: Memo<bool>,
    pub nodes: Memo<Vec<NodeView>>,
    pub links: Memo<Vec<LinkView>>,
    pub packets: Memo<Vec<PacketView>>,
    pub events: Memo<Vec<EventView>>,
    pub intruder: Memo<Option<IntruderReport>>,
    pub playback: Memo<Option<Playback>>,
    /// The current step (0 before the run starts).
    pub position: Memo<usize>,
    pub verdict: Memo<VerdictLine>,
    pub expected: Memo<Option<Expected>>,
}

impl Model {
    fn over(screen: RwSignal<Screen>) -> Model {
        fn part<T: Clone + PartialEq + Send + Sync + 'static>(
            screen: RwSignal<Screen>,
            f: fn(&ViewModel) -> T,
            none: fn() -> T,
        ) -> Memo<T> {
            Memo::new(move |_| screen.with(|s| s.model().map_or_else(none, f)))
        }
        let playback = part(screen, |m| Some(m.playback.clone()), || None);
        Model {
            ready: part(screen, |_| true, || false),
            nodes: part(screen, |m| m.nodes.clone(), Vec::new),
            links: part(screen, |m| m.links.clone(), Vec::new),
            packets: part(screen, |m| m.packets.clone(), Vec::new),
            events: part(screen, |m| m.events.clone(), Vec::new),
            intruder: part(screen, |m| Some(m.intruder.clone()), || None),
            playback,
            position: Memo::new(move |_| playback.with(|p| p.as_ref().map_or(0, |p| p.position))),
            expected: part(screen, |m| m.expected.clone(), || None),
            verdict: Memo::new(move |_| {
                screen.with(|s| match s {
                    Screen::Run(m) => VerdictLine {
                        kind: m.verdict.kind,
                        sentence: m.verdict.verdict.sentence.clone(),
                    },
                    Screen::Waiting(why) => {
                        VerdictLine { kind: VerdictKind::Pending, sentence: why.clone() }
                    }
                })
            }),
        }
    }
}

/// A selection in the topology or the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Packet(PacketId),
    Node(Node),
    Link(Link),
}

/// What the page shows: the normal layout, or one of the views reached from the header and
/// kept in the link as `view=NAME` (see `url.rs`). Each view's panel is mounted in `main.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// The normal layout: set-up, exchange, attacker and inspector.
    #[default]
    Run,
    /// The exchange big for a projector (`stage.rs`).
    Stage,
    /// The presenter's notes, in a second window kept in step with the stage (`presenter.rs`).
    Notes,
    /// The four modes' costs and the energy model (`costs.rs`).
    Costs,
    /// The paper's claims and the presets that show them (`claims.rs`).
    Claims,
    /// The guided tour: chapters, narration per step, questions (`lesson.rs`).
    Lesson,
}

impl View {
    /// Every view, for the fragment's parser.
    pub const ALL: [View; 6] =
        [View::Run, View::Stage, View::Notes, View::Costs, View::Claims, View::Lesson];

    /// The name in the link (`view=stage`); the normal layout has none.
    pub fn name(self) -> &'static str {
        match self {
            View::Run => "run",
            View::Stage => "stage",
            View::Notes => "notes",
            View::Costs => "costs",
            View::Claims => "claims",
            View::Lesson => "lesson",
        }
    }

    /// The view a link names; `None` for a name no view has.
    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// What the lesson's narration points at, highlighted by the topology and the timeline
/// (`data-marked`); set by `lesson.rs`, empty outside the lesson.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub packets: Vec<PacketId>,
    pub nodes: Vec<Node>,
}

/// Handles to the shared state; `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct AppState {
    pub config: RwSignal<SessionConfig>,
    screen: RwSignal<Screen>,
    /// The model on screen, one part per panel.
    pub model: Model,
    pub playing: RwSignal<bool>,
    /// Playing speed, as the milliseconds between two steps (integers keep the float
    /// formatter and parser out of the wasm).
    pub step_ms: RwSignal<u64>,
    pub selection: RwSignal<Option<Selection>>,
    pub large_type: RwSignal<bool>,
    /// The view on screen; `set_view` keeps it in the link.
    pub view: RwSignal<View>,
    pub pki: RwSignal<PkiStatus>,
    pub scenario: RwSignal<Option<&'static str>>,
    /// A sentence about the last command that failed, shown and announced.
    pub notice: RwSignal<String>,
    /// The lesson's highlights.
    pub marks: RwSignal<Marks>,
    player: StoredValue<Option<Player>, LocalStorage>,
    /// The attacker's commands of this run with their steps: the preset's, then the
    /// audience's (replayed on a restart and carried by a link).
    script: StoredValue<Script, LocalStorage>,
    /// The step a link asked for, taken when its run has started.
    pending_step: StoredValue<Option<usize>, LocalStorage>,
    /// The preset whose configuration and script are loaded, if any.
    preset: StoredValue<Option<Preset>, LocalStorage>,
    /// Where PKIs come from (cache, worker): `pki.rs`.
    pki_source: PkiSource,
    /// Bumped on every reset so a timer or worker from an older run does nothing.
    generation: StoredValue<u64, LocalStorage>,
}

impl AppState {
    pub fn new() -> Self {
        let screen = RwSignal::new(Screen::Waiting("Preparing the run…".into()));
        AppState {
            config: RwSignal::new(dmikey::sim::paper_default()),
            screen,
            model: Model::over(screen),
            playing: RwSignal::new(false),
            step_ms: RwSignal::new(1000),
            selection: RwSignal::new(None),
            large_type: RwSignal::new(false),
            view: RwSignal::new(crate::url::view().unwrap_or_default()),
            pki: RwSignal::new(PkiStatus::Idle),
            scenario: RwSignal::new(None),
            notice: RwSignal::new(String::new()),
            marks: RwSignal::new(Marks::default()),
            player: StoredValue::new_local(None),
            script: StoredValue::new_local(Script::new()),
            pending_step: StoredValue::new_local(None),
            preset: StoredValue::new_local(None),
            pki_source: PkiSource::new(),
            generation: StoredValue::new_local(0),
        }
    }

    /// Where PKIs come from (this page's, kept ones, the worker pool).
    pub fn pki_source(self) -> PkiSource {
        self.pki_source
    }

    /// Shows `view` and writes it into the link (`view=NAME`, none for the normal layout).
    pub fn set_view(self, view: View) {
        self.view.set(view);
        crate::url::set_view(view);
    }

    /// Shows `view`, or the normal layout if `view` is on screen already (a header button).
    pub fn toggle_view(self, view: View) {
        let now = self.view.get_untracked();
        self.set_view(if now == view { View::Run } else { view });
    }

    /// Starts the run again from step 0 with the preset's commands only (the audience's
    /// are forgotten).
    pub fn reset(self) {
        let base = self.preset.with_value(|p| {
            p.as_ref().map(|p| Script::at_start(p.commands.clone())).unwrap_or_default()
        });
        self.script.set_value(base);
        self.pending_step.set_value(None);
        crate::url::clear_fragment();
        self.restart();
    }

    /// Starts the run for the current configuration and script, provisioning the PKI first
    /// unless it is cached (`pki.rs`).
    fn restart(self) {
        self.playing.set(false);
        self.selection.set(None);
        self.notice.set(String::new());
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        let cfg = self.config.get_untracked();
        if let Some(pki) = self.pki_source.cached(&cfg) {
            self.start_with(cfg, pki);
            return;
        }
        self.player.set_value(None);
        self.screen.set(Screen::Waiting("Generating RSA keys and certificates…".into()));
        let current = move || self.generation.get_value() == generation;
        self.pki_source.provision(
            &cfg,
            current,
            move |status| {
                if current() {
                    self.pki.set(status);
                }
            },
            move |pki| {
                if current() {
                    self.start_with(self.config.get_untracked(), pki);
                }
            },
        );
    }

    fn start_with(self, cfg: SessionConfig, pki: Arc<Pki>) {
        match Simulation::with_pki(cfg, pki).map(Player::new) {
            Ok(mut player) => {
                crate::mark("dmikey-run-ready");
                crate::stage::register_service_worker();
                self.pki.set(PkiStatus::Ready);
                // Each command at its step (a link's may be at several), then the step asked for.
                let refused =
                    self.script.try_update_value(|s| s.replay(&mut player)).unwrap_or_default();
                if let Some((c, e)) = refused.first() {
                    self.notice.set(format!("Not applied: {}: {e}", c.describe()));
                }
                player
                    .seek(self.pending_step.try_update_value(|s| s.take()).flatten().unwrap_or(0));
                self.player.set_value(Some(player));
                self.refresh();
            }
            Err(e) => {
                self.pki.set(PkiStatus::Ready);
                self.player.set_value(None);
                self.screen.set(Screen::Waiting(format!("The run could not start: {e}")));
            }
        }
    }

    /// Loads a preset: its configuration, its script of attacker commands; then plays it.
    pub fn load_scenario(self, s: &Preset) {
        self.scenario.set(Some(s.id));
        self.preset.set_value(Some(s.clone()));
        self.config.set(s.config.clone());
        self.reset();
        self.playing.set(true);
        self.schedule();
    }

    /// Changes the configuration by hand: the preset's script no longer applies.
    pub fn set_config(self, f: impl FnOnce(&mut SessionConfig)) {
        self.scenario.set(None);
        self.preset.set_value(None);
        self.config.update(f);
        self.reset();
    }

    fn refresh(self) {
        let model = self.preset.with_value(|preset| {
            self.player.with_value(|p| p.as_ref().map(|p| ViewModel::of(p, preset.as_ref())))
        });
        if let Some(m) = model {
            self.screen.set(Screen::Run(Box::new(m)));
        }
    }

    /// One step forward; returns `false` when the run is over.
    pub fn step(self) -> bool {
        let moved = self
            .player
            .try_update_value(|p| p.as_mut().is_some_and(|p| p.step_forward()))
            .unwrap_or(false);
        self.refresh();
        moved
    }

    pub fn step_back(self) {
        self.playing.set(false);
        self.player.update_value(|p| {
            if let Some(p) = p.as_mut() {
                p.step_back();
            }
        });
        self.refresh();
    }

    pub fn seek(self, to: usize) {
        self.playing.set(false);
        self.player.update_value(|p| {
            if let Some(p) = p.as_mut() {
                p.seek(to);
            }
        });
        self.refresh();
    }

    /// Sends an attacker or network command to the simulation at the current position.
    pub fn command(self, cmd: Command) {
        let result = self.player.try_update_value(|p| match p.as_mut() {
            Some(p) => p
                .try_edit(|s| s.apply(cmd.clone()))
                .map(|()| p.position())
                .map_err(|e| e.to_string()),
            None => Err("the run has not started yet".to_string()),
        });
        match result {
            Some(Ok(step)) => {
                self.script.update_value(|s| s.record(step, cmd));
                crate::url::clear_fragment();
                self.notice.set(String::new());
            }
            Some(Err(e)) => self.notice.set(e),
            None => {}
        }
        self.refresh();
    }

    /// The link to the current step of this run (see `dmikey::sim::permalink`), and the step.
    pub fn link(self) -> Option<(String, usize)> {
        let step = self.player.with_value(|p| p.as_ref().map(|p| p.position()))?;
        let link = Permalink {
            config: self.config.get_untracked(),
            preset: self.scenario.get_untracked().map(String::from),
            script: self.script.get_value(),
            step,
        };
        Some((link.to_fragment(), step))
    }

    /// Opens a link: its configuration, preset and commands, paused at its step. A link that
    /// cannot be read leaves a notice saying why, and the default run.
    pub fn open_link(self, text: &str) {
        match Permalink::parse(text) {
            Ok(link) => {
                let c = &link.config;
                let preset = link.preset.as_deref().and_then(|id| {
                    dmikey::sim::presets(c.rsa_bits, c.seed).into_iter().find(|p| p.id == id)
                });
                self.scenario.set(preset.as_ref().map(|p| p.id));
                self.preset.set_value(preset);
                self.script.set_value(link.script);
                self.pending_step.set_value(Some(link.step));
                self.config.set(link.config);
                self.restart();
            }
            Err(e) => {
                self.scenario.set(None);
                self.preset.set_value(None);
                self.config.set(dmikey::sim::paper_default());
                self.reset();
                self.notice
                    .set(format!("This link cannot be opened — {e}. Showing the default run."));
            }
        }
    }

    pub fn toggle_play(self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else if self.model.ready.get_untracked() {
            self.playing.set(true);
            self.schedule();
        }
    }

    /// Plays one step per timer tick, so no task on the main thread runs more than one step.
    fn schedule(self) {
        let generation = self.generation.get_value();
        let delay = self.step_ms.get_untracked().clamp(1, 10_000);
        set_timeout(
            move || {
                if self.generation.get_value() != generation || !self.playing.get_untracked() {
                    return;
                }
                if !self.model.ready.get_untracked() {
                    // Keys are still being generated: try again shortly.
                    self.schedule();
                    return;
                }
                if self.step() {
                    self.schedule();
                } else {
                    self.playing.set(false);
                }
            },
            Duration::from_millis(delay),
        );
    }

    /// The exports of the run at the current position, `None` before it starts: the pcap
    /// capture and the key log, straight from the simulation.
    pub fn pcap(self) -> Option<Vec<u8>> {
        self.player.with_value(|p| p.as_ref().map(|p| p.current().pcap()))
    }

    /// The capture as pcapng, forged packets marked in a packet comment.
    pub fn pcapng(self) -> Option<Vec<u8>> {
        self.player.with_value(|p| p.as_ref().map(|p| p.current().pcapng()))
    }

    pub fn keylog_json(self) -> Option<String> {
        self.player.with_value(|p| p.as_ref().map(|p| p.current().keylog_json()))
    }

    /// The narration of the step after the current one (`None` at the end of the run), from
    /// a branch of the simulation.
    pub fn next_narration(self) -> Option<String> {
        self.player.with_value(|p| p.as_ref().and_then(dmikey::sim::next_narration))
    }

    /// Reads the player at its position (the lesson's quantities and answer checks).
    pub fn with_player<R>(self, f: impl FnOnce(&Player) -> R) -> Option<R> {
        self.player.with_value(|p| p.as_ref().map(f))
    }

    /// What a node knows at the current position (keys, shares), from the simulation.
    pub fn knowledge(self, node: Node) -> Vec<Known> {
        self.player.with_value(|p| {
            p.as_ref().map(|p| p.current().node_knowledge(node)).unwrap_or_default()
        })
    }

    /// Packet `id` at the current position as `viewer` sees it (`dmikey::sim::Inspection`).
    pub fn inspect(self, id: PacketId, viewer: Node) -> Option<Inspection> {
        self.player
            .with_value(|p| p.as_ref().and_then(|p| Inspection::of_packet(p.current(), id, viewer)))
    }

    /// What `node` knows and computed up to the current position (`dmikey::sim::RoleView`).
    pub fn role_view(self, node: Node) -> Option<RoleView> {
        self.player.with_value(|p| p.as_ref().map(|p| RoleView::of(p.current(), node)))
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
