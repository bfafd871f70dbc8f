// `kmsgate simulate`: a scenario (SPEC §6) in, a decision with the statements that made it out.
import { kmsAction } from '../catalog/actions';
import { authorize, type DecisionResult, type NamedPolicy, type ScpEntry, type ScpLevel } from '../evaluate/authorize';
import { parseCaller } from '../evaluate/caller';
import { deriveContext, encryptionContextKeyNames, normalizeContext, type ContextInput, type KeyInfo } from '../evaluate/context';
import type { Grant } from '../evaluate/grants';
import { splitArn } from '../match/arn';
import { parsePolicy } from '../policy/parse';
import type { PolicyDocument, PolicyKind } from '../policy/types';
import { ScenarioReader, type Obj } from './read';
import { rolePathsOf } from './role-paths';

export type SimulationResult = DecisionResult;

/** Diagnostics AWS itself accepts: the simulation goes on and says so in a note. */
const ACCEPTED_BY_AWS = new Set(['action-unknown']);

function readPolicy(r: ScenarioReader, v: unknown, place: string, kind: PolicyKind, notes: string[]): PolicyDocument {
  if (v === undefined || v === null) r.fail(place, `expected a ${kind} policy document`);
  const res = parsePolicy(v, kind);
  const blocking = res.diagnostics.find((d) => d.severity === 'error' && !ACCEPTED_BY_AWS.has(d.code));
  if (blocking || !res.document) {
    const d = blocking ?? res.diagnostics[0];
    r.fail(`${place}${d ? d.path.slice(1) : ''}`, `${d?.message ?? 'not a policy document'} (AWS would reject this policy)`);
  }
  for (const d of res.diagnostics) {
    if (d.severity !== 'info' && (d.severity === 'warning' || ACCEPTED_BY_AWS.has(d.code))) notes.push(`${place}${d.path.slice(1)}: ${d.message}`);
  }
  return res.document;
}

function readContext(r: ScenarioReader, v: unknown, place: string): ContextInput {
  if (v === undefined) return {};
  const o = r.object(v, place);
  for (const [k, val] of Object.entries(o)) {
    const ok = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
    if (!(ok(val) || (Array.isArray(val) && val.every(ok)))) r.fail(`${place}['${k}']`, 'context values are strings, numbers, booleans or arrays of them');
  }
  return o as ContextInput;
}

