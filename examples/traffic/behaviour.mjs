// The simulated visitors of `npm run demo:traffic`: who they are, what they
// came for, and how a slow page changes their mind. Pure and seeded: the
// browser driver (visit.mjs) asks this module what to do and does it.
//
// Every number here is made up to look plausible and to give a few hundred
// visits enough conversions to show a pattern. In particular, slower visitors
// convert less BECAUSE this model says so: a visitor's patience shrinks with
// the largest contentful paint they waited for (see patience()). A report
// built from this traffic shows that effect; it does not prove it exists in
// the wild. The collector marks this traffic as simulated.

/** Small, fast, seeded PRNG (mulberry32): the same seed plans the same visits. */
export function createRandom(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** true with probability p */
    chance: (p) => next() < p,
    /** an integer in [min, max] */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** a number in [min, max) */
    between: (min, max) => min + next() * (max - min),
    /** one item of a list */
    pick: (list) => list[Math.floor(next() * list.length)],
    /** one key of { key: weight } */
    weighted: (weights) => {
      const entries = Object.entries(weights);
      let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [key, w] of entries) if ((r -= w) < 0) return key;
      return entries[entries.length - 1][0];
    },
  };
}

/**
 * Network and CPU conditions (throughput in bytes/s, latency in ms added to
 * each request), loosely after Chrome DevTools' presets, with how common each
 * is among our visitors. The slow ones have shorter latencies than DevTools'
 * so that a run takes minutes; they still spread landing LCPs over Google's
 * three buckets. `waits`: visits on it spend most of their time waiting for
 * bytes, not using the CPU, so the runner lets more of them run at once.
 */
export const NETWORKS = {
  fiber: { weight: 0.2, latency: 2, download: -1, upload: -1, cpu: 1 },
  cable: { weight: 0.22, latency: 20, download: (10_000_000 / 8) * 0.9, upload: (2_000_000 / 8) * 0.9, cpu: 1 },
  '4g': { weight: 0.2, latency: 150, download: (4_000_000 / 8) * 0.9, upload: (1_500_000 / 8) * 0.9, cpu: 2 },
  'slow-4g': { weight: 0.18, latency: 400, download: (1_600_000 / 8) * 0.9, upload: (750_000 / 8) * 0.9, cpu: 4, waits: true },
  '3g': { weight: 0.12, latency: 800, download: (750_000 / 8) * 0.9, upload: (250_000 / 8) * 0.9, cpu: 4, waits: true },
  'slow-3g': { weight: 0.08, latency: 1400, download: (400_000 / 8) * 0.9, upload: (400_000 / 8) * 0.9, cpu: 6, waits: true },
};

/** Viewports, so the SDK's screen classes (mobile < 768 px, tablet < 1024) all occur. */
export const DEVICES = {
  desktop: { width: 1280, height: 800 },
  tablet: { width: 820, height: 1180 },
  mobile: { width: 390, height: 844 },
};

/** What a visitor came for, before the site's speed has a say. */
export const INTENTS = { bounce: 0.35, browse: 0.28, shop: 0.25, reader: 0.12 };

export const PRODUCTS = ['house-blend', 'yirgacheffe', 'huila-decaf'];

/** Where each kind of visitor lands. */
const LANDINGS = {
  bounce: { '/index.html': 45, '/coffee.html': 15, product: 30, '/blog.html': 10 },
  browse: { '/index.html': 50, '/coffee.html': 20, product: 30 },
  shop: { '/index.html': 40, '/coffee.html': 25, product: 35 },
  reader: { '/blog.html': 80, '/index.html': 20 },
  linger: { '/blog.html': 40, product: 60 },
};

const REFERRERS = { none: 45, 'https://www.google.com/': 35, 'https://news.ycombinator.com/': 8, 'https://www.instagram.com/': 12 };

/**
 * How willing a visitor still is, from 1 (fast page) down towards 0, given
 * the largest contentful paint they waited for, in ms. 1 up to 1.2 s; about
 * 0.8 at 2.5 s, 0.55 at 4 s, 0.35 at 6 s.
 */
