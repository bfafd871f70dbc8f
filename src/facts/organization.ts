// Facts about service control policies: which are attached, and what they really deny to whom. An
// Allow-only SCP restricts nothing while FullAWSAccess is attached beside it (the default), so it is
// judged together with FullAWSAccess at its level.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html

import { expandActionPattern, scpFacts, type PolicyDocument } from '../iam';
import { isUnknown, Unknown, type Resource } from '../model';
import { callerAccount, documentText, edge, once, type FactContext } from './context';
import { parseCached } from './documents';
import { keyAccount } from './key-policy';

/** What a deletion guardrail must deny: scheduling deletion, and destroying imported material at once. */
export const DELETION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DeleteImportedKeyMaterial'] as const;

/** A stand-in account when the plan names none: SCP statements rarely depend on it. */
const ANY_ACCOUNT = '000000000000';

export function isScp(resource: Resource): boolean | Unknown {
  const type = resource.values['type'];
  if (isUnknown(type)) return type;
  return (type ?? 'SERVICE_CONTROL_POLICY') === 'SERVICE_CONTROL_POLICY';
}

/** Attached when an aws_organizations_policy_attachment of the plan names it; unknown when one might. */
function attachment(resource: Resource, ctx: FactContext): boolean | Unknown {
  if (edge(ctx, resource, 'attachments').targets.length > 0) return true;
  return undecidedAttachment(ctx) ?? false;
}

/** The first attachment whose policy is known only after apply: it may attach any SCP of the plan. */
function undecidedAttachment(ctx: FactContext): Unknown | undefined {
  return once(ctx, 'undecidedScpAttachment', () => {
    const undecided = (ctx.model.byType.get('aws_organizations_policy_attachment') ?? []).find(
      (a) => edge(ctx, a, 'policy').status === 'unresolved',
    );
    return undecided ? new Unknown('policy_id', edge(ctx, undecided, 'policy').waitsOn, undefined, undecided.address) : undefined;
  });
}

/** Principal patterns for one account: `arn:aws:iam::*:role/x` becomes that account's role. */
const forAccount = (patterns: readonly string[], account: string) =>
  patterns.map((p) => p.replace(/^(arn:aws[a-z-]*:iam::)\*(:)/, `$1${account}$2`));

export interface ScpDeletionFacts {
  /** Every deletion action is denied to every principal of the account but the guardians. */
  guarded: boolean;
  /** Principal ARN patterns the denying statements exempt (`ArnNotLike aws:PrincipalArn` and kin). */
  exemptions: readonly string[];
  actions: { action: string; deniedToOthers: boolean; exempt: readonly string[] }[];
  /** The SCP only allows deletion: under FullAWSAccess that restricts nothing. */
  ineffectiveAllowOnly: boolean;
}

function contentText(resource: Resource, ctx: FactContext): string | Unknown | null {
  const content = documentText(resource, 'content', resource.values['content'] ?? null, ctx);
  if (content === null || isUnknown(content)) return content;
  return parseCached(content.text, 'scp').document ? content.text : null;
}

export function scpDeletionFacts(resource: Resource, ctx: FactContext): ScpDeletionFacts | Unknown | null {
  const content = contentText(resource, ctx);
  if (content === null || isUnknown(content)) return content;
  // The answer depends on the document, not on its name: the SCP view and the plan's list share it, as do SCPs of the same content.
  const known = once(ctx, 'scpDeletionFacts', () => new Map<string, ScpDeletionFacts>());
  let facts = known.get(content);
  if (!facts) known.set(content, (facts = deletionFactsOf(resource, content, ctx)));
  return facts;
}

function deletionFactsOf(resource: Resource, content: string, ctx: FactContext): ScpDeletionFacts {
  const account = accountOf(ctx);
  const facts = scpFacts([{ level: resource.address, policies: ['FullAWSAccess', content] }], {
    actions: DELETION_ACTIONS,
    keyAccount: account,
    guardians: forAccount(ctx.parameters.guardianPrincipals, account),
  });
  const actions = facts.actions.map((a) => ({ action: a.action, deniedToOthers: a.deniedToOthers && !a.conditional, exempt: a.exempt }));
  return {
    guarded: actions.every((a) => a.deniedToOthers),
    exemptions: exemptionsFor(content, DELETION_ACTIONS),
    actions,
    ineffectiveAllowOnly: facts.ineffectiveAllowOnly.some((i) => i.actions.some((a) => (DELETION_ACTIONS as readonly string[]).includes(a))),
  };
}

const NEGATED_PRINCIPAL_KEYS = new Set(['aws:principalarn']);

/**
 * Who a Deny leaves out: the values of negated conditions on `aws:PrincipalArn` in the Deny
 * statements that cover the actions. (SCPs take no NotPrincipal.)
 */
export function exemptionsFor(content: string, actions: readonly string[]): string[] {
  const document = parseCached(content, 'scp').document;
  const out = new Set<string>();
  for (const statement of document?.statements ?? []) {
    if (statement.effect !== 'Deny') continue;
    const covers = actions.some((action) => statement.action.patterns.some((p) => expandActionPattern(p).kms.includes(action)) !== statement.action.negated);
    if (!covers) continue;
    for (const clause of statement.conditions) {
      if (clause.negated && NEGATED_PRINCIPAL_KEYS.has(clause.keyLower)) clause.values.forEach((v) => out.add(v));
    }
  }
  return [...out].sort();
}

const accountOf = (ctx: FactContext): string => callerAccount(ctx) ?? ANY_ACCOUNT;

