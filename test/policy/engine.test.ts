import { describe, expect, it } from 'vitest';
import type { Subject } from '../../src/facts';
import { Unknown } from '../../src/model';
import { evaluatePolicy } from '../../src/policy/evaluate';
import { loadPolicy } from '../../src/policy/load';
import type { Policy } from '../../src/policy/types';

function policy(yaml: string): Policy {
  const result = loadPolicy({ file: 'policies/test-policy.yaml', text: `id: test-policy\ntitle: T\nseverity: high\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: []\n${yaml}`, builtIn: false });
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.policy;
}

function subject(values: Record<string, unknown>, facts: Record<string, unknown> = {}, sensitive: string[] = []): Subject {
  const view = { address: 'aws_kms_key.k', type: 'aws_kms_key', name: 'k', module: '', mode: 'managed', index: null, action: 'create', actions: ['create'], deposed: null, file: 'plan.json', values, before: null, configured: {}, relations: {}, facts };
  return {
    address: 'aws_kms_key.k',
    type: 'aws_kms_key',
    action: 'create',
    file: 'plan.json',
    view: view as Subject['view'],
    isSensitive: (path) => path[0] === 'values' && sensitive.includes(String(path[1])),
  };
}

const run = (p: Policy, s: Subject, params: Record<string, unknown> = {}) => evaluatePolicy(p, [s], params);

describe('three-valued evaluation', () => {
  const rotation = policy('require: { path: $.values.enable_key_rotation, equals: true, default: false }\nmessage: "{{address}} does not rotate"');

  it('fails, passes, and is unknown — never passes on an unknown', () => {
    expect(run(rotation, subject({ enable_key_rotation: false }))[0]?.status).toBe('fail');
    expect(run(rotation, subject({ enable_key_rotation: true }))[0]?.status).toBe('pass');
    expect(run(rotation, subject({}))[0]?.status).toBe('fail');
    const unknown = run(rotation, subject({ enable_key_rotation: new Unknown('enable_key_rotation', ['aws_iam_role.r.arn']) }))[0];
    expect(unknown?.status).toBe('unknown');
    expect(unknown?.waitsOn).toEqual(['aws_iam_role.r.arn']);
    expect(unknown?.message).toContain('`enable_key_rotation` of aws_kms_key.k is known only after apply (waits on aws_iam_role.r.arn)');
  });

  it('decides without the unknown when the other side settles it (Kleene)', () => {
    const p = policy(
      'when: { path: $.values.customer_master_key_spec, equals: SYMMETRIC_DEFAULT }\nrequire: { path: $.values.enable_key_rotation, equals: true }\nmessage: m',
    );
    // Rotation on: passes whatever the spec.
    expect(run(p, subject({ customer_master_key_spec: new Unknown('customer_master_key_spec', []), enable_key_rotation: true }))[0]?.status).toBe('pass');
    // Not symmetric: not applicable, whatever the rotation.
    expect(run(p, subject({ customer_master_key_spec: 'HMAC_256', enable_key_rotation: new Unknown('enable_key_rotation', []) }))[0]?.status).toBe('pass');
    expect(run(p, subject({ customer_master_key_spec: new Unknown('customer_master_key_spec', []), enable_key_rotation: false }))[0]?.status).toBe('unknown');
  });

  it('any/all/not combine three-valued results', () => {
    const p = policy('require:\n  any:\n    - { path: $.values.a, equals: 1 }\n    - { path: $.values.b, equals: 1 }\nmessage: m');
    const u = () => new Unknown('a', []);
    expect(run(p, subject({ a: u(), b: 1 }))[0]?.status).toBe('pass');
    expect(run(p, subject({ a: u(), b: 2 }))[0]?.status).toBe('unknown');
    const n = policy('require: { not: { path: $.values.a, equals: 1 } }\nmessage: m');
    expect(run(n, subject({ a: 1 }))[0]?.status).toBe('fail');
    expect(run(n, subject({ a: u() }))[0]?.status).toBe('unknown');
  });

  it('an unknown anywhere on a path makes the selection unknown, not empty', () => {
    const p = policy('require: { count: $.facts.sources, atLeast: 1 }\nmessage: m');
    expect(run(p, subject({}, { sources: new Unknown('policy', ['x']) }))[0]?.status).toBe('unknown');
    expect(run(p, subject({}, { sources: [] }))[0]?.status).toBe('fail');
    const deep = policy('require: { path: "$.values.statement[*].actions", empty: false }\nmessage: m');
    expect(run(deep, subject({ statement: [{ actions: ['a'] }, new Unknown('statement[1]', [])] }))[0]?.status).toBe('unknown');
  });

  it('forEach gives one result per failing element and names it', () => {
    const p = policy('forEach: $.facts.principals\nrequire: { path: "@.admin", equals: false }\nmessage: "{{@.id}} administers {{address}}"');
    const results = run(p, subject({}, { principals: [{ id: 'role/a', admin: true }, { id: 'role/b', admin: false }, { id: 'role/c', admin: true }] }));
    expect(results.map((r) => r.message)).toEqual(['role/a administers aws_kms_key.k', 'role/c administers aws_kms_key.k']);
    expect(run(p, subject({}, { principals: [] }))[0]?.status).toBe('pass');
    expect(run(p, subject({}, { principals: new Unknown('policy', []) }))[0]?.status).toBe('unknown');
  });

  it('parameters, map lookups and globs', () => {
    const p = policy(
      'parameters:\n  allowed: { type: string-list-map, default: { ENCRYPT_DECRYPT: ["kms:Encrypt", "kms:GenerateDataKey*"] }, description: d }\nrequire: { path: $.facts.actions, subsetOf: { param: allowed, key: $.facts.usage }, ignoreCase: true }\nmessage: m',
    );
    const params = { allowed: { ENCRYPT_DECRYPT: ['kms:Encrypt', 'kms:GenerateDataKey*'] } };
    expect(run(p, subject({}, { usage: 'ENCRYPT_DECRYPT', actions: ['kms:encrypt', 'kms:GenerateDataKeyPair'] }), params)[0]?.status).toBe('pass');
    expect(run(p, subject({}, { usage: 'ENCRYPT_DECRYPT', actions: ['kms:Decrypt'] }), params)[0]?.status).toBe('fail');
    expect(run(p, subject({}, { usage: new Unknown('key_usage', []), actions: ['kms:Decrypt'] }), params)[0]?.status).toBe('unknown');
  });

  it('never prints a sensitive value in a message or evidence', () => {
    const p = policy('require: { path: $.values.secret, equals: ok }\nmessage: "value is {{$.values.secret}}"\nevidence:\n  secret: $.values.secret');
    const [result] = run(p, subject({ secret: 'hunter2' }, {}, ['secret']));
    expect(result?.message).toBe('value is (sensitive)');
    expect(result?.evidence).toEqual({ secret: '(sensitive)' });
  });
});

