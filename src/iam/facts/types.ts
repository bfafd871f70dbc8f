// Fact shapes: plain JSON for JSONPath selectors in policies. Arrays are sorted; no class instances.
import type { ActionClass } from '../catalog/classes';
import type { ConditionStrength } from './strength';

export type PrincipalFactType = 'any' | 'account' | 'root-user' | 'role' | 'user' | 'assumed-role' | 'federated' | 'service' | 'symbolic';

export interface ConditionalDeny {
  statement: string;
  actions: string[];
}

export interface GrantPath {
  /** The Allow statement (Sid or `Statement[i]`). */
  statement: string;
  actions: string[];
  conditions: ConditionStrength;
  restrictingKeys: string[];
  viaWildcard: boolean;
}

export interface PrincipalFact {
  /** `*` for any principal, the root ARN for an account, else the ARN or service name as written. */
  id: string;
  type: PrincipalFactType;
  /** `*` for any account; null when unknown (service principals, unresolved symbols). */
  account: string | null;
  isKeyAccountRoot: boolean;
  sameAccount: boolean;
  /** An account principal: its identities get these actions only if their IAM policies also allow. */
  throughDelegation: boolean;
  actions: string[];
  actionClasses: ActionClass[];
  /** Actions beyond the default key-user actions for the key's usage (SPEC `userActions`; ENCRYPT_DECRYPT when unknown). */
  beyondUserActions: string[];
  /** Got actions through `kms:*`, `*` or Allow + NotAction. */
  viaWildcard: boolean;
  /** The weakest condition over the statements that grant it. */
  conditions: ConditionStrength;
  restrictingKeys: string[];
  statements: string[];
  grants: GrantPath[];
  conditionalDenies: ConditionalDeny[];
  undecidable: boolean;
}

export interface PublicExposure {
  status: 'public' | 'not-public' | 'undecidable';
  public: boolean;
  /** Actions a principal of any other account can perform (cross-account capable actions only). */
  actions: string[];
  actionClasses: ActionClass[];
  statements: string[];
  /** `kms:CreateGrant` is among them: the caller can grant itself any grant operation. */
  viaCreateGrant: boolean;
}

export interface AnyPrincipalInKeyAccount {
  /** Actions every identity of the key's account gets from the key policy alone, without IAM. */
  actions: string[];
  actionClasses: ActionClass[];
  statements: string[];
  /** `kms:PutKeyPolicy` to everyone: not public (not cross-account capable) but an internal escalation. */
  putKeyPolicy: boolean;
}

export interface CrossAccountAccess {
  /** The other account, or `*` for an organization entry. */
  account: string;
  organization: string | null;
  actions: string[];
  actionClasses: ActionClass[];
  statements: string[];
  throughDelegation: boolean;
  conditions: ConditionStrength;
  undecidable: boolean;
}

export interface IamDelegation {
  account: string | null;
  /** An Allow names the key account (root ARN or account id). */
  present: boolean;
  /** That statement carries `aws:PrincipalType = Account` (or pins aws:PrincipalArn to the root). */
  principalTypeAccount: boolean;
  /** Only the root user passes the statement's conditions: IAM policies cannot grant use of the key. */
  rootUserOnly: boolean;
  /** Any identity of the account can be given these actions by an IAM policy. */
  delegatesToAnyIdentity: boolean;
  /** Actions some non-root identity of the account can get through IAM. */
  delegatedActions: string[];
  /** Actions the account-root statements list. */
  actions: string[];
  statements: string[];
}

export interface EscalationPrincipal {
  principal: string;
  type: PrincipalFactType;
  conditions: ConditionStrength;
  statements: string[];
}

export interface Escalation {
  putKeyPolicy: EscalationPrincipal[];
  createGrant: (EscalationPrincipal & { grantIsForAWSResource: boolean })[];
}

export interface Lockout {
  /** Nobody (not even the account root) can change the key policy any more. */
  locked: boolean;
  canChangePolicy: string[];
}

export interface VpceExemption {
  statement: string;
  key: string;
  operator: string;
  values: string[];
}

export interface VpceMistake {
  code: 'forvalues-on-single-valued' | 'missing-key-not-denied' | 'denies-own-endpoint' | 'ifexists-missing' | 'not-all-principals';
  statement: string;
  message: string;
}

export interface VpceRestriction {
  /** A Deny unless aws:SourceVpce/aws:SourceVpc matches covers at least one action. */
  present: boolean;
  statements: string[];
  endpoints: string[];
  vpcs: string[];
  coveredActions: string[];
  uncoveredCryptographicActions: string[];
  /** Requests from outside any VPC endpoint (no aws:SourceVpce) are denied too. */
  coversRequestsWithoutEndpoint: boolean;
  exemptions: VpceExemption[];
  mistakes: VpceMistake[];
}

export interface KeyPolicyFacts {
  keyAccount: string | null;
  keyArn: string | null;
  keyUsage: string | null;
  principals: PrincipalFact[];
  public: PublicExposure;
  anyPrincipalInKeyAccount: AnyPrincipalInKeyAccount;
  crossAccount: CrossAccountAccess[];
  iamDelegation: IamDelegation;
  escalation: Escalation;
  lockout: Lockout;
  vpceRestriction: VpceRestriction;
  /** Statements that can never apply (no Resource, empty Principal, other key's ARN). */
  statementsWithoutEffect: string[];
  /** Some question exceeded the search budget: the answers involved fail closed. */
  undecidable: boolean;
  notes: string[];
}
