//! The cost view: the four MIKEY modes side by side for the configuration's n, RSA size and
//! KEMAC profile — the meters of real sessions run in this page, their 802.15.4 frames, the
//! energy model with its cited (and editable) figures, the chart against n, the battery, the
//! measured time. Every number and sentence comes from `dmikey::sim::energy`; this file runs
//! the sessions one per timer task and draws.
use std::sync::Arc;
use std::time::Duration;

use dmikey::sim::energy::chart::{self, Series, format_mj};
use dmikey::sim::energy::{
    self, Battery, CostSetup, FrameModel, MAX_N, ModeCost, ModeRun, Param, Prices, Profile,
    compare, text,
};
use dmikey::sim::{Mode, Pki, bench};
use leptos::prelude::*;

use crate::state::{AppState, PkiStatus, View};

/// What is run, and how far.
#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Keys(String),
    Running { done: usize, total: usize },
    Done,
    Failed(String),
}

/// The runs of one setup.
#[derive(Clone, Debug, Default, PartialEq)]
struct Runs {
    setup: Option<CostSetup>,
    /// PSK, PK, DH, distributed at the setup's n.
    table: Vec<ModeRun>,
    /// The distributed mode for n = 1..=MAX_N.
    chart: Vec<ModeRun>,
}

/// The browser's timing of `dmikey bench`'s default session.
#[derive(Clone, Debug, PartialEq)]
enum BenchLine {
    Idle,
    Running,
    Done { session: Duration, floor: Duration, ratio: f64, runs: usize },
    Failed(String),
}

const MODES: [Mode; 4] = [Mode::Psk, Mode::Pk, Mode::Dh, Mode::Distributed];

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

