// Bench child: runs the check pipeline (src/analyze.ts) stage by stage on one plan with the built-in
// policies and prints one JSON line: each stage's time, each policy's time and results, what the
// model and the relations hold (the bench compares them with what the generator wrote), and memory.
// With --report it also builds the report the CLI's way and times its SARIF rendering (that
// repeats the stages, warm, so it doubles the run).
//
//   node build/bench/probe.mjs [--report] PLAN

import { writeSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { checkPlans } from '../src/analyze';
import { loadPolicySet } from '../src/cli/check';
import { keepYoungGenerationSmall } from '../src/cli/heap';
import { analyze, DEFAULT_FACT_PARAMETERS } from '../src/facts';
import { buildModel, type Model } from '../src/model';
import { loadPlanFile } from '../src/plan/read-file';
import { EMPTY_CONFIG, settingsFor } from '../src/policy/config';
import { evaluatePolicy } from '../src/policy/evaluate';
import { recover } from '../src/recover';
import { relate, type Relations } from '../src/relate';
import { renderPieces } from '../src/report';

const TRACKED = [
  'aws_kms_key',
  'aws_kms_key_policy',
  'aws_kms_alias',
  'aws_kms_grant',
  'aws_vpc_endpoint',
  'aws_vpc_endpoint_policy',
  'aws_security_group',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
  'aws_iam_policy_document',
  'aws_iam_role',
];

function timed<T>(phases: Record<string, number>, name: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  phases[name] = performance.now() - start;
  return value;
}

function counts(model: Model, relations: Relations) {
  const types = Object.fromEntries(TRACKED.map((type) => [type, model.byType.get(type)?.length ?? 0]));
  const of = (type: string) => model.byType.get(type) ?? [];
  const linked = (type: string, edge: string, filter = (_: (typeof model.resources)[number]) => true) =>
    of(type).filter((resource) => filter(resource) && (relations.edges.get(resource.address)?.[edge]?.targets.length ?? 0) > 0).length;
  const isKms = (resource: (typeof model.resources)[number]) => /\.kms(-fips)?$/.test(String(resource.values['service_name'] ?? ''));
  return {
    resources: model.resources.length,
    types,
    kmsEndpoints: of('aws_vpc_endpoint').filter(isKms).length,
    linked: {
      keyPolicies: linked('aws_kms_key_policy', 'key'),
      aliases: linked('aws_kms_alias', 'key'),
      grants: linked('aws_kms_grant', 'key'),
      kmsEndpointSecurityGroups: linked('aws_vpc_endpoint', 'securityGroups', isKms),
      scpAttachments: linked('aws_organizations_policy_attachment', 'policy'),
    },
  };
}

/** Present when the bench starts this child with --expose-gc: then the heap is measured after a full collection. */
const collect = (globalThis as { gc?: () => void }).gc;

function main(path: string, withReport: boolean): void {
  // The heap as `kmsgate check` sets it up.
  keepYoungGenerationSmall();
  const phases: Record<string, number> = {};
  const heapMiB: Record<string, number> = {};
  let heapPeak = 0;
  const sample = (after?: string) => {
    const used = getHeapStatistics().used_heap_size;
    heapPeak = Math.max(heapPeak, used);
    if (after !== undefined && collect !== undefined) {
      collect();
      heapMiB[after] = getHeapStatistics().used_heap_size / 2 ** 20;
    }
  };
  const policies = timed(phases, 'policies', () => loadPolicySet([], true));
  const plan = timed(phases, 'load', () => loadPlanFile(path));
  sample('load');
  const model = timed(phases, 'model', () => buildModel(plan));
  sample('model');
  const relations = timed(phases, 'relate', () => relate(model));
  sample('relate');
  const recovery = timed(phases, 'recover', () => recover(model));
  sample('recover');
  const subjects = timed(phases, 'facts', () => analyze(model, relations, recovery, DEFAULT_FACT_PARAMETERS));
  sample('facts');
  const byType = new Map<string, typeof subjects>();
  for (const subject of subjects) {
    const list = byType.get(subject.type);
    if (list) list.push(subject);
    else byType.set(subject.type, [subject]);
  }
  const rules: Record<string, { ms: number; results: Record<string, number>; unknownPasses: boolean }> = {};
  timed(phases, 'evaluate', () => {
    for (const policy of policies) {
      const settings = settingsFor(policy, EMPTY_CONFIG, undefined);
      if (!settings.enabled) continue;
      const start = performance.now();
      const results: Record<string, number> = {};
      for (const result of evaluatePolicy(policy, policy.resources.flatMap((type) => byType.get(type) ?? []), settings.params)) {
        results[result.status] = (results[result.status] ?? 0) + 1;
      }
      rules[policy.id] = { ms: performance.now() - start, results, unknownPasses: settings.onUnknown === 'pass' };
    }
  });
  sample('evaluate');
  // With no config, a failed result is a finding, and so is an unknown one unless its policy lets it pass.
  const findings: Record<string, number> = {};
  for (const [id, rule] of Object.entries(rules)) {
    const count = (rule.results['fail'] ?? 0) + (rule.unknownPasses ? 0 : (rule.results['unknown'] ?? 0));
    if (count > 0) findings[id] = count;
  }
  let sarifBytes: number | undefined;
  let error: string | undefined;
  if (withReport) {
    try {
      const report = checkPlans([{ model }], { policies, config: EMPTY_CONFIG, failOn: 'high', today: '2026-01-01' });
      // In pieces, as the CLI writes a report file.
      sarifBytes = timed(phases, 'sarif', () => {
        let bytes = 0;
        for (const piece of renderPieces('sarif', report)) bytes += Buffer.byteLength(piece);
        return bytes;
      });
      sample();
    } catch (failure) {
      error = String(failure);
    }
  }
  const line = {
    phases,
    counts: counts(model, relations),
    rules,
    findings,
    ...(error === undefined ? {} : { error }),
    ...(sarifBytes === undefined ? {} : { sarifBytes }),
    heapPeakMiB: heapPeak / 2 ** 20,
    heapAfterMiB: heapMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  writeSync(1, `${JSON.stringify(line)}\n`);
}

const withReport = process.argv[2] === '--report';
const path = process.argv[withReport ? 3 : 2];
if (path === undefined) throw new Error('usage: probe [--report] PLAN');
main(path, withReport);
