// A tiny static file server for the release build (dist/): node's http module only, no network,
// the right MIME type for .wasm. Used by the e2e tests and by `scripts/serve`.
//
// Like nginx's `gzip_static` / `brotli_static`: a client that accepts Brotli gets FILE.br, one
// that accepts gzip FILE.gz (both written at build time by scripts/precompress), with the
// matching `Content-Encoding`. Trunk's content-hashed assets
// (`app-<16 hex>.wasm`) never change, so they are cacheable for a year — the PKI worker, which
// loads the same JS and wasm as the page, then reads them from the HTTP cache instead of the
// network; index.html is revalidated on every load.
//
//   node e2e/serve.mjs [DIR] [PORT] [HOST]        (defaults: dist 8080 127.0.0.1)
//
// As a module: `await serveDir(dir, { port, prefix, transform })` -> { url, close() }.
// `prefix` mounts the site under a sub-folder (to prove relative asset paths work), and
// `transform(relPath, bytes)` lets a negative test corrupt a file on the way out (such files
// are sent uncompressed). The returned `stats` map counts, per path, the requests and the body
// bytes put on the wire (what the transfer-size test sums).
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Trunk's filehash names: `name-<hash>.ext`, `name-<hash>_bg.wasm` (the hash is up to 16 hex digits).
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z0-9]+$/;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.pcap': 'application/vnd.tcpdump.pcap',
};

export async function serveDir(dir, { port = 0, host = '127.0.0.1', prefix = '/', transform } = {}) {
  const root = path.resolve(dir);
  await fs.access(path.join(root, 'index.html'));
  if (!prefix.endsWith('/')) prefix += '/';
  const stats = new Map();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let pathname = decodeURIComponent(url.pathname);
      if (!pathname.startsWith(prefix)) {
        if (pathname + '/' === prefix) return redirect(res, prefix);
        return send(res, 404, 'text/plain', 'not found');
      }
      let rel = pathname.slice(prefix.length) || 'index.html';
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, rel);
      if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'text/plain', 'forbidden');
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      const headers = {
        'content-type': type,
        'cache-control': HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
        vary: 'accept-encoding',
      };
      let body;
      const accepts = req.headers['accept-encoding'] ?? '';
      for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
        if (body || transform || !new RegExp(`\\b${enc}\\b`).test(accepts)) continue;
        body = await fs.readFile(file + ext).catch(() => null);
        if (body) headers['content-encoding'] = enc;
      }
      if (!body) {
        body = await fs.readFile(file);
        if (transform) body = (await transform(rel, body)) ?? body;
      }
      const headOnly = req.method === 'HEAD';
      const st = stats.get(rel) ?? { requests: 0, bytes: 0 };
      st.requests += 1;
      st.bytes += headOnly ? 0 : body.length;
      stats.set(rel, st);
      res.writeHead(200, headers);
      res.end(headOnly ? undefined : body);
    } catch (e) {
      send(res, e.code === 'ENOENT' || e.code === 'EISDIR' ? 404 : 500, 'text/plain', String(e.code ?? e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address();
  return {
    url: `http://${host}:${actual}${prefix}`,
    stats,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function send(res, status, type, body, headOnly = false) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(headOnly ? undefined : body);
}

function redirect(res, location) {
  res.writeHead(301, { location });
  res.end();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = 'dist', port = '8080', host = '127.0.0.1'] = process.argv.slice(2);
  const { url } = await serveDir(dir, { port: Number(port), host });
  console.log(`dmikey demonstrator: serving ${path.resolve(dir)} at ${url}  (Ctrl-C to stop)`);
}
