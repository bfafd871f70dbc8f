// The side conditions of the shape cache (src/iam/facts/shape.ts): which tokens are renamed, which
// documents have no shape, and that no string constant of the analysis could ever be renamed.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type FactsContext } from '../../src/iam';
import { factsPath, type FactsPath } from '../../src/iam/facts/shape-cache';
import { tokenKind } from '../../src/iam/facts/rename';
import { canonicalShape } from '../../src/iam/facts/shape';
import { K, KEY, P, ROOT, USER_ACTIONS, allow, aws, deny, doc, role, type Json } from './fixtures';

const parsed = (policy: Json) => {
  const d = parsePolicy(policy, 'key').document;
  if (!d) throw new Error('unreadable');
  return d;
};
const path = (policy: Json, ctx: FactsContext = { keyArn: KEY }): FactsPath => factsPath(parsed(policy), ctx);

/** Files whose string constants meet renamed values: the key-policy analysis and what it calls. */
const ANALYSIS = [
  ...['analyzer', 'callers', 'entities', 'principals', 'exposure', 'delegation', 'vpce', 'search', 'strength', 'action-groups', 'analysis', 'key-policy', 'notes'].map((f) => `src/iam/facts/${f}.ts`),
  ...readdirSync('src/iam/match').map((f) => `src/iam/match/${f}`),
  'src/iam/evaluate/caller.ts',
  'src/iam/policy/principal.ts',
  'src/iam/policy/values.ts',
];

/**
 * String literals and the static parts of template literals, comments removed. Left aside: messages
 * (they contain spaces; output only), import paths, and condition keys and action names (`aws:…`,
 * `kms:…`: compared with keys and catalogue names, never with values).
 */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/ .*$/gm, '');
  const out: string[] = [];
  const text = code.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, ' ');
  for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)) {
    const plain = m[1];
    if (plain !== undefined) {
      if (!plain.includes(' ') && !plain.startsWith('.') && !/^(aws|kms):/i.test(plain)) out.push(plain);
      continue;
    }
    const parts = (m[2] ?? '').split(/\$\{[^}]*\}/);
    if (parts.some((t) => t.includes(' '))) continue;
    out.push(...parts.filter((t) => t !== ''));
  }
  // Regular expressions: their literal words (`iam`, `amazonaws`, `com`), escapes and classes removed.
  for (const m of code.matchAll(/(?:^|[=(,:!&|?{};\s])\/((?:[^/\\\n]|\\.)+)\/[dgimsuy]*/g)) {
    if (/[`'"]|\$\{/.test(m[1] ?? '')) continue;
    const body = (m[1] ?? '').replace(/\[[^\]]*\]/g, ' ').replace(/\\./g, ' ');
    out.push(...body.split(/[^A-Za-z0-9-]+/).filter((t) => t !== '' && !/^[A-Z]{3}$/.test(t)));
  }
  return out;
}

describe('renaming', () => {
  it('never renames a token of the analysis’s own string constants', () => {
    const renamed: string[] = [];
    for (const file of ANALYSIS) {
      for (const lit of literals(readFileSync(join(file), 'utf8'))) {
        for (const token of lit.split(/[^A-Za-z0-9+=,@_-]+/)) {
          const kind = tokenKind(token);
          if (kind !== 'kept' && kind !== 'kept-cased') renamed.push(`${file}: ${token}`);
        }
      }
    }
    expect(renamed, 'add these to RESERVED in shape.ts').toEqual([]);
  });

  it.each([
    ['111122223333', 'account'],
    ['999999999999', 'kept'],
    ['o-a1b2c3d4e5', 'organization'],
    ['O-A1B2', 'kept-cased'],
    ['payments-api-prod', 'name'],
    ['us-east-1', 'name'],
    ['vpce-0a1b2c3d4e5f60718', 'name'],
    ['root', 'kept'],
    ['Account', 'kept'],
    ['aws-us-gov', 'kept'],
    ['AWSServiceRoleForSupport', 'kept'],
    ['kmsgate-fresh-role', 'kept'],
    ['amazonaws', 'kept'],
    ['AIDAJQABLZS4A3QDU576Q', 'kept'],
    ['ab', 'kept'],
    ['1234', 'kept'],
  ])('%s is %s', (token, kind) => {
    expect(tokenKind(token)).toBe(kind);
  });

  it('documents that differ only in identifiers share a shape; equalities between identifiers are kept', () => {
    const a = canonicalShape(parsed(doc(ROOT, allow(aws(role('App')), USER_ACTIONS))), { keyArn: KEY });
    const b = canonicalShape(parsed(doc({ ...ROOT, Principal: { AWS: `arn:aws:iam::${P}:root` } }, allow(aws(role('Other', P)), USER_ACTIONS))), { keyArn: KEY.replace(K, P) });
    const c = canonicalShape(parsed(doc(ROOT, allow(aws(role('App', P)), USER_ACTIONS))), { keyArn: KEY });
    expect(a?.key).toBe(b?.key);
    expect(a?.key).not.toBe(c?.key);
    expect(a?.inverse.get('000000000100')).toBe(K);
  });
});

describe('documents analysed directly', () => {
  it.each([
    ['a `?` wildcard', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${K}:role/App?` } } }))],
    ['a policy variable', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${K}:user/\${aws:username}` } } }))],
    ['a symbolic value', doc(ROOT, allow(aws('${tf:aws_iam_role.app.arn}'), 'kms:Decrypt'))],
    ['a numeric condition on an identity key', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { NumericLessThan: { 'aws:PrincipalAccount': '500000000000' } } }))],
    ['an identifier in an IP condition', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'aws:SourceIp': 'fe80::1', 'aws:PrincipalArn': role('fe80') } } }))],
    ['names equal ignoring case', doc(ROOT, allow(aws(role('Admin'), role('admin')), 'kms:Decrypt'))],
    ['a pattern fragment inside a name', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${K}:role/app-*` } } }), allow(aws(role('app-reader')), 'kms:Decrypt'))],
    ['an upper-case name in a service-like caller', doc(ROOT, allow('*', 'kms:Decrypt', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': ['Logs.amazonaws.com', role('Logs')] } } }))],
  ])('%s', (_name, policy) => {
    expect(path(policy)).toBe('unshapeable');
  });

  it('a template policy with endpoints, services, partners and org conditions has a shape', () => {
    const policy = doc(
      ROOT,
      allow({ Service: 'logs.us-east-1.amazonaws.com' }, 'kms:Encrypt*', { Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${K}:log-group:/payments/*` } } }),
      allow(aws(`arn:aws:iam::${P}:root`), USER_ACTIONS),
      allow('*', 'kms:Decrypt', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
      deny('*', 'kms:*', { Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0a1b2c3d4e5f60718', 'vpce-0f1e2d3c4b5a69788'] } } }),
    );
    expect(path(policy)).toBe('shape');
  });
});
