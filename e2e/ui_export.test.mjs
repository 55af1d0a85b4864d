// The downloads of the current run: "Download pcap" must give a pcap file (its magic number
// first) holding the packets sent so far, and "Download key log" a JSON key log of the same run
// (the same messages). Both come from the simulation (`Simulation::pcap`, `keylog_json`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, runToEnd, download } from './ui_lib.mjs';

const PCAP_MAGICS = ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1'];

test('Download pcap and Download key log give the current run', () =>
  withPage(async ({ page }) => {
    await runToEnd(page);
    const pcap = await download(page, 'Download pcap');
    assert.match(pcap.name, /\.pcap$/);
    assert.ok(PCAP_MAGICS.includes(pcap.bytes.subarray(0, 4).toString('hex')), `pcap starts with ${pcap.bytes.subarray(0, 4).toString('hex')}`);
    // Global header (24 bytes) plus at least one record header (16 bytes) and its packet.
    assert.ok(pcap.bytes.length > 24 + 16, `pcap of ${pcap.bytes.length} bytes`);

    const log = await download(page, 'Download key log');
    assert.match(log.name, /\.json$/);
    const json = JSON.parse(log.bytes.toString('utf8'));
    assert.equal(json.format, 'dmikey-keylog-1');
    assert.ok(Array.isArray(json.messages) && json.messages.length > 0, 'the key log lists the messages');
    console.log(`[export] pcap ${pcap.bytes.length} B; key log ${log.bytes.length} B, ${json.messages.length} messages`);

    // Back to the start: nothing sent yet, so the key log of this position lists no message.
    await page.keyboard.press('r');
    await page.getByRole('slider', { name: 'Position in the run' }).and(page.locator(':enabled')).waitFor();
    const early = JSON.parse((await download(page, 'Download key log')).bytes.toString('utf8'));
    assert.ok(early.messages.length < json.messages.length, `${early.messages.length} messages at step 0`);
  }));
