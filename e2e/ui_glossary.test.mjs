// The glossary on hover and focus: a term in the narration shows, when hovered and when
// focused by keyboard, its definition as written in the one glossary source
// (protocol/src/glossary/glossary.md, read here independently of the app); Escape hides it;
// every term marked on the page has a definition; the terms the lesson needs (TGK, TEK, KEMAC,
// PKE, CSB ID, KCV, PSK, envelope key) are each marked somewhere during the default run; the
// Glossary list opens from the header and lists every entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { openReady, stepForward } from './ui_lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await fs.readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The serious or critical axe violations on the page now (every one found is printed). */
async function axeBlocking(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) })),
  );
  for (const v of violations) console.log(`[axe] ${where}: ${v.impact} ${v.id}: ${v.nodes.slice(0, 3).join(' | ')}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${where}: ${v.impact} ${v.id}`);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = await fs.readFile(path.join(here, '..', 'protocol', 'src', 'glossary', 'glossary.md'), 'utf8');

/** The slug of a term, as the protocol makes it. */
function slug(term) {
  return term.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** slug → { term, definition } from the glossary source (its format: docs/glossary.md). */
function readGlossary(text) {
  const entries = new Map();
  const blocks = text.split(/^## /m).slice(1);
  for (const block of blocks) {
    const [heading, ...lines] = block.split('\n');
    const paragraphs = [];
    let para = [];
    let inField = false;
    for (const line of [...lines, '']) {
      if (/^(also|source|here):/.test(line)) {
        inField = true;
      } else if (line.trim() === '') {
        inField = false;
        if (para.length) paragraphs.push(para.join(' '));
        para = [];
      } else if (!inField) {
        para.push(line.trim());
      }
    }
    entries.set(slug(heading.trim()), { term: heading.trim(), definition: paragraphs.join('\n\n') });
  }
  return entries;
}

const GLOSSARY = readGlossary(SOURCE);
const norm = (s) => s.replace(/\s+/g, ' ').trim();
const ISSUE_TERMS = ['TGK', 'TEK', 'KEMAC', 'PKE', 'CSB ID', 'KCV', 'PSK', 'envelope key'];

/** The tooltip. */
const tip = (page) => page.locator('#gloss-tip');

/** Every marked term on the page now: its slug, text, and the text of its description. */
async function markedTerms(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.term')].map((el) => {
      const slugOf = el.getAttribute('data-term');
      const byId = document.getElementById(`gloss-def-${slugOf}`);
      const described = el.getAttribute('aria-describedby');
      return {
        slug: slugOf,
        text: el.textContent,
        definition: byId ? byId.textContent : null,
        describedBy: described,
        describedText: described ? document.getElementById(described)?.textContent ?? null : null,
        focusable: el.tabIndex >= 0,
      };
    }),
  );
}

test('the glossary source reads and has the issue’s terms', () => {
  assert.ok(GLOSSARY.size >= 60, `only ${GLOSSARY.size} entries`);
  for (const t of ISSUE_TERMS) assert.ok(GLOSSARY.has(slug(t)), `${t} missing from the source`);
});