#[component]
pub fn CostView() -> impl IntoView {
    let st = expect_context::<AppState>();
    let setup = Memo::new(move |_| st.config.with(CostSetup::from_config));
    let prices = RwSignal::new(Prices::of(Profile::mote2005()));
    let per_day = RwSignal::new(24.0f64);
    let progress = RwSignal::new(Progress::Keys("Waiting for the keys…".into()));
    let runs = RwSignal::new(Runs::default());
    let pki: RwSignal<Option<Arc<Pki>>, LocalStorage> = RwSignal::new_local(None);
    let bench_line = RwSignal::new(BenchLine::Idle);
    let generation = StoredValue::new(0u64);
    let frames = FrameModel::IEEE_802_15_4;

    // A new setup while the view is open: its PKI, then its sessions, one per timer task.
    Effect::new(move |_| {
        if st.view.get() != View::Costs {
            return;
        }
        let s = setup.get();
        if runs.with_untracked(|r| r.setup == Some(s)) {
            return;
        }
        generation.update_value(|g| *g += 1);
        let gen_now = generation.get_value();
        runs.set(Runs { setup: Some(s), ..Runs::default() });
        pki.set(None);
        progress.set(Progress::Keys("Looking for the keys…".into()));
        let need = s.pki_need();
        let current = move || generation.get_value() == gen_now;
        let status = move |p: PkiStatus| {
            if !current() {
                return;
            }
            match p {
                PkiStatus::Generating { done, total, what } => {
                    progress.set(Progress::Keys(if total == 0 {
                        "Generating the comparison's keys in background workers…".into()
                    } else {
                        format!("Generating the comparison's keys: {done} of {total}. {what}")
                    }))
                }
                PkiStatus::Reading(what) => progress.set(Progress::Keys(what)),
                PkiStatus::Failed(e) => progress.set(Progress::Failed(e)),
                PkiStatus::Ready | PkiStatus::Idle => {}
            }
        };
        let ready = move |p: Arc<Pki>| {
            if current() {
                pki.set(Some(p.clone()));
                run_next(s, p, runs, progress, current);
            }
        };
        match st.pki_source().cached_need(&need) {
            Some(p) => ready(p),
            None => st.pki_source().provision_need(need, current, status, ready),
        }
    });

    let costs = Memo::new(move |_| {
        let p = prices.get();
        runs.with(|r| r.table.iter().map(|run| ModeCost::new(run, &p, &frames)).collect::<Vec<_>>())
    });
    let series = Memo::new(move |_| {
        let p = prices.get();
        runs.with(|r| {
            let sensor = |run: &ModeRun| ModeCost::new(run, &p, &frames).sensor_mj();
            let mut out: Vec<Series> = r
                .table
                .iter()
                .filter(|run| run.mode != Mode::Distributed)
                .map(|run| {
                    let e = sensor(run);
                    Series { mode: run.mode, points: (1..=MAX_N).map(|n| (n, e)).collect() }
                })
                .collect();
            if !r.chart.is_empty() {
                out.push(Series {
                    mode: Mode::Distributed,
                    points: r.chart.iter().map(|run| (run.n, sensor(run))).collect(),
                });
            }
            out
        })
    });

    let run_bench = move |_| {
        bench_line.set(BenchLine::Running);
        let need = bench::default_session().pki_need();
        let go = move |p: Arc<Pki>| {
            // Let the "Timing…" line paint before the main thread is busy.
            set_timeout(
                move || match bench::measure(&bench::default_session(), &p, 3) {
                    Ok(r) => bench_line.set(BenchLine::Done {
                        session: r.session,
                        floor: r.floor,
                        ratio: r.ratio,
                        runs: r.runs,
                    }),
                    Err(e) => bench_line.set(BenchLine::Failed(e.to_string())),
                },
                Duration::from_millis(30),
            );
        };
        let have = pki.get_untracked().filter(|p| p.covers(&need).is_ok());
        match have.or_else(|| st.pki_source().cached_need(&need)) {
            Some(p) => go(p),
            None => st.pki_source().provision_need(
                need,
                || true,
                move |s| {
                    if let PkiStatus::Failed(e) = s {
                        bench_line.set(BenchLine::Failed(e));
                    }
                },
                go,
            ),
        }
    };

    view! {
        <section class="costs" aria-label="Costs">
            <h2>"Costs of one key agreement: the four modes side by side"</h2>
            <p class="costs-setup">
                {move || {
                    let s = setup.get();
                    format!(
                        "n = {}, k = {}, {} split, RSA-{}, KEMAC {}, seed {}. Run in this page: one session \
                         each of the pre-shared-key, public-key and Diffie–Hellman modes (they do not \
                         depend on n) and the distributed mode for every n from 1 to {MAX_N}, all on one \
                         PKI of {MAX_N} third parties; the counts are their meters.",
                        s.n, s.threshold(s.n), s.scheme.name(), s.rsa_bits.bits(), s.kemac.cli_name(), s.seed
                    )
                }}
            </p>
            <p class="costs-progress" role="status" aria-label="Cost sessions">
                {move || match progress.get() {
                    Progress::Keys(t) => t,
                    Progress::Running { done, total } => format!("Running the sessions: {done} of {total}…"),
                    Progress::Done => "All sessions run.".to_string(),
                    Progress::Failed(e) => format!("The sessions could not run: {e}"),
                }}
            </p>
            <p class="model-note"><strong>"Energy is a model, not a measurement: "</strong>
                "measured counts × figures published for other hardware (source and status beside each)."</p>
            <ProfilePicker prices=prices/>
            <SensorTable costs=costs prices=prices per_day=per_day/>
            <Chart series=series/>
            <div class="mode-tables">
                {move || {
                    let bits = setup.get().rsa_bits.bits();
                    costs.get().into_iter().map(|c| view! { <ModeTable cost=c bits=bits/> }).collect_view()
                }}
            </div>
            <section class="costs-text" aria-label="What the numbers show">
                <h3>"What the numbers show, and what they do not"</h3>
                <ul>
                    {move || {
                        let c = costs.get();
                        let p = prices.get();
                        text::findings(&c)
                            .into_iter()
                            .chain(text::caveats(&p, &frames))
                            .map(|t| view! { <li><crate::glossary::Glossed text=t/></li> })
                            .collect_view()
                    }}
                </ul>
            </section>
            <Figures prices=prices/>
            <section class="bench" aria-label="Benchmark session">
                <h3>"The benchmark session in this browser"</h3>
                <p>"The session "<code>"dmikey bench"</code>" times natively (distributed, n = 5, k = 3, the paper's split, RSA-2048, seed 1), timed here: whole session and its crypto floor, median of 3 runs after a warm-up."</p>
                <button on:click=run_bench disabled=move || bench_line.get() == BenchLine::Running>
                    "Time the benchmark session"
                </button>
                <p role="status" aria-label="Benchmark result" class="bench-result">
                    {move || match bench_line.get() {
                        BenchLine::Idle => String::new(),
                        BenchLine::Running => "Timing… (the page is busy)".into(),
                        BenchLine::Done { session, floor, ratio, runs } => format!(
                            "session {} ms, crypto floor {} ms, ratio {ratio:.3} (median of {runs} runs, wasm in this browser)",
                            ms(session), ms(floor)
                        ),
                        BenchLine::Failed(e) => format!("Could not time it: {e}"),
                    }}
                </p>
            </section>
        </section>
    }
}

