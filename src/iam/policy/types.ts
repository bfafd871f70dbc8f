// The normalized policy model: arrays everywhere, principals classified, condition operators
// decomposed, original text kept beside the lower-cased forms used for matching.

export const POLICY_KINDS = ['key', 'endpoint', 'scp', 'identity'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable, kebab-case: policies and tests key on it. */
  code: string;
  message: string;
  /** JSONPath inside the document, e.g. `$.Statement[1].Principal.AWS[0]`; `$` for the whole document. */
  path: string;
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
}

export type Effect = 'Allow' | 'Deny';

export type PrincipalValueType =
  | 'any'
  | 'account'
  | 'user'
  | 'role'
  | 'assumed-role'
  | 'federated-user'
  | 'unique-id'
  | 'service'
  | 'federated'
  | 'canonical-user'
  | 'symbolic';

export interface PrincipalValue {
  /** The text as written. */
  raw: string;
  field: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';
  type: PrincipalValueType;
  /** 12-digit account id when the value names one. */
  account: string | null;
  /** Role, user, federated-user or service name. */
  name: string | null;
  /** IAM path of a user or role (`/` when none). */
  path: string | null;
  /** Session name of an assumed-role ARN. */
  session: string | null;
  /** Canonical form used as the principal's display id (an account becomes its root ARN). */
  id: string;
}

export interface PrincipalElement {
  /** `NotPrincipal`. */
  negated: boolean;
  values: readonly PrincipalValue[];
}

export interface ActionElement {
  negated: boolean;
  patterns: readonly string[];
}

export interface ResourceElement {
  negated: boolean;
  patterns: readonly string[];
}

export type OperatorFamily = 'String' | 'Arn' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Null';
export type Comparison = 'equals' | 'equalsIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'null';
export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ConditionClause {
  /** Operator as written, e.g. `ForAnyValue:StringNotEqualsIfExists`. */
  operator: string;
  /** Base operator without qualifier and IfExists, canonical case, e.g. `StringNotEquals`. */
  base: string;
  family: OperatorFamily;
  comparison: Comparison;
  negated: boolean;
  ifExists: boolean;
  set: SetQualifier | null;
  /** Key as written. */
  key: string;
  /** Key lower-cased, for matching (key names are case-insensitive). */
  keyLower: string;
  /** Values as strings (`true` and `"true"` are the same). */
  values: readonly string[];
  path: string;
}

export interface Statement {
  index: number;
  sid: string | null;
  /** Sid when present, else `Statement[i]`: how reports name the statement. */
  ref: string;
  effect: Effect;
  /** null when the statement has neither Principal nor NotPrincipal (identity policies, SCPs). */
  principal: PrincipalElement | null;
  action: ActionElement;
  /** null when the statement has neither Resource nor NotResource. */
  resource: ResourceElement | null;
  conditions: readonly ConditionClause[];
  path: string;
}

export interface PolicyDocument {
  kind: PolicyKind;
  version: string | null;
  id: string | null;
  statements: readonly Statement[];
  /** Policy variables are substituted only in Version 2012-10-17 documents. */
  variablesEnabled: boolean;
}

export interface ParseResult {
  /** null when the document cannot be read at all (JSON syntax, not an object). */
  document: PolicyDocument | null;
  diagnostics: readonly Diagnostic[];
  /** No error-severity diagnostic. */
  valid: boolean;
}
