// The analyze stage: one view per resource — its values, relations and computed facts — for policies
// to select from, plus a view of the plan as a whole.

import { isSensitiveAt, isUnknown, Unknown, type Model, type ModelObject, type Resource } from '../model';
import type { Relations } from '../relate';
import { KEY_TYPES } from '../relate';
import { identityPolicyFacts } from '../iam';
import { recover, type Recovery } from '../recover';
import { documentText, isConfigured, once, type FactContext, type FactParameters } from './context';
import { documentChecks, parseCached, policyAttributes } from './documents';
import { keyFacts } from './key';
import { keyPolicyView, planHasKmsEndpoint } from './key-policy';
import { keyPolicyGuards, scpView } from './organization';
import { endpointFacts, vpcFacts } from './network';
import { planFacts } from './plan';
import { PLAN_TYPE, type ResourceView, type Subject } from './types';

export { PLAN_TYPE } from './types';
export type { ResourceView, Subject } from './types';
export type { FactParameters } from './context';

const IDENTITY_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'];

type FactBuilder = (resource: Resource, ctx: FactContext) => Record<string, unknown>;

const keyView: FactBuilder = (resource, ctx) => ({
  ...keyFacts(resource, ctx),
  ...keyPolicyView(resource, ctx),
  planHasKmsEndpoint: once(ctx, 'planHasKmsEndpoint', () => planHasKmsEndpoint(ctx)),
  policyGuards: keyPolicyGuards(resource, ctx),
});

const identityView: FactBuilder = (resource, ctx) => ({ identityPolicies: identityPolicies(resource, ctx) });

const BUILDERS: Readonly<Record<string, FactBuilder>> = {
  ...Object.fromEntries(KEY_TYPES.map((type) => [type, keyView])),
  aws_vpc_endpoint: endpointFacts,
  aws_vpc: vpcFacts,
  aws_organizations_policy: scpView,
  ...Object.fromEntries(IDENTITY_POLICY_TYPES.map((type) => [type, identityView])),
};

export const DEFAULT_FACT_PARAMETERS: FactParameters = { guardianPrincipals: [], keyOwners: [] };

/**
 * The subjects of the plan's resources and of the plan itself; with `types`, only of those types (the
 * ones some policy reads), since a view costs as much to build as the policies that read it.
 */
export function analyze(
  model: Model,
  relations: Relations,
  recovery: Recovery = recover(model),
  parameters: FactParameters = DEFAULT_FACT_PARAMETERS,
  types?: ReadonlySet<string>,
): Subject[] {
  const ctx: FactContext = { model, relations, parameters, recovery, memo: new Map() };
  const subjects: Subject[] = [];
  for (const resource of model.resources) if (!types || types.has(resource.type)) subjects.push(subjectOf(resource, ctx));
  if (!types || types.has(PLAN_TYPE)) subjects.push(planSubject(model, ctx));
  return subjects;
}

/** Identity policies of a resource, as the IAM stage reads them (unknown where the document is). */
function identityPolicies(resource: Resource, ctx: FactContext): unknown[] {
  return policyAttributes(resource).map((document) => {
    const known = documentText(resource, document.attribute, document.value, ctx);
    if (isUnknown(known)) return known;
    const parsed = known ? parseCached(known.text, 'identity') : undefined;
    return parsed?.document ? { attribute: document.attribute, ...identityPolicyFacts(parsed.document) } : { attribute: document.attribute, invalid: true };
  });
}

function subjectOf(resource: Resource, ctx: FactContext): Subject {
  const edges = ctx.relations.edges.get(resource.address) ?? {};
  const relationTargets: Record<string, readonly string[]> = {};
  for (const [name, found] of Object.entries(edges)) relationTargets[name] = found.targets;
  const configured: Record<string, boolean> = {};
  for (const name of Object.keys(resource.config?.expressions ?? {})) configured[name] = isConfigured(resource, name) ?? false;
  const builder = resource.deposed ? undefined : BUILDERS[resource.type];
  const view: ResourceView = {
    address: resource.address,
    type: resource.type,
    name: resource.name,
    module: resource.module,
    mode: resource.mode,
    index: resource.index ?? null,
    action: resource.action,
    // What Terraform will do to a deferred resource is decided in a later round.
    actions: resource.origin === 'deferred' ? new Unknown('actions', [], `Terraform deferred ${resource.address} to a later plan (${resource.deferredReason ?? 'deferred'}), so what it will do to it is not decided yet`, resource.address) : resource.actions,
    deposed: resource.deposed ?? null,
    file: ctx.model.file,
    values: resource.values,
    before: resource.before as ModelObject | null,
    configured,
    relations: relationTargets,
    facts: { ...(builder ? builder(resource, ctx) : {}), documents: documentChecks(resource, ctx) },
  };
  return {
    address: resource.address,
    type: resource.type,
    action: resource.action,
    file: ctx.model.file,
    view,
    resource,
    isSensitive: (path) => {
      const [head, ...rest] = path;
      if (head === 'values') return isSensitiveAt(resource.afterSensitive, rest);
      if (head === 'before') return isSensitiveAt(resource.beforeSensitive, rest);
      return false;
    },
  };
}

function planSubject(model: Model, ctx: FactContext): Subject {
  const view: ResourceView = {
    address: '',
    type: PLAN_TYPE,
    name: '',
    module: '',
    mode: 'plan',
    index: null,
    action: 'no-op',
    actions: [],
    deposed: null,
    file: model.file,
    values: {},
    before: null,
    configured: {},
    relations: {},
    facts: planFacts(ctx),
  };
  return { address: '', type: PLAN_TYPE, action: 'no-op', file: model.file, view, isSensitive: () => false };
}
