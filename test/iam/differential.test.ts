// The shape cache changes no answer: keyPolicyFacts equals the direct analysis (as JSON) on a realistic
// estate, on random policies built to hit every side condition of shape.ts, and where the facts depend
// on how identifiers sort. (facts.test.ts and public.test.ts check their whole tables the same way.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type FactsContext } from '../../src/iam';
import { factsPath, type FactsPath } from '../../src/iam/facts/shape-cache';
import { checkedFacts, expectSameFacts } from './differential';
import { K, KEY, ORG, OTHER_KEY, P, ROOT, X, allow, aws, deny, doc, role, type Json } from './fixtures';
import { workload } from './workload';

const document = (policy: Json | string) => {
  const d = parsePolicy(policy, 'key').document;
  if (!d) throw new Error('unreadable');
  return d;
};

// First in the file, while parsePolicy's element caches are cold: each policy parsed again (a new text,
// the same document) must give the same result from the caches the first parse filled.
describe('parsing', () => {
  it('element caches change no parse result (estate policies)', () => {
    for (const k of workload(400, 10)) {
      const first = JSON.stringify(parsePolicy(k.text, 'key'));
      expect(JSON.stringify(parsePolicy(`${k.text} `, 'key'))).toBe(first);
      expect(JSON.stringify(parsePolicy(JSON.parse(k.text), 'key'))).toBe(first);
    }
  });
});

describe('a realistic estate', () => {
  it('1,500 keys from eight templates: same facts, nearly all from a shared shape', () => {
    const paths = new Map<FactsPath, number>();
    for (const k of workload(1_500, 9)) {
      const d = document(k.text);
      const p = factsPath(d, k.ctx);
      paths.set(p, (paths.get(p) ?? 0) + 1);
      expectSameFacts(d, k.ctx);
    }
    expect(paths.get('shape') ?? 0).toBeGreaterThan(1_450);
  });
});

describe('facts that depend on how identifiers sort', () => {
  // Root statement narrowed to two roles by aws:PrincipalArn: either named role is the first of the
  // account's callers to get each action, depending on how the two sort.
  const narrowed = (a: string, b: string) => doc({ ...ROOT, Condition: { ArnLike: { 'aws:PrincipalArn': [role(a), role(b)] } } });
  it('named identities sorting the other way are analysed directly', () => {
    expectSameFacts(document(narrowed('Alpha', 'Beta')), { keyArn: KEY });
    const flipped = document(narrowed('Delta', 'Charlie'));
    expect(factsPath(flipped, { keyArn: KEY })).toBe('order-sensitive');
    expectSameFacts(flipped, { keyArn: KEY });
    const same = document(narrowed('Echo', 'Foxtrot'));
    expect(factsPath(same, { keyArn: KEY })).toBe('shape');
    expectSameFacts(same, { keyArn: KEY });
  });

  // StringEquals instead of StringNotEquals: the mistake names the first endpoint in sorted order.
  const ownEndpoints = (e1: string, e2: string) => doc(ROOT, { Sid: 'Vpce', ...deny('*', 'kms:*', { Condition: { StringEquals: { 'aws:SourceVpce': [e1, e2] } } }) });
  it('endpoints sorting the other way are analysed directly', () => {
    const first = expectSameFacts(document(ownEndpoints('vpce-0aaa1111', 'vpce-0bbb2222')), { keyArn: KEY });
    expect(first.vpceRestriction.mistakes.map((m) => m.code)).toContain('denies-own-endpoint');
    const flipped = document(ownEndpoints('vpce-0ccc3333', 'vpce-0acc4444'));
    expect(factsPath(flipped, { keyArn: KEY })).toBe('order-sensitive');
    expect(expectSameFacts(flipped, { keyArn: KEY }).vpceRestriction.mistakes.find((m) => m.code === 'denies-own-endpoint')?.message).toContain('vpce-0acc4444');
  });

  // Facts of a shape are instantiated again on each question; direct facts are memoized per document.
  it('the same document asked again, in other contexts in turn, gives the direct facts each time', () => {
    const shaped = document(doc(ROOT, allow(aws(role('App')), 'kms:Decrypt')));
    const unshapeable = document(doc(ROOT, allow(aws(role('App')), 'kms:Decrypt', { Condition: { StringLike: { 'aws:PrincipalArn': role('Ap?') } } })));
    expect(factsPath(shaped, { keyArn: KEY })).toBe('shape');
    expect(factsPath(unshapeable, { keyArn: KEY })).toBe('unshapeable');
    const contexts: FactsContext[] = [{ keyArn: KEY }, { keyArn: OTHER_KEY }, { keyAccount: K }, { keyArn: KEY, organizationId: ORG }, { keyArn: KEY }, { keyArn: KEY, symbols: {} }];
    for (const d of [shaped, unshapeable]) for (const ctx of contexts) expectSameFacts(d, ctx);
  });

  it('the key ARN the document cannot see is put back, with the note about it', () => {
    const policy = doc(ROOT, allow(aws(role('App')), 'kms:Decrypt'));
    expect(expectSameFacts(document(policy), { keyAccount: K }).notes.join()).toContain('key ARN is unknown');
    expect(expectSameFacts(document(policy), { keyArn: KEY }).keyArn).toBe(KEY);
  });
});

