// A `data.aws_iam_policy_document` from its block in the source: arguments evaluated, `dynamic`
// blocks expanded with their iterators, list and set arguments converted the way Terraform converts
// them to list(string) and set(string).

import type { Scope, Context } from './context';
import { asText, evaluate } from './expressions';
import { DEFAULT_VERSION, type ConditionInput, type DocumentInput, type PrincipalInput, type StatementInput } from './policy-document';
import type { Body } from './types';
import { collect, isPending, isValObject, mergePending, pending, type Collected, type Pending, type Val } from './value';

function attribute(ctx: Context, scope: Scope, body: Body, name: string): Val {
  const expr = body.attributes[name];
  return expr ? evaluate(ctx, scope, expr) : null;
}

/** Arguments of type list(string)/set(string): elements converted to strings, sets without duplicates. */
function strings(value: Val, set: boolean, what: string): readonly (string | null)[] | Pending {
  if (isPending(value)) return value;
  if (value === null) return [];
  if (!Array.isArray(value)) return pending(`${what} is not a list`);
  const out: (string | null)[] = [];
  for (const item of value as readonly Val[]) {
    if (isPending(item)) return item;
    if (item === null) {
      out.push(null);
      continue;
    }
    const text = asText(item);
    if (text === undefined) return pending(`${what} holds a value that is not a string`);
    if (!set || !out.includes(text)) out.push(text);
  }
  return out;
}

function stringsOnly(value: Val, set: boolean, what: string): string[] | Pending {
  const list = strings(value, set, what);
  if (isPending(list)) return list;
  return list.every((s) => s !== null) ? (list as string[]) : pending(`${what} holds a null`);
}

function scalar(value: Val, fallback: string, what: string): string | Pending {
  if (isPending(value)) return value;
  if (value === null) return fallback;
  return asText(value) ?? pending(`${what} is not a string`);
}

/** The blocks of a type in a body, `dynamic` ones expanded, each with the scope its content sees. */
function expand(ctx: Context, scope: Scope, body: Body, type: string): { scope: Scope; body: Body }[] | Pending {
  const out: { scope: Scope; body: Body }[] = [];
  for (const block of body.blocks) {
    if (block.type !== type) continue;
    if (block.kind === 'static') {
      out.push({ scope, body: block.body });
      continue;
    }
    const collection = evaluate(ctx, scope, block.forEach);
    if (isPending(collection)) return collection;
    let pairs: [Val, Val][];
    if (Array.isArray(collection)) pairs = (collection as readonly Val[]).map((v, i) => [i, v]);
    else if (isValObject(collection)) pairs = Object.keys(collection).sort().map((k) => [k, collection[k]!]);
    else if (collection === null) pairs = [];
    else return pending(`dynamic "${type}" for_each is not a collection`);
    for (const [key, value] of pairs) {
      const bound = new Map(scope.bound);
      bound.set(block.iterator, { key, value });
      out.push({ scope: { ...scope, bound }, body: block.content });
    }
  }
  return out;
}

function sourcePrincipals(ctx: Context, scope: Scope, body: Body, type: string): PrincipalInput[] | Pending {
  const blocks = expand(ctx, scope, body, type);
  if (isPending(blocks)) return blocks;
  return collect(
    blocks.map(({ scope: s, body: b }): Collected<PrincipalInput> => {
      const principalType = scalar(attribute(ctx, s, b, 'type'), '', `${type}.type`);
      const identifiers = stringsOnly(attribute(ctx, s, b, 'identifiers'), true, `${type}.identifiers`);
      const waiting = [principalType, identifiers].filter(isPending);
      if (waiting.length > 0) return mergePending(waiting);
      return { type: principalType as string, identifiers: identifiers as string[] };
    }),
  );
}

function sourceStatement(ctx: Context, scope: Scope, body: Body): StatementInput | Pending {
  const conditionBlocks = expand(ctx, scope, body, 'condition');
  const conditions = isPending(conditionBlocks)
    ? conditionBlocks
    : collect(
        conditionBlocks.map(({ scope: s, body: b }): Collected<ConditionInput> => {
          const test = scalar(attribute(ctx, s, b, 'test'), '', 'condition.test');
          const variable = scalar(attribute(ctx, s, b, 'variable'), '', 'condition.variable');
          const values = stringsOnly(attribute(ctx, s, b, 'values'), false, 'condition.values');
          const waiting = [test, variable, values].filter(isPending);
          if (waiting.length > 0) return mergePending(waiting);
          return { test: test as string, variable: variable as string, values: values as string[] };
        }),
      );
  const parts = {
    sid: scalar(attribute(ctx, scope, body, 'sid'), '', 'sid'),
    effect: scalar(attribute(ctx, scope, body, 'effect'), 'Allow', 'effect'),
    actions: stringsOnly(attribute(ctx, scope, body, 'actions'), true, 'actions'),
    notActions: stringsOnly(attribute(ctx, scope, body, 'not_actions'), true, 'not_actions'),
    resources: stringsOnly(attribute(ctx, scope, body, 'resources'), true, 'resources'),
    notResources: stringsOnly(attribute(ctx, scope, body, 'not_resources'), true, 'not_resources'),
    principals: sourcePrincipals(ctx, scope, body, 'principals'),
    notPrincipals: sourcePrincipals(ctx, scope, body, 'not_principals'),
    conditions,
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as StatementInput);
}

export function sourceDocument(ctx: Context, scope: Scope, body: Body): DocumentInput | Pending {
  const blocks = expand(ctx, scope, body, 'statement');
  const statements = isPending(blocks) ? blocks : collect(blocks.map((b) => sourceStatement(ctx, b.scope, b.body)));
  const parts = {
    version: scalar(attribute(ctx, scope, body, 'version'), DEFAULT_VERSION, 'version'),
    policyId: scalar(attribute(ctx, scope, body, 'policy_id'), '', 'policy_id'),
    statements,
    sources: strings(attribute(ctx, scope, body, 'source_policy_documents'), false, 'source_policy_documents'),
    overrides: strings(attribute(ctx, scope, body, 'override_policy_documents'), false, 'override_policy_documents'),
  };
  const waiting = Object.values(parts).filter(isPending);
  return waiting.length > 0 ? mergePending(waiting) : (parts as unknown as DocumentInput);
}
