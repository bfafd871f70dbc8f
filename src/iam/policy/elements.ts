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
  if (typeof value === 'string') {
    if (value !== '*') {
      report({ code: 'principal-invalid', message: `a bare-string ${name} may only be "*"; write {"AWS": "${value}"}`, path: elPath });
      return undefined;
    }
    values.push(classifyAny());
  } else if (isRecord(value)) {
    const fields = Object.keys(value);
    if (fields.length === 0) report({ severity: 'warning', code: 'principal-empty', message: `an empty ${name} matches no principal`, path: elPath });
    for (const field of fields) {
      const v = value[field];
      const fPath = member(elPath, field);
      if (!(PRINCIPAL_FIELDS as readonly string[]).includes(field)) {
        report({ code: 'principal-invalid', message: `unknown principal type "${field}" (AWS, Service, Federated, CanonicalUser)`, path: fPath });
        ok = false;
        continue;
      }
      const f = field as PrincipalField;
      if (Array.isArray(v)) {
        if (v.length === 0) report({ severity: 'warning', code: 'principal-empty', message: `an empty ${field} list matches no principal`, path: fPath });
        // Holes are skipped, as forEach does.
        for (let j = 0; j < v.length; j++) if (j in v && !addPrincipal(v[j], f, fPath, j, values, report)) ok = false;
      } else if (!addPrincipal(v, f, fPath, -1, values, report)) ok = false;
    }
  } else {
    report({ code: 'principal-invalid', message: `${name} is "*" or an object such as {"AWS": [...]}`, path: elPath });
    return undefined;
  }
  if (!ok) return undefined;
  return { negated: hasN, values };
}

/** The path of a list element, or of the lone value (`j` -1). */
function at(path: string, j: number): string {
  return j < 0 ? path : index(path, j);
}

/** Classifies one principal value into `values`; false when it is malformed. Its path is spelled out only for a diagnostic. */
function addPrincipal(text: unknown, field: PrincipalField, fPath: string, j: number, values: PrincipalValue[], report: Report): boolean {
  if (typeof text !== 'string') {
    report({ code: 'principal-invalid', message: 'principal values are strings', path: at(fPath, j) });
    return false;
  }
  const c = classified(text, field);
  if ('error' in c) {
    report({ code: c.error === 'partial-wildcard' ? 'principal-partial-wildcard' : 'principal-invalid', message: c.detail, path: at(fPath, j) });
    return false;
  }
  if (c.value.type === 'federated' || c.value.type === 'canonical-user') {
    report({ severity: 'warning', code: 'principal-not-for-kms', message: `${field} principals never call KMS; the value matches nothing`, path: at(fPath, j) });
  }
  values.push(c.value);
  return true;
}

/** Service principals and "*" recur across policies: their (immutable) values are shared. */
const sharedValues = new Map<string, ReturnType<typeof classifyPrincipal>>();

function classified(text: string, field: PrincipalField): ReturnType<typeof classifyPrincipal> {
  if (field !== 'Service' && text !== '*') return classifyPrincipal(text, field);
  const key = `${field}\u0000${text}`;
  let hit = sharedValues.get(key);
  if (!hit) {
    hit = classifyPrincipal(text, field);
    if (sharedValues.size >= 5_000) sharedValues.clear();
    sharedValues.set(key, hit);
  }
  return hit;
}

const ANY: PrincipalValue = { raw: '*', field: '*', type: 'any', account: null, name: null, path: null, session: null, id: '*' };

function classifyAny(): PrincipalValue {
  return ANY;
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
  const value = raw[name];
  const node = trieFor(kind, hasA ? 0 : 1, value);
  if (node?.element) return node.element as ActionElement;
  const r = watched(report);
  const made = actionElement(value, `${path}.${name}`, name, hasA, kind, r.report);
  if (made && r.clean && node) node.element = made;
  return made;
}

/**
 * Elements are validated and normalized from their own text only: one that drew no diagnostic is kept
 * and shared by every later statement with the same text (policies from templates repeat them). Kept
 * in a trie per kind, element name and form (string or list), one level per pattern: no key to build.
 */
interface Trie {
  next: Map<string, Trie> | null;
  element: ActionElement | ResourceElement | null;
}

let trieNodes = 0;

/** Trie roots by kind, element (Action, NotAction, Resource, NotResource) and form (string, list): fixed. */
const ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;
const roots = new Map<PolicyKind, Trie[]>();

function trieRoot(kind: PolicyKind, element: number, list: boolean): Trie {
  let perKind = roots.get(kind);
  if (!perKind) {
    perKind = ELEMENTS.flatMap((): Trie[] => [
      { next: null, element: null },
      { next: null, element: null },
    ]);
    roots.set(kind, perKind);
  }
  const root = perKind[element * 2 + (list ? 1 : 0)];
  if (!root) throw new Error(`no trie for element ${element}`);
  return root;
}

function step(node: Trie, pattern: string): Trie {
  const next = (node.next ??= new Map());
  let child = next.get(pattern);
  if (!child) {
    child = { next: null, element: null };
    next.set(pattern, child);
    trieNodes++;
  }
  return child;
}

function trieFor(kind: PolicyKind, element: number, value: unknown): Trie | null {
  if (trieNodes >= 50_000) {
    roots.clear();
    trieNodes = 0;
  }
  if (typeof value === 'string') return step(trieRoot(kind, element, false), value);
  if (!Array.isArray(value)) return null;
  let node = trieRoot(kind, element, true);
  for (const pattern of value) {
    if (typeof pattern !== 'string') return null;
    node = step(node, pattern);
  }
  return node;
}

/** A report that remembers whether anything was reported: only clean elements are shared. */
function watched(report: Report): { report: Report; clean: boolean } {
  const w = {
    clean: true,
    report: (d: Parameters<Report>[0]) => {
      w.clean = false;
      report(d);
    },
  };
  return w;
}

function actionElement(value: unknown, elPath: string, name: string, hasA: boolean, kind: PolicyKind, report: Report): ActionElement | null {
  const hasN = !hasA;
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
  const value = raw[name];
  const node = trieFor(kind, hasR ? 2 : 3, value);
  if (node?.element) return node.element as ResourceElement;
  const r = watched(report);
  const made = resourceElement(value, `${path}.${name}`, name, hasN, r.report);
  if (made && r.clean && node) node.element = made;
  return made;
}

function resourceElement(value: unknown, elPath: string, name: string, hasN: boolean, report: Report): ResourceElement | null {
  const patterns = stringList(value, elPath, 'resource', report);
  if (patterns === null) return null;
  if (patterns.length === 0) report({ severity: 'warning', code: 'resource-empty', message: `an empty ${name} matches no resource`, path: elPath });
  patterns.forEach((pat, j) => {
    const p = Array.isArray(value) ? index(elPath, j) : elPath;
    if (pat !== '*' && !pat.startsWith('arn:') && !pat.startsWith('${')) {
      report({ code: 'resource-invalid', message: `"${pat}" is not "*" or an ARN`, path: p });
    }
  });
  return { negated: hasN, patterns };
}
