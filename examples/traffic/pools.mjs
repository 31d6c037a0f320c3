// How visits share the machine and the time a run has.

/** Runs `work` on every item, at most `size` at a time, the workers starting `staggerMs` apart. */
export async function pool(items, size, work, stopped = () => false, staggerMs = 0) {
  let next = 0;
  const worker = async (k) => {
    await new Promise((resolve) => setTimeout(resolve, k * staggerMs));
    while (next < items.length && !stopped()) await work(items[next++]).catch(() => {});
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, (_, k) => worker(k)));
}

/**
 * Runs `work` on the items in order, starting the next one as soon as its
 * slots (`slotsOf`, at most `budget`) fit beside those running.
 */
export function schedule(items, budget, slotsOf, work, stopped = () => false) {
  return new Promise((resolve) => {
    let used = 0;
    let running = 0;
    let next = 0;
    const pump = () => {
      while (next < items.length && !stopped()) {
        const slots = Math.min(slotsOf(items[next]), budget);
        if (running > 0 && used + slots > budget + 1e-9) break;
        const item = items[next++];
        used += slots;
        running++;
        Promise.resolve()
          .then(() => work(item))
          .catch(() => {})
          .finally(() => {
            running--;
            used = running === 0 ? 0 : used - slots; // no float drift left behind
            pump();
          });
      }
      if (running === 0 && (next >= items.length || stopped())) resolve();
    };
    pump();
  });
}

/**
 * A run's time limit (`minutes`, 0 for none) from `startedAt`: visits start
 * until `startUntil`, so that most end before `endAt`, when those still under
 * way are cut off. Visits take seconds to a minute, so the last 45 s (a
 * quarter of a short limit) start none.
 */
export function timeLimit(minutes, startedAt) {
  if (!minutes) return { startUntil: Infinity, endAt: Infinity };
  const ms = minutes * 60_000;
  return { startUntil: startedAt + ms - Math.min(45_000, ms / 4), endAt: startedAt + ms };
}
