// The relate stage: edges between resources (key ↔ policy ↔ alias ↔ grant, endpoint ↔ policy ↔
// security group ↔ rule, SCP ↔ attachment ↔ target…). An edge is found through the attribute's
// known value when there is one, and through the configuration's references when the value is known
// only after apply.

import { asExpression, isUnknown, type Model, type ModelValue, type Resource } from '../model';
import { indexInstances, ReferenceResolver } from './references';

export const KEY_TYPES = [
  'aws_kms_key',
  'aws_kms_replica_key',
  'aws_kms_external_key',
  'aws_kms_replica_external_key',
] as const;

const SECURITY_GROUP_RULE_TYPES = [
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

export interface EdgeSpec {
  /** Name of the edge on the referring resource, e.g. `key`. */
  name: string;
  /** Name of the reverse edge on the target, e.g. `keyPolicies`. */
  inverse: string;
  from: readonly string[];
  /** The attribute of `from` that holds the target's id, ARN or name (a string or a list of them). */
  attribute: string;
  to: readonly string[];
}

export const EDGES: readonly EdgeSpec[] = [
  { name: 'key', inverse: 'keyPolicies', from: ['aws_kms_key_policy'], attribute: 'key_id', to: KEY_TYPES },
  { name: 'key', inverse: 'aliases', from: ['aws_kms_alias'], attribute: 'target_key_id', to: KEY_TYPES },
  { name: 'key', inverse: 'grants', from: ['aws_kms_grant'], attribute: 'key_id', to: KEY_TYPES },
  {
    name: 'primaryKey',
    inverse: 'replicas',
    from: ['aws_kms_replica_key', 'aws_kms_replica_external_key'],
    attribute: 'primary_key_arn',
    to: KEY_TYPES,
  },
  {
    name: 'endpoint',
    inverse: 'endpointPolicies',
    from: ['aws_vpc_endpoint_policy'],
    attribute: 'vpc_endpoint_id',
    to: ['aws_vpc_endpoint'],
  },
  {
    name: 'securityGroups',
    inverse: 'endpoints',
    from: ['aws_vpc_endpoint'],
    attribute: 'security_group_ids',
    to: ['aws_security_group'],
  },
  { name: 'vpc', inverse: 'endpoints', from: ['aws_vpc_endpoint'], attribute: 'vpc_id', to: ['aws_vpc'] },
  {
    name: 'securityGroup',
    inverse: 'rules',
    from: SECURITY_GROUP_RULE_TYPES,
    attribute: 'security_group_id',
    to: ['aws_security_group'],
  },
  {
    name: 'policy',
    inverse: 'attachments',
    from: ['aws_organizations_policy_attachment'],
    attribute: 'policy_id',
    to: ['aws_organizations_policy'],
  },
  {
    name: 'target',
    inverse: 'attachedPolicies',
    from: ['aws_organizations_policy_attachment'],
    attribute: 'target_id',
    to: ['aws_organizations_organizational_unit', 'aws_organizations_account', 'aws_organizations_organization'],
  },
  { name: 'role', inverse: 'inlinePolicies', from: ['aws_iam_role_policy'], attribute: 'role', to: ['aws_iam_role'] },
  {
    name: 'rule',
    inverse: 'targets',
    from: ['aws_cloudwatch_event_target'],
    attribute: 'rule',
    to: ['aws_cloudwatch_event_rule'],
  },
];

/** Attributes whose known values identify a resource of that type (ids, ARNs, names). */
const IDENTITY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_kms_key: ['id', 'key_id', 'arn'],
  aws_kms_replica_key: ['id', 'key_id', 'arn'],
  aws_kms_external_key: ['id', 'arn'],
  aws_kms_replica_external_key: ['id', 'key_id', 'arn'],
  aws_vpc_endpoint: ['id', 'arn'],
  aws_security_group: ['id', 'arn'],
  aws_vpc: ['id', 'arn'],
  aws_organizations_policy: ['id', 'arn'],
  aws_organizations_organizational_unit: ['id', 'arn'],
  aws_organizations_account: ['id', 'arn'],
  aws_organizations_organization: ['id', 'arn'],
  aws_iam_role: ['id', 'name', 'arn'],
  aws_cloudwatch_event_rule: ['id', 'name', 'arn'],
};

/** How an edge of one resource was settled. */
export type EdgeStatus =
  /** Targets found in the plan. */
  | 'resolved'
  /** The attribute names something that is not in the plan (an existing or external resource). */
  | 'external'
  /** Known only after apply, and the configuration's references could not be followed. */
  | 'unresolved'
  /** The attribute is not set. */
  | 'absent';

export interface Edge {
  targets: readonly string[];
  status: EdgeStatus;
  /** References that could not be followed, for unknown results. */
  waitsOn: readonly string[];
}

