// Parser and validator: every diagnostic has a severity, a stable code, a message and a JSON path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type PolicyKind } from '../../src/iam';
import { globMatch } from '../../src/iam/match/glob';
import { DOC, K, ROOT, allow, aws, doc, role, type Json } from './fixtures';

const codes = (input: unknown, kind: PolicyKind) => parsePolicy(input, kind).diagnostics.map((d) => `${d.severity} ${d.code} ${d.path}`);

interface Case {
  name: string;
  ref: string;
  kind: PolicyKind;
  input: unknown;
  expect: string[];
}

const stmt = (extra: Json): Json => ({ Effect: 'Allow', Principal: aws(role('App')), Action: 'kms:Decrypt', Resource: '*', ...extra });
const cases: Case[] = [
  { name: 'a clean key policy has no diagnostics', ref: DOC.defaultPolicy, kind: 'key', input: doc(ROOT), expect: [] },
  { name: 'JSON syntax error with line and column', ref: DOC.grammar, kind: 'key', input: '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", } ]\n}', expect: ['error json-syntax $'] },
  { name: 'not an object', ref: DOC.grammar, kind: 'key', input: '[]', expect: ['error document-not-object $'] },
  { name: 'Version other than the two dates', ref: DOC.version, kind: 'key', input: { Version: '2012-10-18', Statement: [ROOT] }, expect: ['error version-invalid $.Version'] },
  { name: 'no Version: variables are literal', ref: DOC.version, kind: 'identity', input: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }, expect: ['warning version-missing $'] },
  { name: 'unknown top-level element', ref: DOC.grammar, kind: 'key', input: { ...doc(ROOT), Statements: [] }, expect: ['error unknown-element $.Statements'] },
  { name: 'Statement missing', ref: DOC.grammar, kind: 'key', input: { Version: '2012-10-17' }, expect: ['error statement-missing $'] },
  { name: 'Statement may be one object', ref: DOC.grammar, kind: 'key', input: { Version: '2012-10-17', Statement: ROOT }, expect: [] },
  { name: 'Effect is case-sensitive', ref: DOC.grammar, kind: 'key', input: doc(stmt({ Effect: 'allow' })), expect: ['error effect-invalid $.Statement[0].Effect'] },
  { name: 'a bare-string Principal may only be "*"', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: role('App') })), expect: ['error principal-invalid $.Statement[0].Principal'] },
  { name: 'partial wildcard principal', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { AWS: [rootOf(), `arn:aws:iam::${K}:role/App*`] } })), expect: ['error principal-partial-wildcard $.Statement[0].Principal.AWS[1]'] },
  { name: 'account wildcard principal', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { AWS: 'arn:aws:iam::*:root' } })), expect: ['error principal-partial-wildcard $.Statement[0].Principal.AWS'] },
  { name: 'a key policy statement needs a Principal', ref: DOC.overview, kind: 'key', input: doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }), expect: ['error principal-missing $.Statement[0]'] },
  { name: 'Principal and NotPrincipal together', ref: DOC.notPrincipal, kind: 'key', input: doc(stmt({ NotPrincipal: aws(role('X')) })), expect: ['error principal-both $.Statement[0]'] },
  { name: 'unknown principal type', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { IAM: role('App') } })), expect: ["error principal-invalid $.Statement[0].Principal.IAM"] },
  { name: 'a group is not a principal', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { AWS: `arn:aws:iam::${K}:group/Admins` } })), expect: ['error principal-invalid $.Statement[0].Principal.AWS'] },
  { name: 'Federated means nothing to KMS', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { Federated: 'cognito-identity.amazonaws.com' } })), expect: ['warning principal-not-for-kms $.Statement[0].Principal.Federated'] },
  { name: 'empty principal list', ref: DOC.principal, kind: 'key', input: doc(stmt({ Principal: { AWS: [] } })), expect: ['warning principal-empty $.Statement[0].Principal.AWS'] },
  { name: 'Allow with NotPrincipal', ref: DOC.notPrincipal, kind: 'key', input: doc({ Effect: 'Allow', NotPrincipal: aws(role('X')), Action: 'kms:Decrypt', Resource: '*' }), expect: ['warning not-principal-allow $.Statement[0].NotPrincipal'] },
  { name: 'Deny with NotPrincipal', ref: DOC.notPrincipal, kind: 'key', input: doc({ Effect: 'Deny', NotPrincipal: aws(role('X')), Action: 'kms:Decrypt', Resource: '*' }), expect: ['warning not-principal-deny $.Statement[0].NotPrincipal'] },
  { name: 'identity policies take no Principal', ref: DOC.grammar, kind: 'identity', input: doc(stmt({})), expect: ['error principal-not-allowed $.Statement[0].Principal'] },
  { name: 'SCPs take no Principal', ref: DOC.scpSyntax, kind: 'scp', input: doc({ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }), expect: ['error principal-not-allowed $.Statement[0].Principal'] },
  { name: 'SCP Allow with NotAction, conditions and a resource ARN (Sept 2025 grammar)', ref: DOC.scpSyntax, kind: 'scp', input: doc({ Effect: 'Allow', NotAction: 'kms:ScheduleKeyDeletion', Resource: `arn:aws:kms:*:${K}:key/*`, Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }), expect: [] },
  { name: 'SCP Sid is alphanumeric', ref: DOC.scpSyntax, kind: 'scp', input: doc({ Sid: 'No delete', Effect: 'Deny', Action: 'kms:*', Resource: '*' }), expect: ['error sid-invalid $.Statement[0].Sid'] },
  { name: 'key policy Sids may contain spaces', ref: DOC.defaultPolicy, kind: 'key', input: doc(stmt({ Sid: 'Allow use of the key' })), expect: [] },
  { name: 'duplicate Sid', ref: DOC.analyzerChecks, kind: 'key', input: doc(stmt({ Sid: 'A' }), stmt({ Sid: 'A' })), expect: ['warning sid-duplicate $.Statement[1].Sid'] },
  { name: 'Action and NotAction together', ref: DOC.action, kind: 'key', input: doc(stmt({ NotAction: 'kms:Encrypt' })), expect: ['error action-both $.Statement[0]'] },
  { name: 'no Action', ref: DOC.action, kind: 'key', input: doc({ Effect: 'Allow', Principal: '*', Resource: '*' }), expect: ['error action-missing $.Statement[0]'] },
  { name: 'unknown KMS action (typo)', ref: DOC.action, kind: 'key', input: doc(stmt({ Action: ['kms:Decrypt', 'kms:Encypt'] })), expect: ['error action-unknown $.Statement[0].Action[1]'] },
  { name: 'malformed action', ref: DOC.action, kind: 'key', input: doc(stmt({ Action: 'Decrypt' })), expect: ['error action-invalid $.Statement[0].Action', 'warning action-not-kms $.Statement[0].Action'] },
  { name: 'non-KMS actions in a key policy have no effect', ref: DOC.keyPolicies, kind: 'key', input: doc(stmt({ Action: 's3:GetObject' })), expect: ['warning action-not-kms $.Statement[0].Action'] },
  { name: 'IAM-only actions in a key policy', ref: DOC.keyPolicies, kind: 'key', input: doc(stmt({ Action: 'kms:CreateKey' })), expect: ['warning action-iam-only $.Statement[0].Action'] },
  { name: 'key policy statement without Resource has no effect', ref: DOC.overview, kind: 'key', input: doc({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }), expect: ['warning resource-missing $.Statement[0]'] },
  { name: 'identity policy statement needs a Resource', ref: DOC.grammar, kind: 'identity', input: doc({ Effect: 'Allow', Action: 'kms:Decrypt' }), expect: ['error resource-missing $.Statement[0]'] },
  { name: 'Resource and NotResource together', ref: DOC.resource, kind: 'key', input: doc(stmt({ NotResource: 'arn:aws:kms:*:*:key/x' })), expect: ['error resource-both $.Statement[0]'] },
  { name: 'unknown condition operator', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { StringEqual: { 'aws:SourceVpce': 'vpce-1' } } })), expect: ['error condition-operator-unknown $.Statement[0].Condition.StringEqual'] },
  { name: 'NullIfExists is not an operator', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { NullIfExists: { 'aws:SourceVpce': 'true' } } })), expect: ['error condition-null-if-exists $.Statement[0].Condition.NullIfExists'] },
  { name: 'operators with qualifier and IfExists are valid', ref: DOC.singleMulti, kind: 'key', input: doc(stmt({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'kms:EncryptionContextKeys': 'app*' } } })), expect: [] },
  { name: 'an operator in another case is flagged', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { stringequals: { 'aws:SourceVpce': 'vpce-1' } } })), expect: ['warning condition-operator-case $.Statement[0].Condition.stringequals'] },
  { name: 'unknown condition key (aws:PrincipleArn)', ref: DOC.globalKeys, kind: 'key', input: doc(stmt({ Condition: { ArnEquals: { 'aws:PrincipleArn': role('App') } } })), expect: ["warning condition-key-unknown $.Statement[0].Condition.ArnEquals['aws:PrincipleArn']"] },
  { name: 'service keys outside the catalogue are not flagged', ref: DOC.globalKeys, kind: 'identity', input: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringLike: { 's3:prefix': 'home/*' } } }), expect: [] },
  { name: 'ForAllValues on a single-valued key', ref: DOC.analyzerChecks, kind: 'key', input: doc(stmt({ Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })), expect: ['warning condition-forallvalues-single-valued $.Statement[0].Condition[\'ForAllValues:StringEquals\']'] },
  { name: 'KMS rejects ForAllValues with an encryption-context key', ref: DOC.encryptionContext, kind: 'key', input: doc(stmt({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:app': 'x' } } })), expect: ['warning condition-forallvalues-single-valued $.Statement[0].Condition[\'ForAllValues:StringEquals\']', 'error condition-overly-permissive $.Statement[0].Condition[\'ForAllValues:StringEquals\']'] },
  { name: 'a multivalued key without a set qualifier', ref: DOC.singleMulti, kind: 'key', input: doc(stmt({ Condition: { StringEquals: { 'kms:EncryptionContextKeys': 'app' } } })), expect: ['warning condition-multivalued-without-set $.Statement[0].Condition.StringEquals'] },
  { name: 'keys differing only in case', ref: DOC.analyzerChecks, kind: 'key', input: doc(stmt({ Condition: { StringEquals: { 'aws:SourceVpce': 'a', 'aws:sourcevpce': 'b' } } })), expect: ["warning condition-key-case-duplicate $.Statement[0].Condition.StringEquals['aws:sourcevpce']"] },
  { name: 'wildcard without a Like operator', ref: DOC.analyzerChecks, kind: 'key', input: doc(stmt({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-*' } } })), expect: ["warning condition-wildcard-without-like $.Statement[0].Condition.StringEquals['aws:PrincipalOrgID']"] },
  { name: 'bad numeric, date, bool and IP values', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 'thirty' }, DateLessThan: { 'aws:CurrentTime': 'tomorrow' }, Bool: { 'aws:SecureTransport': 'yes' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } })), expect: ["error condition-value-invalid $.Statement[0].Condition.NumericLessThan['kms:ScheduleKeyDeletionPendingWindowInDays']", "error condition-value-invalid $.Statement[0].Condition.DateLessThan['aws:CurrentTime']", "error condition-value-invalid $.Statement[0].Condition.Bool['aws:SecureTransport']", "error condition-value-invalid $.Statement[0].Condition.IpAddress['aws:SourceIp']"] },
  { name: 'an empty value array', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { StringEquals: { 'aws:SourceVpce': [] } } })), expect: ["warning condition-values-empty $.Statement[0].Condition.StringEquals['aws:SourceVpce']"] },
  { name: 'policy variables in a 2008-10-17 policy are literal', ref: DOC.version, kind: 'key', input: { Version: '2008-10-17', Statement: [stmt({ Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } })] }, expect: ["warning policy-variable-literal $.Statement[0].Condition.StringEquals['kms:EncryptionContext:user']"] },
  { name: 'symbolic values (known after apply) are not policy variables', ref: DOC.variables, kind: 'key', input: doc(stmt({ Principal: aws('${tf:aws_iam_role.app.arn}'), Condition: { StringEquals: { 'aws:SourceVpce': '${tf:aws_vpc_endpoint.kms.id}' } } })), expect: [] },
  { name: 'condition values must be scalars', ref: DOC.operators, kind: 'key', input: doc(stmt({ Condition: { StringEquals: { 'aws:SourceVpce': [{ a: 1 }] } } })), expect: ["error condition-value-invalid $.Statement[0].Condition.StringEquals['aws:SourceVpce'][0]"] },
  { name: 'an SCP over 5,120 characters', ref: DOC.scpSyntax, kind: 'scp', input: doc({ Effect: 'Deny', Action: Array.from({ length: 400 }, (_x, i) => `s3:Get${'x'.repeat(5)}${i}`), Resource: '*' }), expect: ['error size-limit $'] },
  { name: 'a key policy over 32 KB', ref: DOC.overview, kind: 'key', input: doc(...Array.from({ length: 300 }, (_x, i) => stmt({ Sid: `S${i}`, Principal: aws(role(`Role${'x'.repeat(60)}${i}`)) }))), expect: ['error size-limit $'] },
  { name: 'key policy characters beyond Latin-1', ref: DOC.overview, kind: 'key', input: doc(stmt({ Sid: 'Schlüssel ✓' })), expect: ['error key-policy-characters $'] },
  { name: 'Id in an identity policy', ref: DOC.grammar, kind: 'identity', input: { ...doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }), Id: 'x' }, expect: ['warning id-not-supported $.Id'] },
  { name: 'an endpoint policy without Principal applies to everyone', ref: DOC.endpointPolicy, kind: 'endpoint', input: { Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }, expect: ['warning version-missing $', 'warning principal-missing $.Statement[0]'] },
];