export function patience(lcpMs) {
  const late = Math.max(0, lcpMs / 1000 - 1.2);
  return 1 / (1 + late ** 1.5 / 6);
}

/**
 * Plans `visits` visits from one seed, on the given networks (default: all). A share (`lingerShare`) are lingering
 * visitors who stay over a minute, so the engaged-time goal occurs; they are
 * slow to run but idle, so the driver runs them in a pool of their own.
 */
export function planVisits({ visits, seed, lingerShare = 0.05, networks = Object.keys(NETWORKS) }) {
  const rand = createRandom(seed);
  const networkWeights = Object.fromEntries(networks.map((name) => [name, NETWORKS[name].weight]));
  const lingerEvery = lingerShare > 0 ? Math.max(1, Math.round(1 / lingerShare)) : Infinity;
  const plan = [];
  for (let i = 0; i < visits; i++) {
    const network = rand.weighted(networkWeights);
    const slow = network !== 'fiber' && network !== 'cable';
    const device = rand.weighted(slow ? { mobile: 55, tablet: 10, desktop: 35 } : { mobile: 25, tablet: 5, desktop: 70 });
    const intent = (i + 1) % lingerEvery === 0 ? 'linger' : rand.weighted(INTENTS);
    let landing = rand.weighted(LANDINGS[intent]);
    if (landing === 'product') landing = `/products/${rand.pick(PRODUCTS)}.html`;
    const referrer = rand.weighted(REFERRERS);
    plan.push({ n: i + 1, network, device, intent, landing, referrer: referrer === 'none' ? undefined : referrer, seed: (rand.next() * 2 ** 32) >>> 0 });
  }
  return plan;
}

/**
 * The decisions of one visit, taken as it goes. `felt` is the LCP (ms) of the
 * page just loaded, as the visitor experienced it.
 */
export function createVisitor(planned) {
  const rand = createRandom(planned.seed);
  let mood = 1; // the patience left after the slowest page so far
  const notice = (felt) => {
    mood = Math.min(mood, patience(felt));
    return mood;
  };
  return {
    rand,
    notice,
    get mood() {
      return mood;
    },
    /** Leave right after landing? Slow landings turn visitors away. */
    bouncesAfterLanding(felt) {
      const p = notice(felt);
      if (planned.intent === 'bounce') return true;
      if (planned.intent === 'linger') return rand.chance((1 - p) * 0.2);
      return rand.chance((1 - p) * 0.4);
    },
    /** Give up after a slow page on the way? */
    abandonsAfter(felt) {
      return rand.chance((1 - notice(felt)) * 0.15);
    },
    /** Does what they came for with probability p, whatever the speed. */
    wants(p) {
      return rand.chance(p);
    },
    /**
     * Converts (buys, subscribes) with probability p, scaled by what the
     * site's speed left of their patience (down to 0.3 of p).
     */
    converts(p) {
      return rand.chance(p * (0.3 + 0.7 * mood));
    },
    /** A short pause, in ms: quicker than a person, so a few hundred visits take minutes. */
    pause(min = 50, max = 200) {
      return rand.int(min, max);
    },
  };
}

/** Fake but well-formed checkout details. */
export function customer(rand) {
  const first = rand.pick(['Ana', 'Ben', 'Chiara', 'Dmitri', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jan']);
  const last = rand.pick(['Almeida', 'Berg', 'Conti', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ivanova', 'Jansen']);
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}@example.com`.toLowerCase(),
    street: `${rand.pick(['Linden', 'Mühlen', 'Harbour', 'Station', 'Canal'])}street ${rand.int(1, 120)}`,
    postcode: String(rand.int(10000, 99999)),
    city: rand.pick(['Berlin', 'Dublin', 'Lyon', 'Porto', 'Utrecht', 'Vienna', 'Milan']),
    country: rand.pick(['Austria', 'Belgium', 'France', 'Germany', 'Ireland', 'Italy', 'Netherlands', 'Portugal', 'Spain']),
  };
}
