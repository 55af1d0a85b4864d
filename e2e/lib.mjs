// Helpers for the end-to-end tests: start the static server on the release build, launch
// Debian's Chromium headless through playwright-core, open the app and wait until the wasm has
// started and drawn something, collect every page error, and save screenshots.
//
// A test file typically does:
//   const app = await openApp();                       // fails on a page error or a missing wasm
//   await app.page.getByRole('button', { name: 'Play' }).click();
//   await screenshot(app.page, 'after-play');
//   app.assertNoErrors();
//   await app.close();
import { chromium } from 'playwright-core';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The release build under test (override with DMIKEY_DIST). */
export const DIST = path.resolve(process.env.DMIKEY_DIST ?? path.join(here, '..', 'dist'));
/** Screenshots and other outputs (git-ignored). */
export const ARTIFACTS = path.join(here, 'artifacts');
/** How long the app may take to start (a cold 2-core machine under load is slow). */
export const START_TIMEOUT_MS = Number(process.env.DMIKEY_E2E_START_TIMEOUT_MS ?? 60_000);

// Known-good flags for Debian's Chromium on a machine with a closed network, running as root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches headless Chromium with a fresh, empty user-data-dir (removed on close). */
export async function launchBrowser() {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dmikey-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    offline: false,
  });
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records everything that means the page is broken: uncaught exceptions (including Rust panics
 * under panic=abort), console.error (console_error_panic_hook reports panics there), failed
 * requests and HTTP errors. Returns the live array of error strings.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}

/** Saves a full-page screenshot as e2e/artifacts/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Serves the release build, opens it in a fresh browser and waits until the wasm app has
 * started (Trunk's `TrunkApplicationStarted` event) and drawn an element into <body>.
 * Rejects, listing the page errors, if anything goes wrong before that.
 *
 * Options: `dist` (folder), `prefix` (serve under a sub-folder), `transform(relPath, bytes)`
 * (rewrite a file on the way out, for negative tests), `url` (skip the server).
 */
export async function openApp({ dist = DIST, prefix = '/', transform, url } = {}) {
  const server = url ? null : await serveDir(dist, { prefix, transform });
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors = collectErrors(page);
  const wasmResponses = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasmResponses.push(r);
  });
  await page.addInitScript(() => {
    window.__dmikeyStarted = false;
    addEventListener('TrunkApplicationStarted', () => (window.__dmikeyStarted = true));
  });
  const app = {
    page,
    errors,
    url: url ?? server.url,
    wasmResponses,
    /** Fails the test if anything went wrong in the page so far. */
    assertNoErrors() {
      if (errors.length) throw new Error(`the page reported ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    },
    async close() {
      await browser.close();
      if (server) await server.close();
    },
  };
  try {
    await page.goto(app.url, { waitUntil: 'load' });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      app.assertNoErrors();
      const started = await page.evaluate(
        () =>
          window.__dmikeyStarted === true &&
          document.body.querySelector(':scope > :not(script):not(noscript):not(link):not(style)') !== null,
      );
      if (started) break;
      if (Date.now() > deadline) throw new Error(`the app did not start within ${START_TIMEOUT_MS} ms`);
      await page.waitForTimeout(100);
    }
    if (!wasmResponses.some((r) => r.ok() && r.headers()['content-type'] === 'application/wasm')) {
      throw new Error('no wasm module was loaded');
    }
    app.assertNoErrors();
  } catch (e) {
    await screenshot(page, 'failed-start').catch(() => {});
    await app.close();
    throw e;
  }
  return app;
}
