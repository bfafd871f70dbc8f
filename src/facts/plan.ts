// Facts about the plan as a whole.

import type { Model } from '../model';

export function planFacts(model: Model): Record<string, unknown> {
  const deferred = model.resources.filter((r) => r.origin === 'deferred').map((r) => `${r.address} (${r.deferredReason ?? 'deferred'})`);
  return {
    kind: model.kind,
    // Absent before Terraform 1.8: unknown, not false (plan-format.md §10).
    complete: model.complete ?? null,
    errored: model.errored ?? null,
    deferred,
  };
}