/// Runs the next session of the setup (table first, then the chart), one per timer task.
fn run_next(
    s: CostSetup,
    pki: Arc<Pki>,
    runs: RwSignal<Runs>,
    progress: RwSignal<Progress>,
    current: impl Fn() -> bool + Copy + 'static,
) {
    let total = MODES.len() + usize::from(MAX_N);
    set_timeout(
        move || {
            if !current() {
                return;
            }
            let (t, c) = runs.with_untracked(|r| (r.table.len(), r.chart.len()));
            progress.set(Progress::Running { done: t + c, total });
            let next = if t < MODES.len() {
                MODES.get(t).map(|m| (*m, s.n, true))
            } else if c < usize::from(MAX_N) {
                Some((Mode::Distributed, c as u8 + 1, false))
            } else {
                None
            };
            let Some((mode, n, for_table)) = next else {
                progress.set(Progress::Done);
                return;
            };
            // The table's distributed session is the chart's at the same n.
            let reuse = (!for_table && n == s.n)
                .then(|| {
                    runs.with_untracked(|r| {
                        r.table.iter().find(|x| x.mode == Mode::Distributed).cloned()
                    })
                })
                .flatten();
            match reuse.map(Ok).unwrap_or_else(|| compare::run(&s, mode, n, &pki)) {
                Ok(run) => {
                    runs.update(|r| if for_table { r.table.push(run) } else { r.chart.push(run) });
                    run_next(s, pki, runs, progress, current);
                }
                Err(e) => progress.set(Progress::Failed(e.to_string())),
            }
        },
        Duration::ZERO,
    );
}

#[component]
fn ProfilePicker(prices: RwSignal<Prices>) -> impl IntoView {
    view! {
        <label class="profile">
            "Hardware profile "
            <select on:change=move |e| {
                if let Some(p) = Profile::by_name(&event_target_value(&e)) {
                    prices.set(Prices::of(p));
                }
            }>
                {Profile::all().into_iter().map(|p| {
                    let name = p.name;
                    view! {
                        <option value=name selected=move || prices.with(|x| x.profile.name == name)>
                            {format!("{} — {}", p.name, p.title)}
                        </option>
                    }
                }).collect_view()}
            </select>
        </label>
        <p class="platform">{move || prices.with(|p| p.profile.platform)}</p>
    }
}

