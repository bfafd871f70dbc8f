// Parse, validate and normalize a policy document of one of four kinds.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Key policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
// SCPs (full IAM language since Sept 2025): https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
import { parseConditions } from './conditions';
import { parseJsonText } from './json';
import { index, member } from './path';
import { parseActionElement, parsePrincipalElement, parseResourceElement, type Report } from './elements';
import type { Diagnostic, ParseResult, PolicyDocument, PolicyKind, Statement } from './types';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

/** Size limits in characters. Key policy: 32 KB; SCP: 5,120; VPC endpoint policy: 20,480. */
const SIZE_LIMITS: Partial<Record<PolicyKind, number>> = { key: 32_768, scp: 5_120, endpoint: 20_480 };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Per kind: JSON text (or `\u0001` + the JSON of an already-parsed value) → result. */
const textCache = new Map<PolicyKind, Map<string, ParseResult>>();
let cached = 0;

/** Parse a policy given as JSON text (memoized by kind and text) or as an already-parsed JSON value. */
export function parsePolicy(input: unknown, kind: PolicyKind): ParseResult {
  // Already-parsed values are memoized by their JSON text: cheaper than parsing again. The text itself
  // is the key (no concatenation): its hash is computed once per string.
  const text = typeof input === 'string' ? input : null;
  let cacheKey: string;
  try {
    cacheKey = text ?? `\u0001${JSON.stringify(input)}`;
  } catch {
    return parseValue(input, kind, null);
  }
  let perKind = textCache.get(kind);
  if (!perKind) {
    perKind = new Map();
    textCache.set(kind, perKind);
  }
  const hit = perKind.get(cacheKey);
  if (hit) return hit;
  const result = text !== null ? parseText(text, kind) : parseValue(input, kind, null);
  if (cached > 5_000) {
    for (const m of textCache.values()) m.clear();
    cached = 0;
  }
  perKind.set(cacheKey, result);
  cached++;
  return result;
}

function parseText(text: string, kind: PolicyKind): ParseResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const d: Diagnostic = { severity: 'error', code: 'json-syntax', message: `not valid JSON: ${parsed.message} at line ${parsed.line}, column ${parsed.column}`, path: '$', line: parsed.line, column: parsed.column };
    return { document: null, diagnostics: [d], valid: false };
  }
  return parseValue(parsed.value, kind, text);
}

function parseValue(value: unknown, kind: PolicyKind, text: string | null): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (d) => diagnostics.push({ severity: d.severity ?? 'error', code: d.code, message: d.message, path: d.path });
  if (!isRecord(value)) {
    report({ code: 'document-not-object', message: 'a policy document is a JSON object with Version and Statement', path: '$' });
    return finish(null, diagnostics);
  }
  checkSize(value, kind, text, report);
  for (const k of Object.keys(value)) {
    if (k !== 'Version' && k !== 'Id' && k !== 'Statement') report({ code: 'unknown-element', message: `unknown top-level element "${k}"`, path: member('$', k) });
  }
  const version = value['Version'];
  let versionText: string | null = null;
  if (version === undefined) {
    report({ severity: 'warning', code: 'version-missing', message: 'no Version: policy variables such as ${aws:username} are read as literal text; use "2012-10-17"', path: '$' });
  } else if (version === '2012-10-17' || version === '2008-10-17') {
    versionText = version;
  } else {
    report({ code: 'version-invalid', message: `Version must be "2012-10-17" or "2008-10-17", not ${compactJson(version)}`, path: '$.Version' });
  }
  const id = value['Id'];
  if (id !== undefined && typeof id !== 'string') report({ code: 'id-invalid', message: 'Id must be a string', path: '$.Id' });
  if (id !== undefined && (kind === 'identity' || kind === 'scp')) {
    report({ severity: 'warning', code: 'id-not-supported', message: `Id is for resource-based policies; ${kind === 'scp' ? 'SCPs' : 'identity policies'} do not use it`, path: '$.Id' });
  }
  const variablesEnabled = versionText === '2012-10-17';
  const rawStatements = value['Statement'];
  const statements: Statement[] = [];
  if (rawStatements === undefined) {
    report({ code: 'statement-missing', message: 'the document has no Statement', path: '$' });
  } else if (Array.isArray(rawStatements)) {
    if (rawStatements.length === 0) report({ severity: 'warning', code: 'statement-empty', message: 'an empty Statement array grants and denies nothing', path: '$.Statement' });
    rawStatements.forEach((s, i) => {
      const st = parseStatement(s, statementPath(i), i, kind, variablesEnabled, report);
      if (st) statements.push(st);
    });
  } else {
    const st = parseStatement(rawStatements, '$.Statement', 0, kind, variablesEnabled, report);
    if (st) statements.push(st);
  }
  const sids = new Map<string, number>();
  for (const st of statements) {
    if (st.sid === null) continue;
    if (sids.has(st.sid)) report({ severity: 'warning', code: 'sid-duplicate', message: `Sid "${st.sid}" is used twice`, path: `${st.path}.Sid` });
    sids.set(st.sid, st.index);
  }
  const document: PolicyDocument = { kind, version: versionText, id: typeof id === 'string' ? id : null, statements, variablesEnabled };
  return finish(document, diagnostics);
}