// Identifiers and values chosen to meet the side conditions: case variants, reserved words and accounts,
// placeholder look-alikes, pattern fragments, service-like and IP-like names, long digit runs.
const ACCOUNTS = [K, P, X, '999999999999', '000000000100', '123456789012'];
const NAMES = ['App', 'app', 'Admin', 'KeyAdmin', 'root', 'zqa', 'o-a1b2c3d4e5', 'kmsgate-x', 'AWSServiceRoleForSupport', 'fe80', 'a.b', 'app-reader', 'Logs'];
const PATHS = ['', 'teams/payments/', 'aws-service-role/', 'service-role/'];
const SERVICES = ['logs.us-east-1.amazonaws.com', 'ec2.amazonaws.com', 'Logs.amazonaws.com'];
const ACTIONS = ['kms:*', '*', 'kms:Decrypt', 'kms:Encrypt', 'kms:Create*', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:Describe*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const RESOURCES = ['*', KEY, OTHER_KEY, `arn:aws:kms:*:${K}:key/*`, `arn:aws:kms:us-east-1:${K}:alias/app`];
const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'ArnLike', 'ArnNotLike', 'StringEqualsIfExists', 'StringNotEqualsIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringNotEquals', 'StringEqualsIgnoreCase', 'Bool', 'Null', 'IpAddress', 'NumericLessThan'];
const KEYS = ['aws:PrincipalArn', 'aws:PrincipalAccount', 'kms:CallerAccount', 'aws:SourceVpce', 'aws:SourceVpc', 'aws:PrincipalOrgID', 'aws:PrincipalType', 'kms:ViaService', 'aws:SourceIp', 'kms:GrantIsForAWSResource', 'aws:SourceAccount', 'aws:userid', 'aws:username', 'aws:RequestedRegion', 'kms:EncryptionContext:app'];

