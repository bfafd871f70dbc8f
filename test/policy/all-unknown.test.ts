// No rule ever passes because a value was unknown: every built-in policy, with every optional check
// switched on, over plans in which nothing is known of any resource but its address and plan action
// (each change's `after` wholly unknown, no prior state, no configuration), gives `unknown` or `fail`
// for every resource it applies to — never `pass`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/analyze';
import { readPlan } from '../../src/plan';
import { EMPTY_CONFIG } from '../../src/policy/config';
import { builtInPolicies, POLICIES_DIR } from '../support/policies';

/** Results decided by what stays known when attributes are not: the plan's actions and flags. */
const DECIDED_WITHOUT_ATTRIBUTES = new Set(['key-destroyed', 'plan-complete']);

const EVERYTHING_ON = {
  requireKmsEndpoint: true,
  requireVpceRestriction: true,
  requireDeletionGuardrail: true,
  requireDeletionMonitoring: true,
  criticalKeys: ['*'],
};

function whollyUnknown(file: string): Uint8Array {
  const plan = JSON.parse(readFileSync(join(POLICIES_DIR, file), 'utf8')) as Record<string, unknown>;
  for (const change of (plan['resource_changes'] as { change: Record<string, unknown> }[]) ?? []) {
    if ((change.change['actions'] as string[]).includes('delete')) continue;
    change.change['after'] = {};
    change.change['after_unknown'] = true;
    change.change['after_sensitive'] = {};
  }
  // The configuration would still tell which arguments are set: take it away too.
  delete plan['prior_state'];
  delete plan['configuration'];
  return new TextEncoder().encode(JSON.stringify(plan));
}

describe('every policy over a plan where every attribute is unknown', () => {
  it.each(['fixtures/key-policies/plan.json', 'fixtures/endpoints/plan.json', 'fixtures/scps/plan.json', 'fixtures/modules/plan.json', 'fixtures/monitoring/plan.json', 'fixtures/key-settings/plan.json'])(
    '%s',
    (file) => {
      const plan = readPlan(file, whollyUnknown(file));
      const policies = builtInPolicies();
      const outcome = checkPlan(plan, {
        policies,
        config: { ...EMPTY_CONFIG, parameters: EVERYTHING_ON },
        failOn: 'high',
        today: '2026-11-28',
      });
      const passes = outcome.passed.filter((p) => !DECIDED_WITHOUT_ATTRIBUTES.has(p.ruleId));
      expect(passes.map((p) => `${p.ruleId} ${p.address}`)).toEqual([]);
      expect(outcome.findings.some((f) => f.status === 'unknown')).toBe(true);
    },
  );
});
