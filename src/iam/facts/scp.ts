// SCP guardrails: what is really denied to whom. An Allow-only SCP restricts nothing while FullAWSAccess
// (or another SCP that allows the action) is attached at the same level; a Deny with
// ArnNotLike aws:PrincipalArn exempts exactly the principals it lists. SCPs never bind the management
// account, service-linked roles, service principals or principals of other accounts.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html#scp-effects-on-permissions
import { expandActionPattern, kmsAction } from '../catalog/actions';
import { evaluateScps, type ScpEntry, type ScpLevel } from '../evaluate/authorize';
import { parseCaller, type Caller } from '../evaluate/caller';
import type { Request } from '../evaluate/statement';
import { statementApplies } from '../evaluate/statement';
import { splitArn } from '../match/arn';
import { hasWildcard } from '../match/glob';
import { parsePolicy } from '../policy/parse';
import type { ConditionClause, PolicyDocument } from '../policy/types';
import { callerBase } from './callers';
import { keyClasses, someContext, type Dimension, type Tri } from './search';

export type ScpPolicyInput = 'FullAWSAccess' | PolicyDocument | string | { name: string; policy: 'FullAWSAccess' | PolicyDocument | string };

export interface ScpLevelInput {
  level: string;
  policies: readonly ScpPolicyInput[];
}

export interface ScpFactsOptions {
  /** Actions or patterns to ask about, e.g. kms:ScheduleKeyDeletion, kms:Delete*. */
  actions: readonly string[];
  keyAccount: string;
  keyArn?: string | null;
  organizationId?: string | null;
  managementAccount?: boolean;
  /** Principal ARNs that are meant to keep the right (guardianPrincipals, keyOwners). */
  guardians?: readonly string[];
}

export interface ScpActionFact {
  action: string;
  /** A principal of the key account that the SCPs do not name is denied in every context. */
  deniedToOthers: boolean;
  /** Denied in some contexts only (the Deny depends on a key the caller may change). */
  conditional: boolean;
  deniedBy: 'explicit-deny' | 'no-allow' | null;
  /** Deny statements that fire (`policy#Sid`). */
  statements: string[];
  /** Principals (among the guardians and those the SCPs name) that can still perform it. */
  exempt: string[];
  guardiansDenied: string[];
  undecidable: boolean;
}

export interface IneffectiveAllowOnly {
  level: string;
  policy: string;
  actions: string[];
}

export interface ScpFacts {
  /** false for a management-account key: SCPs do not apply there. */
  applies: boolean;
  actions: ScpActionFact[];
  ineffectiveAllowOnly: IneffectiveAllowOnly[];
  notBound: string[];
}

const NOT_BOUND = ['the management account', 'service-linked roles', 'service principals', 'principals of other accounts'];

function toLevels(levels: readonly ScpLevelInput[]): ScpLevel[] {
  return levels.map((lv, i) => ({
    level: lv.level,
    policies: lv.policies.map((p, j): ScpEntry => {
      const named = typeof p === 'object' && 'policy' in p ? p : { name: `${lv.level || `level ${i}`}[${j}]`, policy: p };
      if (named.policy === 'FullAWSAccess') return { name: typeof p === 'object' && 'name' in p ? named.name : 'FullAWSAccess', fullAccess: true };
      const doc = typeof named.policy === 'string' ? parsePolicy(named.policy, 'scp').document : named.policy;
      return { name: named.name, fullAccess: false, document: doc ?? { kind: 'scp', version: null, id: null, statements: [], variablesEnabled: false } };
    }),
  }));
}

function clausesOf(levels: readonly ScpLevel[]): Map<string, ConditionClause[]> {
  const m = new Map<string, ConditionClause[]>();
  for (const lv of levels) for (const e of lv.policies) if (!e.fullAccess) for (const st of e.document.statements) for (const c of st.conditions) m.set(c.keyLower, [...(m.get(c.keyLower) ?? []), c]);
  return m;
}

