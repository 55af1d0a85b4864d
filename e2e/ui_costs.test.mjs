// The cost view: reached from the header's "Costs" button and from `view=costs` in the address;
// the sensor's row for each of the four modes (counts of the sessions run in the page), the
// chart with one line per mode, the figures with their sources. Then the benchmark session
// that `dmikey bench` times natively, timed in this browser: both times and their ratio are
// printed. DMIKEY_UPDATE_SCREENSHOTS=1 writes docs/screenshots/costs.png (chart + table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openApp } from './lib.mjs';
import { openReady } from './ui_lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

const costs = (page) => page.getByRole('region', { name: 'Costs', exact: true });
const sensorTable = (page) => page.getByRole('table', { name: 'The sensor in each mode' });

async function waitAllRun(page) {
  await page.getByRole('status', { name: 'Cost sessions' }).filter({ hasText: 'All sessions run.' }).waitFor({ timeout: 240_000 });
}

const MODES = [
  ['psk', 'Pre-shared key'],
  ['pk', 'Public key'],
  ['dh', 'Diffie–Hellman'],
  ['distributed', 'Distributed'],
];

/** The cells of the sensor's row of `mode`, as text. */
async function sensorRow(page, mode) {
  const row = sensorTable(page).locator(`tr[data-mode="${mode}"]`);
  await row.waitFor();
  return row.locator('th, td').allInnerTexts();
}

test('the cost view shows the sensor in every mode and the chart', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await page.getByRole('button', { name: 'Costs', exact: true }).click();
    assert.match(page.url(), /view=costs/);
    await waitAllRun(page);
    const head = await sensorTable(page).locator('thead th').allInnerTexts();
    const col = (name) => head.findIndex((h) => h.trim() === name);
    const rows = {};
    for (const [mode, title] of MODES) {
      const cells = await sensorRow(page, mode);
      console.log(`[costs] sensor, ${mode}: ${cells.join(' | ')}`);
      assert.ok(cells[0].startsWith(title), `${mode}: ${cells[0]}`);
      rows[mode] = cells;
    }
    const num = (mode, name) => Number(rows[mode][col(name)]);
    // The sensor does no public-key operation in the PSK and distributed modes, some in PK and DH.
    for (const mode of ['psk', 'distributed']) {
      assert.equal(num(mode, 'RSA public') + num(mode, 'RSA private') + num(mode, 'DH exp.'), 0, mode);
    }
    assert.ok(num('pk', 'RSA private') > 0 && num('pk', 'RSA public') > 0);
    assert.equal(num('dh', 'DH exp.'), 2);
    assert.ok(num('distributed', 'AES blocks') > num('psk', 'AES blocks'));
    // Every energy is labelled a model.
    assert.match(await costs(page).innerText(), /Energy is a model, not a measurement/);
    // The chart: one line per mode, 16 points each.
    const chart = page.getByRole('img', { name: /sensor's modelled energy per key agreement against n/ });
    for (const [mode] of MODES) {
      const g = chart.locator(`g[data-mode="${mode}"]`);
      assert.equal(await g.locator('path').count(), 1, mode);
      assert.equal(await g.locator('circle').count(), 16, mode);
    }
    // The figures with their sources; editing one changes the energy (and marks it).
    const figures = page.getByRole('table', { name: 'Figures' });
    assert.match(await figures.innerText(), /Wander et al\. 2005/);
    const before = rows.pk[col('Energy (model)')];
    await figures.getByRole('spinbutton', { name: 'RSA-2048 sign (private key)' }).fill('0');
    await figures.getByRole('spinbutton', { name: 'RSA-2048 sign (private key)' }).press('Enter');
    await page.keyboard.press('Tab');
    const after = (await sensorRow(page, 'pk'))[col('Energy (model)')];
    assert.notEqual(after, before, 'the edited figure changes the PK sensor energy');
    await page.getByRole('button', { name: "Back to the profile's figures" }).click();
    assert.equal((await sensorRow(page, 'pk'))[col('Energy (model)')], before);
    // The other profile.
    await costs(page).getByRole('combobox', { name: /Hardware profile/ }).selectOption('modern-mcu');
    assert.match(await figures.innerText(), /wolfSSL/);
    await costs(page).getByRole('combobox', { name: /Hardware profile/ }).selectOption('mote2005');
    // The README's picture: the sensor table and the chart.
    await page.evaluate(() => window.scrollTo(0, 0));
    const top = await costs(page).boundingBox();
    const fig = await page.locator('figure.cost-chart').boundingBox();
    const file = path.join(SHOTS, 'costs.png');
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: top.x, y: top.y, width: top.width, height: fig.y + fig.height - top.y + 8 },
    });
    console.log(`[costs] screenshot ${file}`);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('view=costs in the address opens the cost view', async () => {
  const app = await openApp();
  const { page } = app;
  try {
    await page.goto(`${app.url}#view=costs`, { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await costs(page).waitFor({ timeout: 60_000 });
    await waitAllRun(page);
    // The reload aborts the first page's requests still in flight (its workers' scripts).
    const kept = app.errors.filter((e) => !e.includes('net::ERR_ABORTED'));
    app.errors.splice(0, app.errors.length, ...kept);
    assert.ok((await sensorRow(page, 'distributed'))[0].startsWith('Distributed'));
    assert.equal(await page.getByRole('button', { name: 'Costs', exact: true }).getAttribute('aria-pressed'), 'true');
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

/** The native `dmikey bench` of the same session (release build; built if missing). */
function nativeBench() {
  const bin = path.join(ROOT, 'target', 'release', 'dmikey');
  if (!fs.existsSync(bin)) {
    execFileSync('cargo', ['build', '--release', '--offline', '--locked', '-p', 'dmikey', '--bin', 'dmikey'], { cwd: ROOT, stdio: 'inherit' });
  }
  const out = execFileSync(bin, ['bench', '--tps', '5', '--rsa', '2048', '--runs', '3'], { encoding: 'utf8' });
  const grab = (re) => Number(out.match(re)?.[1]);
  return { session: grab(/session time \(median of \d+\):\s+([\d.]+) ms/), floor: grab(/crypto floor \(median of \d+\):\s+([\d.]+) ms/) };
}

test('the benchmark session in the browser against dmikey bench', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await page.getByRole('button', { name: 'Costs', exact: true }).click();
    await page.getByRole('button', { name: 'Time the benchmark session' }).click();
    const result = page.getByRole('status', { name: 'Benchmark result' });
    await result.filter({ hasText: /session [\d.]+ ms/ }).waitFor({ timeout: 240_000 });
    const text = await result.innerText();
    const wasm = Number(text.match(/session ([\d.]+) ms/)[1]);
    const wasmFloor = Number(text.match(/crypto floor ([\d.]+) ms/)[1]);
    const native = nativeBench();
    console.log(
      `[costs] bench session (distributed, n = 5, k = 3, rs, RSA-2048, seed 1): browser (wasm) ${wasm} ms ` +
        `(floor ${wasmFloor} ms), native ${native.session} ms (floor ${native.floor} ms), ` +
        `browser / native = ${(wasm / native.session).toFixed(2)}`,
    );
    assert.ok(wasm > 0 && native.session > 0);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
