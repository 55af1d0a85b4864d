// Stage mode, the presenter's notes, the layout from a phone to a projector, the export for
// slides and the offline copy:
//   * at 1280×720 on stage the network diagram covers at least half of the screen;
//   * no two text elements of the diagrams overlap (bounding boxes) at any step of the default
//     run and of every preset, on stage at 1280×720, in the normal layout at 1600×1000 with and
//     without "Large type", and at 390×844;
//   * at 390×844 the page is no wider than the screen (default run; inspector open);
//   * the notes window follows the stage through a whole run driven by clicker keys only;
//   * the network and sequence diagrams export as SVG and PNG;
//   * after a first visit, a reload with no network opens the app with Play enabled.
// The stage screenshot goes to e2e/artifacts/screenshots/, or to docs/screenshots/ with
// DMIKEY_UPDATE_SCREENSHOTS=1. No page error or console error may occur.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, waitReady, stepForward, position, download } from './ui_lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(HERE, '..', 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

/** The pairs of non-empty text elements of the two diagrams whose boxes overlap. */
function overlaps(page) {
  return page.evaluate(() => {
    const texts = [...document.querySelectorAll('.topology svg text, .timeline svg text')]
      .filter((t) => t.textContent.trim() !== '')
      .map((t) => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() }))
      .filter((t) => t.r.width > 0 && t.r.height > 0);
    const found = [];
    const e = 0.5;
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const [a, b] = [texts[i].r, texts[j].r];
        if (a.left < b.right - e && b.left < a.right - e && a.top < b.bottom - e && b.top < a.bottom - e) {
          found.push(`"${texts[i].text}" × "${texts[j].text}"`);
        }
      }
    }
    return { count: texts.length, found };
  });
}

/**
 * Checks the overlaps at the current step and at every step to the end (PageDown steps); adds
 * each step's overlapping pairs to `failures`.
 */
async function checkEveryStep(page, what, failures) {
  let steps = 0;
  let texts = 0;
  for (;;) {
    const { count, found } = await overlaps(page);
    texts = Math.max(texts, count);
    if (found.length) failures.push(`${what}, step ${await position(page)}: ${found.join(', ')}`);
    if (await stepForward(page).isDisabled()) break;
    const before = await position(page);
    await page.keyboard.press('PageDown');
    // The step moves on, or the run turns out to have ended (Step forward disabled).
    await page.waitForFunction(
      (b) => Number(document.querySelector('.controls .scrub input').value) === b + 1 || [...document.querySelectorAll('.controls button')].some((x) => x.getAttribute('aria-label') === 'Step forward' && x.disabled),
      before,
    );
    if ((await position(page)) === before) break;
    steps++;
  }
  return { steps: steps + 1, texts };
}

/** Loads a preset (auto-plays), then resets it to step 0, paused. */
async function loadPreset(page, title) {
  const escaped = title.replace(/[.*+?^$(){}|[\]\\]/g, '\\$&');
  await page.getByRole('region', { name: 'Scenarios' }).getByRole('button', { name: new RegExp(`^${escaped}`) }).click();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await waitReady(page);
  assert.equal(await position(page), 0);
}

const stageButton = (page) => page.getByRole('button', { name: 'Stage', exact: true });

async function setUp(page, width, height) {
  await page.setViewportSize({ width, height });
  // No transitions: every label is measured where it stays.
  await page.emulateMedia({ reducedMotion: 'reduce' });
}

/** Takes the focus off any button, so that Space and PageDown go to the page's shortcuts. */
const unfocus = (page) => page.locator('body').click({ position: { x: 2, y: 2 } });

// The sizes the overlap check runs at: a projector on stage, a desktop in the normal layout
// with and without "Large type", a phone.
const SIZES = [
  { name: 'stage 1280×720', width: 1280, height: 720, stage: true },
  { name: 'normal 1600×1000', width: 1600, height: 1000 },
  { name: 'Large type 1600×1000', width: 1600, height: 1000, large: true },
  { name: 'phone 390×844', width: 390, height: 844 },
];

/**
 * At `size`: the default run, then each preset, every step checked for overlapping text.
 * Returns the number of runs and steps checked.
 */
