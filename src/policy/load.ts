// Policy files are data: YAML validated on load, every problem reported at once with its file and
// JSONPath. Nothing in a policy file can run code: selectors are JSONPath without scripts, tests are
// declarative operators.

import { UserError } from '../errors';
import type { Action } from '../model';
import * as validators from './validators.generated';
import { compilePath, type CompiledPath } from './select';
import { OPERATORS, type Condition, type Operand, type OperatorName, type Parameter, type Policy, type Subject } from './types';
import { parseYaml, validateSchema } from './yaml';

export interface PolicySource {
  file: string;
  text: string;
  builtIn: boolean;
  /** The file already parsed (as bench/profile.mjs embeds the pack); validated like any other. */
  parsed?: unknown;
}

const DEFAULT_ACTIONS: readonly Action[] = ['create', 'update', 'replace', 'read', 'no-op'];

type Raw = Record<string, unknown>;

class Collector {
  readonly errors: UserError[] = [];
  constructor(readonly file: string) {}
  add(place: string, detail: string): void {
    this.errors.push(new UserError(this.file, place, detail));
  }
  path(text: unknown, place: string, allowCurrent: boolean): CompiledPath | undefined {
    const compiled = compilePath(String(text));
    if (typeof compiled === 'string') {
      this.add(place, compiled);
      return undefined;
    }
    if (compiled.root === '@' && !allowCurrent) {
      this.add(place, '`@` refers to the current element and needs `forEach`');
      return undefined;
    }
    return compiled;
  }
}

/**
 * Loads policy files beside `loaded`: policies already loaded and validated (the built-in pack
 * embedded in the bundle), whose ids the files may not take again.
 */
export function loadPolicies(
  sources: readonly PolicySource[],
  loaded: readonly Policy[] = [],
): { policies: Policy[]; errors: UserError[] } {
  const policies: Policy[] = [...loaded];
  const errors: UserError[] = [];
  const seen = new Map<string, string>(loaded.map((policy) => [policy.id, policy.file]));
  for (const source of sources) {
    const result = loadPolicy(source);
    if ('errors' in result) {
      errors.push(...result.errors);
      continue;
    }
    const previous = seen.get(result.policy.id);
    if (previous) {
      errors.push(new UserError(source.file, '$.id', `policy id '${result.policy.id}' is already defined in ${previous}`));
      continue;
    }
    seen.set(result.policy.id, source.file);
    policies.push(result.policy);
  }
  policies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { policies, errors };
}

export function loadPolicy(source: PolicySource): { policy: Policy } | { errors: UserError[] } {
  const parsed = source.parsed !== undefined ? { value: source.parsed } : parseYaml(source.file, source.text);
  if ('errors' in parsed) return parsed;
  const schemaErrors = validateSchema(validators.policy, source.file, parsed.value);
  if (schemaErrors.length > 0) return { errors: schemaErrors };
  const raw = parsed.value as Raw;
  const out = new Collector(source.file);
  const id = raw['id'] as string;
  const stem = source.file.replace(/\\/g, '/').split('/').pop()?.replace(/\.ya?ml$/, '');
  if (stem !== id) out.add('$.id', `the id '${id}' must equal the file name '${stem}'`);

  const parameters = readParameters((raw['parameters'] ?? {}) as Raw, out);
  const forEach = raw['forEach'] === undefined ? undefined : out.path(raw['forEach'], '$.forEach', false);
  const inElement = forEach !== undefined;
  const when = raw['when'] === undefined ? undefined : readCondition(raw['when'] as Raw, '$.when', parameters, inElement, out);
  const require = readCondition(raw['require'] as Raw, '$.require', parameters, inElement, out);
  const evidence: Record<string, CompiledPath> = {};
  for (const [name, text] of Object.entries((raw['evidence'] ?? {}) as Record<string, string>)) {
    const path = out.path(text, `$.evidence.${name}`, inElement);
    if (path) evidence[name] = path;
  }
  const message = readMessage(raw, out);
  for (const template of Object.values(message)) checkTemplate(template, parameters, inElement, out);
  if (out.errors.length > 0 || !require) return { errors: out.errors };
  return {
    policy: {
      id,
      title: raw['title'] as string,
      severity: raw['severity'] as Policy['severity'],
      description: (raw['description'] as string).trim(),
      remediation: (raw['remediation'] as string).trim(),
      references: (raw['references'] as string[]) ?? [],
      tags: (raw['tags'] as string[] | undefined) ?? [],
      precision: (raw['precision'] as Policy['precision'] | undefined) ?? 'high',
      resources: raw['resources'] as string[],
      actions: (raw['actions'] as Action[] | undefined) ?? DEFAULT_ACTIONS,
      parameters,
      ...(raw['onUnknown'] ? { onUnknown: raw['onUnknown'] as Policy['onUnknown'] & string } : {}),
      ...(forEach ? { forEach } : {}),
      ...(when ? { when } : {}),
      require,
      message,
      evidence,
      file: source.file,
      builtIn: source.builtIn,
    },
  };
}

