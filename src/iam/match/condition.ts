// Condition evaluation with AWS's rules:
// - operators AND, keys under one operator AND, values of one key OR (NOR for negated operators);
// - a missing key: positive operators false, negated true, …IfExists true, ForAllValues true (also for an
//   empty list), ForAnyValue false; Null tests presence;
// - key names case-insensitive (the request context is keyed by lower-case names); value case per operator;
// - policy variables only in 2012-10-17 documents, only in String, Arn and Bool values.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
import type { ConditionClause } from '../policy/types';
import { ipInRange, parseDate, parseIpRange, parseNumber, type IpRange } from '../policy/values';
import { arnLike } from './arn';
import { LITERAL_QUESTION, LITERAL_STAR, globMatch, unmark } from './glob';

/** Request context: lower-case key → values (one for single-valued keys). An empty list counts as absent. */
export interface ContextLookup {
  get(keyLower: string): readonly string[] | undefined;
}

const VAR = /\$\{(?!tf:)([^}]*)\}/g;

/**
 * Substitutes policy variables. Returns null when a variable has no value and no default: the policy
 * value then matches nothing. Substituted text is marked literal so that `*` in it is not a wildcard.
 */
export function substitute(value: string, ctx: ContextLookup): string | null {
  if (!value.includes('${')) return value;
  let missing = false;
  const out = value.replace(VAR, (_m, body: string) => {
    const inner = body.trim();
    if (inner === '*') return LITERAL_STAR;
    if (inner === '?') return LITERAL_QUESTION;
    if (inner === '$') return '$';
    const comma = inner.indexOf(',');
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim().toLowerCase();
    const def = comma < 0 ? null : /^\s*'([^']*)'\s*$/.exec(inner.slice(comma + 1))?.[1] ?? null;
    const v = ctx.get(name);
    const text = v && v.length > 0 ? v[0] : def;
    if (text === null || text === undefined) {
      missing = true;
      return '';
    }
    return text.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
  });
  return missing ? null : out;
}

interface Compiled {
  numbers: (number | null)[];
  dates: (number | null)[];
  ips: (IpRange | null)[];
  hasVariables: boolean;
}

const compiled = new WeakMap<ConditionClause, Compiled>();

function compile(c: ConditionClause): Compiled {
  let hit = compiled.get(c);
  if (!hit) {
    hit = {
      numbers: c.family === 'Numeric' ? c.values.map(parseNumber) : [],
      dates: c.family === 'Date' ? c.values.map(parseDate) : [],
      ips: c.family === 'IpAddress' ? c.values.map(parseIpRange) : [],
      hasVariables: c.values.some((v) => v.includes('${') && !v.startsWith('${tf:')),
    };
    compiled.set(c, hit);
  }
  return hit;
}

function compare(cmp: ConditionClause['comparison'], a: number, b: number): boolean {
  switch (cmp) {
    case 'equals':
      return a === b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return false;
  }
}

/** Does one request value match one policy value, under the clause's positive comparison? */
function valueMatches(c: ConditionClause, comp: Compiled, i: number, requestValue: string, ctx: ContextLookup, variables: boolean): boolean {
  const raw = c.values[i] ?? '';
  switch (c.family) {
    case 'String': {
      const p = variables && comp.hasVariables ? substitute(raw, ctx) : raw;
      if (p === null) return false;
      if (c.comparison === 'like') return globMatch(p, requestValue);
      if (c.comparison === 'equalsIgnoreCase') return unmark(p).toLowerCase() === requestValue.toLowerCase();
      return unmark(p) === requestValue;
    }
    case 'Arn': {
      const p = variables && comp.hasVariables ? substitute(raw, ctx) : raw;
      return p !== null && arnLike(p, requestValue);
    }
    case 'Bool': {
      const p = variables && comp.hasVariables ? substitute(raw, ctx) : raw;
      return p !== null && p.toLowerCase() === requestValue.toLowerCase();
    }
    case 'Binary':
      return raw === requestValue;
    case 'Numeric': {
      const p = comp.numbers[i];
      const r = parseNumber(requestValue);
      return p !== null && p !== undefined && r !== null && compare(c.comparison, r, p);
    }
    case 'Date': {
      const p = comp.dates[i];
      const r = parseDate(requestValue);
      return p !== null && p !== undefined && r !== null && compare(c.comparison, r, p);
    }
    case 'IpAddress': {
      const p = comp.ips[i];
      const r = parseIpRange(requestValue);
      return !!p && !!r && ipInRange(r, p);
    }
    case 'Null':
      return false;
  }
}

function anyPolicyValueMatches(c: ConditionClause, comp: Compiled, requestValue: string, ctx: ContextLookup, variables: boolean): boolean {
  for (let i = 0; i < c.values.length; i++) if (valueMatches(c, comp, i, requestValue, ctx, variables)) return true;
  return false;
}

export function clauseHolds(c: ConditionClause, ctx: ContextLookup, variables: boolean): boolean {
  const got = ctx.get(c.keyLower);
  const absent = got === undefined || got.length === 0;
  if (c.family === 'Null') {
    // Null "true": the key is absent; "false": present. Several values are OR-ed.
    return c.values.some((v) => (v.toLowerCase() === 'true' ? absent : !absent));
  }
  if (c.values.length === 0) {
    // An empty value list "does not affect the policy" for keys that are present: nothing matches them.
    if (c.set === 'ForAnyValue') return false;
    if (c.set === 'ForAllValues' || c.ifExists) return absent;
    return false;
  }
  if (absent) {
    if (c.set === 'ForAllValues') return true;
    if (c.set === 'ForAnyValue') return false;
    if (c.ifExists) return true;
    return c.negated;
  }
  const comp = compile(c);
  const perValue = (v: string) => {
    const m = anyPolicyValueMatches(c, comp, v, ctx, variables);
    return c.negated ? !m : m;
  };
  if (c.set === 'ForAllValues') return got.every(perValue);
  if (c.set === 'ForAnyValue') return got.some(perValue);
  const some = got.some((v) => anyPolicyValueMatches(c, comp, v, ctx, variables));
  return c.negated ? !some : some;
}

export function conditionsHold(clauses: readonly ConditionClause[], ctx: ContextLookup, variables: boolean): boolean {
  for (const c of clauses) if (!clauseHolds(c, ctx, variables)) return false;
  return true;
}
