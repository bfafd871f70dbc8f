// AWS policy semantics for KMS governance: parse and validate policy documents, evaluate requests the
// way AWS does, simulate scenarios, and compute the facts policies select with JSONPath.
// Knows AWS, nothing of Terraform.

export { POLICY_KINDS } from './policy/types';
export type {
  PolicyKind,
  Diagnostic,
  DiagnosticSeverity,
  ParseResult,
  PolicyDocument,
  Statement,
  PrincipalElement,
  PrincipalValue,
  PrincipalValueType,
  ActionElement,
  ResourceElement,
  ConditionClause,
  Effect,
} from './policy/types';
export { parsePolicy } from './policy/parse';

export { ACTION_CLASSES, type ActionClass, type ActionTraits } from './catalog/classes';
export { KMS_ACTIONS, KMS_ACTION_NAMES, KEY_ACTION_NAMES, kmsAction, actionClass, expandActionPattern, type KmsAction, type PatternExpansion } from './catalog/actions';
export { conditionKeyInfo, type ConditionKeyInfo } from './catalog/condition-keys';
export { KEY_USAGES, cryptographicActionsFor, defaultUserActions, type KeyUsage } from './catalog/usage';

export { authorize, type AuthorizationInput, type Decision, type DecisionResult, type StatementRef, type NamedPolicy, type ScpLevel, type ScpEntry } from './evaluate/authorize';
export { parseCaller, type Caller, type SymbolTable } from './evaluate/caller';
export { deriveContext, normalizeContext, type ContextInput, type KeyInfo, type RequestContext } from './evaluate/context';
export type { Grant } from './evaluate/grants';

export { simulate, type SimulationResult } from './simulate/simulate';
export { scenarioFromFlags, type SimulateFlags } from './simulate/flags';

export { keyPolicyFacts } from './facts/key-policy';
export type { FactsContext } from './facts/analyzer';
export type * from './facts/types';
export { clauseRestricts, statementStrength, type ConditionStrength } from './facts/strength';
export { endpointPolicyFacts, type EndpointPolicyFacts } from './facts/endpoint';
export { scpFacts, type ScpFacts, type ScpActionFact, type ScpFactsOptions, type ScpLevelInput, type ScpPolicyInput, type IneffectiveAllowOnly } from './facts/scp';
export { identityPolicyFacts, type IdentityPolicyFacts, type IdentityKmsGrant } from './facts/identity';
export { diffAccess, type AccessDiff, type AccessChange } from './facts/diff';