/** One template for every resource type, or one per type the policy reports on. */
function readMessage(raw: Raw, out: Collector): Record<string, string> {
  const resources = raw['resources'] as string[];
  const message = raw['message'];
  if (typeof message === 'string') return Object.fromEntries(resources.map((type) => [type, message.trim()]));
  const byType = message as Record<string, string>;
  for (const type of resources) if (!byType[type]) out.add('$.message', `no message for resource type '${type}'`);
  for (const type of Object.keys(byType)) if (!resources.includes(type)) out.add(`$.message.${type}`, `'${type}' is not among the policy's resources`);
  return Object.fromEntries(Object.entries(byType).map(([type, template]) => [type, template.trim()]));
}

function readParameters(raw: Raw, out: Collector): Record<string, Parameter> {
  const parameters: Record<string, Parameter> = {};
  for (const [name, value] of Object.entries(raw)) {
    const spec = value as Raw;
    const parameter: Parameter = {
      name,
      type: spec['type'] as Parameter['type'],
      default: spec['default'],
      description: spec['description'] as string,
    };
    const problem = checkParameterValue(parameter, parameter.default);
    if (problem) out.add(`$.parameters.${name}.default`, problem);
    parameters[name] = parameter;
  }
  return parameters;
}

/** Returns what is wrong with a value for a parameter, or undefined when it fits its type. */
export function checkParameterValue(parameter: Parameter, value: unknown): string | undefined {
  const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  switch (parameter.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'must be a whole number';
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'string-list':
      return isStringList(value) ? undefined : 'must be a list of strings';
    case 'string-list-map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isStringList)
        ? undefined
        : 'must be a map from names to lists of strings';
  }
}

const SUBJECT_KEYS = ['path', 'count', 'param'] as const;
const TEST_OPTIONS = new Set(['default', 'match', 'ignoreCase', 'where']);

