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
  if (rest.some((s) => SCRIPT.test(s))) return 'filter and script expressions (`?()`, `()`) are not allowed; use `forEach` with `when`';
  const simple = rest.every((s) => s === '*' || !/^(\.\.|~|\^|@)|[:,]/.test(s));
  return { text, root: head, segments: rest, simple };
}

export function select(path: CompiledPath, root: unknown, current: unknown): Selection {
  const start = path.root === '$' ? root : current;
  const selection: Selection = { values: [], unknowns: [], unknownValues: 0 };
  if (path.simple) walk(start, path.segments, 0, [], selection);
  else viaJsonPath(path, start, selection);
  return selection;
}

function walk(
  node: unknown,
  segments: readonly string[],
  at: number,
  trail: (string | number)[],
  out: Selection,
): void {
  if (isUnknown(node)) {
    out.unknowns.push(node);
    if (at === segments.length) out.unknownValues += 1;
    return;
  }
  if (at === segments.length) {
    out.values.push({ value: node, path: trail });
    return;
  }
  const segment = segments[at] as string;
  if (segment === '*') {
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, segments, at + 1, [...trail, i], out));
    else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) walk(node[key], segments, at + 1, [...trail, key], out);
    }
    return;
  }
  if (Array.isArray(node)) {
    if (/^-?[0-9]+$/.test(segment)) {
      const index = Number(segment) < 0 ? node.length + Number(segment) : Number(segment);
      if (index >= 0 && index < node.length) walk(node[index], segments, at + 1, [...trail, index], out);
    }
    return;
  }
  if (isPlainObject(node) && Object.hasOwn(node, segment)) {
    walk(node[segment], segments, at + 1, [...trail, segment], out);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value);
}

function viaJsonPath(path: CompiledPath, start: unknown, out: Selection): void {
  // Unknowns on the simple prefix of the path would hide everything below them.
  const prefixLength = path.segments.findIndex((s) => s !== '*' && /^(\.\.|~|\^|@)|[:,]/.test(s));
  const probe: Selection = { values: [], unknowns: [], unknownValues: 0 };
  walk(start, path.segments.slice(0, prefixLength), 0, [], probe);
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
