// Hand-made documents (not Terraform output) for what the corpus cannot show: duplicate keys,
// deferred changes, errored plans, null sections, every chunk boundary, shape errors.

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors';
import { createPlanReader, readPlan, type PlanDocument } from '../../src/plan';
import { referenceRead } from './reference';

const AWS = 'registry.terraform.io/hashicorp/aws';
const INVALID = 'this is not valid `terraform show -json` output, produce it with `terraform show -json tfplan > plan.json`';

function change(address: string, type: string, actions: string[], after: unknown = { tags: { team: 'platform' } }): string {
  const name = address.split('.').pop() ?? 'x';
  return JSON.stringify({ address, mode: 'managed', type, name, provider_name: AWS, change: { actions, before: null, after, after_unknown: {} } });
}

function resource(address: string, type: string, values: unknown = { id: 'x' }): string {
  const name = address.split('.').pop() ?? 'x';
  return JSON.stringify({ address, mode: 'managed', type, name, provider_name: AWS, schema_version: 0, values, sensitive_values: {} });
}

/** Whole (chunk 0): JSON.parse first, as small files are read; in chunks: streamed through the scanner. */
function read(text: string, chunk = 0): PlanDocument {
  const bytes = Buffer.from(text, 'utf8');
  if (chunk === 0) return readPlan('hand-made.json', bytes);
  const reader = createPlanReader('hand-made.json', { wholeFileBytes: 0 });
  for (let at = 0; at < bytes.length; at += chunk) reader.push(bytes.subarray(at, at + chunk));
  return reader.end();
}

/** What JSON.parse makes of the same text, in the PlanDocument's terms. */
function expectLikeJsonParse(text: string, chunk = 0): PlanDocument {
  const doc = read(text, chunk);
  if (chunk === 0) expect(read(text, text.length + 1)).toEqual(doc);
  const ref = referenceRead(Buffer.from(text, 'utf8'));
  expect(doc.kind).toBe(ref.kind);
  expect(doc.formatVersion).toBe(ref.formatVersion);
  expect(doc.resourceChanges).toEqual(ref.resourceChanges);
  expect(doc.resourceDrift).toEqual(ref.resourceDrift);
  expect(doc.deferredChanges).toEqual(ref.deferredChanges);
  expect(doc.priorState).toEqual(ref.priorState);
  expect(doc.stateValues).toEqual(ref.stateValues);
  expect(doc.outputs).toEqual(ref.outputs);
  expect(doc.variables).toEqual(ref.variables);
  expect(doc.inventory).toEqual(ref.inventory);
  return doc;
}

