// The intruder acts, in the page: its knowledge with provenance, the compose form, and the
// injection of forged messages — each through the controls a user operates, found by role and
// accessible name. Forged TPi_R messages signed with three stolen TP keys make R take the
// intruder's TGK; a forgery made without the needed key is rejected by its receiver with a
// named error; with both DH signing keys stolen the intruder composes both DH messages (a
// field picked from a captured message's fact) and sits in the middle, the pcapng marking the
// forgeries; and kcv-brute-force finds the TGK in the page (the search is timed with
// performance.now() and printed). No page error or console error may occur.
// DMIKEY_UPDATE_SCREENSHOTS=1 writes the compose form's screenshot to docs/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp } from './lib.mjs';
import { openReady, waitReady, verdict, runToEnd, stepForward, fast, waitPlayedToEnd } from './ui_lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(HERE, '..', 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

const net = (page) => page.getByRole('group', { name: /^Network/ });
const timeline = (page) => page.getByRole('group', { name: /Sequence timeline/ });
const intruder = (page) => page.getByRole('region', { name: 'Intruder' });
const compose = (page) => page.getByRole('form', { name: 'Compose and inject' });

/** The TGK the intruder chooses, typed into the form. */
const CHOSEN_TGK = '00112233445566778899aabbccddeeff';

/** Opens a run from a link (configuration, no commands), paused at step 0. */
async function openRun(fragment) {
  const app = await openApp();
  await goToRun(app, fragment);
  return app;
}

/** Opens a link in the open page (the page reads it on `hashchange`) and waits for its run. */
async function goToRun(app, fragment) {
  const { page } = app;
  await page.goto(`${app.url}#${fragment}`);
  // The link asks for RSA-1024: once the configuration shows it, the run is the link's.
  await page.waitForFunction(() => [...document.querySelectorAll('select option:checked')].some((o) => o.textContent.trim() === '1024 bits'));
  await waitReady(page);
}

async function compromise(page, tp) {
  await net(page).getByRole('button', { name: new RegExp(`^TP${tp}, third party ${tp}`) }).click();
  await page.getByRole('button', { name: `Compromise TP${tp}` }).click();
  await net(page).getByRole('button', { name: `TP${tp}, third party ${tp}, compromised` }).waitFor();
}

/** Fills the compose form: kind (grammar name), claimed sender, receiver, typed fields. */
async function composeMessage(page, { kind, from, to, typed = {} }) {
  const form = compose(page);
  await form.getByRole('combobox', { name: 'Message kind' }).selectOption(kind);
  await form.getByRole('combobox', { name: 'Claimed sender' }).selectOption(from);
  await form.getByRole('combobox', { name: 'Receiver' }).selectOption(to);
  for (const [label, value] of Object.entries(typed)) {
    await form.getByRole('combobox', { name: `${label}: value from` }).selectOption('typed');
    await form.getByRole('textbox', { name: new RegExp(`^${label}: typed`) }).fill(value);
  }
  return form;
}

async function protections(form) {
  return (await form.getByRole('list', { name: 'Protections' }).innerText()).trim();
}

