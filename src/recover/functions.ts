// The Terraform functions policies are usually assembled with, with Terraform's semantics
// (https://developer.hashicorp.com/terraform/language/functions). Functions that only move values
// around accept symbolic values; functions that read a string's text do not (their result is Pending).
// Anything not listed here makes the value Pending, naming the function.

import { jsonencode, type GoJson } from './render';
import { holdsSymbol, isPending, isValObject, pending, pendingIn, type Val, type ValObject } from './value';

type Fn = (args: readonly Val[]) => Val;

const list = (v: Val | undefined): readonly Val[] | undefined => (Array.isArray(v) ? (v as readonly Val[]) : undefined);
const text = (v: Val | undefined): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? String(v) : undefined;
const plainText = (v: Val | undefined): string | Val => {
  const t = text(v);
  if (t === undefined) return pending('a string argument that is not a string');
  return holdsSymbol(t) ? pending('a function of the text of a value known only after apply') : t;
};
const same = (a: Val, b: Val) => JSON.stringify(a) === JSON.stringify(b);

/** cty orders sets of strings lexically and maps by key. */
const sortedKeys = (o: ValObject) => Object.keys(o).sort();

function stringFn(fn: (s: string, rest: readonly Val[]) => Val): Fn {
  return ([s, ...rest]) => {
    const value = plainText(s);
    return typeof value === 'string' ? fn(value, rest) : value;
  };
}

