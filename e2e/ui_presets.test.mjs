// Every scenario preset, played to its end through its button, must end in its one-line
// verdict. Then the screenshots for the README: the default run, a run with a compromised third
// party, and the intruder panel. No page error or console error may occur.
// The screenshots go to e2e/artifacts/screenshots/ (git-ignored), so a test run never dirties the
// tree; DMIKEY_UPDATE_SCREENSHOTS=1 writes them to docs/screenshots/ to refresh the README's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openReady, waitReady, verdict, fast, waitPlayedToEnd } from './ui_lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(HERE, '..', 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

const scenarios = (page) => page.getByRole('region', { name: 'Scenarios' });

async function play(page, title) {
  await fast(page);
  const escaped = title.replace(/[.*+?^$(){}|[\]\\]/g, '\\$&');
  await scenarios(page).getByRole('button', { name: new RegExp('^' + escaped) }).click();
  await waitPlayedToEnd(page);
  return verdict(page).innerText();
}

// The expected verdict of each preset is the protocol's own (`dmikey::sim::scenario`), shown
// under the list as "Expected: …"; the live verdict must say exactly that sentence, and the
// UI must say the preset reached it.
test('every preset plays to its end and ends in its verdict', { timeout: 1_800_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    // Small keys: twenty presets, several configurations, each needing its own keys.
    await page.getByRole('combobox', { name: /RSA/ }).selectOption({ label: '1024 bits' });
    await waitReady(page);
    const titles = await scenarios(page).getByRole('button').allInnerTexts();
    assert.ok(titles.length >= 20, `presets on screen: ${titles.join(' | ')}`);
    // Grouped: the paper's design, attacks on the third parties, on the wire, the baselines.
    const groups = await scenarios(page).getByRole('heading', { level: 3 }).allInnerTexts();
    console.log(`[preset] groups: ${groups.join(' | ')}`);
    assert.ok(groups.length >= 4, `groups: ${groups.join(' | ')}`);
    for (const id of ['Happy path', 'k colluding', 'Forged R_I', 'KCV brute force', 'Standard DH']) {
      assert.ok(titles.some((t) => t.trim().startsWith(id)), `no preset titled ${id}…`);
    }
    const seen = new Set();
    for (const title of titles) {
      const t0 = Date.now();
      await play(page, title.trim());
      const expected = (await scenarios(page).getByRole('note', { name: 'Expected verdict' }).innerText()).trim();
      const live = (await verdict(page).locator('.sentence').innerText()).trim();
      console.log(`[preset] ${title.trim()} (${Date.now() - t0} ms): ${live}`);
      assert.ok(expected.length > 0, `${title}: no expected verdict shown`);
      assert.equal(live, expected, `${title}: the verdict is not the expected one`);
      assert.match(await scenarios(page).getByRole('status', { name: 'Preset check' }).innerText(), /✓ reached/);
      assert.doesNotMatch(await verdict(page).innerText(), /In progress/, `${title}: the run is not over`);
      seen.add(live);
    }
    // The presets tell different stories: success, failure, partial and full exposure.
    assert.ok(seen.size >= 4, `only ${seen.size} distinct verdicts: ${[...seen].join(' | ')}`);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('screenshots for the README', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await play(page, 'Happy path');
    await page.screenshot({ path: path.join(SHOTS, 'default-run.png') });
    await play(page, "One TP compromised (paper's RS)");
    await page.getByRole('group', { name: /^Network/ }).getByRole('button', { name: /^TP1, third party 1, compromised/ }).click();
    await page.screenshot({ path: path.join(SHOTS, 'compromised-tp.png') });
    await play(page, 'k TPs compromised');
    await page.getByRole('region', { name: 'Intruder' }).screenshot({ path: path.join(SHOTS, 'intruder-panel.png') });
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
