// A monkey on the demonstrator: 2,000 random user actions from a fixed seed — any enabled
// control (buttons, drop-downs, number fields, check boxes, sliders: configuration, presets,
// the attacker's actions, the playback bar and its scrubber, Copy link, the downloads), the
// keyboard shortcuts, clicks on the network's packets, nodes and links. No page error and no
// console error may occur, and a verdict must be on screen after every action.
//
//   DMIKEY_MONKEY_SEED=1234 node --test e2e/ui_monkey.test.mjs      (another sequence)
//   DMIKEY_MONKEY_ACTIONS=500 …                                      (a shorter run)
//
// RSA-1024 is chosen first and kept (the RSA drop-down only ever picks 1024 bits), n stays
// small and seeds come from a short list, so the keys of most configurations come from the
// app's cache. On failure the test prints its seed and the last actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openReady, waitReady, verdict } from './ui_lib.mjs';

const SEED = Number(process.env.DMIKEY_MONKEY_SEED ?? 20161201);
const ACTIONS = Number(process.env.DMIKEY_MONKEY_ACTIONS ?? 2000);
/** How long one action may wait for its control to be actionable before it is skipped. */
const ACT_TIMEOUT_MS = 1500;

/** SplitMix32-style generator (mulberry32): the same seed, the same actions. */
function dice(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const KEYS = ['Space', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp', 'r', 'Tab', 'Shift+Tab', 'Enter', 'Escape', 'Home', 'End'];

/**
 * Marks every control a user could operate now with `data-monkey="i"` and describes it. A modal
 * dialog, if open, is the only place a user can act in. Also reports whether a verdict is shown.
 */
function survey() {
  for (const el of document.querySelectorAll('[data-monkey]')) el.removeAttribute('data-monkey');
  const modal = [...document.querySelectorAll('dialog[open]')].find((d) => d.matches(':modal'));
  const root = modal ?? document;
  const seen = new Set();
  const controls = [];
  const candidates = root.querySelectorAll('button, select, input, textarea, summary, [role="button"], [role="slider"], [role="tab"], [role="checkbox"], [role="switch"], [tabindex="0"]');
  for (const el of candidates) {
    if (seen.has(el)) continue;
    seen.add(el);
    if (el.closest('[inert]') || el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true') continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const shown = (box.width > 0 && box.height > 0) || el.getClientRects().length > 0;
    if (!shown || style.visibility === 'hidden' || style.display === 'none') continue;
    const i = controls.length;
    el.setAttribute('data-monkey', String(i));
    const tag = el.tagName.toLowerCase();
    const name = (el.getAttribute('aria-label') || el.labels?.[0]?.innerText || el.innerText || el.getAttribute('title') || '').trim().slice(0, 80);
    const d = { i, tag, name, type: el.getAttribute('type') ?? '' };
    if (tag === 'select') d.options = [...el.options].filter((o) => !o.disabled).map((o) => o.label || o.textContent.trim());
    if (tag === 'input') Object.assign(d, { min: el.min, max: el.max, step: el.step });
    controls.push(d);
  }
  const v = document.querySelector('[role="status"][aria-label="Verdict"]');
  const verdictShown = !!v && v.getClientRects().length > 0 && v.innerText.trim().length > 0;
  return { controls, verdictShown };
}

/** A value a user might type into a number field named `name`. */
function numberFor(d, r) {
  const n = d.name.toLowerCase();
  if (n.includes('seed')) return r.pick(['1', '2', '3', '7', '1', '']);
  if (n.includes('third parties')) return r.pick(['1', '2', '3', '4', '5', '0', '-2', '']);
  if (n.includes('threshold')) return r.pick(['1', '2', '3', '4', '6', '0', '']);
  return r.pick(['0', '1', '3', '10', '-1', '', 'abc']);
}

/** Performs one action described by `d` (or a key press when `d` is null); returns its log line. */
async function act(page, d, r) {
  if (!d) {
    const key = r.pick(KEYS);
    await page.keyboard.press(key);
    return `key ${key}`;
  }
  const el = page.locator(`[data-monkey="${d.i}"]`);
  const what = `${d.tag}${d.type ? `[${d.type}]` : ''} "${d.name}"`;
  const opts = { timeout: ACT_TIMEOUT_MS };
  if (d.tag === 'select') {
    let options = d.options;
    // Only RSA-1024: larger keys take seconds each to generate.
    if (options.some((o) => /^\d+ bits$/.test(o))) options = options.filter((o) => o === '1024 bits');
    // Slow speeds would only make the monkey wait.
    if (/^Speed/i.test(d.name) || options.some((o) => /steps?\/s$/.test(o))) options = options.filter((o) => /^(4|10) steps\/s$/.test(o));
    if (!options.length) return `${what}: no option to choose`;
    const label = r.pick(options);
    await el.selectOption({ label }, opts);
    return `${what} := ${label}`;
  }
  if (d.tag === 'input' && d.type === 'range') {
    const min = Number(d.min || 0);
    const max = Number(d.max || 100);
    const step = Number(d.step) > 0 ? Number(d.step) : 1;
    const v = min + step * r.below(Math.floor((max - min) / step) + 1);
    await el.fill(String(v), opts);
    return `${what} := ${v}`;
  }
  if (d.tag === 'input' && d.type === 'number') {
    const v = numberFor(d, r);
    await el.fill(v, opts);
    await el.press(r.chance(0.8) ? 'Enter' : 'Tab', opts);
    return `${what} := "${v}"`;
  }
  if (d.tag === 'input' && (d.type === 'text' || d.type === 'search' || d.type === '')) {
    const v = r.pick(['', 'x', '#v=1', '12']);
    await el.fill(v, opts);
    await el.press('Enter', opts);
    return `${what} := "${v}"`;
  }
  if (d.tag === 'textarea') {
    await el.fill(r.pick(['', 'hello']), opts);
    return `${what} typed`;
  }
  // Buttons, check boxes, summaries, SVG elements with role="button": click, or use the keyboard.
  if (d.tag !== 'input' && d.tag !== 'button' && d.tag !== 'summary' && r.chance(0.3)) {
    await el.focus(opts);
    const key = r.pick(['Enter', 'Space']);
    await page.keyboard.press(key);
    return `${what} ${key}`;
  }
  await el.click(opts);
  return `${what} click`;
}

test(`2,000 random user actions (seed ${SEED}): no page error, a verdict always on screen`, { timeout: 300_000 }, async () => {
  const r = dice(SEED);
  const app = await openReady();
  const { page } = app;
  const log = [];
  const counts = { acted: 0, skipped: 0, keys: 0 };
  const t0 = Date.now();
  try {
    // Small keys first; every configuration after this keeps them.
    await page.getByRole('combobox', { name: 'RSA modulus' }).or(page.getByRole('combobox', { name: /RSA/ })).first().selectOption({ label: '1024 bits' });
    await waitReady(page);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10 steps/s' });
    for (let n = 0; n < ACTIONS; n++) {
      const { controls, verdictShown } = await page.evaluate(survey);
      assert.ok(verdictShown, `no verdict on screen after action ${n}`);
      const d = r.chance(0.12) || controls.length === 0 ? null : r.pick(controls);
      try {
        log.push(`${n}: ${await act(page, d, r)}`);
        counts[d ? 'acted' : 'keys']++;
      } catch (e) {
        // The control went away or stayed busy (the page re-rendered it): a user would try
        // something else. Page errors are collected separately and fail the test.
        if (!/Timeout|not attached|detached|not an? (HTMLInputElement|select)|Element is not|intercepts pointer|outside of the viewport|Cannot type|not visible/i.test(e.message)) throw e;
        log.push(`${n}: skipped (${e.message.split('\n')[0]})`);
        counts.skipped++;
      }
      if (app.errors.length) throw new Error(`after action ${n}`);
      if (n % 100 === 99) {
        // The verdict, found the way a screen reader finds it.
        await verdict(page).waitFor({ state: 'visible', timeout: 5000 });
      }
    }
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`[monkey] seed ${SEED}: ${ACTIONS} actions in ${secs} s (${counts.acted} on controls, ${counts.keys} keys, ${counts.skipped} skipped)`);
    assert.ok(counts.skipped < ACTIONS / 4, `too many actions skipped (${counts.skipped}): the survey finds controls a user cannot use`);
    await verdict(page).waitFor({ state: 'visible', timeout: 5000 });
    app.assertNoErrors();
  } catch (e) {
    console.error(`[monkey] FAILED with seed ${SEED} (rerun: DMIKEY_MONKEY_SEED=${SEED} node --test e2e/ui_monkey.test.mjs)`);
    console.error(`[monkey] last actions:\n  ${log.slice(-25).join('\n  ')}`);
    if (app.errors.length) console.error(`[monkey] page errors:\n  ${app.errors.join('\n  ')}`);
    throw e;
  } finally {
    await app.close();
  }
});
