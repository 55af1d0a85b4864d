// The lesson: the header's Lesson button opens chapter 1 and puts its place in the link; every
// chapter opens by link, steps to its end (narration filled with the run's numbers, the
// narration's marks highlighted in the diagrams), and every question is answered wrong and
// right, acting on the run where the question asks it, with the page's verdict and explanation
// checked. A link to chapter 5 opens chapter 5 on a fresh page. No page or console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectErrors } from './lib.mjs';
import { openReady, verdict, position } from './ui_lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const lesson = (page) => page.getByRole('region', { name: 'Lesson' });

/** How a student answers each chapter's questions, wrong then right: a typed number, a choice,
 * or the buttons to press (`act`). */
const ANSWERS = {
  1: [{ wrong: '2', right: '1' }],
  2: [{ wrong: '0', right: '1' }],
  3: [{ wrong: '1', right: '0' }],
  4: [{ act: true, wrong: ['drop I_TP1'], right: ['drop I_TP1', 'drop TP2_R'] }],
  5: [{ wrong: '0', right: '48' }],
  6: [
    { act: true, wrong: ['compromise 1', 'compromise 2'], right: ['compromise 2', 'compromise 4', 'compromise 5'] },
    { wrong: '5', right: '3' },
  ],
  7: [{ wrong: '48', right: '0' }],
  8: [
    { choice: true, wrong: 'TP4', right: 'TP2' },
    { act: true, wrong: ['tamper TP1_R', 'tamper TP2_R', 'tamper TP3_R'], right: ['tamper TP3_R'] },
  ],
  9: [
    { choice: true, wrong: 'yes', right: 'no' },
    { wrong: '128', right: '80' },
  ],
};

/** Waits until the run on screen is ready (Play enabled), allowing for RSA-2048 key generation. */
async function ready(page) {
  await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 240_000 });
}

/** Waits until the lesson shows chapter `c`, page `p`, and its run is ready. */
async function at(page, c, p) {
  try {
    await lesson(page).and(page.locator(`[data-chapter="${c}"][data-page="${p}"]`)).waitFor({ timeout: 30_000 });
  } catch (e) {
    const shown = await lesson(page).evaluate((el) => `chapter ${el.dataset.chapter} page ${el.dataset.page}`).catch(() => '?');
    throw new Error(`wanted chapter ${c} page ${p}, the lesson shows ${shown} at ${page.url()}: ${e.message}`);
  }
  await ready(page);
}

async function check(page, want) {
  const q = lesson(page).locator('.question');
  await q.getByRole('button', { name: 'Check', exact: true }).click();
  const result = q.locator('.lesson-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-right'), String(want), await result.innerText());
  const text = (await result.innerText()).trim();
  assert.ok(text.length > 20 && !text.includes('{'), `explanation: ${text}`);
  return text;
}

async function answer(page, spec, which) {
  const q = lesson(page).locator('.question');
  const given = spec[which];
  if (spec.act) {
    for (const a of given) await q.locator(`button[data-command="${a}"]`).click();
  } else if (spec.choice) {
    await q.getByRole('radio', { name: given, exact: true }).check();
  } else {
    await q.getByRole('textbox').fill(given);
  }
  return check(page, which === 'right');
}

test('the Lesson button opens chapter 1 and keeps the place in the link', async () => {
  const app = await openReady();
  try {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Lesson', exact: true }).click();
    await at(page, 1, 1);
    assert.match(page.url(), /#view=lesson&chapter=1&step=1$/);
    assert.match(await lesson(page).getByRole('heading', { level: 2 }).textContent(), /^Chapter 1: MIKEY with a pre-shared key$/);
    // The set-up and attacker columns give way to the lesson.
    assert.equal(await page.getByRole('complementary', { name: 'Set-up' }).isVisible(), false);
    await lesson(page).getByRole('button', { name: 'Next →' }).click();
    await at(page, 1, 2);
    assert.match(page.url(), /#view=lesson&chapter=1&step=2$/);
    assert.equal(await position(page), 1);
    // Leaving the lesson brings the normal layout back.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Lesson', exact: true }).click();
    await page.getByRole('complementary', { name: 'Set-up' }).waitFor();
    assert.equal(await lesson(page).isVisible(), false);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('every chapter by link: to its end, every question wrong then right', async () => {
  const app = await openReady();
  try {
    const { page } = app;
    const chapters = await page.locator('.lesson .chapters li').count();
    assert.ok(chapters >= 9, `${chapters} chapters`);
    for (let c = 1; c <= chapters; c++) {
      await page.goto(`${app.url}#view=lesson&chapter=${c}&step=1`);
      await at(page, c, 1);
      const steps = Number((await lesson(page).locator('.lesson-progress').innerText()).match(/^Step 1 of (\d+)$/)?.[1]);
      assert.ok(steps >= 1, `chapter ${c}: steps`);
      let questions = 0;
      for (let p = 1; p <= steps + ANSWERS[c].length; p++) {
        if (p > 1) {
          await lesson(page).getByRole('button', { name: 'Next →' }).click();
          await at(page, c, p);
        }
        const progress = await lesson(page).locator('.lesson-progress').innerText();
        if (p <= steps) {
          assert.equal(progress, `Step ${p} of ${steps}`);
          const narration = await lesson(page).locator('.narration-text').innerText();
          assert.ok(narration.length > 40, `chapter ${c} page ${p}: narration “${narration}”`);
          assert.ok(!narration.includes('{'), `chapter ${c} page ${p}: unfilled “${narration}”`);
          const marks = Number(await lesson(page).locator('.narration-text').getAttribute('data-marks'));
          if (marks > 0) {
            await page.locator('.topology [data-marked], .timeline [data-marked]').first().waitFor({ timeout: 10_000 });
          }
        } else {
          assert.equal(progress, `Check your understanding: question ${questions + 1} of ${ANSWERS[c].length}`);
          const spec = ANSWERS[c][questions];
          await answer(page, spec, 'wrong');
          if (spec.act) {
            await lesson(page).getByRole('button', { name: 'Start the run again' }).click();
            await ready(page);
          }
          await answer(page, spec, 'right');
          questions++;
        }
      }
      // The last page of the last chapter has no Next.
      if (c === chapters) assert.equal(await lesson(page).getByRole('button', { name: 'Next →' }).isDisabled(), true);
      assert.equal(questions, ANSWERS[c].length, `chapter ${c}: questions answered`);
    }
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('a link to chapter 5 opens chapter 5 on a fresh page, at its step', async () => {
  const app = await openReady();
  try {
    const page = await app.page.context().newPage();
    const errors = collectErrors(page);
    await page.goto(`${app.url}#view=lesson&chapter=5&step=2`, { waitUntil: 'load' });
    await at(page, 5, 2);
    assert.match(await lesson(page).getByRole('heading', { level: 2 }).textContent(), /^Chapter 5: The Reed–Solomon split/);
    // Step 2 of chapter 5 is the end of its run: one TP compromised, 48 TGK bits exposed.
    await verdict(page).filter({ hasText: '48 of 128 TGK bits exposed' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Step forward', exact: true }).isDisabled(), true);
    await lesson(page).getByRole('button', { name: '← Back' }).click();
    await at(page, 5, 1);
    assert.equal(await position(page), 0);
    assert.match(page.url(), /#view=lesson&chapter=5&step=1$/);
    await page.locator('.topology [data-marked]').first().waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    await fs.mkdir(path.join(here, '..', 'docs', 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(here, '..', 'docs', 'screenshots', 'lesson.png') });
    assert.deepEqual(errors, []);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
