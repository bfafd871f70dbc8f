// The plan's `configuration` view of an expression: a constant, or only the references it makes. An
// expression that is exactly one reference is taken to be that reference.

import type { ConfigExpression } from '../model';
import { formatModuleAddress, parseTraversal } from '../model';
import type { Context, Scope } from './context';
import { resolve } from './references';
import { pending, type Val } from './value';

/** Terraform lists every prefix of a traversal and stops at dynamic indexes; keep each traversal once. */
export function orderedReferences(references: readonly string[]): string[] {
  const interesting = references.filter((r) => !/^(each|count|path|terraform|self)(\.|$)/.test(r));
  const unique = [...new Set(interesting)];
  return unique.filter((r) => !unique.some((other) => other !== r && (other.startsWith(`${r}.`) || other.startsWith(`${r}[`))));
}

/**
 * An expression of constants, `each` and `count` only, which the configuration view does not evaluate:
 * Terraform knows its value at plan time, the plan just does not show it.
 */
export const NOT_EVALUATED = pending('written with functions or templates the plan does not evaluate; the Terraform source is needed');

/**
 * A `configuration` expression: a constant, or — the plan gives no structure — a single reference
 * taken to be the whole expression (`policy = data.aws_iam_policy_document.x.json`, `role = var.arn`).
 */
export function configExpression(ctx: Context, scope: Scope, expression: ConfigExpression): Val {
  if ('constant_value' in expression) return expression.constant_value ?? null;
  const references = orderedReferences(expression.references ?? []);
  const only = references[0];
  if (references.length === 0) return NOT_EVALUATED;
  if (references.length !== 1 || !only) {
    return pending(
      'written as an expression of several values; the Terraform source is needed',
      references.map((r) => absoluteReference(scope, r)),
    );
  }
  if ((expression.references ?? []).some((r) => /^(each|count)\./.test(r))) {
    return pending('indexed by each.key or count.index; the Terraform source is needed', [absoluteReference(scope, only)]);
  }
  return resolveText(ctx, scope, only);
}

/** Resolves a reference written as text (`aws_iam_role.r["k"].arn`). */
export function resolveText(ctx: Context, scope: Scope, reference: string): Val {
  const steps = parseTraversal(reference);
  const [head, ...rest] = steps ?? [];
  if (!head || head.kind !== 'name') return pending(`cannot read the reference ${reference}`);
  return resolve(
    ctx,
    scope,
    head.name,
    rest.map((s) => (s.kind === 'name' ? { name: s.name } : { key: s.key === '*' ? '*' : s.key })),
  );
}

/** A reference as written in a module, made absolute for messages (`module.m["a"].aws_iam_role.r.arn`). */
export function absoluteReference(scope: Scope, reference: string): string {
  const prefix = formatModuleAddress(scope.module);
  return prefix ? `${prefix}.${reference}` : reference;
}
