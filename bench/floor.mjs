// The floor every measurement is divided by: read the plan and JSON.parse it, as any DOM-based tool
// must, and nothing else. With --count (a separate, untimed run) it does the KMS extraction
// extract.jq does, so that the counts can be compared.
//
//   node bench/floor.mjs PLAN           → one JSON line: read and parse times
//   node bench/floor.mjs --count PLAN   → one JSON line: counts

import { readFileSync, writeSync } from 'node:fs';

const KMS_ENDPOINT = /\.kms(-fips)?$/;

/** Keys, key policies, KMS endpoints and SCPs of resource_changes, data policy documents of prior_state, and their statements. */
export function extract(plan) {
  const counts = { keys: 0, keyPolicies: 0, kmsEndpoints: 0, scps: 0, documents: 0, statements: 0 };
  const document = (text) => {
    if (typeof text !== 'string') return;
    const statement = JSON.parse(text).Statement;
    counts.documents++;
    counts.statements += Array.isArray(statement) ? statement.length : 1;
  };
  for (const rc of plan.resource_changes ?? []) {
    const values = rc.change.after ?? rc.change.before ?? {};
    if (rc.type === 'aws_kms_key') counts.keys++;
    else if (rc.type === 'aws_kms_key_policy') counts.keyPolicies++;
    else if (rc.type === 'aws_organizations_policy') counts.scps++;
    else if (rc.type === 'aws_vpc_endpoint' && KMS_ENDPOINT.test(values.service_name ?? '')) counts.kmsEndpoints++;
    else continue;
    document(values.policy ?? values.content);
  }
  const modules = [plan.prior_state?.values?.root_module ?? {}];
  while (modules.length > 0) {
    const module = modules.pop();
    for (const resource of module.resources ?? []) if (resource.mode === 'data' && resource.type === 'aws_iam_policy_document') document(resource.values.json);
    modules.push(...(module.child_modules ?? []));
  }
  return counts;
}

function main(path, count) {
  const start = performance.now();
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    writeSync(1, `${JSON.stringify({ error: error.code ?? String(error) })}\n`);
    process.exitCode = 2;
    return;
  }
  const read = performance.now();
  const plan = JSON.parse(text);
  const parsed = performance.now();
  writeSync(1, `${JSON.stringify(count ? { counts: extract(plan) } : { readMs: read - start, parseMs: parsed - read })}\n`);
}

const count = process.argv[2] === '--count';
const path = process.argv[count ? 3 : 2];
if (path !== undefined) main(path, count);
