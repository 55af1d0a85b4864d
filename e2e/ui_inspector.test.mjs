// The inspector on a TPi_R of the default run: the byte pane and the field tree select each
// other (by mouse and keyboard), the share R decrypts equals the key log's share, and the
// auth_key shown equals the key log's and PRF(envelope key of the key log, …) computed here
// from RFC 3830 §4.1.2/§4.1.4 with Node's own HMAC-SHA-1; a message pasted into "Decode a message" gets the
// same annotated view. At 390 px wide the page does not scroll sideways. A screenshot of the
// inspector with a calculation open goes to e2e/artifacts/screenshots/inspector.png
// (DMIKEY_UPDATE_SCREENSHOTS=1: docs/screenshots/inspector.png, for the README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { openReady, runToEnd } from './ui_lib.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the whole page: the serious and critical violations, printed. */
async function axeBlocking(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
      id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html.slice(0, 160)),
    })));
  for (const v of violations) console.log(`[axe] ${where}: ${v.impact} ${v.id} on ${v.nodes.length}: ${v.nodes.slice(0, 3).join(' | ')}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${where}: ${v.id}`);
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS =
  process.env.DMIKEY_UPDATE_SCREENSHOTS === '1'
    ? path.join(HERE, '..', 'docs', 'screenshots')
    : path.join(HERE, 'artifacts', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

/** MIKEY PRF (RFC 3830 §4.1.2): P_SHA1 per 256-bit chunk of the inkey, XORed. */
function mikeyPrf(inkey, label, outLen) {
  const out = Buffer.alloc(outLen);
  const chunks = [];
  for (let i = 0; i < inkey.length; i += 32) chunks.push(inkey.subarray(i, i + 32));
  for (const s of chunks) {
    const p = [];
    let a = label;
    for (let have = 0; have < outLen; have += 20) {
      a = crypto.createHmac('sha1', s).update(a).digest();
      p.push(crypto.createHmac('sha1', s).update(Buffer.concat([a, label])).digest());
    }
    const ps = Buffer.concat(p);
    for (let i = 0; i < outLen; i++) out[i] ^= ps[i];
  }
  return out;
}

/** label = constant ‖ 0xFF ‖ CSB ID ‖ RAND (RFC 3830 §4.1.4). */
function messageLabel(constant, csbId, rand) {
  const l = Buffer.alloc(9);
  l.writeUInt32BE(constant, 0);
  l[4] = 0xff;
  l.writeUInt32BE(csbId, 5);
  return Buffer.concat([l, rand]);
}
const C_AUTH = 0x2d22ac75;

const clean = (s) => s.replace(/[^0-9a-f]/gi, '').toLowerCase();

async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return fs.promises.readFile(await dl.path());
}

