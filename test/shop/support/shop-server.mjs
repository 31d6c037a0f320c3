// A small static server for the shop's own tests and for trying
// examples/traffic/run.mjs before the real collector exists: it serves
// examples/shop/ at /, a goalpost script at /goalpost.iife.js (by default the
// recording fake next to this file), takes beacons at POST /collect and
// answers POST /api/simulated with `simulatedStatus` (404 by default, as a
// collector without that route would). It counts what it served.
//
//   node test/shop/support/shop-server.mjs [port] [--real-sdk]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const shopDir = join(repo, 'examples/shop');
export const FAKE_SDK = fileURLToPath(new URL('./fake-goalpost.js', import.meta.url));
export const REAL_SDK = join(repo, 'dist/goalpost.iife.js');

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

export async function startShopServer({ port = 0, sdk = FAKE_SDK, simulatedStatus = 404 } = {}) {
  const stats = { loads: new Map(), collect: [], collectAt: [], simulated: [], notFound: [] };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && (url.pathname === '/collect' || url.pathname === '/api/simulated')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const text = Buffer.concat(chunks).toString('utf8');
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        if (url.pathname === '/collect') {
          stats.collect.push(body);
          stats.collectAt.push(Date.now());
          res.writeHead(204).end();
        } else {
          stats.simulated.push(body);
          // As the collector answers: the range as stored.
          const range = { id: 1, site: body.site ?? '', from: body.from, to: body.to ?? null, note: body.note ?? null };
          res.writeHead(simulatedStatus, { 'content-type': 'application/json' }).end(JSON.stringify(simulatedStatus < 300 ? range : { error: 'not here' }));
        }
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
      let file;
      if (url.pathname === '/goalpost.iife.js') file = sdk;
      else {
        const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
        file = normalize(join(shopDir, path));
        if (!file.startsWith(shopDir + '/')) return void res.writeHead(403).end();
      }
      if (!file) throw Object.assign(new Error('no sdk'), { code: 'ENOENT' });
      const data = await readFile(file);
      if (file.endsWith('.html') && req.method === 'GET') stats.loads.set(url.pathname, (stats.loads.get(url.pathname) ?? 0) + 1);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': file.endsWith('.html') ? 'no-cache' : 'max-age=600',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch (err) {
      stats.notFound.push(req.url);
      res.writeHead(err?.code === 'ENOENT' || err?.code === 'EISDIR' ? 404 : 500, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    base: `http://127.0.0.1:${address.port}`,
    stats,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8787);
  const sdk = process.argv.includes('--real-sdk') ? REAL_SDK : FAKE_SDK;
  const s = await startShopServer({ port, sdk });
  console.log(`shop at ${s.base}/index.html (goalpost: ${sdk})`);
  process.on('SIGINT', async () => {
    const loads = [...s.stats.loads].map(([p, n]) => `${p} ${n}`).join(', ');
    console.log(`\npage loads: ${loads}\n/collect bodies: ${s.stats.collect.length}, /api/simulated: ${s.stats.simulated.length}`);
    await s.close();
    process.exit(0);
  });
}