#[component]
fn SensorTable(
    costs: Memo<Vec<ModeCost>>,
    prices: RwSignal<Prices>,
    per_day: RwSignal<f64>,
) -> impl IntoView {
    let cell = Battery::CR2032;
    view! {
        <label class="rekey">
            "Key agreements per day "
            <input type="number" min="0" step="any" prop:value=move || per_day.get().to_string()
                on:change=move |e| {
                    if let Ok(v) = event_target_value(&e).trim().parse::<f64>()
                        && v.is_finite() && v >= 0.0 {
                        per_day.set(v);
                    }
                }/>
        </label>
        <div class="table-scroll" tabindex="0" role="region" aria-label="The sensor in each mode, scrollable">
        <table class="sensor-table" aria-label="The sensor in each mode">
            <caption>"The sensor (I) in each mode — counts measured in the sessions, energy modelled"</caption>
            <thead><tr>
                <th scope="col">"Mode"</th>
                <th scope="col">"AES blocks"</th><th scope="col">"SHA-1 compr."</th><th scope="col">"PRF calls"</th>
                <th scope="col">"RSA public"</th><th scope="col">"RSA private"</th><th scope="col">"DH exp."</th>
                <th scope="col">"Bytes sent / recv."</th><th scope="col">"Frames sent / recv."</th>
                <th scope="col">"Crypto (model)"</th><th scope="col">"Radio (model)"</th><th scope="col">"Energy (model)"</th>
                <th scope="col">"Per CR2032"</th><th scope="col">"Years"</th><th scope="col">"Crypto time here"</th>
            </tr></thead>
            <tbody>
                {move || {
                    let _ = prices.get();
                    let day = per_day.get();
                    costs.get().into_iter().filter_map(|c| {
                        let r = c.sensor()?.clone();
                        let m = &r.meter;
                        let e = r.energy.total_mj();
                        let per_cell = energy::agreements_per_battery(&cell, e);
                        let years = energy::battery_years(&cell, e, day);
                        let big = |v: f64| if v.is_finite() { format!("{v:.0}") } else { "—".into() };
                        Some(view! {
                            <tr data-mode=c.mode.name()>
                                <th scope="row">{c.mode.title()}</th>
                                <td>{m.aes_blocks.to_string()}</td><td>{m.sha1_compressions.to_string()}</td>
                                <td>{m.prf_calls.to_string()}</td><td>{m.rsa_public.to_string()}</td>
                                <td>{m.rsa_private.to_string()}</td><td>{m.dh_exp.to_string()}</td>
                                <td>{format!("{} / {}", m.bytes_sent, m.bytes_received)}</td>
                                <td>{format!("{} / {}", r.frames_sent, r.frames_received)}</td>
                                <td>{format_mj(r.energy.crypto_mj)}</td>
                                <td>{format_mj(r.energy.radio_mj)}</td>
                                <td><strong>{format_mj(e)}</strong></td>
                                <td>{big(per_cell)}</td>
                                <td>{if years.is_finite() { format!("{years:.2}") } else { "—".into() }}</td>
                                <td>{format!("{} ms", ms(r.crypto_time()))}</td>
                            </tr>
                        })
                    }).collect_view()
                }}
            </tbody>
        </table>
        </div>
        <p class="battery-note">{move || format!(
            "A CR2032 coin cell holds about {} mAh at {} V ({} J, a nominal rating); the years assume \
             {} key agreements a day and nothing else drawing on the cell.",
            cell.capacity_mah, cell.volts, cell.energy_mj() / 1000.0, per_day.get()
        )}</p>
    }
}