function failure(text: string, chunk = 0): string {
  try {
    read(text, chunk);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('duplicate keys: the last one wins, as in JSON.parse', () => {
  it('at the top level', () => {
    const text = `{"format_version":"0.1","resource_changes":[${change('aws_kms_key.old', 'aws_kms_key', ['delete'])}],"format_version":"1.2",
      "resource_changes":[${change('aws_kms_key.new', 'aws_kms_key', ['create'])},${change('aws_s3_bucket.b', 'aws_s3_bucket', ['update'])}],
      "planned_values":{"root_module":{"resources":[${resource('aws_kms_key.old', 'aws_kms_key')}]}},"planned_values":null}`;
    const doc = expectLikeJsonParse(text);
    expect(doc.formatVersion).toBe('1.2');
    expect(doc.resourceChanges.map((rc) => rc.address)).toEqual(['aws_kms_key.new']);
  });

  it('inside resources: type, address, change, actions', () => {
    const element = (inner: string): string => `{"format_version":"1.2","resource_changes":[{${inner}}]}`;
    const base = `"mode":"managed","name":"a","change":{"actions":["create"]}`;
    const irrelevantThenRelevant = element(`"type":"aws_s3_bucket","address":"x.a",${base},"type":"aws_kms_key","address":"aws_kms_key.a"`);
    expect(expectLikeJsonParse(irrelevantThenRelevant).resourceChanges).toHaveLength(1);
    expect(expectLikeJsonParse(irrelevantThenRelevant, 5).resourceChanges).toHaveLength(1);
    const relevantThenIrrelevant = element(`"type":"aws_kms_key","address":"aws_kms_key.a",${base},"type":"aws_s3_bucket"`);
    expect(expectLikeJsonParse(relevantThenIrrelevant).resourceChanges).toHaveLength(0);
    const changes = element(`"type":"aws_kms_key","address":"aws_kms_key.a","mode":"managed","name":"a","change":{"actions":["delete"]},"change":{"actions":["create"],"actions":["update"]}`);
    expect(expectLikeJsonParse(changes).inventory[0]?.actions).toEqual(['update']);
    const irrelevantChanges = element(`"type":"aws_s3_bucket","address":"b","mode":"managed","name":"a","change":{"actions":["delete"]},"change":{"actions":["no-op"]}`);
    expect(expectLikeJsonParse(irrelevantChanges).inventory[0]?.actions).toEqual(['no-op']);
  });

  it('in the module tree', () => {
    const text = `{"format_version":"1.2","prior_state":{"values":{"root_module":{
      "resources":[${resource('aws_kms_key.dropped', 'aws_kms_key')}],
      "child_modules":[{"resources":[${resource('module.gone.aws_kms_key.k', 'aws_kms_key')}],"address":"module.gone"}],
      "resources":[${resource('aws_kms_key.kept', 'aws_kms_key')}],
      "child_modules":[{"address":"module.old","resources":[${resource('module.m.aws_iam_role.r', 'aws_iam_role')}],"address":"module.m"}]}}}}`;
    const doc = expectLikeJsonParse(text);
    expect(doc.priorState.map((r) => [r.address, r.module_address])).toEqual([
      ['aws_kms_key.kept', ''],
      ['module.m.aws_iam_role.r', 'module.m'],
    ]);
  });

  it('a second relevant `type` after a large irrelevant resource was dropped is refused', () => {
    const large = `{"type":"aws_s3_object","address":"aws_s3_object.big","mode":"managed","name":"big","change":{"actions":["create"],"after":{"content":"${'x'.repeat(6 << 20)}"}},"type":"aws_kms_key"}`;
    const text = `{"format_version":"1.2","resource_changes":[${large}]}`;
    expect(failure(text, 1 << 20)).toBe(`hand-made.json: resource_changes[0].type: a large resource with a second \`type\` key; ${INVALID}`);
    expect(read(text).resourceChanges).toHaveLength(1);
    const single = `{"format_version":"1.2","resource_changes":[${large.replace(',"type":"aws_kms_key"', '')}]}`;
    expect(read(single, 1 << 20).inventory).toEqual([{ section: 'resource_changes', address: 'aws_s3_object.big', type: 'aws_s3_object', mode: 'managed', actions: ['create'] }]);
  });
});

describe('sections', () => {
  it('deferred changes (Terraform ≥ 1.9), relevant or not, with index_unknown', () => {
    const deferred = (rc: string, reason: string): string => `{"reason":"${reason}","resource_change":${rc}}`;
    const key = JSON.parse(change('aws_kms_key.k[*]', 'aws_kms_key', ['create'])) as Record<string, unknown>;
    key.index_unknown = true;
    const text = JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.10.0',
      planned_values: { root_module: {} },
      deferred_changes: [
        JSON.parse(deferred(JSON.stringify(key), 'instance_count_unknown')),
        JSON.parse(deferred(change('aws_s3_bucket.b', 'aws_s3_bucket', ['create']), 'deferred_prereq')),
      ],
      complete: false,
      applyable: true,
      errored: false,
    });
    const doc = expectLikeJsonParse(text);
    expect(doc.deferredChanges).toHaveLength(1);
    expect(doc.deferredChanges[0]?.reason).toBe('instance_count_unknown');
    expect(doc.deferredChanges[0]?.resource_change.index_unknown).toBe(true);
    expect(doc.inventory.map((entry) => [entry.section, entry.type])).toEqual([
      ['deferred_changes', 'aws_kms_key'],
      ['deferred_changes', 'aws_s3_bucket'],
    ]);
    expect([doc.complete, doc.applyable, doc.errored]).toEqual([false, true, false]);
    for (const chunk of [1, 2, 3, 17]) expectLikeJsonParse(text, chunk);
  });

  it('an errored plan is loaded with its flags', () => {
    const doc = read(`{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{}},"resource_changes":[${change('aws_kms_key.a', 'aws_kms_key', ['create'])}],"configuration":{"root_module":{}},"errored":true,"applyable":false,"complete":false}`);
    expect([doc.kind, doc.errored, doc.applyable, doc.complete, doc.resourceChanges.length]).toEqual(['plan', true, false, false, 1]);
    expect(doc.configuration).toEqual({ root_module: {} });
  });

  it('`{"format_version":"1.0"}` alone is an empty state', () => {
    expect(read('{"format_version":"1.0"}')).toEqual({
      file: 'hand-made.json',
      kind: 'state',
      formatVersion: '1.0',
      variables: {},
      resourceChanges: [],
      resourceDrift: [],
      deferredChanges: [],
      priorState: [],
      stateValues: [],
      outputs: {},
      inventory: [],
    });
  });

  it('null where Terraform omits a list or an object', () => {
    const text = `{"format_version":"1.2","variables":null,"resource_changes":null,"resource_drift":null,"deferred_changes":null,"configuration":null,
      "planned_values":{"outputs":null,"root_module":{"resources":null,"child_modules":null}},"prior_state":{"values":{"root_module":null}}}`;
    const doc = expectLikeJsonParse(text);
    expect(doc.kind).toBe('plan');
    expect(doc.configuration).toBeUndefined();
    expect(read('{"format_version":"1.0","values":null}').kind).toBe('state');
  });

  it('prior_state data sources, outputs, variables and unknown future keys', () => {
    const text = JSON.stringify({
      format_version: '1.2',
      'comment-for-reader': ['ignored', { type: 'aws_kms_key' }],
      variables: { region: { value: 'eu-west-1' } },
      planned_values: { outputs: { key_arn: { sensitive: false, type: 'string', value: 'arn:aws:kms:eu-west-1:111122223333:key/1' } }, root_module: {} },
      prior_state: {
        format_version: '1.0',
        values: {
          outputs: { ignored: { sensitive: true, value: 'x' } },
          root_module: { resources: [JSON.parse(resource('data.aws_iam_policy_document.p', 'aws_iam_policy_document', { json: '{"Version":"2012-10-17"}' }))] },
        },
      },
      future_section: { resources: [{ type: 'aws_kms_key' }] },
    });
    const doc = expectLikeJsonParse(text);
    expect(doc.outputs).toEqual({ key_arn: { sensitive: false, type: 'string', value: 'arn:aws:kms:eu-west-1:111122223333:key/1' } });
    expect(doc.priorState.map((r) => r.address)).toEqual(['data.aws_iam_policy_document.p']);
  });
});

