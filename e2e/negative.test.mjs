// The e2e harness must be able to fail: a broken release build is served on purpose and
// openApp() has to reject with the reason. If these tests fail, the other e2e tests prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp } from './lib.mjs';

test('a corrupted wasm module makes openApp fail', async () => {
  const corrupt = (rel, bytes) => {
    if (!rel.endsWith('.wasm')) return bytes;
    const broken = Buffer.from(bytes);
    broken.fill(0xff, 8, 64); // keep the magic and version, smash the first sections
    return broken;
  };
  await assert.rejects(openApp({ transform: corrupt }), /page error: .*(CompileError|WebAssembly)/s);
});

test('a missing wasm module makes openApp fail', async () => {
  await assert.rejects(
    openApp({ transform: (rel, bytes) => (rel.endsWith('.wasm') ? Buffer.alloc(0) : bytes) }),
    /page error|no wasm module/,
  );
});

test('a script that throws in the page makes openApp fail', async () => {
  const inject = (rel, bytes) =>
    rel === 'index.html'
      ? Buffer.from(bytes.toString().replace('</body>', '<script>throw new Error("planted failure")</script></body>'))
      : bytes;
  await assert.rejects(openApp({ transform: inject }), /page error: planted failure/);
});
