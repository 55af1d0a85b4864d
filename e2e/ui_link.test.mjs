// Links to a moment of a run: "Copy link" puts the link in the address bar (and on the
// clipboard when the page may write it); opening it in a fresh page brings back the same step
// of the same run — configuration, seed, the attacker's commands at their steps — paused, and
// the same future. A link that cannot be read says why and shows the default run. No page
// error or console error may occur.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectErrors } from './lib.mjs';
import { openReady, waitReady, verdict, stepForward, position, runToEnd } from './ui_lib.mjs';

const net = (page) => page.getByRole('group', { name: /^Network/ });
const inFlight = (page) => net(page).getByRole('button', { name: / in flight/ });

/** What the screen says at this moment. */
async function moment(page) {
  return {
    position: await position(page),
    verdict: await verdict(page).innerText(),
    events: await page.getByRole('region', { name: 'Event list' }).innerText(),
    // The guessing time is measured on each page load ("about 10^25 years on this machine"):
    // the same run, but not the same figure.
    intruder: (await page.getByRole('region', { name: 'Intruder' }).innerText())
      .replace(/(about [^,;.\n]*|under a second) on this machine/g, '… on this machine'),
    scheme: await page.getByRole('combobox', { name: 'Sharing scheme' }).inputValue(),
    seed: await page.getByRole('spinbutton', { name: 'Seed' }).inputValue(),
  };
}

async function openInNewPage(app, url) {
  const page = await app.page.context().newPage();
  const errors = collectErrors(page);
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

test('Copy link gives a link that reopens the same step of the same run, paused', async () => {
  const app = await openReady();
  try {
    const { page } = app;
    await page.getByRole('combobox', { name: 'Sharing scheme' }).selectOption({ label: 'Shamir k-of-n' });
    await page.getByRole('spinbutton', { name: 'Seed' }).fill('7');
    await page.getByRole('spinbutton', { name: 'Seed' }).press('Enter');
    await waitReady(page);
    // Commands at three different steps: compromise at 0, drop at 0, tamper at 3.
    await net(page).getByRole('button', { name: 'TP1, third party 1' }).click();
    await page.getByRole('button', { name: 'Compromise TP1' }).click();
    await inFlight(page).first().click();
    await page.getByRole('button', { name: /^Drop / }).click();
    for (let i = 0; i < 3; i++) await stepForward(page).click();
    await inFlight(page).first().click();
    await page.getByRole('button', { name: /^Tamper with / }).click();
    for (let i = 0; i < 2; i++) await stepForward(page).click();

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('status').filter({ hasText: /^Link to step 5 (copied|is in the address bar)$/ }).waitFor();
    const link = page.url();
    assert.match(link, /#v=1&mode=distributed&.*scheme=shamir.*&seed=7&cmds=0:compromise:1;0:drop:\d+;3:tamper:\d+:flip:\d+:01&step=5$/);
    const here = await moment(page);
    assert.equal(here.position, 5);

    // Reloading the page comes back to the same moment (the address holds the link).
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.deepEqual(await moment(page), here);

    const other = await openInNewPage(app, link);
    await waitReady(other.page);
    assert.deepEqual(await moment(other.page), here);
    await other.page.getByRole('button', { name: 'Play', exact: true }).waitFor(); // paused
    // The same future, too.
    await runToEnd(page);
    await runToEnd(other.page);
    assert.deepEqual(await moment(other.page), await moment(page));
    assert.deepEqual(other.errors, []);

    // A new command changes the run: the address no longer claims to link to it.
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    // (by keyboard: packets drawn over TP2 may cover it)
    await net(page).getByRole('button', { name: 'TP2, third party 2' }).press('Enter');
    await page.getByRole('button', { name: 'Compromise TP2' }).click();
    assert.ok(!page.url().includes('#'), page.url());
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('a link that cannot be read says why and shows the default run', async () => {
  const app = await openReady();
  try {
    const bad = `${app.url}#v=1&scheme=rs&cmds=1:explode:2`;
    const other = await openInNewPage(app, bad);
    await waitReady(other.page);
    const alert = other.page.getByRole('alert').filter({ hasText: 'This link cannot be opened' });
    assert.match(await alert.innerText(), /"1:explode:2": unknown command\. Showing the default run\./);
    assert.equal(await position(other.page), 0);
    assert.deepEqual(other.errors, []);
    // Pasted into the address bar of an open page that shows a preset: the same, and the
    // default run really is the default (not the preset).
    const scheme = app.page.getByRole('combobox', { name: 'Sharing scheme' });
    await app.page.getByRole('button', { name: /One TP compromised \(Shamir\)/ }).click();
    await app.page.getByRole('option', { name: 'Shamir k-of-n', selected: true }).waitFor({ state: 'attached' });
    const shamir = await scheme.inputValue();
    await app.page.evaluate(() => (location.hash = '#v=9'));
    await app.page.getByRole('alert').filter({ hasText: 'reads links of version 1' }).waitFor();
    await waitReady(app.page);
    assert.notEqual(await scheme.inputValue(), shamir);
    assert.equal(await scheme.inputValue(), await other.page.getByRole('combobox', { name: 'Sharing scheme' }).inputValue());
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
