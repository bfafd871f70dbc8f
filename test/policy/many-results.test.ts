// A big plan gives more results than a function call takes arguments (about 120,000 on Node 20): the
// check must gather them without spreading a list into one call.

import { describe, expect, it } from 'vitest';
import { checkPlans } from '../../src/analyze';
import { readPlan } from '../../src/plan';
import type { PlanDocument } from '../../src/plan/types';
import { EMPTY_CONFIG } from '../../src/policy/config';
import { loadPolicy } from '../../src/policy/load';

const ELEMENTS = 200_000;

/** One key whose tags list holds ELEMENTS entries, each of which the policy below fails on its own. */
function plan(): PlanDocument {
  const after = { enable_key_rotation: true, tags_list: Array.from({ length: ELEMENTS }, (_, i) => `t${i}`) };
  const document = {
    format_version: '1.2',
    terraform_version: '1.9.0',
    resource_changes: [{ address: 'aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', change: { actions: ['create'], before: null, after, after_unknown: {} } }],
  };
  return readPlan('plan.json', Buffer.from(JSON.stringify(document), 'utf8'));
}

function policy(id: string, yaml: string) {
  const header = `id: ${id}\ntitle: T\nseverity: high\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: []\n`;
  const result = loadPolicy({ file: `policies/${id}.yaml`, text: `${header}${yaml}`, builtIn: false });
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.policy;
}

describe('a plan with more results than a call takes arguments', () => {
  it('reports every finding', () => {
    const each = policy('each-tag', 'forEach: $.values.tags_list\nrequire: { path: "@", equals: none }\nmessage: "{{@}} is tagged"');
    const report = checkPlans([plan()], { policies: [each], config: EMPTY_CONFIG, failOn: 'high', today: '2026-06-01' });
    expect(report.findings).toHaveLength(ELEMENTS);
  });
});
