// What a value known only after apply stands for. A role's ARN is a specific principal in a specific
// account even before the role exists, and when the role's name, path and account are known its ARN
// is too: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns

import { isUnknown, type Model, type ModelValue, type Resource } from '../model';
import type { SymbolInfo, SymbolType } from './types';

const KEY_SYMBOLS = { arn: 'key', key_id: 'key-id', id: 'key-id' } as const;

/** Resource type → attribute → what its value is. */
const SYMBOL_KINDS: Readonly<Record<string, Readonly<Record<string, SymbolType>>>> = {
  aws_iam_role: { arn: 'role', unique_id: 'role' },
  aws_iam_user: { arn: 'user', unique_id: 'user' },
  aws_iam_group: { arn: 'group' },
  aws_iam_policy: { arn: 'policy', id: 'policy' },
  aws_iam_openid_connect_provider: { arn: 'federated' },
  aws_iam_saml_provider: { arn: 'federated' },
  aws_kms_key: KEY_SYMBOLS,
  aws_kms_replica_key: KEY_SYMBOLS,
  aws_kms_external_key: KEY_SYMBOLS,
  aws_kms_replica_external_key: KEY_SYMBOLS,
  aws_kms_alias: { arn: 'alias' },
  aws_vpc_endpoint: { id: 'endpoint' },
  aws_vpc: { id: 'vpc' },
  aws_caller_identity: { account_id: 'account' },
  aws_organizations_organization: { id: 'organization', master_account_id: 'account' },
  aws_organizations_organizational_unit: { id: 'organizational-unit' },
  aws_organizations_account: { id: 'account' },
};

/** Types whose value is itself an account, or that belong to no single account. */
const ACCOUNTLESS = new Set<SymbolType>(['account', 'organization', 'organization-root', 'organizational-unit', 'value']);

export function symbolType(resourceType: string, path: readonly (string | number)[]): SymbolType {
  const [attribute, ...rest] = path;
  if (resourceType === 'aws_organizations_organization' && attribute === 'roots' && rest[rest.length - 1] === 'id') {
    return 'organization-root';
  }
  if (typeof attribute !== 'string' || rest.length > 0) return 'value';
  return SYMBOL_KINDS[resourceType]?.[attribute] ?? (attribute.endsWith('account_id') ? 'account' : 'value');
}

/**
 * Attributes whose value is a single string: only those can stand as a symbolic value. Anything else
 * known after apply (a list of ids, an object) has a shape the plan does not give.
 */
export function isScalarAttribute(name: string): boolean {
  return /^(arn|id|name|unique_id|json|minified_json|policy|content|path|dns_name|account_id|partition|region)$|_(arn|id|name)$/.test(name);
}

const ARN = /^arn:(aws[a-z-]*):[^:]*:[^:]*:([0-9]{12}):/;

/** The account and partition resources of this plan live in, as far as the plan and the source tell. */
export class AccountContext {
  private readonly callerAccounts = new Map<string, string>();
  private readonly account: string | undefined;
  readonly partition: string;

  constructor(model: Model, providerAccounts: readonly string[]) {
    const callers = new Set<string>();
    for (const identity of model.byType.get('aws_caller_identity') ?? []) {
      const id = identity.values['account_id'];
      if (typeof id === 'string' && /^[0-9]{12}$/.test(id)) {
        this.callerAccounts.set(identity.module, id);
        callers.add(id);
      }
    }
    const arnAccounts = new Set<string>();
    const partitions = new Set<string>();
    for (const resource of model.resources) {
      const arn = resource.values['arn'];
      const match = typeof arn === 'string' ? ARN.exec(arn) : null;
      if (match) {
        partitions.add(match[1]!);
        arnAccounts.add(match[2]!);
      }
    }
    for (const partition of model.byType.get('aws_partition') ?? []) {
      const value = partition.values['partition'];
      if (typeof value === 'string') partitions.add(value);
    }
    const only = (set: ReadonlySet<string>) => (set.size === 1 ? [...set][0] : undefined);
    const providers = new Set(providerAccounts);
    this.account = only(callers) ?? only(providers) ?? only(arnAccounts);
    this.partition = only(partitions) ?? 'aws';
  }

  /** The account of a resource: its module's caller identity, else the single account the plan shows. */
  accountOf(resource: Resource): string | undefined {
    return this.callerAccounts.get(resource.module) ?? this.account;
  }

  info(resource: Resource, address: string, path: readonly (string | number)[]): SymbolInfo {
    const type = symbolType(resource.type, path);
    const account = ACCOUNTLESS.has(type) ? undefined : this.accountOf(resource);
    return { type, ...(account ? { account } : {}), address };
  }

  /** `arn:…:iam::ACCOUNT:role/PATH/NAME` (or `user/…`) when name, path and account are known. */
  iamArn(resource: Resource): string | undefined {
    const kind = resource.type === 'aws_iam_role' ? 'role' : resource.type === 'aws_iam_user' ? 'user' : undefined;
    const name = resource.values['name'];
    const path: ModelValue = resource.values['path'] ?? '/';
    const account = this.accountOf(resource);
    if (!kind || typeof name !== 'string' || name === '' || isUnknown(path) || typeof path !== 'string' || !account) return undefined;
    const cleanPath = path.startsWith('/') && path.endsWith('/') ? path : '/';
    return `arn:${this.partition}:iam::${account}:${kind}${cleanPath}${name}`;
  }
}