describe('chunk boundaries', () => {
  const text = JSON.stringify({
    format_version: '1.2',
    variables: { 'naïve "quoted" \\ name': { value: 'Ω≈ç√ 😀 \u0000 \u001f \ud7ff' } },
    resource_changes: [
      JSON.parse(change('aws_kms_key.k["ключ"]', 'aws_kms_key', ['delete', 'create'], { description: 'line\nbreak\t"q" \\ 😀', n: -1.25e-7, big: 12345678901234567890 })),
      JSON.parse(change('aws_s3_bucket.b["😀"]', 'aws_s3_bucket', ['update'], { x: [true, false, null, 0, -0.5, 1e300], s: '\\"\\\\' })),
    ],
    prior_state: { values: { root_module: { child_modules: [{ resources: [JSON.parse(resource('module.m["a.b"].aws_iam_role.r', 'aws_iam_role', { name: '角色' }))], address: 'module.m["a.b"]' }] } } },
  }).replace('"format_version"', '"\\u0066ormat_version"');
  const bytes = Buffer.from(text, 'utf8');

  it('any split into two chunks gives the same document, escapes and multi-byte characters included', () => {
    const whole = expectLikeJsonParse(text);
    expect(whole.formatVersion).toBe('1.2');
    for (let cut = 1; cut < bytes.length; cut++) {
      const reader = createPlanReader('hand-made.json', { wholeFileBytes: 0 });
      reader.push(bytes.subarray(0, cut));
      reader.push(bytes.subarray(cut));
      expect(reader.end()).toEqual(whole);
    }
  });

  it('any split into three chunks around the relevant resource', () => {
    const whole = read(text);
    const from = bytes.indexOf('aws_kms_key') - 40;
    for (let a = from; a < from + 60; a++) {
      for (let b = a + 1; b < a + 40; b++) {
        const reader = createPlanReader('hand-made.json', { wholeFileBytes: 0 });
        reader.push(bytes.subarray(0, a));
        reader.push(bytes.subarray(a, b));
        reader.push(bytes.subarray(b));
        expect(reader.end()).toEqual(whole);
      }
    }
  });
});

