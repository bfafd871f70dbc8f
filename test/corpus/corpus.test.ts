// Every real plan of the shared corpus loads, and what the model holds matches an independent walk
// of the same JSON: resources of the relevant types per type and action, data sources read at plan
// time, module instances, and addresses verbatim.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/analyze';
import { EMPTY_CONFIG } from '../../src/policy/config';
import { buildModel } from '../../src/model';
import { isRelevantType } from '../../src/plan';
import { loadPlanFile } from '../../src/plan/read-file';
import { builtInPolicies } from '../support/policies';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/plans');
const files = existsSync(CORPUS)
  ? readdirSync(CORPUS).flatMap((dir) => readdirSync(join(CORPUS, dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)))
  : [];

type Obj = Record<string, unknown>;

function parseIndependently(path: string): Obj {
  const bytes = readFileSync(path);
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else text = new TextDecoder('utf-8').decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  return JSON.parse(text) as Obj;
}

/** Flattens child_modules; Terraform 0.12 wrote module-relative, key-less addresses there, so rebuild them. */
function valuesResources(module: Obj | undefined, out: Obj[] = [], moduleAddress = ''): Obj[] {
  if (!module) return out;
  for (const r of (module['resources'] as Obj[] | undefined) ?? []) {
    let address = r['address'] as string;
    if (moduleAddress && !address.startsWith(`${moduleAddress}.`)) address = `${moduleAddress}.${address}`;
    if (r['index'] !== undefined && !address.endsWith(']')) address += `[${JSON.stringify(r['index'])}]`;
    out.push({ ...r, address });
  }
  for (const child of (module['child_modules'] as Obj[] | undefined) ?? []) valuesResources(child, out, child['address'] as string);
  return out;
}

function expected(doc: Obj) {
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const addresses = new Set<string>();
  const isState = !('planned_values' in doc || 'resource_changes' in doc || 'configuration' in doc || 'prior_state' in doc);
  if (isState) {
    for (const r of valuesResources((doc['values'] as Obj | undefined)?.['root_module'] as Obj | undefined)) {
      if (!isRelevantType(r['type'] as string)) continue;
      bump(`${r['mode']} ${r['type']} no-op`);
      if (!r['deposed_key']) addresses.add(r['address'] as string);
    }
    return { counts, addresses };
  }
  const changed = new Set<string>();
  for (const rc of (doc['resource_changes'] as Obj[] | undefined) ?? []) {
    if (!isRelevantType(rc['type'] as string)) continue;
    const actions = ((rc['change'] as Obj)['actions'] as string[]).join(',');
    bump(`${rc['mode']} ${rc['type']} ${actions}`);
    if (!rc['deposed']) {
      changed.add(rc['address'] as string);
      addresses.add(rc['address'] as string);
    }
  }
  const prior = valuesResources(((doc['prior_state'] as Obj | undefined)?.['values'] as Obj | undefined)?.['root_module'] as Obj | undefined);
  for (const r of prior) {
    if (!isRelevantType(r['type'] as string) || changed.has(r['address'] as string) || r['deposed_key']) continue;
    bump(`${r['mode']} ${r['type']} ${r['mode'] === 'data' ? 'read' : 'no-op'}`);
    addresses.add(r['address'] as string);
  }
  return { counts, addresses };
}

describe.runIf(files.length > 0)('the shared corpus', () => {
  it('has the 60 plans', () => {
    expect(files.length).toBe(60);
  });

  it.each(files)('%s', (file) => {
    const path = join(CORPUS, file);
    const plan = loadPlanFile(path);
    const model = buildModel(plan);
    const want = expected(parseIndependently(path));
    const got = new Map<string, number>();
    for (const r of model.resources) {
      const key = `${r.mode} ${r.type} ${r.actions.join(',')}`;
      got.set(key, (got.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...want.counts].sort()));
    expect([...model.byAddress.keys()].sort()).toEqual([...want.addresses].sort());
    // Module instance addresses are prefixes of their resources' addresses, verbatim.
    for (const r of model.resources) expect(r.address.startsWith(r.module)).toBe(true);
    // The whole gate runs: no input error, no crash.
    const outcome = checkPlan(plan, { policies: builtInPolicies(), config: EMPTY_CONFIG, failOn: 'high', today: '2026-01-01' });
    expect(outcome.findings.every((f) => f.file === plan.file)).toBe(true);
  });
});
