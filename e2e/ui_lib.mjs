// Helpers shared by the UI tests (e2e/ui_*.test.mjs): open the app and wait until the run is
// ready (keys provisioned in the worker), read the verdict, step to the end of a run.
// Everything is found by role and accessible name, as a screen reader would.
import fs from 'node:fs/promises';
import { openApp } from './lib.mjs';

/** Opens the app and waits until the PKI is provisioned and the Play button is enabled. */
export async function openReady(options) {
  const app = await openApp(options);
  await waitReady(app.page);
  return app;
}

export async function waitReady(page) {
  await page.getByRole('button', { name: 'Play', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
}

export const verdict = (page) => page.getByRole('status', { name: 'Verdict' });
export const stepForward = (page) => page.getByRole('button', { name: 'Step forward', exact: true });
export const stepBack = (page) => page.getByRole('button', { name: 'Step back', exact: true });
export const scrubber = (page) => page.getByRole('slider', { name: 'Position in the run' });

/** The current position, read from the scrubber. */
export async function position(page) {
  return Number(await scrubber(page).inputValue());
}

/** Steps until the run is over (Step forward disabled); returns the number of steps taken. */
export async function runToEnd(page, cap = 400) {
  const step = stepForward(page);
  for (let i = 0; i < cap; i++) {
    if (await step.isDisabled()) return i;
    await step.click();
  }
  throw new Error(`the run did not end within ${cap} steps`);
}

/** Waits until an auto-played run (a preset) has ended: Play is shown again and the run is over. */
export async function waitPlayedToEnd(page, timeout = 120_000) {
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout });
  await stepForward(page).and(page.locator(':disabled')).waitFor({ timeout });
}

/** Makes playback fast (10 steps/s). */
export async function fast(page) {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10 steps/s' });
}

/**
 * Opens the app (ready to play), runs `body(app)`, then checks that the page reported no error;
 * the browser is closed whatever happens. Returns what `body` returns.
 */
export async function withPage(body, options) {
  const app = await openReady(options);
  try {
    const result = await body(app);
    app.assertNoErrors();
    return result;
  } finally {
    await app.close();
  }
}

/** Clicks the button named `name` and waits for the download it offers: its name and bytes. */
export async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return { name: dl.suggestedFilename(), bytes: await fs.readFile(await dl.path()) };
}
