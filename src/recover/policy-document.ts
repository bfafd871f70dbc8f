// The JSON `data.aws_iam_policy_document` writes, rebuilt from its arguments the way the provider's
// read function does (internal/service/iam/policy_document_data_source.go and policy_model.go in
// hashicorp/terraform-provider-aws 5.x): source documents merged first, then the document's own
// statements, then overrides, a statement replacing an earlier one with the same Sid; single-element
// lists written as strings, action/resource/identifier lists sorted in reverse, principals grouped by
// type, `{"*": ["*"]}` alone written as `"*"`, condition values kept in order.

import { unmarshalDocument } from './policy-document-decode';
import { compareKeys, renderJson, type GoJson } from './render';

/** The `version` argument's default. */
export const DEFAULT_VERSION = '2012-10-17';

export interface PrincipalInput {
  type: string;
  identifiers: readonly string[];
}

export interface ConditionInput {
  test: string;
  variable: string;
  values: readonly string[];
}

/** A `statement` block, with the provider's defaults applied (`effect` Allow) and sets deduplicated. */
export interface StatementInput {
  sid: string;
  effect: string;
  actions: readonly string[];
  notActions: readonly string[];
  resources: readonly string[];
  notResources: readonly string[];
  principals: readonly PrincipalInput[];
  notPrincipals: readonly PrincipalInput[];
  conditions: readonly ConditionInput[];
}

export interface DocumentInput {
  version: string;
  policyId: string;
  statements: readonly StatementInput[];
  /** `source_policy_documents`, then `override_policy_documents`: JSON texts (null elements are skipped). */
  sources: readonly (string | null)[];
  overrides: readonly (string | null)[];
}

export type Identifiers = string | string[];

export interface GoPrincipal {
  type: string;
  identifiers: Identifiers;
}

export interface GoCondition {
  test: string;
  variable: string;
  values: Identifiers;
}

export interface GoStatement {
  sid: string;
  effect: string;
  action?: GoJson;
  notAction?: GoJson;
  resource?: GoJson;
  notResource?: GoJson;
  principals: GoPrincipal[];
  notPrincipals: GoPrincipal[];
  conditions: GoCondition[];
}

export interface GoDocument {
  version: string;
  id: string;
  statements: GoStatement[];
}

/** What the provider reports instead of a document (duplicate Sid, a source that is not a policy…). */
export class DocumentError {
  constructor(readonly message: string) {}
}

const reverseSorted = (list: readonly string[]): string[] => [...list].sort((a, b) => compareKeys(b, a));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE) of the UTF-8 bytes of a string, as Go's crc32.ChecksumIEEE. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The order the provider reads a set in: terraform-plugin-sdk keys each element by the decimal text
 * of a CRC-32 of its serialisation (`schema.SerializeResourceForHash`) and lists them sorted as text.
 * It decides the order of principals of one type, or values of one condition, written in several blocks.
 */
function sdkSetOrder<T>(items: readonly T[], serialize: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, code: String(crc32(serialize(item))) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map(({ item }) => item);
}

const stringSet = (list: readonly string[]): string => `{${sdkSetOrder(list, (s) => `${s};`).map((s) => `${s};`).join('')}};`;

const principalCode = (p: PrincipalInput): string => `identifiers:${stringSet(p.identifiers)}type:${p.type};`;

const conditionCode = (c: ConditionInput): string => `test:${c.test};values:(${c.values.map((v) => `${v};`).join('')});variable:${c.variable};`;

/** `policyDecodeConfigStringList`: one element is a string, several are sorted in reverse. */
function decodeList(list: readonly string[]): Identifiers {
  return list.length === 1 ? list[0]! : reverseSorted(list);
}

/** `&{aws:username}` stands for the policy variable `${aws:username}`, which HCL would interpolate. */
function replaceVariables(value: Identifiers, version: string): Identifiers | DocumentError {
  const list = typeof value === 'string' ? [value] : value;
  if (version === '2008-10-17' && list.some((v) => v.includes('&{'))) {
    return new DocumentError('found &{ sequence, which is not supported in document version 2008-10-17');
  }
  const replaced = list.map((v) => v.split('&{').join('${'));
  return typeof value === 'string' ? replaced[0]! : replaced;
}

function principalsOf(inputs: readonly PrincipalInput[], version: string): GoPrincipal[] | DocumentError {
  const out: GoPrincipal[] = [];
  for (const input of inputs) {
    const identifiers = replaceVariables(decodeList(input.identifiers), version);
    if (identifiers instanceof DocumentError) return identifiers;
    out.push({ type: input.type, identifiers });
  }
  return out;
}

