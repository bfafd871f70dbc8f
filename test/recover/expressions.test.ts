// Source expressions through the real hcl2json parser and our evaluator, against the modules fixture
// plan (roles known only after apply, a caller identity the plan knows).

import { beforeAll, describe, expect, it } from 'vitest';
import type { Hcl2Json } from '../../src/recover';
import { Context, type Scope } from '../../src/recover/context';
import { evaluate } from '../../src/recover/expressions';
import { ExpressionReader } from '../../src/recover/hcl/convert';
import { isPending, type Val } from '../../src/recover/value';
import { loadModel } from './support';

let reader: ExpressionReader;
let ctx: Context;
const root: Scope = { module: [], bound: new Map() };

beforeAll(async () => {
  reader = new ExpressionReader((await import('@cdktf/hcl2json')) as unknown as Hcl2Json, 'test.tf');
  ctx = new Context(loadModel('modules'), undefined);
});

/** Evaluates HCL expression text as if it were an argument of a root module resource. */
async function value(text: string, scope: Scope = root): Promise<Val> {
  return evaluate(ctx, scope, await reader.value(`\${${text}}`));
}

async function waits(text: string): Promise<string> {
  const result = await value(text);
  if (!isPending(result)) throw new Error(`not pending: ${JSON.stringify(result)}`);
  return result.reason;
}

describe('constants and templates', () => {
  it.each([
    ['"a-${1 + 2}-${true}-${"x"}"', 'a-3-true-x'],
    ['"q\\"uote\\\\ \\u00e9 $${literal} %%{literal}"', 'q"uote\\ é ${literal} %{literal}'],
    ['jsonencode({ b = 1, a = [null, "x"], "c:d" = { e = false } })', '{"a":[null,"x"],"b":1,"c:d":{"e":false}}'],
    ['jsonencode({ Text = <<-EOT\n      indented\n        more\n      EOT\n})', '{"Text":"indented\\n  more\\n"}'],
    ['jsonencode({ Text = <<EOT\nraw $${x} ${"y"}\nEOT\n})', '{"Text":"raw ${x} y\\n"}'],
    ['true ? "yes" : "no"', 'yes'],
    ['!false && 2 >= 1', true],
    ['-(3 % 2) * 4 / 2', -2],
    ['"%{if true}on%{else}off%{endif}"', 'on'],
  ])('%s', async (text, expected) => {
    expect(await value(text)).toEqual(expected);
  });
});

describe('collections and functions', () => {
  it.each([
    ['concat(["a"], ["b", "c"])', ['a', 'b', 'c']],
    ['merge({ a = 1, b = 2 }, { b = 3 })', { a: 1, b: 3 }],
    ['toset(["b", "a", "b"])', ['a', 'b']],
    ['flatten([["a"], [["b"]], "c"])', ['a', 'b', 'c']],
    ['distinct(compact(["a", "", "a", null, "b"]))', ['a', 'b']],
    ['join(",", ["a", 1, true])', 'a,1,true'],
    ['format("arn:%s:%d:%%", "x", 3)', 'arn:x:3:%'],
    ['lookup({ a = "x" }, "b", "d")', 'd'],
    ['length({ a = 1, b = 2 })', 2],
    ['keys({ b = 1, a = 2 })', ['a', 'b']],
    ['values({ b = 1, a = 2 })', [2, 1]],
    ['element(["a", "b"], 3)', 'b'],
    ['lower("ABC")', 'abc'],
    ['replace("a.b.c", ".", "-")', 'a-b-c'],
    ['[for s in ["a", "b"] : upper(s) if s != "b"]', ['A']],
    ['{ for k, v in { a = 1, b = 2 } : "${k}${v}" => v }', { a1: 1, b2: 2 }],
    ['{ for s in ["a", "b", "a"] : s => s... }', { a: ['a', 'a'], b: ['b'] }],
    ['[{ n = 1 }, { n = 2 }][*].n', [1, 2]],
    ['{ a = ["x", "y"] }["a"][1]', 'y'],
    ['concat([["a"], ["b"]]...)', ['a', 'b']],
    ['try(aws_iam_role.not_declared.arn, "fallback")', 'fallback'],
    ['can(aws_iam_role.not_declared.arn)', false],
    ['coalesce(null, "", "c")', 'c'],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  ])('%s', async (text, expected) => {
    expect(await value(text)).toEqual(expected);
  });
});

describe('references to the plan', () => {
  it('gives a value known only after apply as a symbol, and a known value as itself', async () => {
    expect(await value('aws_iam_role.operator.arn')).toBe('${tf:aws_iam_role.operator.arn}');
    expect(await value('"${aws_iam_role.operator.arn}/*"')).toBe('${tf:aws_iam_role.operator.arn}/*');
    expect(await value('data.aws_caller_identity.current.account_id')).toBe('111122223333');
    expect(await value('aws_iam_role.admin.arn')).toBe('arn:aws:iam::111122223333:role/platform-kms-admin');
    expect(ctx.symbols.get('aws_iam_role.operator.arn')).toEqual({ type: 'role', account: '111122223333', address: 'aws_iam_role.operator' });
  });

  it('indexes and iterates for_each instances (kept out of the plan when for_each is a function call)', async () => {
    expect(await value('aws_iam_role.team["blue"].arn')).toBe('${tf:aws_iam_role.team["blue"].arn}');
    expect(await value('[for k, r in aws_iam_role.team : r.name_prefix]')).toEqual(['team-blue-', 'team-green-']);
    expect(await value('values(aws_iam_role.team)[*].arn')).toEqual(['${tf:aws_iam_role.team["blue"].arn}', '${tf:aws_iam_role.team["green"].arn}']);
  });

  it('reads module instances and each.key in their scope', async () => {
    const scope: Scope = { module: [{ call: 'tenant', key: 'payments.eu' }], bound: new Map() };
    expect(await value('aws_iam_role.service.arn', scope)).toBe('arn:aws:iam::111122223333:role/payments.eu-service');
    const keyed: Scope = { ...root, each: { key: 'blue', value: () => 'v' } };
    expect(await value('aws_iam_role.team[each.key].name_prefix', keyed)).toBe('team-blue-');
  });

  it('is Pending where the text of a value known only after apply would decide', async () => {
    expect(await waits('upper(aws_iam_role.operator.arn)')).toContain('known only after apply');
    expect(await waits('aws_iam_role.operator.arn == "arn:aws:iam::1:role/x"')).toContain('comparison');
    expect(await value('aws_iam_role.operator.arn == aws_iam_role.operator.arn')).toBe(true);
    expect(await waits('aws_iam_role.operator.tags_all')).toContain('known only after apply');
    expect(await waits('local.not_there')).toContain('only in the Terraform source');
    expect(await waits('var.not_declared')).toContain('not declared');
    expect(await waits('file("policy.json")')).toContain('file() is not evaluated');
    expect(await waits('path.module')).toContain('path');
  });
});
