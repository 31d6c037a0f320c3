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

/** An object names exactly one of `keys`. */
const exactlyOne =
  (keys: string[], message: string): ConfigRule['check'] =>
  (o: Record<string, unknown>, report) => {
    if (keys.filter((k) => o[k] !== undefined).length !== 1) report(message);
  };

// Each check is exported on its own so that the script-tag build (configPlan.ts) carries only the functions.
/** A Match object names exactly one way to compare. */
export const oneMatch = exactlyOne(['equals', 'beginsWith', 'regex'], 'give exactly one of equals, beginsWith or regex');
export const clickOrSubmit = exactlyOne(['click', 'submit'], 'give exactly one of click or submit');
export const eventOrOn = exactlyOne(['event', 'on'], 'an event goal needs exactly one of "event" or "on"');

// validRegex and validSelector return what they tried, so that no minifier drops it as unused.
export const validRegex = (source: string, report: Report) => {
  try {
    return new RegExp(source);
  } catch {
    report(`not a valid regular expression: ${JSON.stringify(source)}`);
  }
};

export const validSelector = (s: string, report: Report) => {
  try {
    // A blank selector matches nothing; querySelector throws on one it cannot parse.
    if (s.trim()) return typeof document === 'undefined' || document.createDocumentFragment().querySelector(s);
  } catch {}
  report('not a valid CSS selector');
};

export const safeEndpoint = (s: string, report: Report) => {
  if (/^\s*(javascript|data|vbscript|blob|file):/i.test(s)) report('must be an http(s) or relative URL');
};

// Run even when other fields failed, so one pass lists every problem.
export const hasGoals = (config: { goals?: unknown } | undefined) => Array.isArray(config?.goals);

export const configRules = {
  match: { check: oneMatch },
  regex: { check: validRegex },
  selector: { check: validSelector },
  clickOrSubmit: { check: clickOrSubmit },
  eventOrOn: { check: eventOrOn },
  endpoint: { check: safeEndpoint },
  goalGraph: { check: goalGraph, when: hasGoals },
} satisfies Record<string, ConfigRule>;

/** Micro goals must support existing macro goals; ids are unique. */
export function goalGraph(config: { goals: readonly unknown[] }, report: Report): void {
  type G = { id: string; supports?: unknown };
  // May run on a config that failed elsewhere: look only at goals with a usable id.
  const goals = config.goals.map((g) => (g && typeof g === 'object' && typeof (g as G).id === 'string' ? (g as G) : undefined));
  const seen = new Map<string, number>();
  // In the order of the JSON, each once.
  const macros = new Set<string>();
  goals.forEach((g, i) => {
    if (!g) return;
    if (seen.has(g.id)) report(`duplicate goal id "${g.id}" (also goals[${seen.get(g.id)}])`, ['goals', i, 'id']);
    else seen.set(g.id, i);
    if (g.supports === undefined) macros.add(g.id);
  });
  const known = `(known: ${[...macros].join(', ') || 'none'})`;
  goals.forEach((g, i) => {
    // A supports of the wrong type is reported by the schema already.
    if (!g || (typeof g.supports !== 'string' && !Array.isArray(g.supports))) return;
    const list = ([] as unknown[]).concat(g.supports).filter((s): s is string => typeof s === 'string');
    const path = ['goals', i, 'supports'];
    if (!list.length) report('name at least one macro goal, or leave "supports" out to make this a macro goal', path);
    for (const id of list) {
      if (id === g.id) report(`a goal cannot support itself ("${id}")`, path);
      else if (!macros.has(id)) report(seen.has(id) ? `"${id}" is a micro goal; micro goals support macro goals only ${known}` : `unknown macro goal "${id}" ${known}`, path);
    }
  });
}
