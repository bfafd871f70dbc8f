// A `data.aws_iam_policy_document` read only at apply time, rebuilt as the provider would render it.
// From the source when it was prepared: the blocks as written, `dynamic` blocks expanded. Otherwise
// (or when the source disagrees with the plan, e.g. a source folder of another revision) from the
// plan: `change.after` holds every value Terraform already knows, element by element, and
// `configuration` the references the unknown elements come from.

import { isObject, type ModelValue, type Resource } from '../model';
import type { Context } from './context';
import { planDocument } from './plan-document';
import { DocumentError, renderPolicyDocument, type DocumentInput } from './policy-document';
import { instanceScope } from './references';
import { sourceDocument } from './source-document';
import type { DocumentOrigin } from './types';
import { isPending, mergePending, pending, type Pending, type Val } from './value';

export function isDocumentText(value: Val): boolean {
  if (typeof value !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export function rebuildDocument(ctx: Context, resource: Resource, minified: boolean): Val {
  return ctx.cached(`document:${resource.address}:${minified}`, () => {
    const known = resource.values[minified ? 'minified_json' : 'json'];
    if (typeof known === 'string') return known;
    const input = documentInput(ctx, resource);
    if (isPending(input)) return input;
    const text = renderPolicyDocument(input, minified);
    return text instanceof DocumentError ? pending(`the provider would reject the document: ${text.message}`) : text;
  });
}

/** Which way each rebuilt document went, for the origin a caller reports. */
export function documentOrigin(ctx: Context, resource: Resource): DocumentOrigin {
  return ctx.origins.get(resource.address) ?? 'configuration';
}

function documentInput(ctx: Context, resource: Resource): DocumentInput | Pending {
  const scope = instanceScope(ctx, resource);
  const body = ctx.sourceBlock(resource)?.body;
  const fromPlan = () => {
    ctx.origins.set(resource.address, 'configuration');
    return planDocument(ctx, resource, scope);
  };
  if (!body) return fromPlan();
  const fromSource = sourceDocument(ctx, scope, body);
  if (!isPending(fromSource) && agreesWithPlan(resource, fromSource)) {
    ctx.origins.set(resource.address, 'source');
    return fromSource;
  }
  const planned = fromPlan();
  return isPending(planned) && isPending(fromSource) ? mergePending([fromSource, planned]) : planned;
}

/** A source of another revision than the plan is worse than none: the plan's known values must agree. */
function agreesWithPlan(resource: Resource, input: DocumentInput): boolean {
  const planned = resource.values['statement'];
  if (!Array.isArray(planned)) return true;
  if (planned.length !== input.statements.length) return false;
  return planned.every((statement, i) => {
    const built = input.statements[i]!;
    if (!isObject(statement)) return true;
    const object = statement as Record<string, ModelValue>;
    const sid = object['sid'];
    if (typeof sid === 'string' && sid !== built.sid) return false;
    const actions = object['actions'];
    if (Array.isArray(actions) && actions.every((a) => typeof a === 'string')) {
      const mine = new Set(built.actions);
      if (actions.length !== mine.size || !actions.every((a) => mine.has(a as string))) return false;
    }
    return true;
  });
}
