//! Shared UI state (handed down with `provide_context`) and the playback engine: the `Player`
//! of the simulation, the `Frame` the components draw, the play timer and the PKI cache.
//!
//! The frame is a plain copy of what the simulation reports after each command or step; it
//! holds no protocol rule of its own.
use std::time::Duration;

use leptos::prelude::*;

use std::sync::Arc;

use crate::bridge::{
    Command, Event, EventKind, IntruderReport, Link, Node, Packet, PacketId, Permalink, Pki,
    Player, Preset, Script, SessionConfig, Verdict, View,
};
use crate::pki::PkiSource;
pub use crate::pki::PkiStatus;

/// How the verdict is drawn: an icon and a word beside the simulation's sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictKind {
    Pending,
    Success,
    Failed,
    Exposed,
    PartlyExposed,
}

impl VerdictKind {
    /// Read off the verdict's numbers (the sentence itself is the simulation's).
    fn of(v: &Verdict, finished: bool) -> VerdictKind {
        if v.intruder_rebuilt_tgk {
            VerdictKind::Exposed
        } else if v.tgk_bits_exposed > 0 {
            VerdictKind::PartlyExposed
        } else if v.r_rebuilt_tgk {
            VerdictKind::Success
        } else if v.session_failed || finished {
            VerdictKind::Failed
        } else {
            VerdictKind::Pending
        }
    }
}

/// One link as drawn, with its state.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    pub link: Link,
    pub down: bool,
}

/// Everything the components draw at the current position of the player.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub ready: bool,
    pub nodes: Vec<Node>,
    pub links: Vec<LinkView>,
    pub capture: Vec<Packet>,
    pub events: Vec<Event>,
    /// The simulation's one-line verdict.
    pub verdict: String,
    pub verdict_kind: VerdictKind,
    pub intruder: Option<IntruderReport>,
    pub compromised: Vec<u8>,
    pub malicious: Vec<u8>,
    /// Loss rate on every link, in thousandths.
    pub loss_permille: u16,
    pub now_ms: u64,
    pub position: usize,
    pub horizon: usize,
    pub finished: bool,
    /// Sentence announced for this position (aria-live and the on-screen caption).
    pub narration: String,
    /// The loaded preset's expected verdict sentence, and whether the run has reached that
    /// verdict (`Preset::matches`, the protocol's own check).
    pub expected: Option<(String, bool)>,
}

impl Frame {
    fn waiting(sentence: String) -> Frame {
        Frame {
            ready: false,
            nodes: vec![],
            links: vec![],
            capture: vec![],
            events: vec![],
            verdict: sentence,
            verdict_kind: VerdictKind::Pending,
            intruder: None,
            compromised: vec![],
            malicious: vec![],
            loss_permille: 0,
            now_ms: 0,
            position: 0,
            horizon: 0,
            finished: false,
            narration: String::new(),
            expected: None,
        }
    }

    fn of(player: &Player, preset: Option<&Preset>) -> Frame {
        let sim = View(player.current());
        let links = sim
            .links()
            .into_iter()
            .map(|link| LinkView { link, down: sim.link_is_down(link.a, link.b) })
            .collect();
        let events = sim.events();
        let verdict = sim.verdict();
        let position = player.position();
        let narration = events
            .iter()
            .filter(|e| e.step == position)
            .map(|e| e.text.clone())
            .collect::<Vec<_>>()
            .join(". ");
        let finished = player.end() == Some(position);
        Frame {
            ready: true,
            nodes: sim.nodes(),
            links,
            capture: sim.capture(),
            events,
            verdict_kind: VerdictKind::of(&verdict, finished || sim.in_flight() == 0),
            verdict: verdict.sentence.clone(),
            intruder: Some(sim.intruder_report()),
            compromised: sim.compromised(),
            malicious: sim.malicious(),
            loss_permille: sim.loss_permille(),
            now_ms: sim.now_ms(),
            position,
            horizon: player.furthest(),
            finished,
            narration,
            expected: preset.map(|p| (p.sentence.to_string(), p.matches(&verdict))),
        }
    }

