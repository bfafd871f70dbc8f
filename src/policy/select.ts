// JSONPath selection over a resource view, aware of unknown values. The common sublanguage (names,
// indices, `*`) is walked directly, so that reaching an `Unknown` anywhere on the way makes the
// selection unknown instead of empty; anything richer (`..`, slices, unions) goes to jsonpath-plus
// with script evaluation disabled, so a policy file can never run code.

import { JSONPath } from 'jsonpath-plus';
import { isUnknown, type Unknown } from '../model';

export interface Selected {
  value: unknown;
  /** Steps from the root the path was evaluated on. */
  path: readonly (string | number)[];
}

export interface Selection {
  values: Selected[];
  /** Unknown values met on the way: the selection is incomplete. */
  unknowns: Unknown[];
  /** How many unknowns stand for exactly one selected value each (met where the path ends). */
  unknownValues: number;
}

export interface CompiledPath {
  text: string;
  /** `$`: the resource view; `@`: the current `forEach` element. */
  root: '$' | '@';
  segments: readonly string[];
  /** Walked directly (names, indices, `*`); otherwise evaluated by jsonpath-plus. */
  simple: boolean;
}

const SCRIPT = /^[?(]/;
/** jsonpath-plus reads `@string()`, `@other()` and any other step starting with `@` as a type selector. */
const TYPE_SELECTOR = /^@/;

/** The steps jsonpath-plus reads one by one: a union `[a,b]` is tried part by part. */
function partsOf(segment: string): string[] {
  return SCRIPT.test(segment) || TYPE_SELECTOR.test(segment) ? [segment] : segment.split(',');
}

/** Parses a path; returns a problem description instead when the path is not allowed. */
export function compilePath(text: string): CompiledPath | string {
  if (typeof text !== 'string' || !/^[$@]/.test(text)) return 'a JSONPath must start with `$` (the resource) or `@` (the current element)';
  let segments: string[];
  try {
    segments = JSONPath.toPathArray(text).map(String);
  } catch {
    return 'not a valid JSONPath';
  }
  const [head, ...rest] = segments;
  if (head !== '$' && head !== '@') return 'a JSONPath must start with `$` or `@`';
  const parts = rest.flatMap(partsOf);
  if (parts.some((s) => SCRIPT.test(s))) return 'filter and script expressions (`?()`, `()`) are not allowed; use `forEach` with `when`';
  // Type selectors throw on evaluation (`@other()` needs a callback, unknown types are refused) and
  // end the path wherever they stand, so no policy may use them.
  if (parts.some((s) => TYPE_SELECTOR.test(s))) return 'type selectors (`@string()`, `@other()`, `[@.x]`, …) are not allowed; select the value and compare it with an operator';
  const simple = rest.every((s) => s === '*' || !/^(\.\.|~|\^|@)|[:,]/.test(s));
  return { text, root: head, segments: rest, simple };
}

export function select(path: CompiledPath, root: unknown, current: unknown): Selection {
  const start = path.root === '$' ? root : current;
  const selection: Selection = { values: [], unknowns: [], unknownValues: 0 };
  if (path.simple) walk(start, stepsOf(path.segments), 0, [], selection);
  else viaJsonPath(path, start, selection);
  return selection;
}

/** A segment of the simple sublanguage, read once: a name, an array index (or a name on objects), or `*`. */
type Step = { kind: 'any' } | { kind: 'name'; name: string; index: number | undefined };

const compiledSteps = new WeakMap<readonly string[], readonly Step[]>();

/** Segments are read once per path, not once per resource the path is walked on. */
function stepsOf(segments: readonly string[]): readonly Step[] {
  let steps = compiledSteps.get(segments);
  if (!steps) {
    steps = segments.map((segment): Step => (segment === '*' ? { kind: 'any' } : { kind: 'name', name: segment, index: /^-?[0-9]+$/.test(segment) ? Number(segment) : undefined }));
    compiledSteps.set(segments, steps);
  }
  return steps;
}

/** `trail` is the path so far, shared down the walk: copied only for what is selected. */
function walk(node: unknown, steps: readonly Step[], at: number, trail: (string | number)[], out: Selection): void {
  if (isUnknown(node)) {
    out.unknowns.push(node);
    if (at === steps.length) out.unknownValues += 1;
    return;
  }
  if (at === steps.length) {
    out.values.push({ value: node, path: trail.slice() });
    return;
  }
  const step = steps[at] as Step;
  if (step.kind === 'any') {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        trail.push(i);
        walk(node[i], steps, at + 1, trail, out);
        trail.pop();
      }
    } else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) {
        trail.push(key);
        walk(node[key], steps, at + 1, trail, out);
        trail.pop();
      }
    }
    return;
  }
  if (Array.isArray(node)) {
    if (step.index !== undefined) {
      const index = step.index < 0 ? node.length + step.index : step.index;
      if (index >= 0 && index < node.length) {
        trail.push(index);
        walk(node[index], steps, at + 1, trail, out);
        trail.pop();
      }
    }
    return;
  }
  if (isPlainObject(node) && Object.hasOwn(node, step.name)) {
    trail.push(step.name);
    walk(node[step.name], steps, at + 1, trail, out);
    trail.pop();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value);
}

function viaJsonPath(path: CompiledPath, start: unknown, out: Selection): void {
  // Unknowns on the simple prefix of the path would hide everything below them.
  const prefixLength = path.segments.findIndex((s) => s !== '*' && /^(\.\.|~|\^|@)|[:,]/.test(s));
  const probe: Selection = { values: [], unknowns: [], unknownValues: 0 };
  walk(start, stepsOf(path.segments).slice(0, prefixLength), 0, [], probe);
  out.unknowns.push(...probe.unknowns);
  if (start === null || typeof start !== 'object') return;
  const results = JSONPath({
    path: `$${path.text.slice(1)}`,
    json: start as object,
    eval: false,
    wrap: true,
    resultType: 'all',
  }) as { value: unknown; path: string }[];
  for (const result of results) {
    if (isUnknown(result.value)) {
      out.unknowns.push(result.value);
      out.unknownValues += 1;
    } else out.values.push({ value: result.value, path: JSONPath.toPathArray(result.path).slice(1).map(String) });
  }
}