describe('shape errors name the JSON path', () => {
  const rc = (fields: string): string => `{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","name":"b","provider_name":"aws",${fields}}]}`;
  const cases: [string, string][] = [
    ['{"format_version":"1.2","resource_changes":{}}', 'resource_changes: expected an array, found an object'],
    ['{"format_version":"1.2","resource_changes":[[]]}', 'resource_changes[0]: expected an object, found an array'],
    [rc('"change":{"actions":["create"]}'), 'resource_changes[0]: a resource without `type`'],
    [rc('"type":7,"change":{"actions":["create"]}'), 'resource_changes[0].type: expected a string, found a number'],
    [rc('"type":"aws_s3_bucket","change":{}'), 'resource_changes[0]: a resource without `change.actions`'],
    [rc('"type":"aws_s3_bucket","change":{"actions":["create"]},"change":{"after":{}}'), 'resource_changes[0]: a resource without `change.actions`'],
    [rc('"type":"aws_s3_bucket","change":{"actions":[1]}'), 'resource_changes[0].change.actions[0]: expected a string, found a number'],
    [rc('"type":"aws_kms_key","change":"create"'), 'resource_changes[0].change: expected an object, found a string'],
    [rc('"type":"aws_kms_key","index":true,"change":{"actions":["create"]}'), 'resource_changes[0].index: expected a string or a number'],
    [rc('"type":"aws_kms_key","deposed":1,"change":{"actions":["create"]}'), 'resource_changes[0].deposed: expected a string'],
    ['{"format_version":"1.2","resource_changes":[{"address":"a","mode":"managed","type":"aws_kms_key","change":{"actions":[]}}]}', 'resource_changes[0].name: missing string'],
    [
      '{"format_version":"1.2","deferred_changes":[{"resource_change":{"address":"a","mode":"managed","type":"aws_kms_key","name":"a","change":{"actions":[]}}}]}',
      'deferred_changes[0].reason: missing string',
    ],
    ['{"format_version":"1.2","deferred_changes":[{"reason":"unknown"}]}', 'deferred_changes[0]: a deferred change without `resource_change`'],
    ['{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"a","mode":"data","type":"aws_vpc","name":"a","values":[]}]}}}}', 'prior_state.values.root_module.resources[0].values: expected an object'],
    ['{"format_version":"1.0","values":{"root_module":{"child_modules":[{"address":"module.a","resources":[{"type":"aws_vpc"}]}]}}}', 'values.root_module.child_modules[0].resources[0]: a resource without `address`'],
    ['{"format_version":"1.2","prior_state":{"values":{"root_module":{"child_modules":[{"resources":[]}]}}}}', 'prior_state.values.root_module.child_modules[0]: a child module without `address`'],
    ['{"format_version":"1.2","variables":{"region":"eu-west-1"}}', 'variables.region: expected an object'],
    ['{"format_version":"1.2","planned_values":{"outputs":{"a":1}}}', 'planned_values.outputs.a: expected an object'],
    ['{"format_version":"1.2","configuration":[]}', 'configuration: expected an object'],
    ['{"format_version":"1.2","terraform_version":1}', 'terraform_version: expected a string'],
    ['{"format_version":"1.2","complete":"no"}', 'complete: expected true or false'],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(failure(text)).toBe(`hand-made.json: ${expected}; ${INVALID}`);
    expect(failure(text, 3)).toBe(`hand-made.json: ${expected}; ${INVALID}`);
    expect(failure(text, text.length)).toBe(`hand-made.json: ${expected}; ${INVALID}`);
  });
});