function rootOf(account = K) {
  return `arn:aws:iam::${account}:root`;
}

describe('parse and validate', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(codes(c.input, c.kind), c.ref).toEqual(c.expect);
  });

  it('reports the line and column of a syntax error', () => {
    const r = parsePolicy('{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", } ]\n}', 'key');
    expect(r.diagnostics[0]).toMatchObject({ line: 3, column: 39 });
    expect(r.valid).toBe(false);
    expect(r.document).toBeNull();
  });

  it('accepts a UTF-8 BOM', () => {
    expect(parsePolicy('\ufeff' + JSON.stringify(doc(ROOT)), 'key').valid).toBe(true);
  });

  it('normalizes: arrays everywhere, principals classified, operators decomposed, keys lower-cased', () => {
    const r = parsePolicy(doc(allow({ AWS: [K, role('App', K)], Service: 'logs.amazonaws.com' }, 'kms:Decrypt', { Condition: { 'ForAnyValue:StringNotEqualsIfExists': { 'Kms:EncryptionContextKeys': 'a' } } })), 'key');
    const st = r.document?.statements[0];
    expect(st?.principal?.values.map((v) => [v.type, v.id])).toEqual([
      ['account', rootOf()],
      ['role', role('App')],
      ['service', 'logs.amazonaws.com'],
    ]);
    expect(st?.action.patterns).toEqual(['kms:Decrypt']);
    expect(st?.resource?.patterns).toEqual(['*']);
    expect(st?.conditions[0]).toMatchObject({ base: 'StringNotEquals', set: 'ForAnyValue', ifExists: true, negated: true, key: 'Kms:EncryptionContextKeys', keyLower: 'kms:encryptioncontextkeys', values: ['a'] });
    expect(st?.ref).toBe('Statement[0]');
  });

  it('memoizes by text: the same text gives the same document object', () => {
    const text = JSON.stringify(doc(ROOT));
    expect(parsePolicy(text, 'key').document).toBe(parsePolicy(text, 'key').document);
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const kind of ['key', 'endpoint', 'scp', 'identity'] as const) parsePolicy(v, kind);
        parsePolicy({ Version: '2012-10-17', Statement: v }, 'key');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary text, and glob matching never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        parsePolicy(a, 'key');
        globMatch(a, b);
        globMatch(a, b, true);
      }),
      { numRuns: 500 },
    );
  });
});
