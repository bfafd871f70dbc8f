// Facts about the plan as a whole.

import { Unknown, type Model } from '../model';
import type { FactContext } from './context';
import { deletionMonitoring } from './monitoring';
import { planScps } from './organization';

/** Terraform prints `complete` since 1.8; before that no plan could defer anything. */
function completeness(model: Model): boolean | Unknown {
  if (model.complete !== undefined) return model.complete;
  if (model.kind === 'state') return true;
  const [major, minor] = (model.terraformVersion ?? '').split('.').map(Number);
  if (major !== undefined && minor !== undefined && !Number.isNaN(minor) && (major < 1 || (major === 1 && minor < 8))) return true;
  return new Unknown('complete', [], model.terraformVersion
    ? `the plan lacks \`complete\` although Terraform ${model.terraformVersion} always prints it (was it edited?)`
    : 'the plan says neither its Terraform version nor whether it is complete');
}

export function planFacts(ctx: FactContext): Record<string, unknown> {
  const { model } = ctx;
  const deferred = model.resources.filter((r) => r.origin === 'deferred').map((r) => `${r.address} (${r.deferredReason ?? 'deferred'})`);
  const scps = planScps(ctx);
  return {
    kind: model.kind,
    complete: completeness(model),
    deferred,
    scps,
    hasScps: scps.length > 0,
    deletionMonitoring: deletionMonitoring(ctx),
  };
}
