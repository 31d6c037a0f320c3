// The real collector as `npm run demo` starts it (a Node process on
// 127.0.0.1, a free port, a SQLite file of its own), for the traffic runner's
// test against it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the collector lives; moves with it.
const SERVER = fileURLToPath(new URL('../../../examples/collector/server.mjs', import.meta.url));

export async function startCollectorProcess() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-traffic-'));
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', GOALPOST_DB: path.join(dir, 'goalpost.sqlite') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = /Shop:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`the collector exited (${code}): ${out}`)));
  });
  return {
    base,
    output: () => out,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
