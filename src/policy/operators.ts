// The declarative operators of policy tests. Each compares one known value (null when absent) with
// its operand; unknown values never reach them (the evaluator turns those into `unknown`).

import { globMatch } from '../glob';
import type { OperatorName } from './types';

type Compare = (actual: unknown, operand: unknown, ignoreCase: boolean) => boolean;

const fold = (value: unknown, ignoreCase: boolean): unknown =>
  ignoreCase && typeof value === 'string' ? value.toLowerCase() : value;

export function deepEqual(a: unknown, b: unknown, ignoreCase = false): boolean {
  const x = fold(a, ignoreCase);
  const y = fold(b, ignoreCase);
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((element, i) => deepEqual(element, y[i], ignoreCase));
  }
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && !Array.isArray(x) && !Array.isArray(y)) {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    return (
      kx.length === ky.length &&
      kx.every((k) => Object.hasOwn(y, k) && deepEqual((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], ignoreCase))
    );
  }
  return false;
}

/** Numbers and numeric strings (Terraform renders some numbers as strings) compare as numbers. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

const numeric =
  (test: (a: number, b: number) => boolean): Compare =>
  (actual, operand) => {
    const a = asNumber(actual);
    const b = asNumber(operand);
    return a !== undefined && b !== undefined && test(a, b);
  };

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]);

const includes = (haystack: unknown[], needle: unknown, ignoreCase: boolean) =>
  haystack.some((element) => deepEqual(element, needle, ignoreCase));

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && Object.keys(value as object).length === 0);

const globs = (operand: unknown): string[] => list(operand).filter((g): g is string => typeof g === 'string');

export const OPERATOR_FUNCTIONS = {
  equals: (actual, operand, ignoreCase) => deepEqual(actual, operand, ignoreCase),
  notEquals: (actual, operand, ignoreCase) => !deepEqual(actual, operand, ignoreCase),
  in: (actual, operand, ignoreCase) => includes(list(operand), actual, ignoreCase),
  notIn: (actual, operand, ignoreCase) => !includes(list(operand), actual, ignoreCase),
  lessThan: numeric((a, b) => a < b),
  atMost: numeric((a, b) => a <= b),
  greaterThan: numeric((a, b) => a > b),
  atLeast: numeric((a, b) => a >= b),
  exists: (actual, operand) => (actual !== null && actual !== undefined) === operand,
  empty: (actual, operand) => isEmpty(actual) === operand,
  contains: (actual, operand, ignoreCase) =>
    typeof actual === 'string' && typeof operand === 'string'
      ? String(fold(actual, ignoreCase)).includes(String(fold(operand, ignoreCase)))
      : includes(list(actual), operand, ignoreCase),
  containsAny: (actual, operand, ignoreCase) => list(operand).some((o) => includes(list(actual), o, ignoreCase)),
  matches: (actual, operand, ignoreCase) =>
    typeof actual === 'string' && globs(operand).some((g) => globMatch(g, actual, ignoreCase)),
  subsetOf: (actual, operand, ignoreCase) =>
    list(actual).every((element) => typeof element === 'string' && globs(operand).some((g) => globMatch(g, element, ignoreCase))),
} as const satisfies Record<OperatorName, Compare>;
