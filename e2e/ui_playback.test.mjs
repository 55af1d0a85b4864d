// Playback controls of the demonstrator: Play/Pause, Step, Step back, Reset, speed, the
// scrubber, the timeline arrows, the keyboard (Space, → / ←, R), the aria-live narration and
// the large-type toggle. No page error or console error may occur.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openReady, verdict, stepForward, stepBack, scrubber, position, runToEnd, fast, waitPlayedToEnd } from './ui_lib.mjs';

test('step, step back, scrub, reset and the narration', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    assert.equal(await position(page), 0);
    await stepForward(page).click();
    assert.equal(await position(page), 1);
    const live = page.locator('p.narration[aria-live="polite"]');
    assert.match(await live.innerText(), /^Step 1: /, 'each step is announced');
    await stepForward(page).click();
    await stepForward(page).click();
    assert.equal(await position(page), 3);
    await stepBack(page).click();
    assert.equal(await position(page), 2);
    await scrubber(page).fill('1');
    assert.equal(await position(page), 1);
    await scrubber(page).fill('3');
    assert.equal(await position(page), 3);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor();
    assert.equal(await position(page), 0);
    assert.match(await verdict(page).innerText(), /In progress/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('play runs to the end at the chosen speed; pause stops it', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await fast(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await position(page);
    await page.waitForTimeout(400);
    assert.equal(await position(page), paused, 'nothing moves while paused');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await waitPlayedToEnd(page);
    assert.ok((await position(page)) > paused);
    assert.doesNotMatch(await verdict(page).innerText(), /In progress/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('keyboard: → and ← step, Space plays and pauses, R resets', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await position(page), 2);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await position(page), 1);
    await fast(page);
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.keyboard.press('r');
    await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor();
    assert.equal(await position(page), 0);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('clicking an arrow of the timeline jumps to its step', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const steps = await runToEnd(page);
    assert.ok(steps > 2);
    const arrows = page.getByRole('group', { name: /Sequence timeline/ }).getByRole('button');
    const first = arrows.first();
    const label = await first.getAttribute('aria-label');
    const target = Number(/jump to step (\d+)/.exec(label)[1]);
    await first.click();
    assert.equal(await position(page), target);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('large type toggle for projection', async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const toggle = page.getByRole('button', { name: 'Large type' });
    const before = await page.locator('.app').evaluate((e) => getComputedStyle(e).fontSize);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const after = await page.locator('.app').evaluate((e) => getComputedStyle(e).fontSize);
    assert.ok(parseFloat(after) > parseFloat(before), `${after} > ${before}`);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