async function checkRuns(page, size) {
  // Small keys: many presets, several configurations, each needing its own keys (the drawings
  // do not depend on the key size).
  await page.getByRole('combobox', { name: /RSA/ }).selectOption({ label: '1024 bits' });
  await waitReady(page);
  const titles = (await page.getByRole('region', { name: 'Scenarios' }).getByRole('button').allInnerTexts()).map((t) => t.trim());
  assert.ok(titles.length >= 20, `presets on screen: ${titles.join(' | ')}`);
  if (size.large) await page.getByRole('button', { name: 'Large type', exact: true }).click();
  const enter = async () => {
    if (size.stage) {
      await page.keyboard.press('s');
      assert.equal(await stageButton(page).getAttribute('aria-pressed'), 'true');
    }
    await unfocus(page);
  };
  await enter();
  const failures = [];
  let steps = (await checkEveryStep(page, `${size.name}, default run`, failures)).steps;
  for (const title of titles) {
    if (size.stage) await page.keyboard.press('Escape');
    await loadPreset(page, title);
    await enter();
    steps += (await checkEveryStep(page, `${size.name}, ${title}`, failures)).steps;
  }
  assert.deepEqual(failures, [], `${size.name}: overlapping text`);
  return { runs: titles.length + 1, steps };
}

