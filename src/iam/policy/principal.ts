// Principal values: what each form of the Principal element names.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
import type { PrincipalValue } from './types';

const IAM_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso(?:-[a-z])?|aws-eusc):(iam|sts)::(\d{12}):(.+)$/;
const UNIQUE_ID = /^A(?:IDA|ROA|IPA|GPA|NPA|NVA|SCA)[A-Z0-9]{12,}$/;
export const SYMBOLIC = /^\$\{tf:([^}]+)\}$/;

export type PrincipalField = PrincipalValue['field'];

export type Classified = { value: PrincipalValue } | { error: 'partial-wildcard' | 'invalid-principal'; detail: string };

interface Parts {
  account?: string | null;
  name?: string | null;
  path?: string | null;
  session?: string | null;
  id?: string;
}

function make(raw: string, field: PrincipalField, type: PrincipalValue['type'], fields: Parts = {}): PrincipalValue {
  return { raw, field, type, account: fields.account ?? null, name: fields.name ?? null, path: fields.path ?? null, session: fields.session ?? null, id: fields.id ?? raw };
}

/** Splits `role/path/to/Name` into path `/path/to/` and name `Name`. */
function pathAndName(resource: string, kind: string): { path: string; name: string } {
  const rest = resource.slice(kind.length + 1);
  const slash = rest.lastIndexOf('/');
  return { path: slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}`, name: rest.slice(slash + 1) };
}

export function classifyPrincipal(raw: string, field: PrincipalField): Classified {
  const symbolic = SYMBOLIC.exec(raw);
  if (symbolic) return { value: make(raw, field, 'symbolic', { name: symbolic[1] ?? null }) };
  if (raw === '*') return { value: make(raw, field, 'any') };
  if (field === 'Service') {
    if (raw.includes('*') || raw.includes('?')) return { error: 'partial-wildcard', detail: `service principal "${raw}" has a wildcard; only "*" alone is allowed` };
    return { value: make(raw, field, 'service', { name: raw.toLowerCase(), id: raw.toLowerCase() }) };
  }
  if (field === 'Federated') return { value: make(raw, field, 'federated', { name: raw }) };
  if (field === 'CanonicalUser') return { value: make(raw, field, 'canonical-user') };
  if (raw.includes('*') || raw.includes('?')) {
    return { error: 'partial-wildcard', detail: `"${raw}" has a wildcard; a principal is "*" or a specific principal, use a condition on aws:PrincipalArn for patterns` };
  }
  if (/^\d{12}$/.test(raw)) return { value: make(raw, field, 'account', { account: raw, id: `arn:aws:iam::${raw}:root` }) };
  if (UNIQUE_ID.test(raw)) return { value: make(raw, field, 'unique-id') };
  const m = IAM_ARN.exec(raw);
  if (!m) return { error: 'invalid-principal', detail: `"${raw}" is not an account id, an IAM or STS ARN, or "*"` };
  const [, partition, service, account, resource = ''] = m;
  if (service === 'iam') {
    if (resource === 'root') return { value: make(raw, field, 'account', { account: account ?? null, id: `arn:${partition}:iam::${account}:root` }) };
    for (const kind of ['user', 'role'] as const) {
      if (resource.startsWith(`${kind}/`)) {
        const { path, name } = pathAndName(resource, kind);
        if (name === '') break;
        return { value: make(raw, field, kind, { account: account ?? null, name, path }) };
      }
    }
  } else {
    const parts = resource.split('/');
    if (parts[0] === 'assumed-role' && parts.length === 3 && parts[1] && parts[2]) {
      return { value: make(raw, field, 'assumed-role', { account: account ?? null, name: parts[1], session: parts[2] }) };
    }
    if (parts[0] === 'federated-user' && parts.length === 2 && parts[1]) {
      return { value: make(raw, field, 'federated-user', { account: account ?? null, name: parts[1] }) };
    }
  }
  return { error: 'invalid-principal', detail: `"${raw}" is not a principal a policy can name (root, user, role, assumed-role or federated-user ARN)` };
}