export function scpFacts(input: readonly ScpLevelInput[], opts: ScpFactsOptions): ScpFacts {
  const levels = toLevels(input);
  const actions = [...new Set(opts.actions.flatMap((a) => (hasWildcard(a) ? expandActionPattern(a).kms : [kmsAction(a)?.name ?? a])))].sort();
  const keyArn = opts.keyArn ?? `arn:aws:kms:us-east-1:${opts.keyAccount}:key/kmsgate-any-key`;
  const region = splitArn(keyArn)?.[3] ?? null;
  const clauses = clausesOf(levels);
  const named = new Set<string>();
  for (const [k, cs] of clauses) if (k === 'aws:principalarn') for (const c of cs) for (const v of c.values) if (!hasWildcard(v) && v.includes(`::${opts.keyAccount}:`)) named.add(v);
  const guardians = [...(opts.guardians ?? [])];
  const fresh = parseCaller(`arn:aws:iam::${opts.keyAccount}:role/kmsgate-fresh-role`);
  const candidates = [...new Set([...guardians, ...named, opts.keyAccount])].sort();
  const dimsFor = (caller: Caller): Dimension[] => {
    const base = callerBase(caller, { account: opts.keyAccount, organizationId: opts.organizationId ?? null, region });
    const out: Dimension[] = [];
    for (const [k, cs] of [...clauses].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (base.has(k)) continue;
      out.push({ key: k, classes: keyClasses(k, cs, k.startsWith('aws:source') && !k.startsWith('aws:sourcevpc') && k !== 'aws:sourceip' ? 'absent' : 'free') });
    }
    return out;
  };
  const baseOf = (caller: Caller) => callerBase(caller, { account: opts.keyAccount, organizationId: opts.organizationId ?? null, region });
  const allowed = (caller: Caller, action: string): Tri =>
    someContext(baseOf(caller), dimsFor(caller), (ctx) => {
      const o = evaluateScps(levels, { caller, action, resource: keyArn, ctx });
      return o.denies.length === 0 && o.missingAllowAt === null;
    });
  const facts: ScpActionFact[] = [];
  for (const action of actions) {
    if (!fresh) break;
    const req = (ctx: Request['ctx']): Request => ({ caller: fresh, action, resource: keyArn, ctx });
    const a = allowed(fresh, action);
    const blocked = someContext(baseOf(fresh), dimsFor(fresh), (ctx) => {
      const o = evaluateScps(levels, req(ctx));
      return o.denies.length > 0 || o.missingAllowAt !== null;
    });
    const firing = new Set<string>();
    let explicit = false;
    someContext(baseOf(fresh), dimsFor(fresh), (ctx) => {
      const o = evaluateScps(levels, req(ctx));
      o.denies.forEach((d) => firing.add(`${d.policy}#${d.sid}`));
      if (o.denies.length > 0) explicit = true;
      return false;
    });
    const exempt: string[] = [];
    const guardiansDenied: string[] = [];
    for (const text of candidates) {
      const c = parseCaller(text);
      if (!c) continue;
      const r = allowed(c, action);
      if (r !== 'no') exempt.push(text);
      else if (guardians.includes(text)) guardiansDenied.push(text);
    }
    facts.push({
      action,
      deniedToOthers: opts.managementAccount ? false : a === 'no',
      conditional: !opts.managementAccount && a === 'yes' && blocked === 'yes',
      deniedBy: opts.managementAccount || blocked === 'no' ? null : explicit ? 'explicit-deny' : 'no-allow',
      statements: [...firing].sort(),
      exempt: opts.managementAccount ? candidates : exempt,
      guardiansDenied: opts.managementAccount ? [] : guardiansDenied.sort(),
      undecidable: a === 'undecidable' || blocked === 'undecidable',
    });
  }
  return { applies: !opts.managementAccount, actions: facts, ineffectiveAllowOnly: ineffective(levels, actions, fresh, keyArn), notBound: opts.managementAccount ? ['every principal: the key is in the management account'] : NOT_BOUND };
}

/** Allow-only SCPs that cannot restrict an action because another SCP at the same level allows it. */
function ineffective(levels: readonly ScpLevel[], actions: readonly string[], caller: Caller | null, keyArn: string): IneffectiveAllowOnly[] {
  const out: IneffectiveAllowOnly[] = [];
  if (!caller) return out;
  const anyCtx = { get: () => undefined };
  for (const lv of levels) {
    for (const entry of lv.policies) {
      if (entry.fullAccess || entry.document.statements.some((st) => st.effect === 'Deny')) continue;
      const hit = actions.filter((action) =>
        lv.policies.some((other) => {
          if (other === entry) return false;
          if (other.fullAccess) return true;
          return other.document.statements.some((st) => st.effect === 'Allow' && st.conditions.length === 0 && statementApplies(st, other.document, { caller, action, resource: keyArn, ctx: anyCtx }) !== null);
        }),
      );
      if (hit.length > 0) out.push({ level: lv.level, policy: entry.name, actions: hit });
    }
  }
  return out;
}