describe('policy files are validated, every error at once', () => {
  it('reports schema errors with JSONPath places', () => {
    const result = loadPolicy({
      file: 'p/bad.yaml',
      text: 'id: Bad_Id\ntitle: t\nseverity: severe\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: [http://x]\nrequire: { path: $.a, equal: 1 }\nmessage: m\nextra: 1\n',
      builtIn: false,
    });
    expect('errors' in result).toBe(true);
    const messages = 'errors' in result ? result.errors.map((e) => e.message) : [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("p/bad.yaml: $: unknown key 'extra'"),
        expect.stringContaining('p/bad.yaml: $.id: does not have the expected form'),
        expect.stringContaining('p/bad.yaml: $.severity: must be one of: critical, high, medium, low, info'),
        expect.stringContaining('p/bad.yaml: $.references[0]'),
        expect.stringContaining("p/bad.yaml: $.require: unknown key 'equal'"),
      ]),
    );
  });

  it('refuses scripts, unknown parameters, misplaced @ and a wrong id', () => {
    const result = loadPolicy({
      file: 'p/other.yaml',
      text: 'id: test-policy\ntitle: t\nseverity: low\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: []\nwhen: { path: "$.a[?(@.b)]", exists: true }\nrequire: { param: nope, equals: 1 }\nmessage: "{{@.x}} {{param.missing}}"\n',
      builtIn: false,
    });
    const messages = 'errors' in result ? result.errors.map((e) => e.message) : [];
    expect(messages).toEqual([
      "p/other.yaml: $.id: the id 'test-policy' must equal the file name 'other'",
      'p/other.yaml: $.when.path: filter and script expressions (`?()`, `()`) are not allowed; use `forEach` with `when`',
      "p/other.yaml: $.require.param: unknown parameter 'nope'",
      'p/other.yaml: $.message: `@` refers to the current element and needs `forEach`',
      'p/other.yaml: $.message: unknown parameter in {{param.missing}}',
    ]);
  });

  it('refuses YAML tags, alias bombs and prototype keys', () => {
    const load = (text: string) => loadPolicy({ file: 'p/x.yaml', text, builtIn: false });
    expect(JSON.stringify(load('id: !!js/function "return 1"\n'))).toContain('invalid YAML');
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    expect(JSON.stringify(load(bomb))).toContain('invalid YAML');
    expect(JSON.stringify(load('__proto__: { polluted: true }\n'))).toContain('this key name is not allowed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
