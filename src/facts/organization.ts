// Facts about service control policies: which are attached, and what they really deny to whom. An
// Allow-only SCP restricts nothing while FullAWSAccess is attached beside it (the default), so it is
// judged together with FullAWSAccess at its level.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html

import { expandActionPattern, scpFacts } from '../iam';
import { isUnknown, Unknown, type Resource } from '../model';
import { callerAccount, documentText, edge, type FactContext } from './context';
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
  const undecided = (ctx.model.byType.get('aws_organizations_policy_attachment') ?? []).find(
    (a) => edge(ctx, a, 'policy').status === 'unresolved',
  );
  return undecided ? new Unknown('policy_id', edge(ctx, undecided, 'policy').waitsOn, undefined, undecided.address) : false;
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

/** For one key: the attached SCPs that deny changing its policy to everyone but the key owners. */
export function keyPolicyGuards(resource: Resource, ctx: FactContext): unknown[] {
  const account = keyAccount(resource, ctx) ?? accountOf(ctx);
  const arn = resource.values['arn'];
  return (ctx.model.byType.get('aws_organizations_policy') ?? [])
    .filter((r) => r.action !== 'delete' && r.action !== 'forget' && isScp(r) !== false)
    .map((r) => {
      const content = contentText(r, ctx);
      if (isUnknown(content)) return content;
      if (content === null) return { scp: r.address, attached: false, deniedToOthers: false, exemptions: [] };
      const facts = scpFacts([{ level: r.address, policies: ['FullAWSAccess', content] }], {
        actions: ['kms:PutKeyPolicy'],
        keyAccount: account,
        keyArn: typeof arn === 'string' ? arn : null,
        guardians: forAccount(ctx.parameters.keyOwners, account),
      });
      const fact = facts.actions[0];
      return {
        scp: r.address,
        attached: attachment(r, ctx),
        deniedToOthers: (fact?.deniedToOthers ?? false) && !fact?.conditional,
        exemptions: exemptionsFor(content, ['kms:PutKeyPolicy']),
      };
    });
}