test('forged TPi_R from three stolen TP keys: R accepts the TGK the intruder chose', { timeout: 300_000 }, async () => {
  const app = await openRun('v=1&mode=distributed&n=5&k=3&scheme=rs&rsa=1024&seed=1');
  const { page } = app;
  try {
    for (const tp of [1, 2, 3]) await compromise(page, tp);
    // The knowledge panel lists the stolen keys with how they were obtained.
    const facts = await intruder(page).getByRole('list', { name: /What it holds/ }).innerText();
    assert.match(facts, /TP1/);
    assert.match(facts, /TP3/);
    for (const tp of [1, 2, 3]) {
      const form = await composeMessage(page, { kind: 'TP_R', from: `TP${tp}`, to: 'R', typed: { TGK: CHOSEN_TGK } });
      const prot = await protections(form);
      console.log(`[forge] TP${tp}_R protections: ${prot.replace(/\n/g, ' | ')}`);
      assert.doesNotMatch(prot, /garbage/, `TP${tp}_R: the intruder holds TP${tp}'s keys, nothing should be garbage`);
      assert.equal((await form.getByRole('status', { name: 'Compose check' }).innerText()).trim(), '');
      await form.getByRole('button', { name: 'Inject' }).click();
      await timeline(page).getByRole('button', { name: new RegExp(`^TP${tp}_R \\(forged\\): TP${tp} to R`) }).waitFor();
    }
    // Forged packets are marked in the drawing.
    assert.ok((await page.locator('.timeline .arrow.forged').count()) >= 3, 'forged arrows carry the class "forged"');
    // The sticky header would cover the form in an element screenshot.
    await page.addStyleTag({ content: 'header.top { position: static !important; }' });
    await compose(page).screenshot({ path: path.join(SHOTS, 'compose-form.png') });
    await runToEnd(page);
    for (const tp of [1, 2, 3]) {
      await timeline(page).getByRole('button', { name: new RegExp(`^TP${tp}_R \\(forged\\): TP${tp} to R, delivered`) }).waitFor();
    }
    // R holds the intruder's TGK.
    await net(page).getByRole('button', { name: /^R, the server/ }).click();
    const inspector = await page.getByRole('region', { name: 'Inspector' }).innerText();
    const spaced = CHOSEN_TGK.match(/../g).join(' ');
    assert.match(inspector, new RegExp(`TGK[^\\n]*\\n?[^\\n]*${spaced}`), `R's TGK is not the one the intruder chose:\n${inspector}`);
    console.log(`[forge] verdict: ${await verdict(page).innerText()}`);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('a forgery without the needed key is rejected by its receiver, which names what failed', { timeout: 300_000 }, async () => {
  const app = await openRun('v=1&mode=distributed&n=3&k=2&scheme=rs&rsa=1024&seed=1');
  const { page } = app;
  try {
    // TP2 is not compromised: the intruder has no RSA key of TP2 to sign with. It waits until
    // it has captured TP2's certificate (public, in TP2's own TP2_R), so the signature is the
    // only thing it cannot make.
    let form;
    let prot = '';
    for (let i = 0; i < 40; i++) {
      form = await composeMessage(page, { kind: 'TP_R', from: 'TP2', to: 'R', typed: { TGK: CHOSEN_TGK } });
      prot = await protections(form);
      if (/✔ CERT of TP2/.test(prot)) break;
      await stepForward(page).click();
    }
    // A CSB ID of its own, so R's replay cache (per certificate, CSB ID and timestamp) does
    // not take it for the honest TP2_R: the signature check is what refuses it.
    form = await composeMessage(page, { kind: 'TP_R', from: 'TP2', to: 'R', typed: { TGK: CHOSEN_TGK, 'CSB ID': '1' } });
    prot = await protections(form);
    console.log(`[forge] unkeyed TP2_R protections: ${prot.replace(/\n/g, ' | ')}`);
    assert.match(prot, /✔ CERT of TP2/);
    assert.match(prot, /SIGN: garbage — the intruder does not hold the RSA private key of TP2/);
    await form.getByRole('button', { name: 'Inject' }).click();
    await runToEnd(page);
    const arrow = timeline(page).getByRole('button', { name: /^TP2_R \(forged\): TP2 to R, rejected: / });
    await arrow.waitFor();
    const name = await arrow.getAttribute('aria-label');
    const error = name.replace(/^.*rejected: /, '').replace(/; jump to step \d+$/, '');
    console.log(`[forge] R rejected the forgery: ${error}`);
    assert.match(error, /signature by TP2 does not verify/, 'the error names the signature check and the signer');
    // The honest run is unharmed.
    assert.match(await verdict(page).innerText(), /R rebuilt the TGK/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('signed DH with both signing keys stolen: composed in the page, the intruder sits in the middle', { timeout: 300_000 }, async () => {
  // The link steals both RSA keys and drops the two genuine DH messages at step 0; the two
  // forgeries are composed in the form, one field picked from a captured message's fact.
  const arm = (label) => `0:arm:${encodeURIComponent(label)}:drop`;
  const cmds = ['0:steal:I', '0:steal:R', arm('I_MESSAGE (DH)'), arm('R_MESSAGE (DH)')].join(';');
  const app = await openRun(`v=1&mode=dh&rsa=1024&seed=1&cmds=${cmds}`);
  const { page } = app;
  try {
    let form = await composeMessage(page, { kind: 'DH_I', from: 'I', to: 'R' });
    let prot = await protections(form);
    console.log(`[forge] DH_I protections: ${prot.replace(/\n/g, ' | ')}`);
    assert.match(prot, /✔ SIGN: computed with the RSA private key of the sensor/);
    await form.getByRole('button', { name: 'Inject' }).click();
    await timeline(page).getByRole('button', { name: /^I_MESSAGE \(DH\) \(forged\): I to R/ }).waitFor();
    form = await composeMessage(page, { kind: 'DH_R', from: 'R', to: 'I' });
    // The CSB ID read from the captured I_MESSAGE: a fact, offered with its value and provenance.
    await form.getByRole('combobox', { name: 'CSB ID: value from' }).selectOption('fact');
    const facts = form.getByRole('combobox', { name: 'CSB ID: fact' });
    const option = facts.locator('option', { hasText: 'CSB ID of I_MESSAGE (DH) =' }).first();
    const value = await option.getAttribute('value');
    console.log(`[forge] CSB ID picked from: ${(await option.innerText()).trim()} (${await option.getAttribute('title')})`);
    await facts.selectOption(value);
    const text = await form.locator('.spec-text code').innerText();
    assert.match(text, new RegExp(`^DH_R R>I csb=fact:${value}$`), text);
    prot = await protections(form);
    assert.match(prot, /✔ SIGN: computed with the RSA private key of R/);
    assert.equal((await form.getByRole('status', { name: 'Compose check' }).innerText()).trim(), '');
    await form.getByRole('button', { name: 'Inject' }).click();
    await runToEnd(page);
    for (const label of ['I_MESSAGE \\(DH\\) \\(forged\\): I to R', 'R_MESSAGE \\(DH\\) \\(forged\\): R to I']) {
      await timeline(page).getByRole('button', { name: new RegExp(`^${label}, delivered`) }).waitFor();
    }
    const v = await verdict(page).innerText();
    console.log(`[forge] DH verdict: ${v}`);
    assert.match(v, /R was fooled/);
    assert.match(v, /a man in the middle/);
    // The capture as pcapng: the two forgeries carry the comment.
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      intruder(page).getByRole('button', { name: 'Download pcapng (forgeries marked)', exact: true }).click(),
    ]);
    const bytes = fs.readFileSync(await dl.path());
    assert.equal(bytes.subarray(0, 4).toString('hex'), '0a0d0d0a', 'a pcapng section header');
    assert.equal(bytes.toString('latin1').split('forged by the intruder').length - 1, 2);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('kcv-brute-force finds the TGK in the page', { timeout: 600_000 }, async () => {
  // The preset, played to its end through its button.
  const app = await openReady();
  const { page } = app;
  try {
    await page.getByRole('combobox', { name: /RSA/ }).selectOption({ label: '1024 bits' });
    await waitReady(page);
    await fast(page);
    const t0 = Date.now();
    await page.getByRole('region', { name: 'Scenarios' }).getByRole('button', { name: /^KCV brute force/ }).click();
    await waitPlayedToEnd(page, 300_000);
    console.log(`[kcv] preset played to its end in ${Date.now() - t0} ms (keys, steps and the search)`);
    const expected = (await page.getByRole('note', { name: 'Expected verdict' }).innerText()).trim();
    assert.equal((await verdict(page).locator('.sentence').innerText()).trim(), expected);
    assert.match(await intruder(page).locator('.exposure').innerText(), /TGK rebuilt/);
    const search = await intruder(page).getByRole('status', { name: 'KCV search' }).innerText();
    console.log(`[kcv] ${search}`);
    assert.match(search, /the TGK found/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('the KCV search asked for by a click finds the TGK, timed in the page', { timeout: 600_000 }, async () => {
  // The preset's run without its search: n = k = 8, TP1 to TP7 compromised at the start.
  const app = await openApp();
  const { page } = app;
  try {
    const cmds = [1, 2, 3, 4, 5, 6, 7].map((tp) => `0:compromise:${tp}`).join(';');
    await goToRun(app, `v=1&mode=distributed&n=8&k=8&scheme=rs&rsa=1024&seed=1&cmds=${cmds}`);
    await runToEnd(page);
    // Before the search: 16 bits left to guess, the TGK not held.
    assert.match(await intruder(page).locator('.exposure').innerText(), /TGK bits exposed: 112 of 128/);
    const ask = intruder(page).getByRole('button', { name: /^Search the 16 missing bits against the public KCV/ });
    await ask.click();
    const status = intruder(page).getByRole('status', { name: 'KCV search' });
    await status.waitFor();
    const ms = await page.evaluate(() => {
      const start = performance.getEntriesByName('dmikey-kcv-search-start').at(-1);
      const end = performance.getEntriesByName('dmikey-kcv-search-end').at(-1);
      return end.startTime - start.startTime;
    });
    const text = await status.innerText();
    console.log(`[kcv] in-page search: ${ms.toFixed(1)} ms (performance.now()); ${text}`);
    assert.match(text, /the TGK found/);
    assert.match(await intruder(page).locator('.exposure').innerText(), /TGK rebuilt/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
