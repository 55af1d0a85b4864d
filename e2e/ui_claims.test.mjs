// The claims view: the header's "Claims" button opens it and writes view=claims into the
// address; it lists the paper's seven §4.1 properties and the §4.2 AVISPA result, each with
// its verdict and links to the presets that show it, and the AVISPA paragraph; a link opens
// its preset in the run view, which plays to its verdict. An address with view=claims opens
// the view directly. No serious or critical accessibility violation (axe-core) on the view,
// and no page error or console error may occur.
// DMIKEY_UPDATE_SCREENSHOTS=1 writes the view's screenshot to docs/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { openApp } from './lib.mjs';
import { openReady, waitReady, verdict, fast, waitPlayedToEnd } from './ui_lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(HERE, '..', 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const claimsView = (page) => page.getByRole('region', { name: "The paper's claims, run" });
const claimsButton = (page) => page.getByRole('banner').getByRole('button', { name: 'Claims', exact: true });

test('the claims view lists the eight claims with verdicts, and a link opens its preset', { timeout: 300_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await page.getByRole('combobox', { name: /RSA/ }).selectOption({ label: '1024 bits' });
    await waitReady(page);
    await claimsButton(page).click();
    const view = claimsView(page);
    await view.waitFor();
    assert.equal(await claimsButton(page).getAttribute('aria-pressed'), 'true');
    assert.match(page.url(), /view=claims/);
    // The run's panels are out of the way.
    assert.equal(await page.getByRole('region', { name: 'Intruder' }).isVisible(), false);

    const articles = view.getByRole('article');
    assert.equal(await articles.count(), 8, 'seven properties of §4.1 and the §4.2 result');
    const names = await view.getByRole('heading', { level: 3 }).allInnerTexts();
    for (const p of ['Confidentiality', 'Authentication and integrity', 'Distribution', 'Overhead', 'Resilience', 'Extensibility and scalability', 'Storage']) {
      assert.ok(names.some((n) => n.trim() === p), `no claim named ${p}: ${names.join(' | ')}`);
    }
    for (let i = 0; i < 8; i++) {
      const a = articles.nth(i);
      const text = await a.innerText();
      assert.match(text, /Here: (demonstrated|refuted|holds only with a condition|not demonstrable in a simulation)/, text);
      assert.ok((await a.getByRole('link').count()) >= 1, `a claim without a preset link:\n${text}`);
      console.log(`[claims] ${text.split('\n')[0]}: ${text.match(/Here: ([^\n]+)/)[1]}`);
    }
    assert.match(await view.innerText(), /AVISPA[\s\S]*atomic/);
    await page.screenshot({ path: path.join(SHOTS, 'claims-view.png'), fullPage: true });

    // axe on the view.
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, html: v.nodes.slice(0, 2).map((x) => x.html) })));
    for (const v of violations) console.log(`[axe] claims view: ${v.impact} ${v.id} on ${v.n}: ${v.html.join(' ')}`);
    assert.equal(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').length, 0);

    // A link opens its preset, which plays to its verdict.
    const resilience = articles.filter({ has: page.getByRole('heading', { name: 'Resilience' }) });
    await resilience.getByRole('link', { name: 'k TPs compromised' }).click();
    await claimsView(page).waitFor({ state: 'detached' });
    assert.doesNotMatch(page.url(), /view=claims/);
    const scenarios = page.getByRole('region', { name: 'Scenarios' });
    await scenarios.getByRole('button', { name: 'k TPs compromised', pressed: true }).waitFor();
    await fast(page);
    await waitPlayedToEnd(page);
    const expected = (await scenarios.getByRole('note', { name: 'Expected verdict' }).innerText()).trim();
    assert.equal((await verdict(page).locator('.sentence').innerText()).trim(), expected);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('an address with view=claims opens the claims view', { timeout: 120_000 }, async () => {
  const app = await openApp();
  const { page } = app;
  try {
    // A fresh page on an address that names the view.
    const fresh = await page.context().newPage();
    const errors = [];
    fresh.on('pageerror', (e) => errors.push(e.message));
    await fresh.goto(`${app.url}#view=claims`);
    await claimsView(fresh).waitFor();
    assert.equal(await claimsButton(fresh).getAttribute('aria-pressed'), 'true');
    await fresh.close();
    assert.deepEqual(errors, []);
    // And the hash changed in an open page.
    await page.goto(`${app.url}#view=claims`);
    await claimsView(page).waitFor();
    assert.equal(await claimsButton(page).getAttribute('aria-pressed'), 'true');
    await claimsView(page).getByRole('button', { name: 'Back to the run' }).click();
    await claimsView(page).waitFor({ state: 'detached' });
    assert.doesNotMatch(page.url(), /view=claims/);
    await waitReady(page);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
