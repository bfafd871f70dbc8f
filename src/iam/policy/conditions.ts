// Condition block: grammar, operator decomposition and the lints AWS (and Access Analyzer) apply.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
import { conditionKeyInfo, isCataloguedPrefix } from '../catalog/condition-keys';
import { decomposeOperator } from './operators';
import { member, index } from './path';
import type { ConditionClause, Diagnostic, PolicyKind } from './types';
import { hasPolicyVariable, parseDate, parseIpRange, parseNumber } from './values';

type Report = (d: Omit<Diagnostic, 'severity'> & { severity?: Diagnostic['severity'] }) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Condition keys lower-cased, once per spelling: policies repeat a few dozen keys. */
const lowered = new Map<string, string>();

function lowerKey(key: string): string {
  let lower = lowered.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowered.size >= 10_000) lowered.clear();
    lowered.set(key, lower);
  }
  return lower;
}

export function parseConditions(raw: unknown, path: string, kind: PolicyKind, variablesEnabled: boolean, report: Report): ConditionClause[] | null {
  if (!isRecord(raw)) {
    report({ code: 'condition-invalid', message: 'Condition must be an object of operators', path });
    return null;
  }
  const clauses: ConditionClause[] = [];
  for (const operator of Object.keys(raw)) {
    const block = raw[operator];
    const opPath = member(path, operator);
    const decomposed = decomposeOperator(operator);
    if ('problem' in decomposed) {
      report(
        decomposed.problem === 'null-if-exists'
          ? { code: 'condition-null-if-exists', message: `${operator}: Null cannot take IfExists`, path: opPath }
          : { code: 'condition-operator-unknown', message: `unknown condition operator "${operator}"; AWS rejects the policy`, path: opPath },
      );
      continue;
    }
    if (decomposed.caseDiffers) {
      report({ severity: 'warning', code: 'condition-operator-case', message: `operator "${operator}" is not written as AWS documents it`, path: opPath });
    }
    if (!isRecord(block)) {
      report({ code: 'condition-invalid', message: `${operator} must map condition keys to values`, path: opPath });
      continue;
    }
    const keys = Object.keys(block);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const rawValues = block[key];
      const keyPath = member(opPath, key);
      const keyLower = lowerKey(key);
      // The last earlier key of the block with the same lower case, if any.
      let dup: string | undefined;
      for (let e = k - 1; e >= 0 && dup === undefined; e--) if (lowerKey(keys[e] as string) === keyLower) dup = keys[e];
      if (dup !== undefined) {
        report({ severity: 'warning', code: 'condition-key-case-duplicate', message: `"${key}" and "${dup}" are the same key (key names are case-insensitive)`, path: keyPath });
      }
      const values: string[] = [];
      let bad = false;
      // A lone value is position -1; holes in a list are skipped, as forEach does.
      const list: readonly unknown[] = Array.isArray(rawValues) ? rawValues : [rawValues];
      for (let i = 0; i < list.length; i++) {
        if (!(i in list)) continue;
        const v = list[i];
        if (typeof v === 'string') values.push(v);
        else if (typeof v === 'number' || typeof v === 'boolean') values.push(String(v));
        else {
          bad = true;
          report({ code: 'condition-value-invalid', message: 'condition values are strings, numbers or booleans', path: Array.isArray(rawValues) ? index(keyPath, i) : keyPath });
        }
      }
      if (bad) continue;
      const info = conditionKeyInfo(key);
      if (!info && isCataloguedPrefix(key)) {
        report({ severity: 'warning', code: 'condition-key-unknown', message: `unknown condition key "${key}": it is never in the request, so the condition is ${decomposed.negated ? 'always true' : 'always false'}`, path: keyPath });
      }
      const { family, set } = decomposed;
      if (values.length === 0) {
        report({ severity: 'warning', code: 'condition-values-empty', message: `${operator} on ${key} has no values: the condition never matches a request that has the key`, path: keyPath });
      }
      if (set === 'ForAllValues' && info && !info.multiValued) {
        report({ severity: 'warning', code: 'condition-forallvalues-single-valued', message: `ForAllValues on single-valued ${key} is true when the key is absent`, path: opPath });
      }
      if (set !== null && family === 'Null') {
        report({ severity: 'warning', code: 'condition-set-on-null', message: `${operator}: a set qualifier on Null makes the result constant`, path: opPath });
      }
      if (kind === 'key' && set === 'ForAllValues' && (keyLower.startsWith('kms:encryptioncontext:') || keyLower.startsWith('aws:requesttag/'))) {
        report({ code: 'condition-overly-permissive', message: `KMS rejects ForAllValues with ${key} (OverlyPermissiveCondition)`, path: opPath });
      }
      if (set === null && info?.multiValued && family !== 'Null') {
        report({ severity: 'warning', code: 'condition-multivalued-without-set', message: `${key} is multivalued: use ForAnyValue: or ForAllValues:`, path: opPath });
      }
      values.forEach((v, i) => {
        const vPath = Array.isArray(rawValues) ? index(keyPath, i) : keyPath;
        const problem = valueProblem(family, v);
        if (problem) report({ code: 'condition-value-invalid', message: `${operator}: ${problem}`, path: vPath });
        if (decomposed.comparison === 'equals' && family === 'String' && (v.includes('*') || v.includes('?')) && !v.startsWith('${tf:')) {
          report({ severity: 'warning', code: 'condition-wildcard-without-like', message: `${operator} treats "*" and "?" literally; use StringLike for a pattern`, path: vPath });
        }
        if (hasPolicyVariable(v)) {
          if (!variablesEnabled) {
            report({ severity: 'warning', code: 'policy-variable-literal', message: 'policy variables are literal text unless Version is 2012-10-17', path: vPath });
          } else if (family !== 'String' && family !== 'Arn' && family !== 'Bool') {
            report({ severity: 'warning', code: 'policy-variable-unsupported', message: `policy variables are not substituted in ${family} conditions`, path: vPath });
          }
        }
      });
      if (family === 'Bool' && values.length > 1) {
        report({ severity: 'warning', code: 'condition-bool-multiple', message: 'Bool takes a single value', path: keyPath });
      }
      clauses.push({
        operator,
        base: decomposed.base,
        family,
        comparison: decomposed.comparison,
        negated: decomposed.negated,
        ifExists: decomposed.ifExists,
        set,
        key,
        keyLower,
        values,
        path: keyPath,
      });
    }
  }
  return clauses;
}

function valueProblem(family: ConditionClause['family'], v: string): string | null {
  if (v.startsWith('${')) return null;
  switch (family) {
    case 'Numeric':
      return parseNumber(v) === null ? `"${v}" is not a number` : null;
    case 'Date':
      return parseDate(v) === null ? `"${v}" is not an ISO 8601 date or epoch seconds` : null;
    case 'Bool':
      return v.toLowerCase() === 'true' || v.toLowerCase() === 'false' ? null : `"${v}" is not true or false`;
    case 'IpAddress':
      return parseIpRange(v) === null ? `"${v}" is not an IPv4 or IPv6 address or CIDR` : null;
    case 'Null':
      return v.toLowerCase() === 'true' || v.toLowerCase() === 'false' ? null : `"${v}" is not true or false`;
    case 'Binary':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? null : `"${v}" is not base64`;
    default:
      return null;
  }
}