describe('the inventory', () => {
  it('keeps action lists apart even when one action contains the separator of another list', () => {
    const entry = (address: string, actions: string[]): string =>
      `{"address":"${address}","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":${JSON.stringify(actions)}}}`;
    const doc = read(
      `{"format_version":"1.2","resource_changes":[${entry('a', ['delete\ncreate'])},${entry('b', ['delete', 'create'])},${entry('c', ['["delete","create"]'])},${entry('d', ['delete', 'create'])}]}`,
    );
    expect(doc.inventory.map((e) => e.actions)).toEqual([['delete\ncreate'], ['delete', 'create'], ['["delete","create"]'], ['delete', 'create']]);
  });
});

describe('what is read of planned_values and prior_state', () => {
  const data = (address: string, type: string): string =>
    JSON.stringify({ address, mode: 'data', type, name: 'd', provider_name: AWS, schema_version: 0, values: { json: '{}' }, sensitive_values: {} });
  const deposed = (address: string): string => resource(address, 'aws_kms_key').replace('"schema_version"', '"deposed_key":"00000001","schema_version"');
  const prior = (root: string[], child: string[]): string =>
    `"prior_state":{"format_version":"1.0","values":{"root_module":{"resources":[${root.join(',')}],"child_modules":[{"resources":[${child.join(',')}],"address":"module.m"}]}}}`;
  const changes = `"resource_changes":[${change('aws_kms_key.changed', 'aws_kms_key', ['update'])},${change('module.m.aws_kms_key.changed', 'aws_kms_key', ['no-op'])},${change('aws_s3_bucket.b', 'aws_s3_bucket', ['no-op'])}]`;
  const priorState = prior(
    [resource('aws_kms_key.changed', 'aws_kms_key'), resource('aws_kms_key.untargeted', 'aws_kms_key'), deposed('aws_kms_key.changed'), data('data.aws_iam_policy_document.p', 'aws_iam_policy_document')],
    // Terraform 0.12 wrote child modules' addresses relative: `aws_kms_key.changed` in module.m is not the root's.
    [resource('module.m.aws_kms_key.changed', 'aws_kms_key'), resource('aws_kms_key.changed', 'aws_kms_key')],
  );
  const kept = [
    ['aws_kms_key.untargeted', ''],
    ['data.aws_iam_policy_document.p', ''],
    ['aws_kms_key.changed', 'module.m'],
  ];

  it('prior_state keeps data sources and the managed resources no change lists, in either section order', () => {
    for (const text of [`{"format_version":"1.2",${changes},${priorState}}`, `{"format_version":"1.2",${priorState},${changes}}`]) {
      for (const chunk of [0, 1, 7, 1 << 20]) {
        expect(expectLikeJsonParse(text, chunk).priorState.map((r) => [r.address, r.module_address])).toEqual(kept);
      }
      // Every resource read is still in the inventory.
      expect(read(text).inventory.filter((entry) => entry.section === 'prior_state')).toHaveLength(6);
    }
  });

  it('a plan without changes keeps all of prior_state (a refresh-only plan)', () => {
    const text = `{"format_version":"1.2","resource_changes":[],${priorState}}`;
    expect(expectLikeJsonParse(text, 3).priorState).toHaveLength(5);
  });

  it('a deferred change lists its address too', () => {
    const deferredChanges = `"deferred_changes":[{"reason":"deferred_prereq","resource_change":${change('aws_kms_key.untargeted', 'aws_kms_key', ['create'])}}]`;
    for (const text of [`{"format_version":"1.2",${deferredChanges},${priorState}}`, `{"format_version":"1.2",${priorState},${deferredChanges}}`]) {
      expect(expectLikeJsonParse(text, 5).priorState.map((r) => r.address)).toEqual(['aws_kms_key.changed', 'data.aws_iam_policy_document.p', 'module.m.aws_kms_key.changed', 'aws_kms_key.changed']);
    }
  });

  it('a second resource_changes after prior_state relied on the first is refused; duplicates before it are not', () => {
    const again = `"resource_changes":[${change('aws_kms_key.other', 'aws_kms_key', ['update'])}]`;
    const text = `{"format_version":"1.2",${changes},${priorState},${again}}`;
    expect(failure(text, 1 << 20)).toBe(`hand-made.json: resource_changes: a second \`resource_changes\` after \`prior_state\` (each section appears once); ${INVALID}`);
    const before = `{"format_version":"1.2",${again},${changes},${priorState}}`;
    expect(expectLikeJsonParse(before, 11).priorState).toHaveLength(3);
  });

  it('planned_values is skipped but for its outputs: its resources are neither parsed nor checked', () => {
    const text = `{"format_version":"1.2","planned_values":{"outputs":{"a":{"sensitive":true,"value":"s"}},"root_module":{"resources":{"not":"a list"}}},${changes}}`;
    const doc = expectLikeJsonParse(text, 4);
    expect(doc.outputs).toEqual({ a: { sensitive: true, value: 's' } });
    expect(doc.inventory.map((entry) => entry.section)).toEqual(['resource_changes', 'resource_changes', 'resource_changes']);
  });
});

