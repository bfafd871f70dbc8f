// Who is calling: the set of identities AWS sees for one caller. A role session is its account, its
// role and its session at once; the root user is only its account; a service principal only its name.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
import { SYMBOLIC } from '../policy/principal';

export type CallerKind = 'root' | 'user' | 'role-session' | 'federated-user' | 'service' | 'anonymous' | 'symbolic';

export interface Caller {
  kind: CallerKind;
  /** As given. */
  text: string;
  partition: string;
  account: string | null;
  /** User name, role name, federated-user name or service name. */
  name: string | null;
  /** IAM path of the user or role (`/` when unknown). */
  path: string;
  session: string | null;
  /** Created by AWS for a service (path /aws-service-role/): SCPs do not bind it. */
  serviceLinked: boolean;
  /** For symbolic callers: the type the symbols table gives. */
  symbolType?: string;
}

const IAM = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/;

/** Role paths by `account/lower-case name`, learned from the policies: a session ARN carries no path. */
export type RolePaths = ReadonlyMap<string, string>;

function base(kind: CallerKind, text: string, fields: Partial<Caller>): Caller {
  return { kind, text, partition: 'aws', account: null, name: null, path: '/', session: null, serviceLinked: false, ...fields };
}

export function parseCaller(text: string, rolePaths: RolePaths = new Map(), symbols: SymbolTable = {}): Caller | null {
  if (text === 'anonymous' || text === '*') return base('anonymous', text, {});
  const sym = SYMBOLIC.exec(text);
  if (sym) {
    const entry = symbols[sym[1] ?? ''];
    return base('symbolic', text, { account: entry?.account ?? null, name: sym[1] ?? null, ...(entry?.type ? { symbolType: entry.type } : {}) });
  }
  if (/^\d{12}$/.test(text)) return base('root', text, { account: text });
  // A unique id (AIDA…, AROA…) stands for an IAM identity that may have been deleted: opaque.
  if (/^A(?:IDA|ROA)[A-Z0-9]{12,}$/.test(text)) return base('symbolic', text, { symbolType: text.startsWith('AIDA') ? 'user' : 'role' });
  if (/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(text)) return base('service', text, { name: text });
  const m = IAM.exec(text);
  if (!m) return null;
  const [, partition = 'aws', service, account = '', resource = ''] = m;
  if (service === 'iam') {
    if (resource === 'root') return base('root', text, { partition, account });
    const kind = resource.startsWith('user/') ? 'user' : resource.startsWith('role/') ? 'role-session' : null;
    if (!kind) return null;
    const rest = resource.slice(kind === 'user' ? 5 : 5);
    const slash = rest.lastIndexOf('/');
    const name = rest.slice(slash + 1);
    const path = slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}`;
    if (!name) return null;
    return base(kind, text, {
      partition,
      account,
      name,
      path,
      session: kind === 'role-session' ? 'kmsgate-session' : null,
      serviceLinked: kind === 'role-session' && path.startsWith('/aws-service-role/'),
    });
  }
  const parts = resource.split('/');
  if (parts[0] === 'assumed-role' && parts.length === 3 && parts[1] && parts[2]) {
    const path = rolePaths.get(`${account}/${parts[1].toLowerCase()}`) ?? (parts[1].startsWith('AWSServiceRoleFor') ? '/aws-service-role/' : '/');
    return base('role-session', text, { partition, account, name: parts[1], path, session: parts[2], serviceLinked: path.startsWith('/aws-service-role/') || parts[1].startsWith('AWSServiceRoleFor') });
  }
  if (parts[0] === 'federated-user' && parts.length === 2 && parts[1]) return base('federated-user', text, { partition, account, name: parts[1] });
  return null;
}

export type SymbolTable = Readonly<Record<string, { type?: string; account?: string }>>;

export function roleArn(c: Caller): string {
  return `arn:${c.partition}:iam::${c.account}:role${c.path}${c.name}`;
}

export function sessionArn(c: Caller): string {
  return `arn:${c.partition}:sts::${c.account}:assumed-role/${c.name}/${c.session}`;
}

/** aws:PrincipalArn: the role ARN for a session, never the session ARN. */
export function principalArn(c: Caller): string | null {
  switch (c.kind) {
    case 'root':
      return `arn:${c.partition}:iam::${c.account}:root`;
    case 'user':
      return `arn:${c.partition}:iam::${c.account}:user${c.path}${c.name}`;
    case 'role-session':
      return roleArn(c);
    case 'federated-user':
      return `arn:${c.partition}:sts::${c.account}:federated-user/${c.name}`;
    case 'symbolic':
      return c.text;
    case 'service':
    case 'anonymous':
      return null;
  }
}

export function isIamIdentity(c: Caller): boolean {
  return c.kind === 'root' || c.kind === 'user' || c.kind === 'role-session' || c.kind === 'federated-user' || (c.kind === 'symbolic' && c.symbolType !== 'service');
}
