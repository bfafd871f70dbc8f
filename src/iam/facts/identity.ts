// Identity-policy facts: does an IAM policy allow kms:Decrypt, kms:ReEncryptFrom or kms:* on every key
// ("Resource": "*")? Such a policy lets the identity use any key whose policy delegates to its account.
// https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html
import { KEY_ACTION_NAMES, expandActionPattern } from '../catalog/actions';
import { arnLike } from '../match/arn';
import { parsePolicy } from '../policy/parse';
import type { PolicyDocument, Statement } from '../policy/types';
import { statementStrength, weakest, type ConditionStrength } from './strength';

export interface IdentityKmsGrant {
  action: 'kms:Decrypt' | 'kms:ReEncryptFrom' | 'kms:*';
  allowed: boolean;
  statements: string[];
  conditions: ConditionStrength;
}

export interface IdentityPolicyFacts {
  onAnyKey: IdentityKmsGrant[];
  allowsDecryptOnAnyKey: boolean;
  allowsReEncryptFromOnAnyKey: boolean;
  allowsAllKmsOnAnyKey: boolean;
}

/** A key no policy names: a statement that covers it covers every key. */
const ANY_KEY = 'arn:aws:kms:kmsgate-region-1:000000000000:key/kmsgate-any-key';

function covers(st: Statement, action: string): boolean {
  const hit = st.action.patterns.some((p) => expandActionPattern(p).kms.includes(action));
  return hit !== st.action.negated;
}

function onAnyKey(st: Statement): boolean {
  if (!st.resource) return false;
  const hit = st.resource.patterns.some((p) => arnLike(p, ANY_KEY));
  return hit !== st.resource.negated;
}

export function identityPolicyFacts(policy: PolicyDocument | string): IdentityPolicyFacts {
  const doc = typeof policy === 'string' ? parsePolicy(policy, 'identity').document : policy;
  const statements = doc?.statements ?? [];
  const grant = (action: IdentityKmsGrant['action'], actions: readonly string[]): IdentityKmsGrant => {
    const denied = (a: string) => statements.some((st) => st.effect === 'Deny' && st.conditions.length === 0 && covers(st, a) && onAnyKey(st));
    const allows = statements.filter((st) => st.effect === 'Allow' && onAnyKey(st) && actions.every((a) => covers(st, a)));
    const ok = allows.length > 0 && !actions.every(denied);
    return { action, allowed: ok, statements: ok ? allows.map((s) => s.ref).sort() : [], conditions: ok ? weakest(allows.map((s) => statementStrength(s).strength)) : 'none' };
  };
  const onAny = [grant('kms:Decrypt', ['kms:Decrypt']), grant('kms:ReEncryptFrom', ['kms:ReEncryptFrom']), grant('kms:*', KEY_ACTION_NAMES)];
  return {
    onAnyKey: onAny,
    allowsDecryptOnAnyKey: onAny[0]?.allowed ?? false,
    allowsReEncryptFromOnAnyKey: onAny[1]?.allowed ?? false,
    allowsAllKmsOnAnyKey: onAny[2]?.allowed ?? false,
  };
}
