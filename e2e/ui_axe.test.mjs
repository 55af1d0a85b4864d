// Accessibility audit with axe-core, injected into the page: the default run (at its start,
// mid-way and at its end), a preset with a compromised third party played to its end, and the
// inspector showing a selected message and a selected role. No serious or critical violation
// may be found; every violation found (of any impact) is printed in full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import { openReady, waitReady, stepForward, fast, waitPlayedToEnd, runToEnd } from './ui_lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe on the whole page; returns its violations (all impacts). */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated through the DevTools protocol: no script tag, so no page policy applies.
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, impact: n.impact, failureSummary: n.failureSummary })),
    }));
  });
}

/** Audits the page as it is now, printing every violation; returns the blocking ones. */
async function check(page, where, found) {
  const violations = await audit(page);
  for (const v of violations) {
    console.log(`[axe] ${where}: ${v.impact} ${v.id} on ${v.nodes.length} element(s): ${v.help}\n${JSON.stringify(v, null, 2)}`);
  }
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  for (const v of blocking) found.push({ where, id: v.id, impact: v.impact, elements: v.nodes.length });
  return blocking;
}

function verdictOf(found) {
  const lines = found.map((f) => `${f.where}: ${f.impact} ${f.id} on ${f.elements} element(s)`);
  assert.equal(found.length, 0, `serious or critical accessibility violations:\n  ${lines.join('\n  ')}`);
}

test('the default run: no serious or critical accessibility violation', { timeout: 180_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  const found = [];
  try {
    await check(page, 'default run, step 0', found);
    for (let i = 0; i < 4; i++) await stepForward(page).click();
    await check(page, 'default run, step 4', found);
    await runToEnd(page);
    await check(page, 'default run, end', found);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
  verdictOf(found);
});

test('a compromised-TP preset and the inspector: no serious or critical accessibility violation', { timeout: 180_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  const found = [];
  try {
    await page.getByRole('combobox', { name: /RSA/ }).selectOption({ label: '1024 bits' });
    await waitReady(page);
    await fast(page);
    await page.getByRole('button', { name: /One TP compromised/ }).first().click();
    await waitPlayedToEnd(page);
    await check(page, 'compromised-TP preset, end', found);

    // The inspector on a message: step back into the run and select a packet on the wire.
    await page.getByRole('slider', { name: 'Position in the run' }).fill('3');
    const net = page.getByRole('group', { name: /^Network/ });
    const packet = net.getByRole('button', { name: / in flight/ }).first();
    await packet.click();
    await page.getByRole('region', { name: 'Inspector' }).getByRole('table').first().waitFor();
    await check(page, 'inspector on a message in flight', found);

    // The inspector on a role: what a compromised third party knows.
    await net.getByRole('button', { name: /^TP1, third party 1/ }).click();
    await check(page, 'inspector on TP1', found);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
  verdictOf(found);
});