function statementOf(input: StatementInput, version: string): GoStatement | DocumentError {
  const statement: GoStatement = { sid: input.sid, effect: input.effect, principals: [], notPrincipals: [], conditions: [] };
  if (input.actions.length > 0) statement.action = decodeList(input.actions);
  if (input.notActions.length > 0) statement.notAction = decodeList(input.notActions);
  for (const [list, field] of [
    [input.resources, 'resource'],
    [input.notResources, 'notResource'],
  ] as const) {
    if (list.length === 0) continue;
    const replaced = replaceVariables(decodeList(list), version);
    if (replaced instanceof DocumentError) return replaced;
    statement[field] = replaced;
  }
  const principals = principalsOf(sdkSetOrder(input.principals, principalCode), version);
  const notPrincipals = principalsOf(sdkSetOrder(input.notPrincipals, principalCode), version);
  if (principals instanceof DocumentError) return principals;
  if (notPrincipals instanceof DocumentError) return notPrincipals;
  statement.principals = principals;
  statement.notPrincipals = notPrincipals;
  for (const condition of sdkSetOrder(input.conditions, conditionCode)) {
    const values = replaceVariables([...condition.values], version);
    if (values instanceof DocumentError) return values;
    const list = values as string[];
    statement.conditions.push({ test: condition.test, variable: condition.variable, values: list.length === 1 ? list[0]! : list });
  }
  return statement;
}

function merge(into: GoDocument, other: GoDocument): void {
  if (other.id.length > 0) into.id = other.id;
  if (other.version > into.version) into.version = other.version;
  for (const statement of other.statements) {
    const same = statement.sid === '' ? -1 : into.statements.findIndex((s) => s.sid === statement.sid);
    if (same === -1) into.statements.push(statement);
    else into.statements[same] = statement;
  }
}

export function renderPolicyDocument(input: DocumentInput, minified: boolean): string | DocumentError {
  const merged: GoDocument = { version: '', id: '', statements: [] };
  const seenSids = new Set<string>();
  for (const [i, text] of input.sources.entries()) {
    if (text === null) continue;
    const source = unmarshalDocument(text);
    if (source instanceof DocumentError) return new DocumentError(`merging source document ${i}: ${source.message}`);
    for (const statement of source.statements) {
      if (statement.sid === '') continue;
      if (seenSids.has(statement.sid)) return new DocumentError(`duplicate Sid (${statement.sid}) in source_policy_documents`);
      seenSids.add(statement.sid);
    }
    merge(merged, source);
  }
  const own: GoDocument = { version: input.version, id: input.policyId, statements: [] };
  const ownSids = new Set<string>();
  for (const statementInput of input.statements) {
    if (ownSids.has(statementInput.sid)) return new DocumentError(`duplicate Sid (${statementInput.sid})`);
    if (statementInput.sid !== '') ownSids.add(statementInput.sid);
    const statement = statementOf(statementInput, input.version);
    if (statement instanceof DocumentError) return statement;
    own.statements.push(statement);
  }
  merge(merged, own);
  for (const [i, text] of input.overrides.entries()) {
    if (text === null) continue;
    const override = unmarshalDocument(text);
    if (override instanceof DocumentError) return new DocumentError(`merging override document ${i}: ${override.message}`);
    merge(merged, override);
  }
  return renderJson(marshalDocument(merged), !minified);
}

function marshalPrincipals(principals: readonly GoPrincipal[]): GoJson {
  const only = principals.length === 1 ? principals[0] : undefined;
  if (only?.type === '*') {
    const ids = only.identifiers;
    if (ids === '*' || (Array.isArray(ids) && ids.length === 1 && ids[0] === '*')) return '*';
  }
  const raw: Record<string, string | string[]> = {};
  for (const { type, identifiers } of principals) {
    const current = raw[type];
    if (Array.isArray(identifiers)) {
      const list = current === undefined ? [] : typeof current === 'string' ? [current] : current;
      raw[type] = [...list, ...reverseSorted(identifiers)];
    } else if (current === undefined) {
      raw[type] = identifiers;
    } else {
      raw[type] = typeof current === 'string' ? [current, identifiers] : [...current, identifiers];
    }
  }
  return raw;
}

function marshalConditions(conditions: readonly GoCondition[]): GoJson {
  const raw: Record<string, Record<string, string[]>> = {};
  for (const { test, variable, values } of conditions) {
    const byVariable = (raw[test] ??= {});
    byVariable[variable] = [...(byVariable[variable] ?? []), ...(typeof values === 'string' ? [values] : values)];
  }
  const out: Record<string, Record<string, GoJson>> = {};
  for (const [test, byVariable] of Object.entries(raw)) {
    out[test] = Object.fromEntries(Object.entries(byVariable).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
  }
  return out;
}

function marshalDocument(document: GoDocument): GoJson {
  const out = new Map<string, GoJson>();
  if (document.version !== '') out.set('Version', document.version);
  if (document.id !== '') out.set('Id', document.id);
  if (document.statements.length > 0) {
    out.set(
      'Statement',
      document.statements.map((s) => {
        const statement = new Map<string, GoJson>();
        if (s.sid !== '') statement.set('Sid', s.sid);
        if (s.effect !== '') statement.set('Effect', s.effect);
        if (s.action !== undefined) statement.set('Action', s.action);
        if (s.notAction !== undefined) statement.set('NotAction', s.notAction);
        if (s.resource !== undefined) statement.set('Resource', s.resource);
        if (s.notResource !== undefined) statement.set('NotResource', s.notResource);
        if (s.principals.length > 0) statement.set('Principal', marshalPrincipals(s.principals));
        if (s.notPrincipals.length > 0) statement.set('NotPrincipal', marshalPrincipals(s.notPrincipals));
        if (s.conditions.length > 0) statement.set('Condition', marshalConditions(s.conditions));
        return statement;
      }),
    );
  }
  return out;
}
