// `kmsgate test`: every policy of a folder against its fixtures, through the real pipeline.

import { dirname, resolve } from 'node:path';
import { checkPlan } from '../analyze';
import { UserErrors } from '../errors';
import { loadPlanFile } from '../plan/read-file';
import { parseFixtures, runFixtures, type FixtureOutcome } from '../policy/fixtures';
import { loadPolicies } from '../policy/load';
import type { Policy } from '../policy/types';
import { builtInPoliciesDir, display, insideFolder, readPolicyFolder, readSmallFile } from './files';

export function runTest(dirs: readonly string[], today: string): { output: string; exitCode: 0 | 1 } {
  const folders = (dirs.length > 0 ? dirs : [builtInPoliciesDir()]).map((dir) => readPolicyFolder(dir, false));
  const lines: string[] = [];
  let failed = 0;
  for (const folder of folders) {
    const { policies, errors } = loadPolicies(folder.policies);
    if (errors.length > 0) throw new UserErrors(errors);
    for (const policy of policies) {
      const testFile = folder.tests.get(policy.id);
      const outcome: FixtureOutcome = testFile
        ? runPolicyFixtures(folder.dir, testFile, policy, today)
        : { policy: policy.id, cases: 0, failures: [`${policy.file}: no ${policy.id}.test.yaml beside it; every policy needs fixtures`] };
      if (outcome.failures.length > 0) {
        failed += 1;
        lines.push(`✗ ${policy.id}`, ...outcome.failures.map((f) => `    ${f}`));
      } else {
        lines.push(`✓ ${policy.id} (${outcome.cases} case${outcome.cases === 1 ? '' : 's'})`);
      }
    }
    for (const id of folder.tests.keys()) {
      if (!policies.some((p) => p.id === id)) {
        failed += 1;
        lines.push(`✗ ${id}.test.yaml has no policy ${id}.yaml beside it`);
      }
    }
  }
  const total = lines.filter((l) => /^[✓✗] /.test(l)).length;
  lines.push('', failed > 0 ? `${failed} of ${total} policies failed their fixtures` : `all ${total} policies pass their fixtures`);
  return { output: `${lines.join('\n')}\n`, exitCode: failed > 0 ? 1 : 0 };
}

function runPolicyFixtures(dir: string, testFile: string, policy: Policy, today: string): FixtureOutcome {
  const shown = display(testFile);
  const parsed = parseFixtures(shown, readSmallFile(testFile));
  if ('errors' in parsed) return { policy: policy.id, cases: 0, failures: parsed.errors.map((e) => e.message) };
  return runFixtures(policy, shown, parsed.cases, {
    loadPlan: (relativePath) => {
      const path = resolve(dirname(testFile), relativePath);
      const real = insideFolder(dir, path);
      return { ...loadPlanFile(real), file: display(path) };
    },
    check: (plan, onePolicy, config) => checkPlan(plan, { policies: [onePolicy], config, failOn: 'info', today }),
  });
}