function readCondition(
  raw: Raw,
  place: string,
  parameters: Record<string, Parameter>,
  inElement: boolean,
  out: Collector,
): Condition | undefined {
  const keys = Object.keys(raw);
  const combinators = keys.filter((k) => k === 'all' || k === 'any' || k === 'not');
  if (combinators.length > 0) {
    if (keys.length > 1) {
      out.add(place, `'${combinators[0]}' cannot be combined with other keys in the same condition (${keys.join(', ')})`);
      return undefined;
    }
    const key = combinators[0] as 'all' | 'any' | 'not';
    if (key === 'not') {
      const condition = readCondition(raw['not'] as Raw, `${place}.not`, parameters, inElement, out);
      return condition && { kind: 'not', condition };
    }
    const conditions = (raw[key] as Raw[]).map((c, i) => readCondition(c, `${place}.${key}[${i}]`, parameters, inElement, out));
    if (conditions.some((c) => c === undefined)) return undefined;
    return { kind: key, conditions: conditions as Condition[] };
  }
  const subjects = SUBJECT_KEYS.filter((k) => k in raw);
  const operators = OPERATORS.filter((k) => k in raw);
  const strays = keys.filter((k) => !(SUBJECT_KEYS as readonly string[]).includes(k) && !(OPERATORS as readonly string[]).includes(k) && !TEST_OPTIONS.has(k));
  if (strays.length > 0) out.add(place, `unknown key '${strays[0]}'`);
  if (subjects.length !== 1) {
    out.add(place, `a test needs exactly one of path, count or param (found ${subjects.length ? subjects.join(', ') : 'none'})`);
    return undefined;
  }
  if (operators.length !== 1) {
    out.add(place, `a test needs exactly one operator of ${OPERATORS.join(', ')} (found ${operators.length ? operators.join(', ') : 'none'})`);
    return undefined;
  }
  const subjectKey = subjects[0] as (typeof SUBJECT_KEYS)[number];
  const operator = operators[0] as OperatorName;
  let subject: Subject | undefined;
  if (subjectKey === 'param') {
    const name = String(raw['param']);
    if (!parameters[name]) out.add(`${place}.param`, `unknown parameter '${name}'`);
    else subject = { kind: 'param', name };
  } else {
    const path = out.path(raw[subjectKey], `${place}.${subjectKey}`, inElement);
    if (path && subjectKey === 'count' && raw['where'] !== undefined) {
      // `@` in `where` is the element being counted.
      const where = readCondition(raw['where'] as Raw, `${place}.where`, parameters, true, out);
      if (where) subject = { kind: 'count', path, where };
    } else if (path) {
      subject = { kind: subjectKey, path };
    }
  }
  if (raw['where'] !== undefined && subjectKey !== 'count') out.add(`${place}.where`, '`where` filters what `count` counts');
  const operand = readOperand(raw[operator], `${place}.${operator}`, parameters, inElement, out);
  const operandProblem = checkOperand(operator, operand);
  if (operandProblem) out.add(`${place}.${operator}`, operandProblem);
  if (!subject || !operand || operandProblem) return undefined;
  return {
    kind: 'test',
    subject,
    operator,
    operand,
    ...('default' in raw ? { default: raw['default'] } : {}),
    match: (raw['match'] as 'all' | 'any' | undefined) ?? 'all',
    ignoreCase: raw['ignoreCase'] === true,
  };
}

function readOperand(
  raw: unknown,
  place: string,
  parameters: Record<string, Parameter>,
  inElement: boolean,
  out: Collector,
): Operand | undefined {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const object = raw as Raw;
    if ('path' in object) {
      const path = out.path(object['path'], `${place}.path`, inElement);
      return path && { kind: 'path', path };
    }
    const name = String(object['param']);
    const parameter = parameters[name];
    if (!parameter) {
      out.add(`${place}.param`, `unknown parameter '${name}'`);
      return undefined;
    }
    if ('key' in object) {
      if (parameter.type !== 'string-list-map') {
        out.add(`${place}.key`, `'key' looks up a map parameter, but '${name}' is a ${parameter.type}`);
        return undefined;
      }
      const key = out.path(object['key'], `${place}.key`, inElement);
      return key && { kind: 'param', name, key };
    }
    return { kind: 'param', name };
  }
  return { kind: 'literal', value: raw };
}

const LIST_OPERATORS = new Set<OperatorName>(['in', 'notIn', 'containsAny', 'subsetOf']);

function checkOperand(operator: OperatorName, operand: Operand | undefined): string | undefined {
  if (operand?.kind !== 'literal') return undefined;
  const value = operand.value;
  if (LIST_OPERATORS.has(operator) && !Array.isArray(value)) return `'${operator}' compares with a list`;
  if ((operator === 'exists' || operator === 'empty') && typeof value !== 'boolean') return `'${operator}' takes true or false`;
  if (['lessThan', 'atMost', 'greaterThan', 'atLeast'].includes(operator) && typeof value !== 'number') {
    return `'${operator}' compares with a number`;
  }
  if (operator === 'matches' && typeof value !== 'string' && !Array.isArray(value)) return `'matches' takes a glob or a list of globs`;
  return undefined;
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function checkTemplate(template: string, parameters: Record<string, Parameter>, inElement: boolean, out: Collector): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const expression = match[1] ?? '';
    if (expression === 'address' || expression === 'type' || expression === 'file') continue;
    if (expression.startsWith('param.')) {
      if (!parameters[expression.slice(6)]) out.add('$.message', `unknown parameter in {{${expression}}}`);
      continue;
    }
    out.path(expression, '$.message', inElement);
  }
}
