// The run's range of simulated traffic on the collector (POST /api/simulated,
// examples/collector/README.md): opened before the first visit and closed
// after the last, both on the collector's clock. The collector labels the
// sessions that arrive inside the range as simulated; a visitor after the run
// is real again. (Issue 13: the range used to stay open, so a purchase made
// after a run was counted as simulated.)

const TIMEOUT_MS = 5_000;

/**
 * What the collector's clock read when it answered, from its Date header.
 * The header has whole seconds, so the clock was somewhere in
 * [earliest, latest]. Without a usable header the local clock stands in: the
 * runner only talks to a collector on this machine.
 * @param {string | null | undefined} dateHeader
 * @param {number} localNow
 */
export function collectorTime(dateHeader, localNow) {
  const at = dateHeader ? Date.parse(dateHeader) : NaN;
  if (!Number.isFinite(at)) return { earliest: localNow, latest: localNow };
  return { earliest: at, latest: at + 999 };
}

/**
 * Opens the range: `{ site, from, note }`, `from` no later than the
 * collector's clock now, so no visit of the run can arrive before it. Resolves
 * to a handle whose close() sends `{ site, from, to }` with the same `from`
 * (the collector updates a range by site and from) and `to` no earlier than
 * the collector's clock then; or to null when the collector keeps no ranges.
 * Never throws: a run is worth having unlabelled, and it says so.
 */
export async function openSimulatedRange(base, { site, note, fetch = globalThis.fetch, now = Date.now, log = console }) {
  const url = `${base}/api/simulated`;
  const clock = () => readClock(url, fetch, now);
  const start = { site, from: (await clock()).earliest, note };
  const opened = await send(url, start, fetch);
  if (!opened.ok) {
    if (opened.status === 404) log.warn('note: the collector has no POST /api/simulated (404); this traffic is not marked as simulated');
    else log.warn(`warning: POST /api/simulated answered ${opened.status}; this traffic is not marked as simulated`);
    return null;
  }
  // The collector answers with the range it stored: close that one.
  const key = { site, from: typeof opened.range?.from === 'number' ? opened.range.from : start.from };
  log.log(`the collector marks this traffic as simulated, from ${iso(key.from)} (its clock)`);

  let closing;
  let closed = false;
  const curlToClose = (to) =>
    `curl -X POST ${url} -H 'content-type: application/json' -d '${JSON.stringify({ ...key, to })}'`;
  const close = async () => {
    const to = Math.max(key.from, (await clock()).latest);
    const res = await send(url, { ...key, to }, fetch);
    if (res.ok) {
      closed = true;
      log.log(`simulated traffic ends at ${iso(to)} (the collector's clock); later visits count as real`);
    } else {
      log.warn(`warning: could not close the simulated range (${res.status}); the report says "still running" until it is closed:\n  ${curlToClose(to)}`);
    }
    return res.ok ? { ...key, to } : null;
  };
  return {
    from: key.from,
    /** Closes the range; a second call waits for the first. */
    close: () => (closing ??= close()),
    get closed() {
      return closed;
    },
    /** What to run by hand when the run could not close its range (`to`: now, by this machine's clock: the collector is local). */
    closeCommand: () => curlToClose(Math.max(key.from, now())),
  };
}

async function readClock(url, fetch, now) {
  const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => null);
  return collectorTime(res?.headers.get('date'), now());
}

/** POSTs a range; `{ ok, status, range }`, never throws. */
async function send(url, body, fetch) {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const range = await res.json().catch(() => null);
    return { ok: res.ok, status: res.status, range };
  } catch (err) {
    return { ok: false, status: String(err?.cause?.code ?? err?.message ?? err), range: null };
  }
}

const iso = (ms) => new Date(ms).toISOString();