/** `$.Statement[i]`, one string per position for every document. */
const statementPaths: string[] = [];

function statementPath(i: number): string {
  if (i >= 1_000) return index('$.Statement', i);
  return (statementPaths[i] ??= index('$.Statement', i));
}

function finish(document: PolicyDocument | null, diagnostics: Diagnostic[]): ParseResult {
  return { document, diagnostics, valid: !diagnostics.some((d) => d.severity === 'error') };
}

function checkSize(value: Record<string, unknown>, kind: PolicyKind, text: string | null, report: Report): void {
  const limit = SIZE_LIMITS[kind];
  const source = text ?? compactJson(value);
  if (limit !== undefined) {
    // SCP size ignores whitespace outside strings; key and endpoint policies count every character.
    const size = kind === 'scp' ? compactJson(value).length : source.length;
    if (size > limit) report({ code: 'size-limit', message: `the ${kind} policy is ${size} characters; the limit is ${limit}`, path: '$' });
  }
  // Key policies allow printable ASCII, Latin-1 and tab/LF/CR only.
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
  if (kind === 'key' && /[^\t\n\r\u0020-\u007e\u00a0-\u00ff]/.test(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source)) {
    report({ code: 'key-policy-characters', message: 'key policies may contain only printable ASCII and Latin-1 characters, tab, LF and CR', path: '$' });
  }
}

/**
 * `JSON.stringify(value)` for a parsed JSON value, without recursion: a document may nest deeper than
 * the stack allows (`JSON.stringify` throws a RangeError on an SCP nested 20,000 levels deep, and on a
 * `Version` or an `Effect` that deep when a message quotes it).
 */
function compactJson(value: unknown): string {
  const out: string[] = [];
  // Work to do, last first: a value to write, or punctuation and keys already written out as text.
  const pending: ({ value: unknown } | { text: string })[] = [{ value }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if ('text' in next) {
      out.push(next.text);
      continue;
    }
    const v = next.value;
    if (Array.isArray(v)) {
      out.push('[');
      pending.push({ text: ']' });
      for (let i = v.length - 1; i >= 0; i -= 1) {
        pending.push({ value: v[i] });
        if (i > 0) pending.push({ text: ',' });
      }
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      pending.push({ text: '}' });
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i] as string;
        pending.push({ value: (v as Record<string, unknown>)[key] }, { text: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` });
      }
    } else out.push(JSON.stringify(v));
  }
  return out.join('');
}

function parseStatement(raw: unknown, path: string, i: number, kind: PolicyKind, variablesEnabled: boolean, report: Report): Statement | null {
  if (!isRecord(raw)) {
    report({ code: 'statement-not-object', message: 'each statement is a JSON object', path });
    return null;
  }
  for (const k of Object.keys(raw)) {
    if (!STATEMENT_KEYS.has(k)) report({ code: 'unknown-element', message: `unknown statement element "${k}"`, path: member(path, k) });
  }
  let sid: string | null = null;
  if (raw['Sid'] !== undefined) {
    if (typeof raw['Sid'] !== 'string') report({ code: 'sid-invalid', message: 'Sid must be a string', path: `${path}.Sid` });
    else {
      sid = raw['Sid'];
      // Key policies accept spaces and punctuation in a Sid; IAM policies and SCPs only A-Z, a-z, 0-9.
      if ((kind === 'identity' || kind === 'scp') && !/^[A-Za-z0-9]*$/.test(sid)) {
        report({ code: 'sid-invalid', message: `Sid "${sid}" may contain only letters and digits in ${kind === 'scp' ? 'an SCP' : 'an identity policy'}`, path: `${path}.Sid` });
      }
    }
  }
  const effect = raw['Effect'];
  let ok = true;
  if (effect === undefined) {
    report({ code: 'effect-missing', message: 'the statement has no Effect', path });
    ok = false;
  } else if (effect !== 'Allow' && effect !== 'Deny') {
    report({ code: 'effect-invalid', message: `Effect must be exactly "Allow" or "Deny", not ${compactJson(effect)}`, path: `${path}.Effect` });
    ok = false;
  }
  const principal = parsePrincipalElement(raw, path, kind, effect === 'Allow', report);
  const action = parseActionElement(raw, path, kind, report);
  const resource = parseResourceElement(raw, path, kind, report);
  let conditions: Statement['conditions'] = [];
  if (raw['Condition'] !== undefined) {
    const c = parseConditions(raw['Condition'], `${path}.Condition`, kind, variablesEnabled, report);
    if (c === null) ok = false;
    else conditions = c;
  }
  if (!ok || principal === undefined || action === null) return null;
  return { index: i, sid, ref: sid ?? `Statement[${i}]`, effect: effect === 'Allow' ? 'Allow' : 'Deny', principal, action, resource, conditions, path };
}