/** The range of a field row's "a–b" / "a" cell. */
function parseRange(text) {
  const m = text.trim().match(/^(\d+)(?:–(\d+))?$/);
  assert.ok(m, `a byte range in ${JSON.stringify(text)}`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** Offsets of the selected cells of a byte grid. */
async function selectedBytes(grid) {
  const names = await grid.locator('[role="gridcell"][aria-selected="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  return names.map((n) => Number(n.match(/^byte (\d+):/)[1]));
}

function span([a, b]) {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

test('the inspector on a TPi_R: hex ↔ fields both ways, decrypted share and auth_key equal the key log, a pasted message decodes', { timeout: 240_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await runToEnd(page);
    const log = JSON.parse((await download(page, 'Download key log')).toString('utf8'));
    const inspector = page.getByRole('region', { name: 'Inspector' });

    // Select TP1_R with the inspector's message picker.
    const picker = inspector.getByRole('combobox', { name: 'Message' });
    const options = await picker.locator('option').allInnerTexts();
    const label = options.find((o) => / TP\d+_R \(/.test(o));
    assert.ok(label, `a TPi_R among ${options.join(' | ')}`);
    await picker.selectOption({ label });
    const name = label.match(/ (TP\d+_R) /)[1];
    const tp = name.replace('_R', '');
    const entry = log.messages.find((m) => m.label === name);
    assert.ok(entry, `${name} is in the key log`);

    const grid = inspector.getByRole('grid', { name: new RegExp(`^Bytes of ${name}, \\d+ bytes$`) });
    await grid.waitFor();
    const cells = grid.getByRole('gridcell');
    assert.equal(await cells.count(), entry.bytes.length / 2, 'one cell per byte of the message');
    // The pane shows the bytes of the key log (the same run).
    const shown = (await cells.allInnerTexts()).join('');
    assert.equal(shown, entry.bytes, 'the byte pane shows the bytes of the key log');

    // Field → bytes: the KEMAC's Encr data field selects exactly its bytes.
    const fields = inspector.getByRole('region', { name: `Fields of ${name}` });
    const encr = fields.getByRole('button', { name: 'Encr data', exact: true });
    await encr.click();
    assert.equal(await encr.getAttribute('aria-pressed'), 'true');
    const encrRow = fields.locator('tr', { has: page.getByRole('button', { name: 'Encr data', exact: true }) });
    const encrRange = parseRange(await encrRow.locator('td.off').innerText());
    assert.deepEqual(await selectedBytes(grid), span(encrRange), 'Encr data highlights its bytes');

    // Bytes → field: clicking the first byte of the message selects HDR's first field.
    await grid.getByRole('gridcell', { name: /^byte 0:/ }).click();
    const pressed = fields.locator('button[aria-pressed="true"]');
    assert.equal(await pressed.count(), 1);
    const first = await pressed.innerText();
    const firstRange = parseRange(await fields.locator('tr', { has: page.locator('button[aria-pressed="true"]') }).locator('td.off').innerText());
    assert.equal(firstRange[0], 0, `byte 0 selects the field that starts at 0 (${first})`);
    assert.deepEqual(await selectedBytes(grid), span(firstRange));
    assert.equal(await encr.getAttribute('aria-pressed'), 'false');

    // Keyboard: → moves to byte 1, PageDown to the first byte of the next field, which is selected.
    await page.keyboard.press('ArrowRight');
    assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^byte 1:/);
    const ofByte1 = parseRange(await fields.locator('tr', { has: page.locator('button[aria-pressed="true"]') }).locator('td.off').innerText());
    assert.ok(ofByte1[0] <= 1 && 1 <= ofByte1[1], 'the focused byte 1 selects its field');
    await page.keyboard.press('PageDown');
    const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    const at = Number(focused.match(/^byte (\d+):/)[1]);
    assert.equal(at, ofByte1[1] + 1, 'PageDown goes to the next field');
    const next = parseRange(await fields.locator('tr', { has: page.locator('button[aria-pressed="true"]') }).locator('td.off').innerText());
    assert.equal(next[0], at, 'the focused byte selects its field');
    // ↓ in the field tree moves to the next field, and the bytes follow.
    await fields.locator('button[aria-pressed="true"]').focus();
    await page.keyboard.press('ArrowDown');
    const after = parseRange(await fields.locator('tr', { has: page.locator('button[aria-pressed="true"]') }).locator('td.off').innerText());
    assert.equal(after[0], next[1] + 1);
    assert.deepEqual(await selectedBytes(grid), span(after));

    // The receiver R opens the KEMAC: the share equals the key log's share.
    const inside = inspector.getByRole('region', { name: `KEMAC key data of ${name}` });
    const shareDt = inside.locator('dt', { hasText: /^share \d+/ });
    await shareDt.waitFor();
    const index = Number((await shareDt.innerText()).match(/^share (\d+)/)[1]);
    const shareShown = clean(await inside.locator('dt:has-text("share") + dd code').innerText());
    const logged = log.session.shares.find((s) => s.index === index);
    assert.ok(logged, `share ${index} is in the key log`);
    assert.equal(shareShown, logged.data, `share ${index} decrypted by R equals the key log's`);
    assert.equal(tp, `TP${index}`, `${name} carries share ${index}`);

    // The auth_key shown equals PRF(envelope key, C_AUTH ‖ 0xFF ‖ CSB ID ‖ RAND).
    assert.equal(entry.protected_by.secret, 'envelope_key');
    const card = inspector.locator('details.calc', { has: page.locator('summary', { hasText: /^auth_key from/ }) }).first();
    await card.locator('summary').click();
    const authShown = clean(await card.locator('.out code').innerText());
    const expected = mikeyPrf(Buffer.from(entry.protected_by.key, 'hex'), messageLabel(C_AUTH, log.session.csb_id, Buffer.from(log.session.rand, 'hex')), 20).toString('hex');
    assert.equal(authShown, expected, 'auth_key equals PRF(envelope key of the key log)');
    assert.equal(authShown, entry.protected_by.auth_key, "auth_key equals the key log's");
    console.log(`[inspector] ${name}: share ${index} = ${shareShown}; auth_key = ${authShown}`);

    // The KEMAC MAC is recomputed live, and its command can be copied.
    const mac = inspector.locator('details.calc', { has: page.locator('summary', { hasText: /^KEMAC MAC/ }) }).first();
    assert.match(await mac.locator('summary').innerText(), /MAC OK/);
    await mac.locator('summary').click();
    await mac.getByRole('button', { name: /^Outline bytes/ }).first().click();
    assert.ok((await grid.locator('.b.mark').count()) > 0, 'the covered bytes are outlined');
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await mac.getByRole('button', { name: /^Copy the (openssl|python3) command$/ }).first().click();
    await mac.getByRole('status').filter({ hasText: 'Copied.' }).first().waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await mac.locator('pre code').first().innerText(), 'Copy puts the command on the clipboard');

    const blocking = await axeBlocking(page, `${name} with calculations open`);

    // The intruder, holding no key of this run, cannot open it, and the inspector says why.
    await inspector.getByRole('radio', { name: 'the intruder' }).check();
    const sealed = inspector.getByRole('region', { name: `KEMAC key data of ${name}` }).locator('.sealed');
    await sealed.waitFor();
    console.log(`[inspector] the intruder on ${name}: ${await sealed.innerText()}`);
    assert.equal(await inspector.getByRole('region', { name: `KEMAC key data of ${name}` }).locator('dt', { hasText: /^share / }).count(), 0);
    await inspector.getByRole('radio', { name: /^the receiver/ }).check();
    await inside.locator('dt', { hasText: /^share / }).waitFor();
    // For the screenshot: the auth_key card open, its RAND outlined in the byte pane.
    await card.locator('summary').click();
    await card.getByRole('button', { name: /^Outline bytes/ }).last().click();
    assert.ok((await grid.locator('.b.mark').count()) > 0);

    // The certificate of TPi is decoded.
    const cert = inspector.getByRole('region', { name: /^Certificate of / }).first();
    assert.match(await cert.innerText(), /Chains to the CA\s*✔/);

    // The screenshot: the inspector, from its top to the bottom of the open auth_key card,
    // one column wide (below 1100 px the page has one column).
    await page.setViewportSize({ width: 1000, height: 900 });
    await grid.waitFor();
    const clip = await page.evaluate(() => {
      const i = document.querySelector('.inspector').getBoundingClientRect();
      const c = [...document.querySelectorAll('.inspector details.calc[open]')][0].getBoundingClientRect();
      return { x: i.left + scrollX, y: i.top + scrollY, width: i.width, height: c.bottom - i.top + 8 };
    });
    // A viewport tall enough for all of it, so nothing sticky is drawn over it.
    await page.setViewportSize({ width: 1000, height: Math.ceil(clip.y + clip.height) + 20 });
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'inspector.png'), clip });

    // At 390 px wide the inspector on this message does not make the page scroll sideways
    // more than it does with nothing selected (its wide parts scroll inside their boxes).
    await page.setViewportSize({ width: 390, height: 800 });
    await grid.waitFor();
    const wide = () => page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      inspector: Math.round(document.querySelector('.inspector').getBoundingClientRect().right),
    }));
    const withIt = await wide();
    await picker.selectOption({ label: '(none selected)' });
    const without = await wide();
    await picker.selectOption({ label });
    console.log(`[inspector] at 390 px: page ${withIt.page} px wide with ${name} inspected, ${without.page} px without; inspector ends at ${withIt.inspector} px`);
    assert.ok(withIt.page <= without.page, `inspecting ${name} widens the page from ${without.page} to ${withIt.page} px`);
    assert.ok(withIt.inspector <= 390, `the inspector ends at ${withIt.inspector} px`);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Decode a message: I_TP1 of the key log pasted as hex with its PSK.
    const itp = log.messages.find((m) => m.label === 'I_TP1');
    const psk = log.psks.find((p) => p.a === 'I' && p.b === 'TP1');
    assert.ok(itp && psk, 'I_TP1 and its PSK are in the key log');
    await inspector.locator('summary', { hasText: 'Decode a message' }).click();
    await inspector.getByRole('textbox', { name: 'Message' }).fill(itp.bytes.replace(/(..)/g, '$1 '));
    await inspector.getByRole('textbox', { name: /^PSK/ }).fill(psk.key);
    await inspector.getByRole('button', { name: 'Decode', exact: true }).click();
    const decoded = inspector.getByRole('region', { name: 'Decoded messages' });
    const dgrid = decoded.getByRole('grid', { name: /^Bytes of hex input/ });
    await dgrid.waitFor();
    assert.equal(await dgrid.getByRole('gridcell').count(), itp.bytes.length / 2);
    const dmac = decoded.locator('details.calc', { has: page.locator('summary', { hasText: /^KEMAC MAC/ }) }).first();
    assert.match(await dmac.locator('summary').innerText(), /MAC OK/);
    const dshare = clean(await decoded.getByRole('region', { name: /^KEMAC key data of / }).locator('dt:has-text("share 1") + dd code').innerText());
    assert.equal(dshare, log.session.shares.find((s) => s.index === 1).data, 'the pasted I_TP1 opens to share 1');
    await dmac.locator('summary').click();
    blocking.push(...(await axeBlocking(page, 'a decoded message')));
    assert.deepEqual(blocking, [], 'no serious or critical accessibility violation');
    // A wrong PSK: the MAC fails and the KEMAC stays shut.
    await inspector.getByRole('textbox', { name: /^PSK/ }).fill('00'.repeat(16));
    await inspector.getByRole('button', { name: 'Decode', exact: true }).click();
    await decoded.locator('details.calc summary', { hasText: /^KEMAC MAC.*✖/ }).first().waitFor();
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test('the role view of R lists what it computed, message by message', { timeout: 180_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await runToEnd(page);
    const net = page.getByRole('group', { name: /^Network/ });
    await net.getByRole('button', { name: /^R, / }).first().click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.getByText('What R computed, message by message').waitFor();
    const steps = inspector.locator('ol.rolesteps > li');
    assert.ok((await steps.count()) > 0, 'R has steps');
    const texts = await steps.locator('summary').allInnerTexts();
    assert.ok(texts.some((t) => /^received TP\d+_R/.test(t)), `R received a TPi_R: ${texts.join(' | ')}`);
    const last = steps.filter({ hasText: /^received TP\d+_R/ }).last();
    await last.locator('summary').first().click();
    await last.locator('details.calc summary', { hasText: /TGK/ }).first().waitFor();
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});