export interface Relations {
  /** address → edge name → edge. Deposed objects have no edges. */
  readonly edges: ReadonlyMap<string, Readonly<Record<string, Edge>>>;
  readonly resolver: ReferenceResolver;
}

/** The inverse edge of a resource nothing points to; shared, so it must not be changed. */
const NO_REFERRERS: Edge = Object.freeze({ targets: Object.freeze([]), status: 'resolved', waitsOn: Object.freeze([]) });

/** The known strings of an attribute (a string or nested lists of them); whether any part is unknown. */
function knownStrings(value: ModelValue, into: { strings: string[]; unknown: boolean } = { strings: [], unknown: false }) {
  if (isUnknown(value)) into.unknown = true;
  else if (typeof value === 'string') into.strings.push(value);
  else if (Array.isArray(value)) for (const element of value) knownStrings(element, into);
  return into;
}

export function relate(model: Model): Relations {
  const resolver = new ReferenceResolver(model, indexInstances(model));
  const identities = new Map<string, Map<string, Resource[]>>();
  for (const [type, attributes] of Object.entries(IDENTITY_ATTRIBUTES)) {
    const byValue = new Map<string, Resource[]>();
    for (const resource of model.byType.get(type) ?? []) {
      if (resource.deposed) continue;
      for (const attribute of attributes) {
        const value = resource.values[attribute];
        if (typeof value !== 'string' || value === '') continue;
        const list = byValue.get(value);
        if (list) list.push(resource);
        else byValue.set(value, [resource]);
      }
    }
    identities.set(type, byValue);
  }
  const edges = new Map<string, Record<string, Edge>>();
  const edgeOf = (address: string) => {
    let record = edges.get(address);
    if (!record) {
      record = {};
      edges.set(address, record);
    }
    return record;
  };
  // Inverse edges collect their referrers as they come and are sorted once at the end: a target many
  // resources point to (a VPC, a shared security group, an SCP attached everywhere) costs no more
  // than its referrers.
  const inverses = new Map<Edge, string[]>();
  const addInverse = (target: string, name: string, from: string) => {
    const record = edgeOf(target);
    const existing = record[name];
    const referrers = existing && inverses.get(existing);
    if (referrers) referrers.push(from);
    else {
      const list = [from];
      const edge: Edge = { targets: list, status: 'resolved', waitsOn: [] };
      inverses.set(edge, list);
      record[name] = edge;
    }
  };
  for (const spec of EDGES) {
    for (const type of spec.from) {
      for (const resource of model.byType.get(type) ?? []) {
        if (resource.deposed) continue;
        const edge = settle(resource, spec, identities, resolver);
        edgeOf(resource.address)[spec.name] = edge;
        for (const target of edge.targets) addInverse(target, spec.inverse, resource.address);
      }
    }
  }
  for (const referrers of inverses.values()) {
    referrers.sort();
    // A resource that names the same target twice is one referrer.
    let kept = 0;
    for (const from of referrers) if (kept === 0 || referrers[kept - 1] !== from) referrers[kept++] = from;
    referrers.length = kept;
  }
  // Every resource of a target type gets its inverse edges, even when empty, so rules can count them.
  for (const spec of EDGES) {
    for (const type of spec.to) {
      for (const resource of model.byType.get(type) ?? []) {
        if (resource.deposed) continue;
        const record = edgeOf(resource.address);
        record[spec.inverse] ??= NO_REFERRERS;
      }
    }
  }
  return { edges, resolver };
}

function settle(
  resource: Resource,
  spec: EdgeSpec,
  identities: Map<string, Map<string, Resource[]>>,
  resolver: ReferenceResolver,
): Edge {
  const value = resource.values[spec.attribute] ?? null;
  const { strings, unknown } = knownStrings(value);
  const targets = new Set<string>();
  let unmatched = false;
  for (const text of strings) {
    let found = false;
    for (const type of spec.to) {
      for (const target of identities.get(type)?.get(text) ?? []) {
        targets.add(target.address);
        found = true;
      }
    }
    if (!found) unmatched = true;
  }
  let waitsOn: string[] = [];
  if (unknown || (strings.length === 0 && value !== null)) {
    const expression = asExpression(resource.config?.expressions[spec.attribute]);
    const resolution = resolver.resolve(resource, expression?.references ?? []);
    const typed = resolution.targets.filter((t) => spec.to.includes(t.type));
    for (const target of typed) targets.add(target.address);
    waitsOn = resolution.unresolved;
    if (typed.length === 0) {
      return { targets: [...targets].sort(), status: targets.size > 0 ? 'resolved' : 'unresolved', waitsOn };
    }
  }
  if (targets.size > 0) return { targets: [...targets].sort(), status: 'resolved', waitsOn };
  if (unmatched) return { targets: [], status: 'external', waitsOn: [] };
  return { targets: [], status: 'absent', waitsOn: [] };
}
