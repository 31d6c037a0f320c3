// Serves the benchmark pages and dist/ on 127.0.0.1, and records what the
// collector receives, per run id (`/collect?r=ID`).
import http from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * Starts the server. `page(url)` returns the HTML for a GET (or undefined),
 * `files` maps a path to a file on disk. Resolves to { url, received(id), close() }.
 */
export function startServer({ page, files }) {
  const runs = new Map();
  const received = (id) => {
    if (!runs.has(id)) runs.set(id, { requests: 0, bytes: 0, hits: 0, types: {}, times: [] });
    return runs.get(id);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/collect') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const r = received(url.searchParams.get('r') ?? '');
        r.requests++;
        r.bytes += body.length;
        r.times.push(Date.now());
        try {
          const payload = JSON.parse(body.toString('utf8'));
          r.dropped = (r.dropped ?? 0) + (payload.dropped ?? 0);
          for (const hit of payload.hits) {
            r.hits++;
            r.types[hit.type] = (r.types[hit.type] ?? 0) + 1;
          }
        } catch {
          r.bad = (r.bad ?? 0) + 1;
        }
        res.writeHead(204).end();
      });
      return;
    }
    const html = req.method === 'GET' ? page(url) : undefined;
    if (html !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (files[url.pathname]) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(readFileSync(files[url.pathname]));
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