function readKey(r: ScenarioReader, v: unknown, resource: string | null, notes: string[]): KeyInfo {
  const o = r.object(v ?? {}, '$.key');
  r.only(o, '$.key', ['arn', 'account', 'organizationId', 'managementAccount', 'region']);
  let arn = r.optString(o['arn'], '$.key.arn') ?? (resource && /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\//.test(resource) ? resource : null);
  const parts = arn ? splitArn(arn) : null;
  if (arn && (!parts || parts[2] !== 'kms')) r.fail('$.key.arn', `"${arn}" is not a KMS key ARN (arn:aws:kms:region:account:key/id)`);
  let account = r.optString(o['account'], '$.key.account');
  if (account !== null && !/^\d{12}$/.test(account)) r.fail('$.key.account', 'an account id has 12 digits');
  const arnAccount = parts?.[4] ?? null;
  if (account && arnAccount && account !== arnAccount) r.fail('$.key.account', `the key ARN is in account ${arnAccount}, not ${account}`);
  account = account ?? arnAccount;
  if (!account) r.fail('$.key', 'give key.arn or key.account');
  const region = r.optString(o['region'], '$.key.region') ?? parts?.[3] ?? null;
  if (!arn) {
    arn = `arn:aws:kms:${region ?? 'us-east-1'}:${account}:key/00000000-0000-0000-0000-000000000000`;
    notes.push(`no key ARN given: using ${arn}`);
  }
  const org = r.optString(o['organizationId'], '$.key.organizationId');
  const mgmt = o['managementAccount'];
  if (mgmt !== undefined && typeof mgmt !== 'boolean') r.fail('$.key.managementAccount', 'expected true or false');
  return { arn, account, partition: parts?.[1] ?? 'aws', region, organizationId: org, managementAccount: mgmt === true };
}

function readScps(r: ScenarioReader, v: unknown, notes: string[]): ScpLevel[] | null {
  if (v === undefined || v === null) return null;
  return r.array(v, '$.scps').map((lv, i) => {
    const place = `$.scps[${i}]`;
    const o = r.object(lv, place);
    r.only(o, place, ['level', 'policies', 'name']);
    const level = r.optString(o['level'], `${place}.level`) ?? `level ${i}`;
    const policies: ScpEntry[] = r.array(o['policies'], `${place}.policies`).map((p, j) => {
      const pp = `${place}.policies[${j}]`;
      if (p === 'FullAWSAccess') return { name: `scps[${i}].FullAWSAccess`, fullAccess: true };
      if (typeof p === 'string' && p.trim().startsWith('{')) return { name: `scps[${i}].policies[${j}]`, fullAccess: false, document: readPolicy(r, p, pp, 'scp', notes) };
      if (typeof p === 'string') r.fail(pp, `"${p}" is not "FullAWSAccess" or a policy document`);
      return { name: `scps[${i}].policies[${j}]`, fullAccess: false, document: readPolicy(r, p, pp, 'scp', notes) };
    });
    return { level, policies };
  });
}

function readGrants(r: ScenarioReader, v: unknown): Grant[] {
  if (v === undefined) return [];
  return r.array(v, '$.grants').map((g, i) => {
    const place = `$.grants[${i}]`;
    const o = r.object(g, place);
    r.only(o, place, ['name', 'granteePrincipal', 'operations', 'constraints']);
    const operations = r.array(o['operations'], `${place}.operations`).map((op, j) => {
      const name = r.string(op, `${place}.operations[${j}]`);
      const a = kmsAction(name.includes(':') ? name : `kms:${name}`);
      if (!a?.grantOperation) r.fail(`${place}.operations[${j}]`, `"${name}" is not a grant operation`);
      return a.name;
    });
    const grant: Grant = { name: r.optString(o['name'], `${place}.name`) ?? `grants[${i}]`, granteePrincipal: r.string(o['granteePrincipal'], `${place}.granteePrincipal`), operations };
    if (o['constraints'] !== undefined) {
      const c = r.object(o['constraints'], `${place}.constraints`);
      r.only(c, `${place}.constraints`, ['encryptionContextEquals', 'encryptionContextSubset']);
      const ec = (x: unknown, p: string) => {
        const m = r.object(x, p);
        for (const [k, val] of Object.entries(m)) if (typeof val !== 'string') r.fail(`${p}['${k}']`, 'encryption context values are strings');
        return m as Record<string, string>;
      };
      if (c['encryptionContextEquals'] !== undefined) grant.encryptionContextEquals = ec(c['encryptionContextEquals'], `${place}.constraints.encryptionContextEquals`);
      if (c['encryptionContextSubset'] !== undefined) grant.encryptionContextSubset = ec(c['encryptionContextSubset'], `${place}.constraints.encryptionContextSubset`);
    }
    return grant;
  });
}

/** Validates and runs one scenario. Throws UserError (naming the JSON path) for a bad scenario. */
export function simulate(scenario: unknown, file = 'scenario'): SimulationResult {
  const r: ScenarioReader = new ScenarioReader(file);
  const notes: string[] = [];
  const s: Obj = r.object(scenario, '$');
  r.only(s, '$', ['key', 'keyPolicy', 'identityPolicies', 'scps', 'endpoint', 'grants', 'request']);
  const request = r.object(s['request'], '$.request');
  r.only(request, '$.request', ['principal', 'action', 'resource', 'context']);
  const resourceIn = r.optString(request['resource'], '$.request.resource');
  const key = readKey(r, s['key'], resourceIn, notes);
  const keyPolicy: NamedPolicy = { name: 'keyPolicy', document: readPolicy(r, s['keyPolicy'], '$.keyPolicy', 'key', notes) };

  let identityPolicies: NamedPolicy[] | 'allow-all' = [];
  const ip = s['identityPolicies'];
  if (ip === 'allow-all') identityPolicies = 'allow-all';
  else if (ip !== undefined) {
    identityPolicies = r.array(ip, '$.identityPolicies').map((p, i) => ({ name: `identityPolicies[${i}]`, document: readPolicy(r, p, `$.identityPolicies[${i}]`, 'identity', notes) }));
  }
  const scps = readScps(r, s['scps'], notes);
  let endpoint: { id: string; vpc: string | null; policy: NamedPolicy | null } | null = null;
  if (s['endpoint'] !== undefined && s['endpoint'] !== null) {
    const e = r.object(s['endpoint'], '$.endpoint');
    r.only(e, '$.endpoint', ['id', 'vpc', 'policy']);
    const id = r.string(e['id'], '$.endpoint.id');
    const policy = e['policy'] === undefined || e['policy'] === null ? null : { name: 'endpoint', document: readPolicy(r, e['policy'], '$.endpoint.policy', 'endpoint', notes) };
    endpoint = { id, vpc: r.optString(e['vpc'], '$.endpoint.vpc'), policy };
  }
  const grants = readGrants(r, s['grants']);

  const principalText = r.string(request['principal'], '$.request.principal');
  const docs = [keyPolicy.document, ...(identityPolicies === 'allow-all' ? [] : identityPolicies.map((p) => p.document))];
  const caller = parseCaller(principalText, rolePathsOf(docs));
  if (!caller) r.fail('$.request.principal', `"${principalText}" is not an account id, IAM/STS ARN, service principal or "anonymous"`);
  const actionText = r.string(request['action'], '$.request.action');
  const action = kmsAction(actionText);
  if (!action) r.fail('$.request.action', `"${actionText}" is not a KMS action`);
  const resource = resourceIn ?? key.arn;
  const contextInput = readContext(r, request['context'], '$.request.context');
  const { ctx, derived } = deriveContext(caller, key, endpoint, normalizeContext(contextInput), { action: action.name, encryptionContextKeys: encryptionContextKeyNames(contextInput) });
  if (derived.length > 0) notes.push(`derived from the principal and key: ${derived.map((k) => `${k}=${(ctx.get(k.toLowerCase()) ?? []).join('|')}`).join(', ')}`);
  if (caller.kind === 'role-session' && principalText.startsWith('arn:aws:iam:')) notes.push(`a role calls through a session: evaluated as ${caller.name}'s session "${caller.session}"`);

  const result = authorize({ key, keyPolicy, identityPolicies, scps, endpoint, grants, caller, action: action.name, resource, ctx });
  return { decision: result.decision, statements: result.statements, notes: [...notes, ...result.notes] };
}
