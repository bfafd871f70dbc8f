// Evaluates a policy over resource views with three-valued (Kleene) logic: a result is `fail` when
// `when` holds and `require` does not, `pass` when either is decided the other way, and `unknown`
// otherwise — never a pass because something was unknown.

import type { EvidenceValue } from '../finding';
import type { Subject } from '../facts/types';
import { isUnknown, Unknown } from '../model';
import { OPERATOR_FUNCTIONS } from './operators';
import { compilePath, select, type CompiledPath, type Selected, type Selection } from './select';
import type { Condition, Operand, Policy } from './types';

export type Tri = boolean | 'unknown';

export interface PolicyResult {
  ruleId: string;
  address: string;
  file: string;
  status: 'pass' | 'fail' | 'unknown';
  message: string;
  evidence?: Record<string, EvidenceValue>;
  waitsOn?: string[];
}

interface Outcome {
  value: Tri;
  unknowns: Unknown[];
}

interface Scope {
  subject: Subject;
  current: unknown;
  /** Path of `current` inside the view, to tell whether an element is sensitive. */
  currentPath: readonly (string | number)[];
  params: Readonly<Record<string, unknown>>;
}

const and = (a: Tri, b: Tri): Tri => (a === false || b === false ? false : a === 'unknown' || b === 'unknown' ? 'unknown' : true);
const or = (a: Tri, b: Tri): Tri => (a === true || b === true ? true : a === 'unknown' || b === 'unknown' ? 'unknown' : false);
const not = (a: Tri): Tri => (a === 'unknown' ? 'unknown' : !a);

export function evaluatePolicy(
  policy: Policy,
  subjects: readonly Subject[],
  params: Readonly<Record<string, unknown>>,
): PolicyResult[] {
  const results: PolicyResult[] = [];
  for (const subject of subjects) {
    if (!policy.resources.includes(subject.type) || !policy.actions.includes(subject.action)) continue;
    const found = evaluateSubject(policy, subject, params);
    if (found.length === 0) {
      results.push({ ruleId: policy.id, address: subject.address, file: subject.file, status: 'pass', message: '' });
    } else {
      // One at a time: a forEach over a long list finds more results than a call takes arguments.
      for (const result of found) results.push(result);
    }
  }
  return results;
}

const NO_RESULTS: readonly PolicyResult[] = [];

function evaluateSubject(policy: Policy, subject: Subject, params: Readonly<Record<string, unknown>>): readonly PolicyResult[] {
  if (!policy.forEach) {
    const result = judge(policy, { subject, current: undefined, currentPath: [], params });
    return result ? [result] : NO_RESULTS;
  }
  const elements = select(policy.forEach, subject.view, undefined);
  const out: PolicyResult[] = [];
  if (elements.unknowns.length > 0) out.push(unknownResult(policy, subject, elements.unknowns));
  for (const element of flattenElements(elements.values)) {
    const result = judge(policy, { subject, current: element.value, currentPath: element.path, params });
    if (result) out.push(result);
  }
  return out.length > 1 ? dedupe(out) : out;
}

/** `forEach: $.list` iterates the list's elements, as `$.list[*]` would. */
function flattenElements(values: readonly Selected[]): readonly Selected[] {
  if (values.length === 1 && Array.isArray(values[0]?.value)) {
    const only = values[0] as Selected;
    return (only.value as unknown[]).map((value, i) => ({ value, path: [...only.path, i] }));
  }
  return values;
}

const ALWAYS: Outcome = { value: true, unknowns: [] };

function judge(policy: Policy, scope: Scope): PolicyResult | undefined {
  const when = policy.when ? evaluate(policy.when, scope) : ALWAYS;
  if (when.value === false) return undefined;
  const required = evaluate(policy.require, scope);
  const failing = and(when.value, not(required.value));
  if (failing === false) return undefined;
  const { subject } = scope;
  if (failing === 'unknown') {
    const unknowns = [...(when.value === 'unknown' ? when.unknowns : []), ...(required.value === 'unknown' ? required.unknowns : [])];
    return unknownResult(policy, subject, unknowns);
  }
  const evidence: Record<string, EvidenceValue> = {};
  for (const [name, path] of Object.entries(policy.evidence)) evidence[name] = evidenceOf(path, scope);
  return {
    ruleId: policy.id,
    address: subject.address,
    file: subject.file,
    status: 'fail',
    message: render(policy.message[subject.type] ?? '', scope),
    ...(Object.keys(evidence).length > 0 ? { evidence } : {}),
  };
}

