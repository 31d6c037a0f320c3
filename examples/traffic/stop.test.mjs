// @vitest-environment node
// How a run is told to stop, with a stand-in for `process`.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createStop } from './stop.mjs';

function fakeProcess() {
  const proc = new EventEmitter();
  proc.exitCode = undefined;
  proc.exits = [];
  proc.exit = (code) => proc.exits.push(code);
  return proc;
}
const quiet = { warn() {}, error() {} };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createStop', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('%s stops the run once, with exit code %i, and runs what waits for the stop', async (signal, code) => {
    const proc = fakeProcess();
    const stop = createStop({ proc, log: quiet });
    const calls = [];
    stop.onStop(() => calls.push('first'));
    stop.onStop(() => calls.push('second'));
    expect(stop.reason).toBeUndefined();
    proc.emit(signal);
    await tick();
    expect(stop.reason).toBe(signal);
    expect(proc.exitCode).toBe(code);
    expect(calls).toEqual(['first', 'second']);
    expect(proc.exits).toEqual([]);
  });

  it('runs what asks for the stop after it came at once', async () => {
    const proc = fakeProcess();
    const stop = createStop({ proc, log: quiet });
    proc.emit('SIGTERM');
    let ran = false;
    stop.onStop(() => (ran = true));
    await tick();
    expect(ran).toBe(true);
  });

  it('a second signal leaves at once, after the last words', () => {
    const proc = fakeProcess();
    const stop = createStop({ proc, log: quiet });
    const said = [];
    stop.onLeave(() => said.push('close it by hand'));
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([]);
    proc.emit('SIGINT');
    expect(said).toEqual(['close it by hand']);
    expect(proc.exits).toEqual([130]);
  });

  it('an uncaught error stops the run with exit code 1, and does not make a stopping run leave', async () => {
    const proc = fakeProcess();
    const errors = [];
    const stop = createStop({ proc, log: { warn() {}, error: (m) => errors.push(m) } });
    let stops = 0;
    stop.onStop(() => stops++);
    proc.emit('uncaughtException', new Error('boom'));
    proc.emit('uncaughtException', new Error('boom again'));
    await tick();
    expect(stop.reason).toBe('error');
    expect(proc.exitCode).toBe(1);
    expect(stops).toBe(1);
    expect(proc.exits).toEqual([]);
    expect(errors.join('\n')).toContain('boom again');
  });

  it('a failing stop action is reported, and the others still run', async () => {
    const proc = fakeProcess();
    const warnings = [];
    const stop = createStop({ proc, log: { warn: (m) => warnings.push(m), error() {} } });
    let ran = false;
    stop.onStop(() => {
      throw new Error('browser gone');
    });
    stop.onStop(() => (ran = true));
    proc.emit('SIGINT');
    await tick();
    expect(ran).toBe(true);
    expect(warnings.join('\n')).toContain('while stopping: browser gone');
  });

  it('listens no more after dispose', () => {
    const proc = fakeProcess();
    const stop = createStop({ proc, log: quiet });
    expect(proc.listenerCount('SIGINT')).toBe(1);
    stop.dispose();
    for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException']) expect(proc.listenerCount(event)).toBe(0);
  });
});