#[component]
fn ModeTable(cost: ModeCost, bits: usize) -> impl IntoView {
    let title = match cost.mode {
        Mode::Distributed => format!("{} — n = {}, k = {}", cost.mode.title(), cost.n, cost.k),
        m => m.title().to_string(),
    };
    let roles = cost.roles.clone();
    type Row = (&'static str, fn(&energy::RoleCost, usize) -> String);
    let rows: [Row; 14] = [
        ("AES blocks", |r, _| r.meter.aes_blocks.to_string()),
        ("SHA-1 compressions", |r, _| r.meter.sha1_compressions.to_string()),
        ("HMAC calls", |r, _| r.meter.hmac_calls.to_string()),
        ("PRF calls", |r, _| r.meter.prf_calls.to_string()),
        ("RSA public ops", |r, b| r.meter.rsa_at(b).public().to_string()),
        ("RSA private ops", |r, b| r.meter.rsa_at(b).private().to_string()),
        ("DH exponentiations", |r, _| r.meter.dh_exp.to_string()),
        ("Bytes sent", |r, _| r.meter.bytes_sent.to_string()),
        ("Bytes received", |r, _| r.meter.bytes_received.to_string()),
        ("Frames sent", |r, _| r.frames_sent.to_string()),
        ("Frames received", |r, _| r.frames_received.to_string()),
        ("Energy (model)", |r, _| format_mj(r.energy.total_mj())),
        ("of which radio", |r, _| format_mj(r.energy.radio_mj)),
        ("Crypto time here", |r, _| format!("{} ms", ms(r.crypto_time()))),
    ];
    let label = format!("{} per role", cost.mode.title());
    let region = format!("{label}, scrollable");
    view! {
        <div class="table-scroll mode-table" tabindex="0" role="region" aria-label=region>
            <table aria-label=label data-mode=cost.mode.name()>
                <caption>{title}{format!(" (RSA-{bits}; session {} ms here)", ms(cost.elapsed))}</caption>
                <thead><tr>
                    <th scope="col">"Role"</th>
                    {roles.iter().map(|r| view! { <th scope="col">{r.role.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, get)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            {roles.iter().map(|r| view! { <td>{get(r, bits)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// An SVG coordinate.
fn f(v: f64) -> String {
    format!("{v:.1}")
}

#[component]
fn Chart(series: Memo<Vec<Series>>) -> impl IntoView {
    view! {
        <figure class="cost-chart">
            {move || {
                let c = chart::layout(&series.get(), 640.0, 300.0);
                let (left, top, right, bottom) = c.plot;
                view! {
                    <svg viewBox=format!("0 0 {} {}", c.width, c.height) role="img"
                        aria-label="Chart: the sensor's modelled energy per key agreement against n, one line per mode">
                        <rect class="plot" x=f(left) y=f(top) width=f(right - left) height=f(bottom - top)/>
                        {c.y_ticks.into_iter().map(|(y, l)| view! {
                            <line class="grid" x1=f(left) x2=f(right) y1=f(y) y2=f(y)/>
                            <text class="tick" x=f(left - 4.0) y=f(y + 4.0) text-anchor="end">{l}</text>
                        }).collect_view()}
                        {c.x_ticks.into_iter().map(|(x, l)| view! {
                            <text class="tick" x=f(x) y=f(bottom + 14.0) text-anchor="middle">{l}</text>
                        }).collect_view()}
                        <text class="axis" x=f((left + right) / 2.0) y=f(bottom + 30.0) text-anchor="middle">"third parties n"</text>
                        {c.lines.into_iter().map(|l| {
                            let class = format!("line mode-{}", l.mode.name());
                            view! {
                                <g class=class data-mode=l.mode.name()>
                                    <path d=l.path/>
                                    {l.points.into_iter().map(|(x, y, t)| view! {
                                        <circle cx=f(x) cy=f(y) r="2.5"><title>{t}</title></circle>
                                    }).collect_view()}
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }
            }}
            <figcaption>
                <ul class="legend">
                    {MODES.iter().map(|m| view! {
                        <li class=format!("mode-{}", m.name())>{m.title()}</li>
                    }).collect_view()}
                </ul>
                "The sensor's energy per key agreement (model, logarithmic scale) against n. The standard modes do not depend on n."
            </figcaption>
        </figure>
    }
}

#[component]
fn Figures(prices: RwSignal<Prices>) -> impl IntoView {
    view! {
        <section class="figures" aria-label="Figures of the model">
            <h3>"The figures, with their sources (edit any value)"</h3>
            <button on:click=move |_| prices.update(|p| *p = Prices::of(p.profile.clone()))>
                "Back to the profile's figures"
            </button>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Figures, scrollable">
            <table aria-label="Figures">
                <thead><tr>
                    <th scope="col">"Operation"</th><th scope="col">"Value"</th><th scope="col">"Unit"</th>
                    <th scope="col">"Status"</th><th scope="col">"Source"</th>
                </tr></thead>
                <tbody>
                    {Param::all().into_iter().map(|param| {
                        let fig = move || prices.with(|p| p.figure(param).copied());
                        view! {
                            <tr class:edited=move || prices.with(|p| p.is_edited(param))>
                                <th scope="row">{param.title()}</th>
                                <td><input type="number" min="0" step="any" aria-label=param.title()
                                    prop:value=move || prices.with(|p| p.get(param).to_string())
                                    on:change=move |e| {
                                        if let Ok(v) = event_target_value(&e).trim().parse::<f64>() {
                                            prices.update(|p| { p.set(param, v); });
                                        }
                                    }/></td>
                                <td>{param.unit()}</td>
                                <td>{move || fig().map(|f| f.status.label()).unwrap_or_default()}</td>
                                <td class="source">{move || fig().map(|f| f.source).unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}
