// The Principal, Action and Resource elements of a statement: grammar per policy kind, normalized.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
import { expandActionPattern, kmsAction } from '../catalog/actions';
import { index, member } from './path';
import { classifyPrincipal, type PrincipalField } from './principal';
import type { ActionElement, Diagnostic, PolicyKind, PrincipalElement, PrincipalValue, ResourceElement } from './types';

const PRINCIPAL_FIELDS: readonly PrincipalField[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export type Report = (d: Omit<Diagnostic, 'severity'> & { severity?: Diagnostic['severity'] }) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** undefined when the element is malformed. */
export function parsePrincipalElement(raw: Record<string, unknown>, path: string, kind: PolicyKind, isAllow: boolean, report: Report): PrincipalElement | null | undefined {
  const hasP = raw['Principal'] !== undefined;
  const hasN = raw['NotPrincipal'] !== undefined;
  if (kind === 'identity' || kind === 'scp') {
    if (hasP || hasN) {
      const name = hasP ? 'Principal' : 'NotPrincipal';
      report({ code: 'principal-not-allowed', message: `${kind === 'scp' ? 'SCPs' : 'identity policies'} cannot have ${name}: they apply to the principals they are attached to`, path: `${path}.${name}` });
    }
    return null;
  }
  if (hasP && hasN) {
    report({ code: 'principal-both', message: 'a statement has Principal or NotPrincipal, not both', path });
    return undefined;
  }
  if (!hasP && !hasN) {
    if (kind === 'key') {
      report({ code: 'principal-missing', message: 'a key policy statement needs Principal or NotPrincipal', path });
      return undefined;
    }
    // A VPC endpoint policy without Principal applies to every principal.
    report({ severity: 'warning', code: 'principal-missing', message: 'no Principal: the statement applies to every principal; write "Principal": "*"', path });
    return { negated: false, values: [classifyAny()] };
  }
  const name = hasP ? 'Principal' : 'NotPrincipal';
  const elPath = `${path}.${name}`;
  const value = raw[name];
  if (hasN) {
    report({
      severity: 'warning',
      code: isAllow ? 'not-principal-allow' : 'not-principal-deny',
      message: isAllow
        ? 'Allow with NotPrincipal grants every principal not listed, in every account'
        : 'Deny with NotPrincipal exempts a caller only when every identity it has (account, role, session) is listed; prefer Principal "*" with ArnNotEquals aws:PrincipalArn',
      path: elPath,
    });
  }
  const values: PrincipalValue[] = [];
  let ok = true;
  const add = (text: unknown, field: PrincipalField, p: string) => {
    if (typeof text !== 'string') {
      report({ code: 'principal-invalid', message: 'principal values are strings', path: p });
      ok = false;
      return;
    }
    const c = classifyPrincipal(text, field);
    if ('error' in c) {
      report({ code: c.error === 'partial-wildcard' ? 'principal-partial-wildcard' : 'principal-invalid', message: c.detail, path: p });
      ok = false;
      return;
    }
    if (c.value.type === 'federated' || c.value.type === 'canonical-user') {
      report({ severity: 'warning', code: 'principal-not-for-kms', message: `${field} principals never call KMS; the value matches nothing`, path: p });
    }
    values.push(c.value);
  };
  if (typeof value === 'string') {
    if (value !== '*') {
      report({ code: 'principal-invalid', message: `a bare-string ${name} may only be "*"; write {"AWS": "${value}"}`, path: elPath });
      return undefined;
    }
    values.push(classifyAny());
  } else if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) report({ severity: 'warning', code: 'principal-empty', message: `an empty ${name} matches no principal`, path: elPath });
    for (const [field, v] of entries) {
      const fPath = member(elPath, field);
      if (!(PRINCIPAL_FIELDS as readonly string[]).includes(field)) {
        report({ code: 'principal-invalid', message: `unknown principal type "${field}" (AWS, Service, Federated, CanonicalUser)`, path: fPath });
        ok = false;
        continue;
      }
      const f = field as PrincipalField;
      if (Array.isArray(v)) {
        if (v.length === 0) report({ severity: 'warning', code: 'principal-empty', message: `an empty ${field} list matches no principal`, path: fPath });
        v.forEach((x, j) => add(x, f, index(fPath, j)));
      } else add(v, f, fPath);
    }
  } else {
    report({ code: 'principal-invalid', message: `${name} is "*" or an object such as {"AWS": [...]}`, path: elPath });
    return undefined;
  }
  if (!ok) return undefined;
  return { negated: hasN, values };
}

