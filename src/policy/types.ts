import type { OnUnknown, RuleMeta, Severity } from '../finding';
import type { Action } from '../model';
import type { CompiledPath } from './select';

export const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'lessThan',
  'atMost',
  'greaterThan',
  'atLeast',
  'exists',
  'empty',
  'contains',
  'containsAny',
  'matches',
  'subsetOf',
] as const;
export type OperatorName = (typeof OPERATORS)[number];

export const PARAMETER_TYPES = ['boolean', 'integer', 'string', 'string-list', 'string-list-map'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** What an operator compares against. */
export type Operand =
  | { kind: 'literal'; value: unknown }
  | { kind: 'param'; name: string; key?: CompiledPath }
  | { kind: 'path'; path: CompiledPath };

/** What a test looks at. */
export type Subject =
  | { kind: 'path'; path: CompiledPath }
  | { kind: 'count'; path: CompiledPath; where?: Condition }
  | { kind: 'param'; name: string };

export type Condition =
  | { kind: 'all'; conditions: readonly Condition[] }
  | { kind: 'any'; conditions: readonly Condition[] }
  | { kind: 'not'; condition: Condition }
  | {
      kind: 'test';
      subject: Subject;
      operator: OperatorName;
      operand: Operand;
      /** Used when the subject selects nothing or null (an unset argument with a provider default). */
      default?: unknown;
      /** How several selected values combine. */
      match: 'all' | 'any';
      ignoreCase: boolean;
    };

export interface Parameter {
  name: string;
  type: ParameterType;
  default: unknown;
  description: string;
}

export type Precision = RuleMeta['precision'];

export interface Policy {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: readonly string[];
  tags: readonly string[];
  precision: Precision;
  /** Resource types it reports on (`terraform_plan` for findings about the plan as a whole). */
  resources: readonly string[];
  /** Plan actions it applies to; by default everything but delete and forget. */
  actions: readonly Action[];
  parameters: Readonly<Record<string, Parameter>>;
  /** What unknown means for this policy when neither the config nor the command line says. */
  onUnknown?: OnUnknown;
  /** One result per selected element instead of one per resource. */
  forEach?: CompiledPath;
  when?: Condition;
  require: Condition;
  /** Template by resource type: `{{address}}`, `{{param.NAME}}`, `{{$.values.x}}`, `{{@.id}}`. */
  message: Readonly<Record<string, string>>;
  evidence: Readonly<Record<string, CompiledPath>>;
  /** Where it was loaded from. */
  file: string;
  builtIn: boolean;
}
