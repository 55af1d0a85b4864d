// The demonstrator's release build in headless Chromium: it starts, draws its first screen and
// answers the Play button — elements are found by role and accessible name, as a screen reader
// would find them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot } from './lib.mjs';

test('the release build starts in the browser and answers Play', async () => {
  const app = await openApp();
  try {
    const { page } = app;
    await page.getByRole('heading', { level: 1, name: 'Distributed MIKEY' }).waitFor();
    const play = page.getByRole('button', { name: 'Play', exact: true });
    await play.and(page.locator(':enabled')).waitFor();
    await screenshot(page, 'start');
    await play.click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await screenshot(page, 'after-play');
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('the release build works from a sub-folder of a static server', async () => {
  const app = await openApp({ prefix: '/some/sub/folder/' });
  try {
    await app.page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    assert.match(app.wasmResponses[0].url(), /\/some\/sub\/folder\/[^/]+\.wasm$/);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
