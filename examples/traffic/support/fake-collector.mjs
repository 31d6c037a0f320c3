// A stand-in collector for the traffic runner's unit tests, on 127.0.0.1: it
// records what is posted to /api/simulated and answers as the collector does
// (the range as stored), with its clock `aheadMs` ahead of this machine's, so
// a test can tell the collector's clock from the runner's. It serves the two
// files the runner checks before it starts (HEAD /index.html, /goalpost.iife.js).
import { createServer } from 'node:http';

export async function startFakeCollector({ aheadMs = 0, simulatedStatus = 200, closeStatus = simulatedStatus } = {}) {
  const posts = [];
  /** Every request: method, path and the collector's clock when it answered. */
  const requests = [];
  const clock = () => Date.now() + aheadMs;
  const server = createServer(async (req, res) => {
    res.sendDate = false;
    res.setHeader('date', new Date(clock()).toUTCString());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, at: clock() });
    if (url.pathname === '/api/simulated' && req.method === 'POST') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      posts.push({ body, at: clock(), contentType: req.headers['content-type'] });
      const status = body.to === undefined ? simulatedStatus : closeStatus;
      const range = { id: 1, site: body.site ?? '', from: body.from ?? clock(), to: body.to ?? null, note: body.note ?? null };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status < 300 ? range : { error: 'no' }));
      return;
    }
    if (req.method === 'HEAD' && (url.pathname === '/index.html' || url.pathname === '/goalpost.iife.js' || url.pathname === '/api/simulated')) {
      res.writeHead(200).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    posts,
    requests,
    /** The collector's clock now. */
    clock,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