/** A list, or its only element as a bare value (both forms are legal JSON policy). */
const listOrOne = <T>(arb: fc.Arbitrary<T>, max: number) => fc.array(arb, { minLength: 1, maxLength: max }).chain((xs) => (xs.length === 1 ? fc.constantFrom<T | T[]>(xs, xs[0] as T) : fc.constant(xs)));
const account = fc.constantFrom(...ACCOUNTS);
const iamArn = fc.tuple(account, fc.constantFrom('role', 'user'), fc.constantFrom(...PATHS), fc.constantFrom(...NAMES)).map(([a, t, p, n]) => `arn:aws:iam::${a}:${t}/${p}${n}`);
const principalValue = fc.oneof(fc.constant('*'), account, account.map((a) => `arn:aws:iam::${a}:root`), iamArn, fc.constantFrom(...NAMES).map((n) => `arn:aws:sts::${K}:assumed-role/${n}/s1`));
const principal = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 4, arbitrary: listOrOne(principalValue, 3).map((v) => ({ AWS: v })) },
  { weight: 1, arbitrary: fc.constantFrom(...SERVICES).map((s) => ({ Service: s })) },
);
const value = fc.oneof(
  iamArn,
  account,
  fc.constantFrom(...NAMES),
  fc.constantFrom('vpce-0a1b2c3d', 'vpce-*', 'vpc-0f1e2d3c', ORG, 'o-*', 'Account', 'User', 'true', 'false', '*', '10.0.0.0/8', 'fe80::/16', 's3.us-east-1.amazonaws.com', 'us-east-1', '42'),
  fc.constantFrom(`arn:aws:iam::${K}:role/*`, 'arn:aws:iam::*:role/Admin', 'arn:aws:iam::1111*:role/App', `arn:aws:iam::${K}:role/app-*`, `arn:aws:iam::${K}:role/teams/*/App`, 'AROAEXAMPLEID123456789:*', 'vpce-0a1b2c3d4e5f6a7b8c9d0123456789'),
);
const conditionValue = fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: fc.constantFrom<string | boolean | number>(true, false, 42) });
const condition = fc.array(fc.tuple(fc.constantFrom(...OPERATORS), fc.constantFrom(...KEYS), listOrOne(conditionValue, 2)), { minLength: 0, maxLength: 2 }).map((clauses) => {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [op, key, values] of clauses) out[op] = { ...(out[op] ?? {}), [key]: values };
  return out;
});
const statement = fc.record({
  effect: fc.constantFrom('Allow', 'Deny'),
  principal,
  notPrincipal: fc.boolean(),
  actions: listOrOne(fc.constantFrom(...ACTIONS), 3),
  resource: fc.option(fc.constantFrom(...RESOURCES), { nil: undefined, freq: 8 }),
  condition,
  sid: fc.constantFrom('A', 'B', 'Admins', 'zqa'),
});
const policy = fc.array(statement, { minLength: 1, maxLength: 4 }).map((sts) =>
  doc(
    ...sts.map((st, i): Json => ({
      Sid: `${st.sid}${i}`,
      Effect: st.effect,
      [st.notPrincipal && st.principal !== '*' && st.effect === 'Deny' ? 'NotPrincipal' : 'Principal']: st.principal,
      Action: st.actions,
      ...(st.resource === undefined ? {} : { Resource: st.resource }),
      ...(Object.keys(st.condition).length > 0 ? { Condition: st.condition } : {}),
    })),
  ),
);
const context: fc.Arbitrary<FactsContext> = fc.record({
  keyArn: fc.constantFrom(KEY, null, `arn:aws:kms:eu-west-1:${P}:key/0000aaaa-0000-0000-0000-000000000000`),
  keyAccount: fc.constantFrom(undefined, K, P),
  organizationId: fc.constantFrom(undefined, ORG),
  keyUsage: fc.constantFrom('ENCRYPT_DECRYPT', 'SIGN_VERIFY', null),
});

describe('random policies', () => {
  it('element caches change no parse result (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(policy, (p) => {
        const text = JSON.stringify(p);
        expect(JSON.stringify(parsePolicy(`${text}\n`, 'key'))).toBe(JSON.stringify(parsePolicy(text, 'key')));
      }),
      { seed: 20_261_129, numRuns: 300 },
    );
  });

  it('same facts on each policy and two renamed copies (fast-check, fixed seed)', () => {
    const paths = new Map<FactsPath, number>();
    fc.assert(
      fc.property(fc.tuple(fc.constantFrom(doc(ROOT)), policy), context, ([, p], ctx) => {
        paths.set(factsPath(document(p), ctx), (paths.get(factsPath(document(p), ctx)) ?? 0) + 1);
        checkedFacts(p, ctx, 2);
      }),
      { seed: 20_261_128, numRuns: 250 },
    );
    // Both paths are exercised: shapes, and documents that have none.
    expect(paths.get('shape') ?? 0).toBeGreaterThan(25);
    expect(paths.get('unshapeable') ?? 0).toBeGreaterThan(25);
  });
});
