// Evaluates a source expression the way Terraform would, as far as the values allow: constants,
// templates, references, collections, conditionals, `for` expressions and the functions policies are
// built with. A symbolic value passes through string concatenation, collections and `jsonencode`;
// anything that would need its real text (a comparison, `lower()`) makes the result Pending.

import type { Context, Scope } from './context';
import { callFunction } from './functions';
import { index, resolve, traverse } from './references';
import type { Expr, TraversalStep } from './types';
import { holdsSymbol, isPending, isValObject, mergePending, pending, pendingIn, type Val } from './value';

export function evaluate(ctx: Context, scope: Scope, expr: Expr): Val {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return template(expr.parts.map((p) => evaluate(ctx, scope, p)));
    case 'wrap':
      return evaluate(ctx, scope, expr.inner);
    case 'traversal':
      return resolve(ctx, scope, expr.root, expr.steps);
    case 'relative':
      return traverse(evaluate(ctx, scope, expr.source), expr.steps);
    case 'index':
      return index(evaluate(ctx, scope, expr.collection), evaluate(ctx, scope, expr.key));
    case 'splat':
      return splat(evaluate(ctx, scope, expr.source), expr.steps);
    case 'tuple':
      return expr.items.map((item) => evaluate(ctx, scope, item));
    case 'object':
      return object(expr.items.map(({ key, value }) => [evaluate(ctx, scope, key), evaluate(ctx, scope, value)] as const));
    case 'call':
      return call(ctx, scope, expr.name, expr.args, expr.expand);
    case 'conditional': {
      const condition = evaluate(ctx, scope, expr.condition);
      if (isPending(condition)) return condition;
      if (typeof condition !== 'boolean') return pending('a condition that is not a bool');
      return evaluate(ctx, scope, condition ? expr.then : expr.else);
    }
    case 'for':
      return forExpression(ctx, scope, expr);
    case 'binary':
      return binary(expr.operator, evaluate(ctx, scope, expr.left), evaluate(ctx, scope, expr.right));
    case 'unary':
      return unary(expr.operator, evaluate(ctx, scope, expr.operand));
    case 'unsupported':
      return pending(expr.reason);
  }
}

/** Interpolated values are converted to strings; a null, a list or an object in a template is an error. */
export function asText(value: Val): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

function template(parts: readonly Val[]): Val {
  let out = '';
  const waiting = [];
  for (const part of parts) {
    if (isPending(part)) {
      waiting.push(part);
      continue;
    }
    const text = asText(part);
    if (text === undefined) return pending('a template interpolates a value that is not a string');
    out += text;
  }
  return waiting.length > 0 ? mergePending(waiting) : out;
}

function splat(source: Val, steps: readonly TraversalStep[]): Val {
  if (isPending(source)) return source;
  if (source === null) return [];
  const list = Array.isArray(source) ? (source as readonly Val[]) : [source];
  return list.map((item) => traverse(item, steps));
}

function object(entries: readonly (readonly [Val, Val])[]): Val {
  const out: Record<string, Val> = {};
  for (const [key, value] of entries) {
    if (isPending(key)) return key;
    const text = asText(key);
    if (text === undefined) return pending('an object key that is not a string');
    out[text] = value;
  }
  return out;
}

function call(ctx: Context, scope: Scope, name: string, args: readonly Expr[], expand: boolean): Val {
  // try() and can() look at errors, so their arguments are evaluated one at a time.
  if (name === 'try') {
    let last: Val = pending('try() with no argument that succeeds');
    for (const arg of args) {
      last = evaluate(ctx, scope, arg);
      if (!pendingIn(last)) return last;
    }
    return last;
  }
  if (name === 'can') {
    const value = evaluate(ctx, scope, args[0] ?? { kind: 'literal', value: null });
    return !pendingIn(value);
  }
  let values = args.map((arg) => evaluate(ctx, scope, arg));
  if (expand) {
    const last = values[values.length - 1];
    if (isPending(last)) return last;
    if (!Array.isArray(last)) return pending(`${name}(…) expands a value that is not a list`);
    values = [...values.slice(0, -1), ...(last as readonly Val[])];
  }
  return callFunction(name, values);
}

function forExpression(ctx: Context, scope: Scope, expr: Extract<Expr, { kind: 'for' }>): Val {
  const collection = evaluate(ctx, scope, expr.collection);
  if (isPending(collection)) return collection;
  let pairs: [Val, Val][];
  if (Array.isArray(collection)) pairs = (collection as readonly Val[]).map((v, i) => [i, v]);
  else if (isValObject(collection)) pairs = Object.keys(collection).sort().map((k) => [k, collection[k]!]);
  else return pending('a for expression over a value that is not a collection');
  const list: Val[] = [];
  const map: Record<string, Val | Val[]> = {};
  for (const [k, v] of pairs) {
    const bound = new Map(scope.bound);
    if (expr.keyVar) bound.set(expr.keyVar, k);
    bound.set(expr.valueVar, v);
    const inner: Scope = { ...scope, bound };
    if (expr.condition) {
      const keep = evaluate(ctx, inner, expr.condition);
      if (isPending(keep)) return keep;
      if (keep !== true) continue;
    }
    const value = evaluate(ctx, inner, expr.value);
    if (!expr.object || !expr.key) {
      list.push(value);
      continue;
    }
    const key = evaluate(ctx, inner, expr.key);
    if (isPending(key)) return key;
    const text = asText(key);
    if (text === undefined) return pending('a for expression key that is not a string');
    if (expr.group) ((map[text] ??= []) as Val[]).push(value);
    else if (text in map) return pending(`duplicate key ${text} in a for expression`);
    else map[text] = value;
  }
  return expr.object ? map : list;
}

function deepEqual(a: Val, b: Val): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function binary(operator: string, left: Val, right: Val): Val {
  const waiting = [left, right].filter(isPending);
  if (waiting.length > 0) return mergePending(waiting);
  switch (operator) {
    case 'equal':
    case 'notEqual': {
      // A symbolic value equals itself; against anything else its real text decides.
      const symbolic = [left, right].some((v) => typeof v === 'string' && holdsSymbol(v));
      if (symbolic && !deepEqual(left, right)) return pending('a comparison with a value known only after apply');
      return operator === 'equal' ? deepEqual(left, right) : !deepEqual(left, right);
    }
    case 'logicalAnd':
      return left === true && right === true;
    case 'logicalOr':
      return left === true || right === true;
  }
  if (typeof left !== 'number' || typeof right !== 'number') return pending(`operator ${operator} on values that are not numbers`);
  switch (operator) {
    case 'add':
      return left + right;
    case 'subtract':
      return left - right;
    case 'multiply':
      return left * right;
    case 'divide':
      return right === 0 ? pending('division by zero') : left / right;
    case 'modulo':
      return right === 0 ? pending('division by zero') : left % right;
    case 'greaterThan':
      return left > right;
    case 'greaterThanOrEqual':
      return left >= right;
    case 'lessThan':
      return left < right;
    case 'lessThanOrEqual':
      return left <= right;
    default:
      return pending(`operator ${operator} is not supported`);
  }
}

function unary(operator: string, operand: Val): Val {
  if (isPending(operand)) return operand;
  if (operator === 'logicalNot' && typeof operand === 'boolean') return !operand;
  if (operator === 'negate' && typeof operand === 'number') return -operand;
  return pending(`operator ${operator} is not supported here`);
}
