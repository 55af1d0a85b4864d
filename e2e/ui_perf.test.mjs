// Responsiveness budgets, measured in headless Chromium and printed:
//   * load-to-interactive: navigation start -> the app mounted its controls (User Timing mark
//     "dmikey-interactive"), cold load from localhost, fresh profile;
//   * longest main-thread task while the worker generates the RSA keys (navigation start ->
//     mark "dmikey-run-ready"), and while a preset run plays at 10 steps/s;
//     from PerformanceObserver('longtask') — Chromium reports only tasks > 50 ms, so "none"
//     means every task stayed under 50 ms;
//   * the wasm + JS + CSS bytes a cold visit transfers (page and PKI worker), counted by the
//     server (gzip-encoded, precompressed by scripts/precompress), with gzip -9 sizes beside.
// Only the size budget is asserted by default (timing depends on the machine's load); set
// DMIKEY_PERF_STRICT=1 to assert the timing budgets too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, launchBrowser, collectErrors } from './lib.mjs';
import { serveDir } from './serve.mjs';
import { waitReady, fast, waitPlayedToEnd } from './ui_lib.mjs';

const STRICT = process.env.DMIKEY_PERF_STRICT === '1';

test('transfer size of wasm + JS + CSS is at most 350 KB gzipped', async () => {
  // What a cold visit really transfers: a fresh browser profile loads the page, the worker
  // generates the PKI (it loads the same JS + wasm), and the server counts the body bytes it
  // sent per file (precompressed .gz files, e2e/serve.mjs). The browser's own count
  // (PerformanceResourceTiming.encodedBodySize, page only) is printed beside it.
  const files = [];
  for (const f of await fs.readdir(DIST)) {
    if (!/\.(wasm|js|css)$/.test(f)) continue;
    const raw = await fs.readFile(path.join(DIST, f));
    const gz9 = zlib.gzipSync(raw, { level: 9 }).length;
    const pre = await fs.stat(path.join(DIST, f + '.gz')).then((s) => s.size, () => null);
    files.push(`${f}: ${raw.length} B raw, ${gz9} B gzip -9, ${pre ?? 'no'} B precompressed`);
  }
  console.log(`[perf] dist/: ${files.join('; ')}`);

  const server = await serveDir(DIST, {});
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors = collectErrors(page);
  try {
    await page.goto(server.url, { waitUntil: 'load' });
    await waitReady(page);
    const browserSeen = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /\.(wasm|js|css)$/.test(new URL(e.name).pathname))
        .map((e) => ({ name: new URL(e.name).pathname.split('/').pop(), encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
    );
    let total = 0;
    const rows = [];
    for (const [rel, st] of server.stats) {
      if (!/\.(wasm|js|css)$/.test(rel)) continue;
      total += st.bytes;
      rows.push(`${rel}: ${st.bytes} B in ${st.requests} request(s)`);
    }
    const pageTotal = browserSeen.reduce((a, e) => a + e.encoded, 0);
    console.log(`[perf] sent by the server: ${rows.join('; ')}`);
    console.log(`[perf] seen by the page (encodedBodySize): ${browserSeen.map((e) => `${e.name} ${e.encoded} B (${e.decoded} B decoded)`).join('; ')} = ${pageTotal} B`);
    console.log(`[perf] transferred wasm+js+css: ${total} B (${(total / 1024).toFixed(1)} KiB); budget 350 KB`);
    assert.ok(total > 0, 'the server sent no wasm/js/css');
    assert.deepEqual(errors, []);
    assert.ok(total <= 350_000, `${total} B transferred is over the 350 KB budget`);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('load-to-interactive and the longest main-thread tasks', async () => {
  const server = await serveDir(DIST, {});
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors = collectErrors(page);
  try {
    await page.addInitScript(() => {
      window.__longtasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      // The key-generation progress indicator, as last seen ("… 3 of 7 …").
      window.__progress = [];
      new MutationObserver(() => {
        const p = document.querySelector('.keygen[role=status]');
        const t = p?.innerText?.trim();
        if (t && window.__progress.at(-1) !== t) window.__progress.push(t);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    // Cold load: fresh profile, empty cache, the observer in place before navigation.
    await page.goto(server.url, { waitUntil: 'load' });
    await waitReady(page);
    const load = await page.evaluate(() => {
      const m = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
      const interactive = m('dmikey-interactive');
      const ready = m('dmikey-run-ready');
      const during = window.__longtasks.filter((t) => ready !== null && t.start >= interactive && t.start <= ready);
      return { interactive, ready, longest: Math.max(0, ...during.map((t) => t.duration)), all: window.__longtasks, progress: window.__progress };
    });
    console.log(`[perf] load-to-interactive: ${load.interactive.toFixed(1)} ms (budget 400 ms)`);
    console.log(`[perf] keys ready at ${load.ready.toFixed(1)} ms; longest main-thread task meanwhile: ${load.longest ? load.longest.toFixed(1) + ' ms' : 'none over 50 ms'}`);

    console.log(`[perf] progress indicator: ${load.progress.length} updates, last "${load.progress.at(-1)}"`);
    assert.ok(load.progress.some((t) => /Generating keys and certificates in a worker: [1-9]\d* of [1-9]/.test(t)), 'no key-generation progress was shown');

    await fast(page);
    const runStart = await page.evaluate(() => performance.now());
    await page.getByRole('region', { name: 'Scenarios' }).getByRole('button', { name: /^Happy path/ }).click();
    await waitPlayedToEnd(page);
    const run = await page.evaluate((t0) => {
      const during = window.__longtasks.filter((t) => t.start >= t0);
      return { longest: Math.max(0, ...during.map((t) => t.duration)), ms: performance.now() - t0 };
    }, runStart);
    console.log(`[perf] preset run (happy path, 10 steps/s, ${run.ms.toFixed(0)} ms): longest main-thread task: ${run.longest ? run.longest.toFixed(1) + ' ms' : 'none over 50 ms'}`);
    if (STRICT) {
      assert.ok(load.interactive <= 400, `interactive after ${load.interactive} ms`);
      assert.ok(load.longest <= 50, `a ${load.longest} ms task during key generation`);
      assert.ok(run.longest <= 50, `a ${run.longest} ms task during the run`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