export function scpView(resource: Resource, ctx: FactContext): Record<string, unknown> {
  const scp = isScp(resource);
  if (scp === false) return { isScp: false };
  return {
    isScp: scp,
    attached: attachment(resource, ctx),
    deletion: isUnknown(scp) ? scp : scpDeletionFacts(resource, ctx),
  };
}

/** The SCPs of the plan, as plan-level facts: one entry each, unknown where their content or type is. */
export function planScps(ctx: FactContext): unknown[] {
  return (ctx.model.byType.get('aws_organizations_policy') ?? [])
    .filter((r) => r.action !== 'delete' && r.action !== 'forget' && isScp(r) !== false)
    .map((r) => {
      const scp = isScp(r);
      if (isUnknown(scp)) return scp;
      const deletion = scpDeletionFacts(r, ctx);
      return { address: r.address, attached: attachment(r, ctx), deletion };
    });
}

/** An SCP as every key's guard facts read it: what does not depend on the key, once per plan. */
interface GuardingScp {
  scp: Resource;
  content: string | Unknown | null;
  attached: boolean | Unknown;
  exemptions: readonly string[];
  /** What of the key's ARN the answer depends on, besides the key's account. */
  reads: KeyArnUse;
  /** Whether PutKeyPolicy is denied to all but the key owners, by account and what the SCP reads of the key's ARN; shared by the SCPs of the same content. */
  denials: Map<string, boolean>;
  /** The fact, by the same. */
  byKey: Map<string, unknown>;
}

type KeyArnUse = 'nothing' | 'region' | 'arn';

function guardingScps(ctx: FactContext): GuardingScp[] {
  return once(ctx, 'guardingScps', () => {
    // Organisations attach the same document under many names (one per unit): its answer does not depend on the name.
    const denialsByContent = new Map<string, Map<string, boolean>>();
    return (ctx.model.byType.get('aws_organizations_policy') ?? [])
      .filter((r) => r.action !== 'delete' && r.action !== 'forget' && isScp(r) !== false)
      .map((scp) => {
        const content = contentText(scp, ctx);
        const known = typeof content === 'string';
        let denials = known ? denialsByContent.get(content) : undefined;
        if (known && !denials) denialsByContent.set(content, (denials = new Map()));
        return {
          scp,
          content,
          attached: known ? attachment(scp, ctx) : false,
          exemptions: known ? exemptionsFor(content, ['kms:PutKeyPolicy']) : [],
          reads: known ? keyArnUse(parseCached(content, 'scp').document) : 'nothing',
          denials: denials ?? new Map(),
          byKey: new Map(),
        };
      });
  });
}

/**
 * The key's ARN reaches an SCP's answer as the request's resource, which only a Resource other than
 * `*` (or a policy variable, which may stand for anything) tells apart, and as the requested Region.
 */
function keyArnUse(document: PolicyDocument | null): KeyArnUse {
  let use: KeyArnUse = 'nothing';
  for (const st of document?.statements ?? []) {
    if (st.resource?.patterns.some((p) => p !== '*') || st.conditions.some((c) => c.values.some((v) => v.includes('${')))) return 'arn';
    if (st.conditions.some((c) => c.keyLower === 'aws:requestedregion')) use = 'region';
  }
  return use;
}

/** What an SCP's answer for one key depends on, by what the SCP reads of the key's ARN: keys with the same text share the answer. */
function guardKeys(account: string, keyArn: string | null): Record<KeyArnUse, string> {
  const whole = `${account}\u0000${keyArn ?? ''}`;
  // arn:partition:kms:region:account:key/id; anything else is kept whole.
  const parts = keyArn?.split(':');
  const region = parts && parts.length >= 6 && parts[0] === 'arn' ? `${account}\u0000region ${parts[3] ?? ''}` : whole;
  return { nothing: account, region, arn: whole };
}

/**
 * For one key: the attached SCPs that deny changing its policy to everyone but the key owners. Keys
 * share the answer per SCP and account (and Region or ARN, for an SCP that reads them), so a plan of
 * many keys and SCPs asks the IAM stage once per such pair, not once per key and SCP.
 */
export function keyPolicyGuards(resource: Resource, ctx: FactContext): unknown[] {
  const account = keyAccount(resource, ctx) ?? accountOf(ctx);
  const arn = resource.values['arn'];
  const keyArn = typeof arn === 'string' ? arn : null;
  const keys = guardKeys(account, keyArn);
  return guardingScps(ctx).map((guard) => {
    const { scp, content } = guard;
    if (isUnknown(content)) return content;
    if (content === null) return { scp: scp.address, attached: false, deniedToOthers: false, exemptions: [] };
    const key = keys[guard.reads];
    let fact = guard.byKey.get(key);
    if (fact === undefined) {
      let deniedToOthers = guard.denials.get(key);
      if (deniedToOthers === undefined) {
        const facts = scpFacts([{ level: scp.address, policies: ['FullAWSAccess', content] }], {
          actions: ['kms:PutKeyPolicy'],
          keyAccount: account,
          keyArn,
          guardians: forAccount(ctx.parameters.keyOwners, account),
        });
        const denial = facts.actions[0];
        deniedToOthers = (denial?.deniedToOthers ?? false) && !denial?.conditional;
        guard.denials.set(key, deniedToOthers);
      }
      fact = { scp: scp.address, attached: guard.attached, deniedToOthers, exemptions: guard.exemptions };
      guard.byKey.set(key, fact);
    }
    return fact;
  });
}