function classifyAny(): PrincipalValue {
  return { raw: '*', field: '*', type: 'any', account: null, name: null, path: null, session: null, id: '*' };
}

function stringList(value: unknown, p: string, what: string, report: Report): string[] | null {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  let ok = true;
  list.forEach((v, j) => {
    if (typeof v !== 'string') {
      report({ code: `${what}-invalid`, message: `${what} values are strings`, path: Array.isArray(value) ? index(p, j) : p });
      ok = false;
    } else out.push(v);
  });
  return ok ? out : null;
}

export function parseActionElement(raw: Record<string, unknown>, path: string, kind: PolicyKind, report: Report): ActionElement | null {
  const hasA = raw['Action'] !== undefined;
  const hasN = raw['NotAction'] !== undefined;
  if (hasA && hasN) {
    report({ code: 'action-both', message: 'a statement has Action or NotAction, not both', path });
    return null;
  }
  if (!hasA && !hasN) {
    report({ code: 'action-missing', message: 'the statement has no Action or NotAction', path });
    return null;
  }
  const name = hasA ? 'Action' : 'NotAction';
  const elPath = `${path}.${name}`;
  const value = raw[name];
  const patterns = stringList(value, elPath, 'action', report);
  if (patterns === null) return null;
  if (patterns.length === 0) report({ severity: 'warning', code: 'action-empty', message: `an empty ${name} matches no action`, path: elPath });
  let kmsMatched = false;
  patterns.forEach((pat, j) => {
    const p = Array.isArray(value) ? index(elPath, j) : elPath;
    if (pat !== '*' && !/^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/.test(pat)) {
      report({ code: 'action-invalid', message: `"${pat}" is not "*" or service:Action`, path: p });
      return;
    }
    const e = expandActionPattern(pat);
    if (e.unknownKms) {
      report({ code: 'action-unknown', message: `"${pat}" matches no KMS action: a typo matches nothing (or an action newer than the catalogue)`, path: p });
    }
    if (e.kms.length > 0) kmsMatched = true;
    if (kind === 'key' && hasA && e.kms.length > 0 && e.kms.every((n) => kmsAction(n)?.iamOnly)) {
      report({ severity: 'warning', code: 'action-iam-only', message: `"${pat}" can only be allowed in an IAM policy; a key policy cannot grant it`, path: p });
    }
  });
  if ((kind === 'key' || kind === 'endpoint') && hasA && patterns.length > 0 && !kmsMatched && patterns.every((p) => !expandActionPattern(p).unknownKms)) {
    report({ severity: 'warning', code: 'action-not-kms', message: `no action here is a KMS action: the statement has no effect in ${kind === 'key' ? 'a key policy' : 'a KMS endpoint policy'}`, path: elPath });
  }
  return { negated: hasN, patterns };
}

export function parseResourceElement(raw: Record<string, unknown>, path: string, kind: PolicyKind, report: Report): ResourceElement | null {
  const hasR = raw['Resource'] !== undefined;
  const hasN = raw['NotResource'] !== undefined;
  if (hasR && hasN) {
    report({ code: 'resource-both', message: 'a statement has Resource or NotResource, not both', path });
    return null;
  }
  if (!hasR && !hasN) {
    if (kind === 'key' || kind === 'endpoint') {
      // KMS accepts such a statement but it has no effect (key-policy-overview, "Resource").
      report({ severity: 'warning', code: 'resource-missing', message: 'the statement has no Resource, so it has no effect; use "Resource": "*"', path });
    } else {
      report({ code: 'resource-missing', message: 'the statement needs Resource or NotResource', path });
    }
    return null;
  }
  const name = hasR ? 'Resource' : 'NotResource';
  const elPath = `${path}.${name}`;
  const patterns = stringList(raw[name], elPath, 'resource', report);
  if (patterns === null) return null;
  if (patterns.length === 0) report({ severity: 'warning', code: 'resource-empty', message: `an empty ${name} matches no resource`, path: elPath });
  patterns.forEach((pat, j) => {
    const p = Array.isArray(raw[name]) ? index(elPath, j) : elPath;
    if (pat !== '*' && !pat.startsWith('arn:') && !pat.startsWith('${')) {
      report({ code: 'resource-invalid', message: `"${pat}" is not "*" or an ARN`, path: p });
    }
  });
  return { negated: hasN, patterns };
}
