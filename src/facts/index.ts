// The analyze stage: one view per resource — its values, relations and computed facts — for policies
// to select from, plus a view of the plan as a whole.

import { isSensitiveAt, Unknown, type Model, type ModelObject, type Resource } from '../model';
import type { Relations } from '../relate';
import { KEY_TYPES } from '../relate';
import { isConfigured, type FactContext } from './context';
import { keyFacts } from './key';
import { endpointFacts, vpcFacts } from './network';
import { planFacts } from './plan';
import { PLAN_TYPE, type ResourceView, type Subject } from './types';

export { PLAN_TYPE } from './types';
export type { ResourceView, Subject } from './types';

type FactBuilder = (resource: Resource, ctx: FactContext) => Record<string, unknown>;

const BUILDERS: Readonly<Record<string, FactBuilder>> = {
  ...Object.fromEntries(KEY_TYPES.map((type) => [type, keyFacts])),
  aws_vpc_endpoint: endpointFacts,
  aws_vpc: vpcFacts,
};

export function analyze(model: Model, relations: Relations): Subject[] {
  const ctx: FactContext = { model, relations };
  const subjects: Subject[] = model.resources.map((resource) => subjectOf(resource, ctx));
  subjects.push(planSubject(model));
  return subjects;
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
    facts: builder ? builder(resource, ctx) : {},
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

function planSubject(model: Model): Subject {
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
    facts: planFacts(model),
  };
  return { address: '', type: PLAN_TYPE, action: 'no-op', file: model.file, view, isSensitive: () => false };
}
