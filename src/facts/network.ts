// Facts about the network path to KMS: which VPC endpoints are KMS interface endpoints, what their
// security groups admit, and which VPCs have one.

import { endpointPolicyFacts, type EndpointPolicyFacts } from '../iam';
import { isUnknown, Unknown, type ModelValue, type Resource } from '../model';
import { parseCached } from './documents';
import { documentText, edge, isConfigured, once, related, valueOr, type FactContext } from './context';

/** `com.amazonaws.<region>.kms` and `.kms-fips` (and the China partition's `cn.` prefix). */
const KMS_SERVICE = /^(cn\.)?com\.amazonaws\.[a-z0-9-]+\.kms(-fips)?$/;

export function isKmsEndpoint(resource: Resource): boolean | Unknown {
  const service = resource.values['service_name'];
  if (isUnknown(service)) return service;
  return typeof service === 'string' && KMS_SERVICE.test(service);
}

export interface Ingress {
  /** The security group the rule belongs to. */
  group: string;
  /** The resource that declares the rule (the group itself for inline rules). */
  declaredBy: string;
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  cidrs: readonly string[];
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export function endpointFacts(resource: Resource, ctx: FactContext): Record<string, unknown> {
  const groupsEdge = edge(ctx, resource, 'securityGroups');
  const configured = isConfigured(resource, 'security_group_ids');
  const ids = resource.values['security_group_ids'];
  const groups = related(ctx, resource, 'securityGroups');
  let securityGroupCount: ModelValue;
  if (Array.isArray(ids)) securityGroupCount = ids.length;
  else if (configured === false) securityGroupCount = 0;
  else if (isUnknown(ids) && groupsEdge.status === 'resolved') securityGroupCount = groups.length;
  else securityGroupCount = isUnknown(ids) ? ids : 0;
  const ingress = endpointIngress(resource, groups, groupsEdge.status === 'external', ctx);
  const privateDns = resource.values['private_dns_enabled'];
  return {
    isKms: isKmsEndpoint(resource),
    endpointPolicy: endpointPolicy(resource, ctx),
    endpointType: valueOr(resource, 'vpc_endpoint_type', 'Gateway'),
    // An interface endpoint created without the argument gets Terraform's default, false.
    privateDns: isUnknown(privateDns) && isConfigured(resource, 'private_dns_enabled') === false ? false : (privateDns ?? false),
    securityGroupCount,
    ingress,
    worldIngress: isUnknown(ingress) ? ingress : ingress.filter((rule) => rule.cidrs.some((c) => WORLD.has(c))),
    nonHttpsIngress: isUnknown(ingress) ? ingress : ingress.filter((rule) => !isHttpsOnly(rule)),
  };
}

/**
 * The policy in force on the endpoint: an aws_vpc_endpoint_policy, else its own `policy` argument,
 * else the default full-access policy. https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
function endpointPolicy(resource: Resource, ctx: FactContext): EndpointPolicyFacts | Unknown {
  const [attached] = related(ctx, resource, 'endpointPolicies');
  const configured = isConfigured(resource, 'policy');
  const holder = attached ?? resource;
  const document = attached || configured !== false ? documentText(holder, 'policy', holder.values['policy'] ?? null, ctx) : null;
  if (isUnknown(document)) return document;
  if (document && document.text !== '') {
    const parsed = parseCached(document.text, 'endpoint');
    if (!parsed.document) return new Unknown('policy', [], `the endpoint policy of ${resource.address} is not a valid policy document (see policy-document-valid)`, (attached ?? resource).address);
    return endpointPolicyFacts(parsed.document);
  }
  return endpointPolicyFacts(null);
}

function isHttpsOnly(rule: Ingress): boolean {
  const tcp = rule.protocol === 'tcp' || rule.protocol === '6';
  return tcp && rule.fromPort === 443 && rule.toPort === 443;
}

function endpointIngress(resource: Resource, groups: Resource[], external: boolean, ctx: FactContext): Ingress[] | Unknown {
  if (external) {
    const ids = resource.values['security_group_ids'];
    return new Unknown('security_group_ids', [], `its security groups (${Array.isArray(ids) ? ids.join(', ') : 'unknown'}) are not in this plan, so their rules cannot be checked`);
  }
  const rules: Ingress[] = [];
  for (const group of groups) {
    const found = groupIngress(group, ctx);
    if (isUnknown(found)) return found;
    rules.push(...found);
  }
  return rules;
}

function numberOrNull(value: ModelValue): number | null {
  return typeof value === 'number' ? value : typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : null;
}

function strings(value: ModelValue): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' && value !== '' ? [value] : [];
}

/**
 * Normalises protocol names: `-1` and `all` mean every protocol and port. A value of the wrong type
 * (an object, a list, a boolean) is kept as its JSON text: never a known protocol, so the rule is not
 * HTTPS-only, and never converted with a `toString` the plan may define.
 */
function protocolOf(value: ModelValue): string {
  const text = value === null ? '-1' : typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase() : JSON.stringify(value);
  return text === 'all' ? '-1' : text;
}

function groupIngress(group: Resource, ctx: FactContext): Ingress[] | Unknown {
  const rules: Ingress[] = [];
  const inline = group.values['ingress'];
  if (isUnknown(inline)) {
    // Unset inline rules are computed from the separate rule resources; set ones must be known.
    if (isConfigured(group, 'ingress')) return inline;
  } else if (Array.isArray(inline)) {
    for (const block of inline) {
      if (isUnknown(block) || typeof block !== 'object' || block === null || Array.isArray(block)) {
        if (isUnknown(block)) return block;
        continue;
      }
      const unknown = [block['cidr_blocks'], block['ipv6_cidr_blocks'], block['from_port'], block['to_port'], block['protocol']].find(isUnknown);
      if (unknown) return unknown;
      rules.push(rule(group, group.address, block['protocol'] ?? null, block['from_port'] ?? null, block['to_port'] ?? null, [
        ...strings(block['cidr_blocks'] ?? null),
        ...strings(block['ipv6_cidr_blocks'] ?? null),
      ]));
    }
  }
  for (const declared of related(ctx, group, 'rules')) {
    const v = declared.values;
    if (declared.type === 'aws_security_group_rule') {
      if (isUnknown(v['type'])) return v['type'];
      if (v['type'] !== 'ingress') continue;
      const unknown = [v['cidr_blocks'], v['ipv6_cidr_blocks'], v['from_port'], v['to_port'], v['protocol']].find(isUnknown);
      if (unknown) return unknown;
      rules.push(rule(group, declared.address, v['protocol'] ?? null, v['from_port'] ?? null, v['to_port'] ?? null, [
        ...strings(v['cidr_blocks'] ?? null),
        ...strings(v['ipv6_cidr_blocks'] ?? null),
      ]));
    } else if (declared.type === 'aws_vpc_security_group_ingress_rule') {
      const unknown = [v['cidr_ipv4'], v['cidr_ipv6'], v['from_port'], v['to_port'], v['ip_protocol']].find(isUnknown);
      if (unknown) return unknown;
      rules.push(rule(group, declared.address, v['ip_protocol'] ?? null, v['from_port'] ?? null, v['to_port'] ?? null, [
        ...strings(v['cidr_ipv4'] ?? null),
        ...strings(v['cidr_ipv6'] ?? null),
      ]));
    }
  }
  return rules;
}

function rule(group: Resource, declaredBy: string, protocol: ModelValue, from: ModelValue, to: ModelValue, cidrs: string[]): Ingress {
  const proto = protocolOf(protocol);
  const all = proto === '-1';
  return {
    group: group.address,
    declaredBy,
    protocol: proto,
    fromPort: all ? 0 : numberOrNull(from),
    toPort: all ? 65535 : numberOrNull(to),
    cidrs: [...cidrs].sort(),
  };
}

/** VPC facts: which KMS interface endpoints it has; unknown only when none is certain and some might be. */
export function vpcFacts(resource: Resource, ctx: FactContext): Record<string, unknown> {
  const kms: string[] = [];
  let undecided: Unknown | undefined;
  for (const endpoint of related(ctx, resource, 'endpoints')) {
    const isKms = isKmsEndpoint(endpoint);
    const type = valueOr(endpoint, 'vpc_endpoint_type', 'Gateway');
    if (isKms === false || type === 'Gateway' || type === 'GatewayLoadBalancer') continue;
    if (isUnknown(isKms) || isUnknown(type)) undecided ??= isUnknown(isKms) ? isKms : (type as Unknown);
    else if (type === 'Interface') kms.push(endpoint.address);
  }
  if (kms.length > 0) return { kmsEndpoints: kms };
  if (undecided) return { kmsEndpoints: undecided };
  // An endpoint whose VPC is known only after apply may still belong here.
  return { kmsEndpoints: unplacedEndpoints(ctx) ?? kms };
}

/** What the endpoints whose VPC is known only after apply wait on, once per plan; undefined when there are none. */
function unplacedEndpoints(ctx: FactContext): Unknown | undefined {
  return once(ctx, 'unplacedEndpoints', () => {
    const unplaced = (ctx.model.byType.get('aws_vpc_endpoint') ?? []).filter((e) => edge(ctx, e, 'vpc').status === 'unresolved');
    return unplaced.length > 0 ? new Unknown('vpc_id', unplaced.flatMap((e) => edge(ctx, e, 'vpc').waitsOn)) : undefined;
  });
}
