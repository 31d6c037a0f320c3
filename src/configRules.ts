/**
 * The config checks a schema of types cannot say: each one written once,
 * with its words. The zod schema (config.ts) attaches them by name; the
 * script-tag build's compact validator (parseWithPlan.ts) runs the same
 * functions, so the two cannot word a problem differently.
 */

/** Reports one problem, at `path` below the value checked. */
export type Report = (message: string, path?: (string | number)[]) => void;

export interface ConfigRule {
  check(value: any, report: Report): void;
  /** Run even when other parts of the value failed, if this holds for the value parsed so far (zod's `when`). */
  when?(value: any): boolean;
}

export type RuleName = keyof typeof configRules;

export const configRules = {
  /** A Match object names exactly one way to compare. */
  match: {
    check(m: Record<string, unknown>, report) {
      const ops = ['equals', 'beginsWith', 'regex'].filter((k) => m[k] !== undefined);
      if (ops.length !== 1) report('give exactly one of equals, beginsWith or regex');
    },
  },
  regex: {
    check(source: string, report) {
      if (!isValidRegex(source)) report(`not a valid regular expression: ${JSON.stringify(source)}`);
    },
  },
  selector: {
    check(s: string, report) {
      if (!isValidSelector(s)) report('not a valid CSS selector');
    },
  },
  clickOrSubmit: {
    check(o: { click?: string; submit?: string }, report) {
      if ((o.click === undefined) === (o.submit === undefined)) report('give exactly one of click or submit');
    },
  },
  eventOrOn: {
    check(g: { event?: unknown; on?: unknown }, report) {
      if ((g.event === undefined) === (g.on === undefined)) report('an event goal needs exactly one of "event" or "on"');
    },
  },
  endpoint: {
    check(s: string, report) {
      if (/^\s*(javascript|data|vbscript|blob|file):/i.test(s)) report('must be an http(s) or relative URL');
    },
  },
  goalGraph: {
    check(config: { goals: unknown[] }, report) {
      checkGoalGraph(config.goals, report);
    },
    // Run even when other fields failed, so one pass lists every problem.
    when: (config) => Array.isArray(config?.goals),
  },
} satisfies Record<string, ConfigRule>;

/** Micro goals must support existing macro goals; ids are unique. */
function checkGoalGraph(input: readonly unknown[], report: Report): void {
  type G = { id: string; supports?: unknown };
  // May run on a config that failed elsewhere: look only at goals with a usable id.
  const goals = input.map((g) => (g && typeof g === 'object' && typeof (g as G).id === 'string' ? (g as G) : undefined));
  const seen = new Map<string, number>();
  goals.forEach((g, i) => {
    if (!g) return;
    const first = seen.get(g.id);
    if (first !== undefined) report(`duplicate goal id "${g.id}" (also goals[${first}])`, ['goals', i, 'id']);
    else seen.set(g.id, i);
  });
  const macros = [...new Set(goals.flatMap((g) => (g && g.supports === undefined ? [g.id] : [])))];
  const known = `(known: ${macros.join(', ') || 'none'})`;
  goals.forEach((g, i) => {
    // A supports of the wrong type is reported by the schema already.
    if (!g || (typeof g.supports !== 'string' && !Array.isArray(g.supports))) return;
    const list = typeof g.supports === 'string' ? [g.supports] : g.supports.filter((s) => typeof s === 'string');
    const path = ['goals', i, 'supports'];
    if (list.length === 0) report('name at least one macro goal, or leave "supports" out to make this a macro goal', path);
    for (const id of list) {
      if (id === g.id) report(`a goal cannot support itself ("${id}")`, path);
      else if (macros.includes(id)) continue;
      else if (seen.has(id)) report(`"${id}" is a micro goal; micro goals support macro goals only ${known}`, path);
      else report(`unknown macro goal "${id}" ${known}`, path);
    }
  });
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function isValidSelector(s: string): boolean {
  if (!s.trim()) return false;
  if (typeof document === 'undefined') return true;
  try {
    document.createDocumentFragment().querySelector(s);
    return true;
  } catch {
    return false;
  }
}