test('hover and keyboard focus on a term in the narration show its definition; Escape hides it', { timeout: 120_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const narration = page.locator('p.narration');
    await stepForward(page).click();
    const term = narration.locator('.term').first();
    await term.waitFor();
    const s = await term.getAttribute('data-term');
    const entry = GLOSSARY.get(s);
    assert.ok(entry, `narration term ${s} is not in the glossary source`);
    console.log(`[glossary] narration term "${await term.textContent()}" → ${entry.term}`);

    // Hover: the tooltip shows the source's definition, next to the term.
    await assert.rejects(tip(page).waitFor({ state: 'visible', timeout: 300 }));
    await term.hover();
    await tip(page).waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(norm(await tip(page).locator('.gloss-term').textContent()), entry.term);
    assert.equal(norm(await tip(page).locator('.gloss-def').textContent()), norm(entry.definition));
    assert.equal(await tip(page).getAttribute('role'), 'tooltip');
    const [tb, kb] = [await term.boundingBox(), await tip(page).boundingBox()];
    assert.ok(Math.abs(kb.x - tb.x) < 400 && Math.abs(kb.y - tb.y) < 300, `tooltip far from its term: ${JSON.stringify({ tb, kb })}`);
    assert.deepEqual(await axeBlocking(page, 'tooltip open'), []);
    // The pointer can move onto the tooltip without it closing (to read or select it).
    await tip(page).hover();
    await page.waitForTimeout(500);
    assert.ok(await tip(page).isVisible(), 'the tooltip closed when the pointer moved onto it');
    // Escape closes a hovered tooltip.
    await page.keyboard.press('Escape');
    await tip(page).waitFor({ state: 'hidden', timeout: 2_000 });
    // Moving away closes it too.
    await term.hover();
    await tip(page).waitFor({ state: 'visible', timeout: 5_000 });
    await page.mouse.move(5, 790);
    await tip(page).waitFor({ state: 'hidden', timeout: 3_000 });

    // Keyboard: Tab reaches the term; focus shows the tooltip; the term is described by
    // the definition for a screen reader; Escape hides it and keeps the run where it is.
    const before = await page.getByRole('slider', { name: 'Position in the run' }).inputValue();
    await term.evaluate((el) => {
      // Focus the element just before the term, so that a real Tab moves onto it.
      const all = [...document.querySelectorAll('a[href], button, input, select, [tabindex]')].filter((e) => e.tabIndex >= 0 && !e.disabled && e.offsetParent !== null);
      const i = all.indexOf(el);
      (all[i - 1] ?? document.body).focus();
    });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-term')), s, 'Tab did not reach the term');
    await tip(page).waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(norm(await tip(page).locator('.gloss-def').textContent()), norm(entry.definition));
    const described = await term.getAttribute('aria-describedby');
    assert.equal(norm(await page.locator(`#${described}`).textContent()), norm(entry.definition));
    await page.keyboard.press('Escape');
    await tip(page).waitFor({ state: 'hidden', timeout: 2_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-term')), s, 'Escape moved the focus');
    assert.equal(await page.getByRole('slider', { name: 'Position in the run' }).inputValue(), before);
    // Leaving the term hides it as well; coming back shows it again.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await tip(page).waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Shift+Tab');
    await tip(page).waitFor({ state: 'hidden', timeout: 2_000 });
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('every marked term has its definition; the issue’s terms are all marked during the default run', { timeout: 240_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const seen = new Map();
    const bad = [];
    const look = async (where) => {
      for (const t of await markedTerms(page)) {
        const entry = GLOSSARY.get(t.slug);
        if (!entry) bad.push(`${where}: "${t.text}" marked as ${t.slug}, not in the source`);
        else if (!t.definition || norm(t.definition) !== norm(entry.definition)) bad.push(`${where}: "${t.text}" (${t.slug}) has no or another definition: ${t.definition}`);
        if (t.focusable && (!t.describedText || norm(t.describedText) !== norm(entry?.definition ?? ''))) bad.push(`${where}: focusable "${t.text}" not described by its definition`);
        if (!seen.has(t.slug)) seen.set(t.slug, `${where}: "${t.text}"`);
      }
    };
    const step = stepForward(page);
    let i = 0;
    await look('step 0');
    for (; i < 400 && !(await step.isDisabled()); i++) {
      await step.click();
      await look(`step ${i + 1}`);
    }
    // The inspector on the sensor's message to a third party and on a third party's message
    // to R: their fields and calculations.
    const picker = page.getByRole('region', { name: 'Inspector' }).locator('label.picker select');
    for (const [name, re] of [['an I_TPi', /I_TP\d+ /], ['a TPi_R', /TP\d+_R /]]) {
      const value = await picker.evaluate((sel, src) => [...sel.options].find((o) => new RegExp(src).test(o.textContent))?.value, re.source);
      assert.ok(value, `no ${name} to inspect`);
      await picker.selectOption(value);
      await page.getByRole('region', { name: 'Inspector' }).getByRole('table').first().waitFor();
      await page.locator('details.calc').first().waitFor();
      await page.evaluate(() => document.querySelectorAll('details.calc').forEach((d) => { d.open = true; }));
      await look(`inspector on ${name}`);
    }
    const terms = [...seen.keys()].sort();
    console.log(`[glossary] ${terms.length} distinct terms marked during the default run (${i} steps) and in the inspector on an I_TPi and a TPi_R: ${terms.join(', ')}`);
    assert.deepEqual(bad, [], bad.slice(0, 20).join('\n'));
    const missing = ISSUE_TERMS.filter((t) => !seen.has(slug(t)));
    assert.deepEqual(missing, [], `never marked: ${missing.join(', ')}`);
    for (const t of ISSUE_TERMS) console.log(`[glossary] ${t}: first marked at ${seen.get(slug(t))}`);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('the Glossary list opens from the header, lists every entry, and Escape closes it', { timeout: 120_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    const open = page.getByRole('button', { name: 'Glossary', exact: true });
    assert.equal(await open.getAttribute('aria-expanded'), 'false');
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Glossary' });
    await dialog.waitFor();
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    const listed = await dialog.locator('dt dfn').allTextContents();
    assert.deepEqual(listed, [...GLOSSARY.values()].map((e) => e.term));
    for (const [s, e] of GLOSSARY) {
      assert.equal(norm(await dialog.locator(`#gloss-def-${s}`).textContent()), norm(e.definition), s);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'glossary-title', 'the focus moves into the list');
    assert.deepEqual(await axeBlocking(page, 'glossary list open'), []);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Glossary', 'the focus returns to the button');
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
