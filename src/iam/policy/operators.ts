// Condition operators: base operator, set qualifier, IfExists, negation.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
import type { Comparison, OperatorFamily, SetQualifier } from './types';

interface OperatorSpec {
  family: OperatorFamily;
  comparison: Comparison;
  negated: boolean;
}

const op = (family: OperatorFamily, comparison: Comparison, negated = false): OperatorSpec => ({ family, comparison, negated });

export const BASE_OPERATORS = {
  StringEquals: op('String', 'equals'),
  StringNotEquals: op('String', 'equals', true),
  StringEqualsIgnoreCase: op('String', 'equalsIgnoreCase'),
  StringNotEqualsIgnoreCase: op('String', 'equalsIgnoreCase', true),
  StringLike: op('String', 'like'),
  StringNotLike: op('String', 'like', true),
  NumericEquals: op('Numeric', 'equals'),
  NumericNotEquals: op('Numeric', 'equals', true),
  NumericLessThan: op('Numeric', 'lt'),
  NumericLessThanEquals: op('Numeric', 'lte'),
  NumericGreaterThan: op('Numeric', 'gt'),
  NumericGreaterThanEquals: op('Numeric', 'gte'),
  DateEquals: op('Date', 'equals'),
  DateNotEquals: op('Date', 'equals', true),
  DateLessThan: op('Date', 'lt'),
  DateLessThanEquals: op('Date', 'lte'),
  DateGreaterThan: op('Date', 'gt'),
  DateGreaterThanEquals: op('Date', 'gte'),
  Bool: op('Bool', 'equals'),
  BinaryEquals: op('Binary', 'equals'),
  IpAddress: op('IpAddress', 'in'),
  NotIpAddress: op('IpAddress', 'in', true),
  // ArnEquals and ArnLike behave the same: both match each of the six ARN parts with wildcards.
  ArnEquals: op('Arn', 'like'),
  ArnLike: op('Arn', 'like'),
  ArnNotEquals: op('Arn', 'like', true),
  ArnNotLike: op('Arn', 'like', true),
  Null: op('Null', 'null'),
} as const satisfies Record<string, OperatorSpec>;

export type BaseOperator = keyof typeof BASE_OPERATORS;

const byLower = new Map<string, BaseOperator>(
  (Object.keys(BASE_OPERATORS) as BaseOperator[]).map((k) => [k.toLowerCase(), k]),
);

export interface DecomposedOperator {
  base: BaseOperator;
  family: OperatorFamily;
  comparison: Comparison;
  negated: boolean;
  ifExists: boolean;
  set: SetQualifier | null;
  /** The operator was written in another case than AWS documents it. */
  caseDiffers: boolean;
}

export type OperatorProblem = { problem: 'unknown' } | { problem: 'null-if-exists' };

const decomposed = new Map<string, DecomposedOperator | OperatorProblem>();

/** Operator as written → its parts (memoized: policies repeat a handful of operators). */
export function decomposeOperator(text: string): DecomposedOperator | OperatorProblem {
  let hit = decomposed.get(text);
  if (!hit) {
    hit = decompose(text);
    if (decomposed.size >= 10_000) decomposed.clear();
    decomposed.set(text, hit);
  }
  return hit;
}

function decompose(text: string): DecomposedOperator | OperatorProblem {
  let rest = text;
  let set: SetQualifier | null = null;
  let caseDiffers = false;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon);
    const ql = q.toLowerCase();
    if (ql === 'foranyvalue') set = 'ForAnyValue';
    else if (ql === 'forallvalues') set = 'ForAllValues';
    else return { problem: 'unknown' };
    if (q !== set) caseDiffers = true;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    const suffix = rest.slice(-'IfExists'.length);
    if (suffix !== 'IfExists') caseDiffers = true;
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = byLower.get(rest.toLowerCase());
  if (!base) return { problem: 'unknown' };
  if (base !== rest) caseDiffers = true;
  if (base === 'Null' && ifExists) return { problem: 'null-if-exists' };
  const spec = BASE_OPERATORS[base];
  return { base, family: spec.family, comparison: spec.comparison, negated: spec.negated, ifExists, set, caseDiffers };
}
