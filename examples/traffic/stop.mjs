// How a run ends early: Ctrl+C (SIGINT), SIGTERM, SIGHUP or an error thrown
// outside any visit. The first stops the run: no new visits, the browser
// closes (ending the visits under way), and the run still closes its
// simulated range and prints its summary. A second signal leaves at once.

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, error: 1 };

/**
 * Listens on `proc` until dispose(). `onStop(fn)` runs fn when the run is
 * told to stop (at once if it already was); `onLeave(fn)` runs fn just before
 * a second signal exits the process.
 */
export function createStop({ proc = process, log = console } = {}) {
  /** @type {keyof typeof EXIT_CODES | undefined} */
  let reason;
  const stopping = [];
  const leaving = [];

  const stop = (why) => {
    if (reason) {
      if (why === 'error') return; // a failing visit while we stop is no reason to leave
      log.warn(`\n${why} again: leaving now`);
      for (const fn of leaving) fn();
      proc.exit(EXIT_CODES[reason]);
      return;
    }
    reason = why;
    proc.exitCode = EXIT_CODES[why];
    log.warn(why === 'error' ? 'stopping after the error above' : `\n${why}: stopping; the visits under way end now (${why} again leaves at once)`);
    for (const fn of stopping) run(fn, log);
  };
  const handlers = {
    SIGINT: () => stop('SIGINT'),
    SIGTERM: () => stop('SIGTERM'),
    SIGHUP: () => stop('SIGHUP'),
    uncaughtException: (err) => {
      log.error(`demo:traffic: ${err?.stack ?? err}`);
      stop('error');
    },
  };
  for (const [event, handler] of Object.entries(handlers)) proc.on(event, handler);

  return {
    /** Why the run was stopped, if it was. */
    get reason() {
      return reason;
    },
    onStop(fn) {
      stopping.push(fn);
      if (reason) run(fn, log);
    },
    onLeave(fn) {
      leaving.push(fn);
    },
    dispose() {
      for (const [event, handler] of Object.entries(handlers)) proc.off(event, handler);
    },
  };
}

function run(fn, log) {
  Promise.resolve()
    .then(fn)
    .catch((err) => log.warn(`while stopping: ${err?.message ?? err}`));
}
