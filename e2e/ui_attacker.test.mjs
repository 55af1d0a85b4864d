// The attacker, played by the audience: drop, tamper, delay, link down, replay, compromise,
// make malicious and the loss rate — each through the same buttons a user clicks, found by
// role and accessible name. No page error or console error may occur.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openReady, verdict, stepForward, runToEnd } from './ui_lib.mjs';

const net = (page) => page.getByRole('group', { name: /^Network/ });
const timeline = (page) => page.getByRole('group', { name: /Sequence timeline/ });
/** The packet with this label, in flight, in the network drawing. */
const inFlight = (page, label) => net(page).getByRole('button', { name: new RegExp(`^${label} from .* in flight`) });

async function withApp(fn) {
  const app = await openReady();
  try {
    await fn(app.page);
    app.assertNoErrors();
  } finally {
    await app.close();
  }
}

test('drop a packet in flight', () =>
  withApp(async (page) => {
    await inFlight(page, 'I_TP1').click();
    await page.getByRole('button', { name: 'Drop I_TP1' }).click();
    await runToEnd(page);
    await timeline(page).getByRole('button', { name: /^I_TP1: I to TP1, dropped/ }).waitFor();
  }));

test('tamper with a packet in flight: its receiver rejects it', () =>
  withApp(async (page) => {
    await inFlight(page, 'I_TP1').click();
    await page.getByRole('button', { name: 'Tamper with I_TP1' }).click();
    await runToEnd(page);
    await timeline(page).getByRole('button', { name: /^I_TP1: I to TP1, rejected/ }).waitFor();
  }));

test('delay a packet: the others overtake it', () =>
  withApp(async (page) => {
    await inFlight(page, 'I_TP1').click();
    await page.getByRole('combobox', { name: 'Delay by' }).selectOption({ label: '5 min' });
    await page.getByRole('button', { name: 'Delay I_TP1' }).click();
    await stepForward(page).click();
    await stepForward(page).click();
    await inFlight(page, 'I_TP1').waitFor();
  }));

test('take a link down: packets over it are lost', () =>
  withApp(async (page) => {
    // By the keyboard: a packet on the wire may lie over the link's middle.
    await net(page).getByRole('button', { name: /^link I–TP2/ }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Take link I–TP2 down' }).click();
    await net(page).getByRole('button', { name: /^link I–TP2 .*, down$/ }).waitFor();
    await runToEnd(page);
    await timeline(page).getByRole('button', { name: /^I_TP2: I to TP2, dropped/ }).waitFor();
  }));

test('replay an earlier packet from the event list: it is rejected', () =>
  withApp(async (page) => {
    await stepForward(page).click();
    await stepForward(page).click();
    await page.getByRole('button', { name: /^Replay: The sensor sends I_TP1 to TP1/ }).click();
    await runToEnd(page);
    await timeline(page).getByRole('button', { name: /^I_TP1 \(replay\): I to TP1, rejected/ }).waitFor();
  }));

test('compromise a third party: the intruder panel shows what it holds', () =>
  withApp(async (page) => {
    await net(page).getByRole('button', { name: 'TP1, third party 1' }).click();
    await page.getByRole('button', { name: 'Compromise TP1' }).click();
    await net(page).getByRole('button', { name: 'TP1, third party 1, compromised' }).waitFor();
    const intruder = page.getByRole('region', { name: 'Intruder' });
    assert.match(await intruder.getByRole('list').nth(1).innerText(), /TP1/);
    await runToEnd(page);
    assert.match(await verdict(page).innerText(), /The intruder holds 1 share/);
  }));

test('make a third party malicious', () =>
  withApp(async (page) => {
    await net(page).getByRole('button', { name: 'TP2, third party 2' }).click();
    await page.getByRole('button', { name: 'Make TP2 malicious' }).click();
    await net(page).getByRole('button', { name: 'TP2, third party 2, malicious' }).waitFor();
    await runToEnd(page);
    assert.doesNotMatch(await verdict(page).innerText(), /In progress/);
  }));

test('loss rate 100 %: no share reaches R', () =>
  withApp(async (page) => {
    await page.getByRole('slider', { name: /Loss rate/ }).fill('100');
    await page.getByText('Loss rate on every link: 100 %').waitFor();
    await runToEnd(page);
    assert.match(await verdict(page).innerText(), /R holds 0 of \d+ needed shares — the TGK cannot be rebuilt/);
  }));