function unknownResult(policy: Policy, subject: Subject, unknowns: readonly Unknown[]): PolicyResult {
  const waitsOn = [...new Set(unknowns.flatMap((u) => u.waitsOn))].sort();
  // A reason without references stands alone (a deferred resource, a group outside the plan); with
  // references it explains why they could not be followed.
  const standalone = unknowns.filter((u) => u.reason !== undefined && u.waitsOn.length === 0);
  const afterApply = unknowns.filter((u) => !standalone.includes(u));
  const parts = [...new Set(standalone.map((u) => u.reason as string))].sort();
  const owners = [...new Set(afterApply.map((u) => u.resource ?? subject.address))].sort();
  for (const owner of owners.reverse()) {
    const mine = afterApply.filter((u) => (u.resource ?? subject.address) === owner);
    const attributes = [...new Set(mine.map((u) => `\`${u.attribute}\``))].sort().join(', ');
    const waits = [...new Set(mine.flatMap((u) => u.waitsOn))].sort();
    const why = waits.length > 0 ? `waits on ${waits.join(', ')}` : 'computed by the provider';
    const explanations = [...new Set(mine.map((u) => u.reason).filter((r): r is string => r !== undefined))].sort();
    parts.unshift(`${attributes} of ${owner} is known only after apply (${why})${explanations.length > 0 ? `: ${explanations.join('; ')}` : ''}`);
  }
  if (parts.length === 0) parts.push(`a value ${subject.address} needs is known only after apply`);
  return {
    ruleId: policy.id,
    address: subject.address,
    file: subject.file,
    status: 'unknown',
    message: `cannot decide "${policy.title}": ${parts.join('; ')}`,
    waitsOn,
  };
}

function evaluate(condition: Condition, scope: Scope): Outcome {
  switch (condition.kind) {
    case 'all':
    case 'any': {
      const combine = condition.kind === 'all' ? and : or;
      let value: Tri = condition.kind === 'all';
      const unknowns: Unknown[] = [];
      for (const child of condition.conditions) {
        const outcome = evaluate(child, scope);
        value = combine(value, outcome.value);
        if (outcome.value === 'unknown') unknowns.push(...outcome.unknowns);
        if (value === (condition.kind === 'any')) return { value, unknowns: [] };
      }
      return { value, unknowns: value === 'unknown' ? unknowns : [] };
    }
    case 'not': {
      const outcome = evaluate(condition.condition, scope);
      return { value: not(outcome.value), unknowns: outcome.unknowns };
    }
    case 'test':
      return test(condition, scope);
  }
}

function test(condition: Extract<Condition, { kind: 'test' }>, scope: Scope): Outcome {
  const operand = resolveOperand(condition.operand, scope);
  if (isUnknown(operand)) return { value: 'unknown', unknowns: [operand] };
  const compare = OPERATOR_FUNCTIONS[condition.operator];
  const { subject } = condition;
  let actuals: unknown[];
  let unknowns: Unknown[] = [];
  if (subject.kind === 'param') {
    actuals = [scope.params[subject.name] ?? null];
  } else {
    const selection = select(subject.path, scope.subject.view, scope.current);
    unknowns = selection.unknowns;
    if (subject.kind === 'count') {
      const counted = subject.where ? countWhere(subject.where, selection, scope) : selection;
      const only = counted.values[0]?.value;
      const known = counted.values.length === 1 && Array.isArray(only) && !subject.where ? only.length : counted.values.length;
      if (counted.unknowns.length > 0) return countWithUnknowns(condition, counted, known, operand);
      actuals = [known];
    } else {
      const hasDefault = 'default' in condition;
      const fallback = hasDefault ? condition.default : null;
      actuals = selection.values.map((v) => (v.value === null && hasDefault ? fallback : v.value));
      if (actuals.length === 0 && unknowns.length === 0) actuals = [fallback];
    }
  }
  let value: Tri = condition.match === 'all';
  for (const actual of actuals) {
    const holds = compare(actual, operand, condition.ignoreCase);
    value = condition.match === 'all' ? and(value, holds) : or(value, holds);
  }
  if (unknowns.length > 0) value = condition.match === 'all' ? and(value, 'unknown') : or(value, 'unknown');
  return { value, unknowns: value === 'unknown' ? unknowns : [] };
}

/** Keeps the selected elements for which `where` holds; where it is unknown, the element is one unknown. */
function countWhere(where: Condition, selection: Selection, scope: Scope): Selection {
  const out: Selection = { values: [], unknowns: [...selection.unknowns], unknownValues: selection.unknownValues };
  for (const element of flattenElements(selection.values)) {
    const outcome = evaluate(where, { ...scope, current: element.value, currentPath: element.path });
    if (outcome.value === true) out.values.push(element);
    else if (outcome.value === 'unknown') {
      out.unknowns.push(outcome.unknowns[0] ?? new Unknown('where', []));
      out.unknownValues += 1;
    }
  }
  return out;
}

