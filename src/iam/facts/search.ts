// The finite abstraction (notes §1.9, after Zelkova and Access Analyzer's stratified abstraction):
// for each condition key a query depends on, a handful of value classes (absent, each constant, a fresh
// value matching each pattern, a fresh value matching nothing, boundary points); the query is then
// evaluated concretely on each combination. Keys AWS sets from the caller are fixed by the caller and
// not enumerated. Past the budget the answer is "undecidable", never a guess.
import { isMultiValuedKey } from '../catalog/condition-keys';
import type { ContextLookup } from '../match/condition';
import { hasWildcard, instantiate } from '../match/glob';
import type { ConditionClause } from '../policy/types';
import { ipInRange, parseDate, parseIpRange, parseNumber } from '../policy/values';
import { fixedValue } from './strength';

export type Tri = 'yes' | 'no' | 'undecidable';

/** How much of a key's value space the caller can reach. */
export type KeyScope = 'free' | 'outsider' | 'absent';

/** One value class: null = the key is absent. */
export type ValueClass = readonly string[] | null;

export const BUDGET = 4_096;
const FRESH = 'kmsgate-fresh';
const FRESH_ARN = 'arn:aws:iam::000000000000:role/kmsgate-fresh';
const FRESH_IPS = ['198.51.100.77', '2001:db8:ffff::77', '203.0.113.9', '9.9.9.9'];

function literalsAndPatterns(clauses: readonly ConditionClause[], scope: KeyScope): { literals: Set<string>; patterns: Set<string> } {
  const literals = new Set<string>();
  const patterns = new Set<string>();
  for (const c of clauses) {
    for (const v of c.values) {
      if (v.includes('${') && !v.startsWith('${tf:')) continue;
      if ((c.comparison === 'like' || c.family === 'Arn') && hasWildcard(v)) {
        // An outsider cannot produce a value a pinned pattern matches (our org path, our role id).
        if (scope !== 'outsider' || !fixedValue(c.keyLower, c, v)) patterns.add(v);
      }
      else literals.add(v);
    }
  }
  return { literals, patterns };
}

function scalarClasses(clauses: readonly ConditionClause[], scope: KeyScope): string[] {
  const { literals, patterns } = literalsAndPatterns(clauses, scope);
  const out = new Set<string>();
  const arnLikeKey = clauses.some((c) => c.family === 'Arn');
  const fresh = arnLikeKey ? FRESH_ARN : FRESH;
  out.add(fresh);
  for (const p of patterns) {
    for (const filler of ['kmsgatex', 'x']) {
      const v = instantiate(p, filler);
      if (scope === 'free' || !literals.has(v)) {
        out.add(v);
        break;
      }
    }
  }
  if (scope === 'free') for (const l of literals) out.add(l);
  for (const c of clauses) {
    if (c.family === 'Numeric') {
      for (const v of c.values) {
        const n = parseNumber(v);
        if (n !== null) [n - 1, n, n + 1].forEach((x) => out.add(String(x)));
      }
      out.delete(fresh);
      out.add('0');
    } else if (c.family === 'Date') {
      for (const v of c.values) {
        const t = parseDate(v);
        if (t !== null) [t - 1000, t, t + 1000].forEach((x) => out.add(new Date(x).toISOString().replace('.000Z', 'Z')));
      }
    } else if (c.family === 'Bool') {
      out.add('true');
      out.add('false');
    } else if (c.family === 'IpAddress') {
      const ranges = c.values.map(parseIpRange).filter((r) => r !== null);
      for (const r of ranges) {
        const narrow = r.prefix >= (r.version === 4 ? 8 : 32);
        if (scope === 'free' || !narrow) out.add(formatIp(r.bytes, r.version));
      }
      const outside = FRESH_IPS.filter((ip) => {
        const a = parseIpRange(ip);
        return a !== null && !ranges.some((r) => ipInRange(a, r));
      });
      outside.slice(0, 2).forEach((ip) => out.add(ip));
    }
  }
  return [...out];
}

function formatIp(bytes: Uint8Array, version: 4 | 6): string {
  if (version === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/** The value classes of one key, for the clauses that test it. */
export function keyClasses(keyLower: string, clauses: readonly ConditionClause[], scope: KeyScope): ValueClass[] {
  if (scope === 'absent') return [null];
  const scalars = scalarClasses(clauses, scope);
  if (!isMultiValuedKey(keyLower)) return [null, ...scalars.map((s) => [s])];
  const out: ValueClass[] = [null, [FRESH]];
  const nonFresh = scalars.filter((s) => s !== FRESH && s !== FRESH_ARN);
  for (const s of nonFresh) out.push([s]);
  if (nonFresh.length > 1) out.push(nonFresh);
  if (nonFresh.length > 0) out.push([...nonFresh, FRESH]);
  return out;
}

export class Overlay implements ContextLookup {
  constructor(
    private readonly base: ContextLookup,
    private readonly over: Map<string, ValueClass>,
  ) {}
  get(k: string): readonly string[] | undefined {
    if (this.over.has(k)) return this.over.get(k) ?? undefined;
    return this.base.get(k);
  }
}

export interface Dimension {
  key: string;
  classes: readonly ValueClass[];
}

/** Is there a combination of value classes for which `test` holds? */
export function someContext(base: ContextLookup, dims: readonly Dimension[], test: (ctx: ContextLookup) => boolean, budget = BUDGET): Tri {
  let total = 1;
  for (const d of dims) total *= d.classes.length;
  if (total > budget) return 'undecidable';
  const over = new Map<string, ValueClass>();
  const ctx = new Overlay(base, over);
  const idx = dims.map(() => 0);
  for (let n = 0; n < total; n++) {
    dims.forEach((d, i) => over.set(d.key, d.classes[idx[i] ?? 0] ?? null));
    if (test(ctx)) return 'yes';
    for (let i = 0; i < idx.length; i++) {
      const next = (idx[i] ?? 0) + 1;
      if (next < (dims[i]?.classes.length ?? 0)) {
        idx[i] = next;
        break;
      }
      idx[i] = 0;
    }
  }
  return 'no';
}