function format(spec: string, args: readonly Val[]): Val {
  let i = 0;
  let failed: Val | undefined;
  const out = spec.replace(/%(%|[-+ #0]*\d*(?:\.\d+)?[sdvqft])/g, (match, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    const letter = verb[verb.length - 1];
    if (letter === 's' || letter === 'v') {
      const t = text(arg);
      if (t === undefined) failed ??= pending(`format ${match} of a value that is not a string`);
      return t ?? '';
    }
    if (letter === 'd' && typeof arg === 'number') return String(Math.trunc(arg));
    if (letter === 'q' && typeof arg === 'string') return JSON.stringify(arg);
    failed ??= pending(`format verb ${match} is not supported`);
    return '';
  });
  return failed ?? out;
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  jsonencode: ([v]) => jsonencode((v ?? null) as GoJson),
  jsondecode: stringFn((s) => {
    try {
      return JSON.parse(s) as Val;
    } catch {
      return pending('jsondecode of text that is not JSON');
    }
  }),
  concat: (args) => (args.every((a) => list(a)) ? args.flatMap((a) => list(a) ?? []) : pending('concat of a value that is not a list')),
  merge: (args) => {
    const out: Record<string, Val> = {};
    for (const a of args) {
      if (a === null) continue;
      if (!isValObject(a)) return pending('merge of a value that is not a map or object');
      Object.assign(out, a);
    }
    return out;
  },
  flatten: ([v]) => {
    const flat = (items: readonly Val[]): Val[] => items.flatMap((x) => (Array.isArray(x) ? flat(x as readonly Val[]) : [x]));
    return list(v) ? flat(list(v)!) : pending('flatten of a value that is not a list');
  },
  distinct: ([v]) => (list(v) ? list(v)!.filter((x, i, all) => all.findIndex((y) => same(x, y)) === i) : pending('distinct of a value that is not a list')),
  compact: ([v]) => (list(v) ? list(v)!.filter((x) => x !== null && x !== '') : pending('compact of a value that is not a list')),
  join: ([separator, v]) => {
    const items = list(v)?.map(text);
    if (typeof separator !== 'string' || !items || items.some((t) => t === undefined)) return pending('join of values that are not strings');
    return items.join(separator);
  },
  format: ([spec, ...args]) => (typeof spec === 'string' ? format(spec, args) : pending('format without a format string')),
  lookup: ([map, key, fallback]) => {
    if (!isValObject(map) || typeof key !== 'string') return pending('lookup in a value that is not a map');
    return key in map ? map[key]! : fallback === undefined ? pending(`lookup of a missing key ${key}`) : fallback;
  },
  element: ([v, i]) => {
    const items = list(v);
    if (!items || typeof i !== 'number' || items.length === 0) return pending('element of a value that is not a list');
    return items[((i % items.length) + items.length) % items.length]!;
  },
  one: ([v]) => {
    const items = list(v);
    return !items || items.length > 1 ? pending('one() of more than one element') : (items[0] ?? null);
  },
  length: ([v]) => {
    if (list(v)) return list(v)!.length;
    if (isValObject(v)) return Object.keys(v).length;
    const value = plainText(v);
    return typeof value === 'string' ? [...value].length : value;
  },
  keys: ([v]) => (isValObject(v) ? sortedKeys(v) : pending('keys of a value that is not a map')),
  values: ([v]) => (isValObject(v) ? sortedKeys(v).map((k) => v[k]!) : pending('values of a value that is not a map')),
  contains: ([v, x]) => {
    const items = list(v);
    if (!items) return pending('contains of a value that is not a list');
    if (items.some((y) => same(x ?? null, y))) return true;
    return [x, ...items].some((y) => typeof y === 'string' && holdsSymbol(y)) ? pending('contains with a value known only after apply') : false;
  },
  zipmap: ([k, v]) => {
    const keys = list(k)?.map(text);
    const values = list(v);
    if (!keys || !values || keys.some((t) => t === undefined)) return pending('zipmap of values that are not lists');
    return Object.fromEntries(keys.map((key, i) => [key!, values[i] ?? null]));
  },
  reverse: ([v]) => (list(v) ? [...list(v)!].reverse() : pending('reverse of a value that is not a list')),
  sort: ([v]) => {
    const items = list(v)?.map(text);
    return items && items.every((t) => t !== undefined) ? [...(items as string[])].sort() : pending('sort of values that are not strings');
  },
  tolist: ([v]) => (list(v) ? v! : pending('tolist of a value that is not a list')),
  toset: ([v]) => {
    const items = list(v);
    if (!items) return pending('toset of a value that is not a list');
    const unique = items.filter((x, i, all) => all.findIndex((y) => same(x, y)) === i);
    return unique.every((x) => typeof x === 'string') ? [...(unique as string[])].sort() : unique;
  },
  tomap: ([v]) => (isValObject(v) ? v : pending('tomap of a value that is not an object')),
  tostring: ([v]) => text(v) ?? (v === null ? null : pending('tostring of a value that is not a string')),
  coalesce: (args) => args.find((a) => a !== null && a !== '') ?? pending('coalesce with no value'),
  coalescelist: (args) => args.find((a) => (list(a)?.length ?? 0) > 0) ?? pending('coalescelist with no list'),
  lower: stringFn((s) => s.toLowerCase()),
  upper: stringFn((s) => s.toUpperCase()),
  trimspace: stringFn((s) => s.trim()),
  title: stringFn((s) => s.replace(/\b\w/g, (c) => c.toUpperCase())),
  split: stringFn((s, [sep]) => (typeof sep === 'string' ? s.split(sep) : pending('split without a separator'))),
  replace: stringFn((s, [search, replacement]) => {
    if (typeof search !== 'string' || typeof replacement !== 'string') return pending('replace with arguments that are not strings');
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) return pending('replace with a regular expression');
    return s.split(search).join(replacement);
  }),
  startswith: stringFn((s, [prefix]) => (typeof prefix === 'string' ? s.startsWith(prefix) : pending('startswith'))),
  endswith: stringFn((s, [suffix]) => (typeof suffix === 'string' ? s.endsWith(suffix) : pending('endswith'))),
  trimprefix: stringFn((s, [p]) => (typeof p === 'string' && s.startsWith(p) ? s.slice(p.length) : s)),
  trimsuffix: stringFn((s, [p]) => (typeof p === 'string' && p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s)),
};

export function callFunction(name: string, args: readonly Val[]): Val {
  const fn = FUNCTIONS[name.replace(/^provider::[^:]+::/, '')];
  if (!fn) return pending(`${name}() is not evaluated`);
  // jsonencode and the collection functions keep Pending parts inside; the rest need whole values.
  const shallow = ['concat', 'merge', 'flatten', 'compact', 'element', 'one', 'tolist', 'tomap', 'lookup', 'keys', 'values', 'reverse', 'coalesce', 'coalescelist'];
  const waiting = shallow.includes(name) ? args.find(isPending) : args.map((a) => pendingIn(a)).find(Boolean);
  return waiting ?? fn(args);
}
