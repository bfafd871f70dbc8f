// A block body from hcl2json's JSON and our scan (which knows the order of nested and dynamic blocks,
// lost in the JSON), and the traversals an expression makes (what the preparation follows).

import type { Body, Expr, NestedBlock, TraversalStep } from '../types';
import type { ExpressionReader } from './convert';
import type { ScannedBlock } from './scan';

export function firstBody(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
}

/** hcl2json's JSON of a block body, with the nested blocks in the order our scan found them. */
export async function readBody(reader: ExpressionReader, json: Record<string, unknown>, scanned: ScannedBlock): Promise<Body> {
  const nestedTypes = new Set(scanned.children.map((c) => c.type));
  const attributes: Record<string, Expr> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!nestedTypes.has(key)) attributes[key] = await reader.value(value);
  }
  const used = new Map<string, number>();
  const take = (list: unknown, key: string): Record<string, unknown> | undefined => {
    const i = used.get(key) ?? 0;
    used.set(key, i + 1);
    const item = Array.isArray(list) ? list[i] : undefined;
    return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
  };
  const blocks: NestedBlock[] = [];
  for (const child of scanned.children) {
    if (child.type === 'dynamic') {
      const label = child.labels[0] ?? '';
      const dynamic = (json['dynamic'] as Record<string, unknown> | undefined)?.[label];
      const entry = take(dynamic, `dynamic:${label}`);
      const contentScan = child.children.find((c) => c.type === 'content');
      const content = firstBody(entry?.['content']);
      if (!entry || !content || !contentScan) continue;
      const iterator = await reader.value(entry['iterator'] ?? label);
      blocks.push({
        kind: 'dynamic',
        type: label,
        forEach: await reader.value(entry['for_each'] ?? null),
        iterator: iterator.kind === 'literal' && typeof iterator.value === 'string' ? iterator.value : iterator.kind === 'wrap' && iterator.inner.kind === 'traversal' ? iterator.inner.root : label,
        content: await readBody(reader, content, contentScan),
      });
    } else {
      const entry = take(json[child.type], child.type);
      if (entry) blocks.push({ kind: 'static', type: child.type, body: await readBody(reader, entry, child) });
    }
  }
  return { attributes, blocks };
}

export function* traversals(expr: Expr): Generator<{ root: string; steps: readonly TraversalStep[] }> {
  switch (expr.kind) {
    case 'traversal':
      yield { root: expr.root, steps: expr.steps };
      return;
    case 'template':
      for (const p of expr.parts) yield* traversals(p);
      return;
    case 'wrap':
      yield* traversals(expr.inner);
      return;
    case 'relative':
    case 'splat':
      yield* traversals(expr.source);
      return;
    case 'index':
      yield* traversals(expr.collection);
      yield* traversals(expr.key);
      return;
    case 'tuple':
      for (const i of expr.items) yield* traversals(i);
      return;
    case 'object':
      for (const { key, value } of expr.items) {
        yield* traversals(key);
        yield* traversals(value);
      }
      return;
    case 'call':
      for (const a of expr.args) yield* traversals(a);
      return;
    case 'conditional':
      yield* traversals(expr.condition);
      yield* traversals(expr.then);
      yield* traversals(expr.else);
      return;
    case 'for':
      for (const part of [expr.collection, expr.key, expr.value, expr.condition]) if (part) yield* traversals(part);
      return;
    case 'binary':
      yield* traversals(expr.left);
      yield* traversals(expr.right);
      return;
    case 'unary':
      yield* traversals(expr.operand);
      return;
    case 'literal':
    case 'unsupported':
      return;
  }
}