    /// The step at which a packet reached its end (delivered, dropped or rejected), else sent.
    pub fn step_of_packet(&self, id: PacketId) -> Option<usize> {
        let end = self.events.iter().find(|e| {
            e.packet == Some(id)
                && matches!(e.kind, EventKind::Delivered | EventKind::Dropped | EventKind::Rejected)
        });
        end.or_else(|| self.events.iter().find(|e| e.packet == Some(id))).map(|e| e.step)
    }

    /// How a packet ended at this position's step, if it did in this step.
    pub fn ended_now(&self, id: PacketId) -> Option<&Event> {
        self.events.iter().find(|e| {
            e.packet == Some(id)
                && e.step == self.position
                && matches!(e.kind, EventKind::Delivered | EventKind::Dropped | EventKind::Rejected)
        })
    }
}

/// A selection in the topology or the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Packet(PacketId),
    Node(Node),
    Link(Node, Node),
}

/// Handles to the shared state; `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct AppState {
    pub config: RwSignal<SessionConfig>,
    pub frame: RwSignal<Frame>,
    pub playing: RwSignal<bool>,
    /// Playing speed, as the milliseconds between two steps (integers keep the float
    /// formatter and parser out of the wasm).
    pub step_ms: RwSignal<u64>,
    pub selection: RwSignal<Option<Selection>>,
    pub large_type: RwSignal<bool>,
    pub pki: RwSignal<PkiStatus>,
    pub scenario: RwSignal<Option<&'static str>>,
    /// A sentence about the last command that failed, shown and announced.
    pub notice: RwSignal<String>,
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
        AppState {
            config: RwSignal::new(crate::bridge::paper_default()),
            frame: RwSignal::new(Frame::waiting("Preparing the run…".into())),
            playing: RwSignal::new(false),
            step_ms: RwSignal::new(1000),
            selection: RwSignal::new(None),
            large_type: RwSignal::new(false),
            pki: RwSignal::new(PkiStatus::Idle),
            scenario: RwSignal::new(None),
            notice: RwSignal::new(String::new()),
            player: StoredValue::new_local(None),
            script: StoredValue::new_local(Script::new()),
            pending_step: StoredValue::new_local(None),
            preset: StoredValue::new_local(None),
            pki_source: PkiSource::new(),
            generation: StoredValue::new_local(0),
        }
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
        self.frame.set(Frame::waiting("Generating RSA keys and certificates…".into()));
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
        match crate::bridge::start(cfg, pki) {
            Ok(mut player) => {
                crate::mark("dmikey-run-ready");
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
                self.frame.set(Frame::waiting(format!("The run could not start: {e}")));
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
        let frame = self.preset.with_value(|preset| {
            self.player.with_value(|p| p.as_ref().map(|p| Frame::of(p, preset.as_ref())))
        });
        if let Some(f) = frame {
            self.frame.set(f);
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
            Some(p) => {
                p.edit(|s| s.apply(cmd.clone())).map(|()| p.position()).map_err(|e| e.to_string())
            }
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
                    crate::bridge::presets(c.rsa_bits, c.seed).into_iter().find(|p| p.id == id)
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
                self.config.set(crate::bridge::paper_default());
                self.reset();
                self.notice
                    .set(format!("This link cannot be opened — {e}. Showing the default run."));
            }
        }
    }

    pub fn toggle_play(self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else if self.frame.with_untracked(|f| f.ready) {
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
                if !self.frame.with_untracked(|f| f.ready) {
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
        self.player.with_value(|p| p.as_ref().map(|p| crate::bridge::pcap(p.current())))
    }

    pub fn keylog_json(self) -> Option<String> {
        self.player.with_value(|p| p.as_ref().map(|p| crate::bridge::keylog_json(p.current())))
    }

    /// What a node knows at the current position (keys, shares), from the simulation.
    pub fn knowledge(self, node: Node) -> Vec<crate::bridge::Known> {
        self.player.with_value(|p| {
            p.as_ref().map(|p| View(p.current()).node_knowledge(node)).unwrap_or_default()
        })
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