test("decode a TPi_R with R's RSA private key copied from R's role view and the key log's CA certificate; a wrong key says why", { timeout: 180_000 }, async () => {
  const app = await openReady();
  const { page } = app;
  try {
    await runToEnd(page);
    const log = JSON.parse((await download(page, 'Download key log')).toString('utf8'));
    const net = page.getByRole('group', { name: /^Network/ });
    await net.getByRole('button', { name: /^R, / }).first().click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const copy = inspector.getByRole('button', { name: /^Copy hex of RSA private key of R / });
    await copy.click();
    await inspector.getByRole('status').filter({ hasText: 'Copied.' }).first().waitFor();
    const key = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(key, /^30[0-9a-f]+$/, 'the whole PKCS#8 DER as hex');

    const entry = log.messages.find((m) => /^TP\d+_R$/.test(m.label));
    const index = Number(entry.label.match(/^TP(\d+)_R$/)[1]);
    const ca = log.certificates.find((c) => c.node === 'CA').der;
    await inspector.locator('summary', { hasText: 'Decode a message' }).click();
    await inspector.getByRole('textbox', { name: 'Message' }).fill(entry.bytes);
    await inspector.getByRole('textbox', { name: /^R's RSA private key/ }).fill(key);
    await inspector.getByRole('textbox', { name: /^CA certificate/ }).fill(ca);
    await inspector.getByRole('button', { name: 'Decode', exact: true }).click();
    const decoded = inspector.getByRole('region', { name: 'Decoded messages' });
    const env = decoded.locator('details.calc', { has: page.locator('summary', { hasText: /^envelope key from the PKE/ }) }).first();
    await env.waitFor();
    await env.locator('summary').click();
    assert.equal(clean(await env.locator('.out code').innerText()), entry.protected_by.key, "the envelope key is the key log's");
    const inside = decoded.getByRole('region', { name: /^KEMAC key data of / });
    const share = clean(await inside.locator(`dt:has-text("share ${index}") + dd code`).innerText());
    assert.equal(share, log.session.shares.find((s) => s.index === index).data, `${entry.label} opens to share ${index}`);
    assert.match(await decoded.getByRole('region', { name: /^Certificate of / }).first().innerText(), /Chains to the CA\s*✔/);
    console.log(`[decode] ${entry.label} with R's key: envelope key ${entry.protected_by.key}, share ${index} = ${share}`);

    // A PKCS#1 key: the box says what is wrong and how to convert it, and decodes nothing.
    await inspector.getByRole('textbox', { name: /^R's RSA private key/ }).fill('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n');
    await inspector.getByRole('button', { name: 'Decode', exact: true }).click();
    const err = decoded.locator('p.error');
    await err.waitFor();
    const text = await err.innerText();
    console.log(`[decode] a PKCS#1 key: ${text}`);
    assert.match(text, /^The RSA private key cannot be used: .*PKCS#1.*openssl pkcs8 -topk8/);
    await inspector.getByRole('textbox', { name: /^CA certificate/ }).fill('zz');
    await inspector.getByRole('textbox', { name: /^R's RSA private key/ }).fill('');
    await inspector.getByRole('button', { name: 'Decode', exact: true }).click();
    await decoded.locator('p.error', { hasText: /^The CA certificate cannot be used: neither PEM/ }).waitFor();
    app.assertNoErrors();
  } finally {
    await app.close();
  }
});