test('stage at 1280×720: the network fills half the screen and the stage fits it', { timeout: 120_000 }, () =>
  withPage(async ({ page }) => {
    await setUp(page, 1280, 720);
    await page.keyboard.press('s');
    assert.equal(await stageButton(page).getAttribute('aria-pressed'), 'true');
    assert.match(page.url(), /[#&]view=stage/, 'the stage is kept in the link');
    const share = await page.evaluate(() => {
      const r = document.querySelector('.topology svg').getBoundingClientRect();
      const w = Math.min(r.right, innerWidth) - Math.max(r.left, 0);
      const h = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
      return (Math.max(0, w) * Math.max(0, h)) / (innerWidth * innerHeight);
    });
    console.log(`[stage] network diagram covers ${(share * 100).toFixed(1)} % of the 1280×720 viewport`);
    assert.ok(share >= 0.5, `the network covers ${(share * 100).toFixed(1)} % of the screen`);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight);
    assert.ok(fits, 'the stage fits the screen without scrolling');
    // Escape leaves, and the link forgets the stage.
    await page.keyboard.press('Escape');
    assert.equal(await stageButton(page).getAttribute('aria-pressed'), 'false');
    assert.doesNotMatch(page.url(), /view=/);
    // The screenshot for the README: k-compromised at its end, on stage.
    await loadPreset(page, 'k TPs compromised');
    await stageButton(page).click();
    await unfocus(page);
    while (!(await stepForward(page).isDisabled())) await page.keyboard.press('PageDown');
    await page.screenshot({ path: path.join(SHOTS, 'stage.png') });
  }));

for (const size of SIZES) {
  test(`${size.name}: no text of the diagrams overlaps other text at any step of the default run and of every preset`, { timeout: 900_000 }, () =>
    withPage(async ({ page }) => {
      const t0 = Date.now();
      await setUp(page, size.width, size.height);
      const { runs, steps } = await checkRuns(page, size);
      console.log(`[stage] ${size.name}: no overlapping text at any of ${steps} steps of ${runs} runs (${Date.now() - t0} ms)`);
    }));
}

test('390×844: no horizontal scroll, with the default run and with the inspector open', { timeout: 180_000 }, () =>
  withPage(async (app) => {
    const { page } = app;
    await setUp(page, 390, 844);
    const width = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
    let w = await width();
    console.log(`[stage] 390×844 at step 0: scrollWidth ${w.scroll}, innerWidth ${w.inner}`);
    assert.ok(w.scroll <= w.inner, `the page is ${w.scroll - w.inner} px wider than the screen`);
    for (let i = 0; i < 4; i++) await stepForward(page).click();
    // The inspector on a message in flight, then on a role.
    await page.getByRole('button', { name: /in flight; select to attack/ }).first().click();
    await page.getByRole('region', { name: 'Inspector' }).getByRole('table').first().waitFor();
    w = await width();
    console.log(`[stage] 390×844, inspector on a message: scrollWidth ${w.scroll}, innerWidth ${w.inner}`);
    assert.ok(w.scroll <= w.inner, `with the inspector open the page is ${w.scroll - w.inner} px too wide`);
    await page.getByRole('button', { name: /^TP1, third party 1/ }).click();
    w = await width();
    assert.ok(w.scroll <= w.inner, `with the inspector on TP1 the page is ${w.scroll - w.inner} px too wide`);
    // The rest of the run.
    while (!(await stepForward(page).isDisabled())) await stepForward(page).click();
    w = await width();
    console.log(`[stage] 390×844 at the end of the run: scrollWidth ${w.scroll}, innerWidth ${w.inner}`);
    assert.ok(w.scroll <= w.inner, `at the end of the run the page is ${w.scroll - w.inner} px too wide`);
    assert.ok(await page.getByRole('button', { name: 'Large type', exact: true }).isVisible());
  }));

test('the notes window follows the stage through a whole run, by clicker keys only', { timeout: 240_000 }, () =>
  withPage(async (app) => {
    const { page } = app;
    const notes = await page.context().newPage();
    await setUp(page, 1280, 720);
    await notes.goto(`${app.url}#view=notes`);
    const now = notes.getByRole('region', { name: 'Now' });
    await now.waitFor();
    assert.match(await notes.getByRole('region', { name: 'Speaker notes' }).innerText(), /sensor/);
    await page.bringToFront();
    await page.locator('body').click({ position: { x: 2, y: 400 } });
    await page.keyboard.press('s');
    let steps = 0;
    for (;;) {
      const at = await position(page);
      await notes.waitForFunction((n) => document.querySelector('.now')?.textContent.startsWith(`Step ${n}`), at);
      const next = await notes.locator('.next').innerText();
      if (next === 'The run is over.') {
        // The last step: one more PageDown finds the end, and nothing moves.
        await page.keyboard.press('PageDown');
        await stepForward(page).and(page.locator(':disabled')).waitFor();
        assert.equal(await position(page), at);
        break;
      }
      assert.match(next, new RegExp(`^Step ${at + 1}[:.]`), `the next step is announced at step ${at}`);
      await page.keyboard.press('PageDown');
      steps++;
    }
    // PageUp steps back, B blanks and unblanks, Space plays.
    await page.keyboard.press('PageUp');
    const back = await position(page);
    await notes.waitForFunction((n) => document.querySelector('.now')?.textContent.startsWith(`Step ${n}`), back);
    await page.keyboard.press('b');
    assert.ok(await page.locator('.blank').isVisible(), 'B blanks the screen');
    await page.keyboard.press('b');
    assert.equal(await page.locator('.blank').count(), 0);
    await page.keyboard.press(' ');
    await notes.waitForFunction((n) => document.querySelector('.now')?.textContent.startsWith(`Step ${n}`), back + 1);
    assert.match(await notes.getByRole('region', { name: 'Verdict' }).innerText(), /TGK/);
    console.log(`[stage] the notes window followed ${steps} PageDown steps, a PageUp and Space`);
  }));

test('export: the network and the sequence diagram as SVG and PNG', { timeout: 120_000 }, () =>
  withPage(async (app) => {
    const { page } = app;
    for (let i = 0; i < 5; i++) await stepForward(page).click();
    const get = async (name) => {
      if (!(await page.locator('details.export').evaluate((d) => d.open))) await page.locator('.export summary').click();
      const { name: file, bytes } = await download(page, name);
      return { file, bytes };
    };
    for (const which of ['network', 'sequence']) {
      const svg = await get(`Export ${which} diagram as SVG`);
      assert.match(svg.file, new RegExp(`^dmikey-${which}-step-5\\.svg$`));
      const text = svg.bytes.toString('utf8');
      assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(text, /TP1/);
      assert.match(text, /<style>/);
      const png = await get(`Export ${which} diagram as PNG`);
      assert.match(png.file, new RegExp(`^dmikey-${which}-step-5\\.png$`));
      assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
      console.log(`[stage] export ${which}: SVG ${svg.bytes.length} B, PNG ${png.bytes.length} B`);
    }
  }));

test('offline: after a first visit a reload with no network opens the app with Play enabled', { timeout: 180_000 }, () =>
  withPage(async (app) => {
    const { page } = app;
    const cached = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      // The install has cached the page's files once the worker is active.
      const names = await caches.keys();
      const app = names.find((n) => n.startsWith('dmikey-app-'));
      const keys = app ? await (await caches.open(app)).keys() : [];
      return { active: !!reg.active, files: keys.map((k) => new URL(k.url).pathname) };
    });
    console.log(`[stage] service worker active: ${cached.active}; cached ${cached.files.join(', ')}`);
    assert.ok(cached.files.some((f) => f.endsWith('.wasm')), 'the wasm is cached');
    await page.context().setOffline(true);
    app.errors.length = 0;
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.match(await page.getByRole('status', { name: 'Verdict' }).innerText(), /In progress/);
    await stepForward(page).click();
    assert.equal(await position(page), 1, 'the offline copy runs');
    await page.context().setOffline(false);
  }));
