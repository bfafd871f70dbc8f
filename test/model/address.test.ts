import { describe, expect, it } from 'vitest';
import { parseModuleAddress, parseResourceAddress, parseTraversal } from '../../src/model';

describe('addresses are tokenized, never split on dots', () => {
  it.each([
    ['aws_kms_key.k', { module: [], mode: 'managed', type: 'aws_kms_key', name: 'k' }],
    ['aws_kms_key.k[0]', { module: [], mode: 'managed', type: 'aws_kms_key', name: 'k', key: 0 }],
    ['data.aws_iam_policy_document.d', { module: [], mode: 'data', type: 'aws_iam_policy_document', name: 'd' }],
    [
      'module.keys["payments.eu"].aws_kms_key.this',
      { module: [{ call: 'keys', key: 'payments.eu' }], mode: 'managed', type: 'aws_kms_key', name: 'this' },
    ],
    [
      'module.a[1].module.b["x\\"].y[2]"].data.aws_caller_identity.me',
      { module: [{ call: 'a', key: 1 }, { call: 'b', key: 'x"].y[2]' }], mode: 'data', type: 'aws_caller_identity', name: 'me' },
    ],
    ['module.m.aws_kms_key.k["a\\\\b"]', { module: [{ call: 'm' }], mode: 'managed', type: 'aws_kms_key', name: 'k', key: 'a\\b' }],
    ['aws_kms_key.k["$${x}"]', { module: [], mode: 'managed', type: 'aws_kms_key', name: 'k', key: '${x}' }],
    ['aws_kms_key.k["\\u00e9"]', { module: [], mode: 'managed', type: 'aws_kms_key', name: 'k', key: 'é' }],
    ['aws_kms_key.k[*]', { module: [], mode: 'managed', type: 'aws_kms_key', name: 'k', key: '*' }],
  ])('%s', (address, expected) => {
    expect(parseResourceAddress(address)).toEqual(expected);
  });

  it.each(['', 'aws_kms_key', 'aws_kms_key.', 'aws_kms_key.k.extra.more', 'aws_kms_key.k["open', 'a..b', '[0]', 'aws_kms_key.k["\\uZZZZ"]', 'aws_kms_key.k["\\U00110000"]'])(
    'rejects %j',
    (address) => {
      expect(parseResourceAddress(address)).toBeUndefined();
    },
  );

  it('parses module instance addresses', () => {
    expect(parseModuleAddress('')).toEqual([]);
    expect(parseModuleAddress('module.a["k.1"].module.b')).toEqual([{ call: 'a', key: 'k.1' }, { call: 'b' }]);
    expect(parseModuleAddress('module.a.aws_kms_key.k')).toBeUndefined();
  });

  it('tokenizes references with attributes and indices', () => {
    expect(parseTraversal('module.kms["a"].key_id')).toEqual([
      { kind: 'name', name: 'module' },
      { kind: 'name', name: 'kms' },
      { kind: 'index', key: 'a' },
      { kind: 'name', name: 'key_id' },
    ]);
  });
});