/**
 * With unknowns the count lies between what is known and, when each unknown is one element, what is
 * known plus their number; when an unknown may be any number of elements, it has no upper bound.
 * The test is decided when it comes out the same at both ends.
 */
function countWithUnknowns(condition: Extract<Condition, { kind: 'test' }>, selection: Selection, known: number, operand: unknown): Outcome {
  const compare = OPERATOR_FUNCTIONS[condition.operator];
  const bounded = selection.unknownValues === selection.unknowns.length;
  const low = compare(known, operand, false);
  const high = bounded ? compare(known + selection.unknowns.length, operand, false) : undefined;
  const monotone = { atLeast: true, greaterThan: true, atMost: false, lessThan: false } as Partial<Record<string, boolean>>;
  if (high !== undefined ? low === high : monotone[condition.operator] === low) return { value: low, unknowns: [] };
  return { value: 'unknown', unknowns: selection.unknowns };
}

function resolveOperand(operand: Operand, scope: Scope): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'path': {
      const selection = select(operand.path, scope.subject.view, scope.current);
      if (selection.unknowns[0]) return selection.unknowns[0];
      return selection.values.length === 1 ? selection.values[0]?.value : selection.values.map((v) => v.value);
    }
    case 'param': {
      const value = scope.params[operand.name];
      if (!operand.key) return value;
      const key = select(operand.key, scope.subject.view, scope.current);
      if (key.unknowns[0]) return key.unknowns[0];
      const name = key.values[0]?.value;
      return typeof name === 'string' && typeof value === 'object' && value !== null && Object.hasOwn(value, name)
        ? (value as Record<string, unknown>)[name]
        : null;
    }
  }
}

function dedupe(results: PolicyResult[]): PolicyResult[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const key = `${r.status}\u0000${r.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

const MAX_RENDERED = 300;

/** Formats a selected value for a person; sensitive and unknown values are never shown. */
function display(value: unknown): string {
  if (isUnknown(value)) return '(known after apply)';
  if (value === null || value === undefined) return 'unset';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(display).join(', ');
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (isUnknown(v) ? '(known after apply)' : v));
  return String(value);
}

function selectedFor(path: CompiledPath, scope: Scope): string[] {
  const selection = select(path, scope.subject.view, scope.current);
  const base = path.root === '@' ? scope.currentPath : [];
  const shown = selection.values.map((v) => (scope.subject.isSensitive([...base, ...v.path]) ? '(sensitive)' : display(v.value)));
  if (selection.unknowns.length > 0) shown.push('(known after apply)');
  return shown;
}

/** Message templates split once, not once per finding: literal text at even indexes, the `{{ }}` expressions between. */
const templateParts = new Map<string, readonly string[]>();

function render(template: string, scope: Scope): string {
  let parts = templateParts.get(template);
  if (!parts) templateParts.set(template, (parts = template.split(/\{\{\s*([^}]*?)\s*\}\}/)));
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) out += placeholder(parts[i] ?? '', scope) + (parts[i + 1] ?? '');
  return out;
}

function placeholder(expression: string, scope: Scope): string {
  let text: string;
  if (expression === 'address') text = scope.subject.address;
  else if (expression === 'type') text = scope.subject.type;
  else if (expression === 'file') text = scope.subject.file;
  else if (expression.startsWith('param.')) text = display(scope.params[expression.slice(6)]);
  else {
    const path = compilePathCached(expression);
    text = path ? selectedFor(path, scope).join(', ') || 'none' : expression;
  }
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED)}…` : text;
}

function evidenceOf(path: CompiledPath, scope: Scope): EvidenceValue {
  const selection = select(path, scope.subject.view, scope.current);
  const base = path.root === '@' ? scope.currentPath : [];
  const values: EvidenceValue[] = selection.values.map((v) =>
    scope.subject.isSensitive([...base, ...v.path]) ? '(sensitive)' : toEvidence(v.value),
  );
  if (selection.unknowns.length > 0) values.push('(known after apply)');
  return values.length === 1 ? (values[0] as EvidenceValue) : values;
}

function toEvidence(value: unknown): EvidenceValue {
  if (isUnknown(value)) return '(known after apply)';
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toEvidence);
  return display(value);
}

const templateCache = new Map<string, CompiledPath | undefined>();
function compilePathCached(expression: string): CompiledPath | undefined {
  if (!templateCache.has(expression)) {
    const compiled = compilePath(expression);
    templateCache.set(expression, typeof compiled === 'string' ? undefined : compiled);
  }
  return templateCache.get(expression);
}