describe('a change that alters nothing is parsed once', () => {
  const noOp = (type: string, before: unknown, after: unknown, sensitive: [unknown, unknown] = [{}, {}]) =>
    JSON.stringify({
      address: `${type}.a`,
      mode: 'managed',
      type,
      name: 'a',
      provider_name: AWS,
      change: { actions: ['no-op'], before, after, after_unknown: {}, before_sensitive: sensitive[0], after_sensitive: sensitive[1] },
    });
  const values = { policy: '{"Version":"2012-10-17"}', tags: { team: 'platform', note: 'é\\u00e9' } };

  it('identical before and after share one object, streamed in chunks of any size', () => {
    for (const chunk of [0, 3, 64, 1 << 20]) {
      const doc = expectLikeJsonParse(`{"format_version":"1.2","resource_changes":[${noOp('aws_kms_key', values, values, [{ tags: {} }, { tags: {} }])}]}`, chunk);
      const { change } = doc.resourceChanges[0]!;
      if (chunk === 0) continue;
      expect(change.before).toBe(change.after);
      expect(change.before_sensitive).toBe(change.after_sensitive);
    }
  });

  it('halves that differ by a byte, or whose last duplicate differs, stay apart', () => {
    const changed = noOp('aws_kms_key', values, { ...values, policy: '{"Version":"2012-10-18"}' }, [{}, { tags: {} }]);
    const doc = expectLikeJsonParse(`{"format_version":"1.2","resource_changes":[${changed}]}`, 7);
    expect(doc.resourceChanges[0]!.change.before).not.toBe(doc.resourceChanges[0]!.change.after);
    expect(doc.resourceChanges[0]!.change.before_sensitive).toEqual({});
    const same = JSON.stringify(values);
    const duplicate = `{"format_version":"1.2","resource_changes":[{"address":"aws_kms_key.a","mode":"managed","type":"aws_kms_key","name":"a","change":{"actions":["no-op"],"before":${same},"after":${same},"before":null}}]}`;
    expect(expectLikeJsonParse(duplicate, 5).resourceChanges[0]!.change.before).toBeNull();
    const again = `{"format_version":"1.2","resource_changes":[{"address":"aws_kms_key.a","mode":"managed","type":"aws_kms_key","name":"a","change":{"actions":["no-op"],"before":{"x":1},"after":${same},"before":${same}}}]}`;
    const last = expectLikeJsonParse(again, 5).resourceChanges[0]!.change;
    expect(last.before).toBe(last.after);
  });
});
