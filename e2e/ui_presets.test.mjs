// Every scenario preset, played to its end through its button, must end in its one-line
// verdict. Then the screenshots for the README (docs/screenshots/): the default run, a run with
// a compromised third party, and the intruder panel. No page error or console error may occur.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openReady, verdict, fast, waitPlayedToEnd } from './ui_lib.mjs';

const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

// Preset title -> what its verdict must say (and must not say).
const EXPECTED = [
  ['Happy path', /R rebuilt the TGK; TEK derived; the sensor verified R/, /intruder/],
  ['Lossy link, n−k lost', /R rebuilt the TGK/, /cannot be rebuilt/],
  ['One share too many lost', /R holds \d+ of \d+ needed shares — the TGK cannot be rebuilt(?! yet)/, /R rebuilt/],
  ["One TP compromised (paper's RS)", /The intruder holds 1 share: \d+ of \d+ TGK bits exposed/, /the TGK is exposed/],
  ['One TP compromised (Shamir)', /The intruder holds 1 share: nothing of the TGK is exposed/, /bits exposed/],
  ['k TPs compromised', /The intruder holds \d+ shares: the TGK is exposed/, /nothing of the TGK/],
  ['Replayed message', /R rebuilt the TGK/, /In progress/],
  ['Tampered message', /R rebuilt the TGK/, /In progress/],
  ['Malicious third party', /R rebuilt the TGK/, /In progress/],
];

async function play(page, title) {
  await fast(page);
  await page.getByRole('region', { name: 'Scenarios' }).getByRole('button', { name: new RegExp(`^${title.replace(/[()]/g, '\\$&')}`) }).click();
  await waitPlayedToEnd(page);
  return verdict(page).innerText();
}

test('every preset plays to its end and ends in its verdict', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const titles = await page.getByRole('region', { name: 'Scenarios' }).getByRole('button').allInnerTexts();
    assert.equal(titles.length, EXPECTED.length, `presets on screen: ${titles.join(' | ')}`);
    for (const [title, must, mustNot] of EXPECTED) {
      const text = await play(page, title);
      assert.match(text, must, `${title}: ${text}`);
      assert.doesNotMatch(text, mustNot, `${title}: ${text}`);
    }
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
    await play(page, "One TP compromised \\(paper's RS\\)".replace(/\\/g, ''));
    await page.getByRole('group', { name: /^Network/ }).getByRole('button', { name: /^TP1, third party 1, compromised/ }).click();
    await page.screenshot({ path: path.join(SHOTS, 'compromised-tp.png') });
    await play(page, 'k TPs compromised');
    await page.getByRole('region', { name: 'Intruder' }).screenshot({ path: path.join(SHOTS, 'intruder-panel.png') });
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
