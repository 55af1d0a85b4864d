// A tiny static file server for the release build (dist/): node's http module only, no network,
// the right MIME type for .wasm. Used by the e2e tests and by `scripts/serve`.
//
//   node e2e/serve.mjs [DIR] [PORT] [HOST]        (defaults: dist 8080 127.0.0.1)
//
// As a module: `await serveDir(dir, { port, prefix, transform })` -> { url, close() }.
// `prefix` mounts the site under a sub-folder (to prove relative asset paths work), and
// `transform(relPath, bytes)` lets a negative test corrupt a file on the way out.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
      let body = await fs.readFile(file);
      if (transform) body = (await transform(rel, body)) ?? body;
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      send(res, 200, type, body, req.method === 'HEAD');
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
