// zod v4 probes `new Function` on first use to decide whether it may JIT;
// a strict Content Security Policy reports that probe as a violation.
// Every module that builds a schema imports z from here, so jitless is set
// before any schema exists.
import * as z from 'zod/mini';

z.config({ jitless: true });

export { z };
