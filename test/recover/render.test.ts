// Go's JSON: what Terraform's jsonencode, the provider's documents and its policy normalisation write.

import { describe, expect, it } from 'vitest';
import { compareKeys, goString, jsonencode, legacyPolicyNormalize, normalizeJsonString, renderJson } from '../../src/recover/render';
import { knownText, loadModel } from './support';

describe('goString', () => {
  it('escapes like encoding/json: HTML-safe, \\b and \\f short, other controls as \\u00XX', () => {
    expect(goString('a"b\\c\n\r\t')).toBe('"a\\"b\\\\c\\n\\r\\t"');
    expect(goString('<>&')).toBe('"\\u003c\\u003e\\u0026"');
    expect(goString('\b\f\u0001\u001f')).toBe('"\\b\\f\\u0001\\u001f"');
    expect(goString('\u2028\u2029é😀')).toBe('"\\u2028\\u2029é😀"');
    expect(goString('\ud800x')).toBe('"\\ufffdx"');
  });
});

describe('renderJson', () => {
  it('sorts map keys by code point and keeps struct (Map) order', () => {
    const value = new Map<string, unknown>([
      ['Version', '2012-10-17'],
      ['Statement', [{ b: 1, a: [true, null], '10': 'x', '9': 'y' }]],
    ]);
    expect(renderJson(value as never, false)).toBe('{"Version":"2012-10-17","Statement":[{"10":"x","9":"y","a":[true,null],"b":1}]}');
    expect(renderJson({ k: [], o: {} }, true)).toBe('{\n  "k": [],\n  "o": {}\n}');
    expect(['b', 'B', 'a', '\u{1F600}', '\uFFFD'].sort(compareKeys)).toEqual(['B', 'a', 'b', '\uFFFD', '\u{1F600}']);
  });

  it('writes numbers as Go writes float64', () => {
    expect(jsonencode([1, 1.5, -0.25, 1e21, 1e-7])).toBe('[1,1.5,-0.25,1e+21,1e-7]');
  });
});

describe('policy normalisation', () => {
  it('normalizeJsonString minifies and sorts keys; text that is not JSON stays', () => {
    expect(normalizeJsonString('{\n "Version": "2012-10-17",\r\n "Statement": [{"Effect": "Allow", "Action": "kms:<x>"}]\n}')).toBe(
      '{"Statement":[{"Action":"kms:\\u003cx\\u003e","Effect":"Allow"}],"Version":"2012-10-17"}',
    );
    expect(normalizeJsonString('{ not json')).toBe('{ not json');
  });

  it('legacyPolicyNormalize moves Version 2012-10-17 first, as the real plan shows', () => {
    const known = loadModel('jsonencode', 'known.plan.json');
    const planned = knownText(known, 'aws_iam_role_policy.app_decrypt', 'policy');
    const asWritten = jsonencode(JSON.parse(planned));
    expect(asWritten.startsWith('{"Statement"')).toBe(true);
    expect(legacyPolicyNormalize(asWritten)).toBe(planned);
    expect(legacyPolicyNormalize('{"Id":"x","Statement":[],"Version":"2008-10-17"}')).toBe('{"Id":"x","Statement":[],"Version":"2008-10-17"}');
    expect(legacyPolicyNormalize('')).toBe('');
  });
});
