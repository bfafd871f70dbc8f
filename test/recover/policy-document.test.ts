// The provider's rendering of aws_iam_policy_document, rule by rule (the fixtures prove the whole).

import { describe, expect, it } from 'vitest';
import { DocumentError, renderPolicyDocument, type DocumentInput, type StatementInput } from '../../src/recover/policy-document';

const statement = (fields: Partial<StatementInput>): StatementInput => ({
  sid: '',
  effect: 'Allow',
  actions: [],
  notActions: [],
  resources: [],
  notResources: [],
  principals: [],
  notPrincipals: [],
  conditions: [],
  ...fields,
});

const document = (fields: Partial<DocumentInput>): DocumentInput => ({
  version: '2012-10-17',
  policyId: '',
  statements: [],
  sources: [],
  overrides: [],
  ...fields,
});

const render = (input: DocumentInput): unknown => {
  const text = renderPolicyDocument(input, true);
  if (text instanceof DocumentError) throw new Error(text.message);
  return JSON.parse(text);
};

describe('renderPolicyDocument', () => {
  it('writes one element as a string and several sorted in reverse; condition values keep their order', () => {
    const out = render(
      document({
        statements: [
          statement({
            actions: ['kms:Decrypt', 'kms:Encrypt'],
            resources: ['*'],
            conditions: [{ test: 'StringEquals', variable: 'aws:SourceVpce', values: ['vpce-b', 'vpce-a'] }],
          }),
        ],
      }),
    );
    expect(out).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-b', 'vpce-a'] } } }],
    });
  });

  it('writes a lone {type "*", identifiers ["*"]} as "*", and groups principals by type', () => {
    const star = render(document({ statements: [statement({ principals: [{ type: '*', identifiers: ['*'] }] })] }));
    expect((star as { Statement: { Principal: unknown }[] }).Statement[0]?.Principal).toBe('*');
    const grouped = render(
      document({
        statements: [
          statement({
            principals: [
              { type: 'AWS', identifiers: ['arn:aws:iam::1:role/a'] },
              { type: 'AWS', identifiers: ['arn:aws:iam::1:role/b', 'arn:aws:iam::1:role/c'] },
              { type: 'Service', identifiers: ['logs.amazonaws.com'] },
              { type: '*', identifiers: ['*'] },
            ],
          }),
        ],
      }),
    );
    expect((grouped as { Statement: { Principal: unknown }[] }).Statement[0]?.Principal).toEqual({
      '*': '*',
      AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/c', 'arn:aws:iam::1:role/b'],
      Service: 'logs.amazonaws.com',
    });
  });

  it('turns &{…} into policy variables, and refuses them in version 2008-10-17', () => {
    const out = render(document({ statements: [statement({ resources: ['arn:aws:s3:::b/&{aws:username}/*'] })] }));
    expect((out as { Statement: { Resource: unknown }[] }).Statement[0]?.Resource).toBe('arn:aws:s3:::b/${aws:username}/*');
    expect(renderPolicyDocument(document({ version: '2008-10-17', statements: [statement({ resources: ['&{x}'] })] }), true)).toBeInstanceOf(DocumentError);
  });

  it('merges sources, own statements and overrides; a later statement replaces one with its Sid', () => {
    const source = JSON.stringify({ Version: '2008-10-17', Id: 'src', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['b', 'a'] }, { Effect: 'Deny', Action: 'x' }] });
    const override = JSON.stringify({ Statement: [{ Sid: 'B', Effect: 'Deny', Action: 'y' }] });
    const out = render(
      document({
        policyId: '',
        sources: [source, null],
        statements: [statement({ sid: 'A', actions: ['own'] }), statement({ sid: 'B', actions: ['own-b'] })],
        overrides: [override],
      }),
    );
    expect(out).toEqual({
      Version: '2012-10-17',
      Id: 'src',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 'own' },
        { Effect: 'Deny', Action: 'x' },
        { Sid: 'B', Effect: 'Deny', Action: 'y' },
      ],
    });
  });

  it("reads source documents the way the provider's decoders do", () => {
    const source = JSON.stringify({
      statement: [
        {
          sid: 'S',
          Principal: 'arn:aws:iam::1:root',
          NotPrincipal: { AWS: ['b', 'a', 'c'] },
          Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 'n': 3 }, StringEquals: { one: ['x'] } },
          Action: [],
        },
      ],
    });
    expect(render(document({ sources: [source] }))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'S', Action: [], Principal: '*', NotPrincipal: { AWS: ['c', 'b', 'a'] }, Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { one: 'x' } } }],
    });
  });

  it('reports what the provider would reject', () => {
    const reject = (input: DocumentInput) => (renderPolicyDocument(input, true) as DocumentError).message;
    expect(reject(document({ statements: [statement({ sid: 'A' }), statement({ sid: 'A' })] }))).toContain('duplicate Sid (A)');
    const twice = JSON.stringify({ Statement: [{ Sid: 'A' }] });
    expect(reject(document({ sources: [twice, twice] }))).toContain('duplicate Sid (A) in source_policy_documents');
    expect(reject(document({ sources: ['{'] }))).toContain('source document 0: not valid JSON');
    expect(reject(document({ overrides: ['{"Statement":{"Sid":"x"}}'] }))).toContain('override document 0: Statement is not a list');
    expect(reject(document({ sources: ['{"Statement":[{"Principal":{"AWS":[1]}}]}'] }))).toContain('not a string');
  });

  it('writes minified or with two spaces of indentation', () => {
    const input = document({ statements: [statement({ actions: ['a'] })] });
    expect(renderPolicyDocument(input, true)).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a"}]}');
    expect(renderPolicyDocument(input, false)).toBe(
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "a"\n    }\n  ]\n}',
    );
  });
});
