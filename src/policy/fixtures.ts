// Policy fixtures: `<id>.test.yaml` beside each policy lists plans and, per plan, the addresses that
// must pass (valid), fail (invalid) and come out unknown. Every policy needs all three, and a result
// that no case expects fails the fixture. One runner serves `npm test` and `kmsgate test`.

import { UserError } from '../errors';
import type { Finding } from '../finding';
import type { PlanDocument } from '../plan/types';
import { EMPTY_CONFIG, type Config } from './config';
import type { Policy } from './types';
import * as validators from './validators.generated';
import { parseYaml, validateSchema } from './yaml';

export type Expectation = 'valid' | 'invalid' | 'unknown';
const EXPECTATIONS: readonly Expectation[] = ['valid', 'invalid', 'unknown'];

export interface FixtureCase {
  /** The plan, relative to the fixture file. */
  plan: string;
  name?: string;
  parameters: Readonly<Record<string, unknown>>;
  expected: ReadonlyMap<string, Expectation>;
  place: string;
}


export function parseFixtures(file: string, text: string): { cases: FixtureCase[] } | { errors: UserError[] } {
  const parsed = parseYaml(file, text);
  if ('errors' in parsed) return parsed;
  const errors = validateSchema(validators.fixtures, file, parsed.value);
  if (errors.length > 0) return { errors };
  const raw = (parsed.value as { cases: Record<string, unknown>[] }).cases;
  const cases: FixtureCase[] = [];
  raw.forEach((entry, i) => {
    const expected = new Map<string, Expectation>();
    for (const expectation of EXPECTATIONS) {
      for (const address of (entry[expectation] as string[] | undefined) ?? []) {
        if (expected.has(address)) errors.push(new UserError(file, `$.cases[${i}]`, `${address || '(the plan)'} is listed twice`));
        expected.set(address, expectation);
      }
    }
    cases.push({
      plan: entry['plan'] as string,
      ...(entry['name'] ? { name: entry['name'] as string } : {}),
      parameters: (entry['parameters'] ?? {}) as Record<string, unknown>,
      expected,
      place: `$.cases[${i}]`,
    });
  });
  return errors.length > 0 ? { errors } : { cases };
}

export interface FixtureOutcome {
  policy: string;
  cases: number;
  /** One line per problem: which case, which address, what was expected and what came out. */
  failures: string[];
}

export interface FixtureRuntime {
  loadPlan(relativePath: string): PlanDocument;
  /** Runs one policy over one plan through the real pipeline. */
  check(plan: PlanDocument, policy: Policy, config: Config): { findings: readonly Finding[]; passed: readonly { address: string }[] };
}

export function runFixtures(policy: Policy, file: string, cases: readonly FixtureCase[], runtime: FixtureRuntime): FixtureOutcome {
  const failures: string[] = [];
  const seen = new Set<Expectation>();
  for (const fixture of cases) {
    const where = `${file} ${fixture.place}${fixture.name ? ` (${fixture.name})` : ''}`;
    let plan: PlanDocument;
    try {
      plan = runtime.loadPlan(fixture.plan);
    } catch (error) {
      failures.push(`${where}: cannot load ${fixture.plan}: ${(error as Error).message}`);
      continue;
    }
    // Shared too: some facts (guardians, key owners) are asked about with the shared parameters.
    const config: Config = { ...EMPTY_CONFIG, parameters: fixture.parameters, policies: { [policy.id]: { parameters: fixture.parameters } } };
    const { findings, passed } = runtime.check(plan, policy, config);
    const actual = new Map<string, Expectation>();
    for (const finding of findings) {
      const status: Expectation = finding.status === 'fail' ? 'invalid' : 'unknown';
      if (actual.get(finding.address) !== 'invalid') actual.set(finding.address, status);
    }
    for (const pass of passed) if (!actual.has(pass.address)) actual.set(pass.address, 'valid');
    for (const [address, expectation] of fixture.expected) {
      seen.add(expectation);
      const got = actual.get(address);
      if (got !== expectation) {
        const shown = address || '(the plan)';
        failures.push(`${where}: ${shown} should be ${expectation} but is ${got ?? 'not checked by the policy'}${detail(findings, address)}`);
      }
    }
    for (const [address, got] of actual) {
      if (got !== 'valid' && !fixture.expected.has(address)) {
        failures.push(`${where}: unexpected ${got} result for ${address || '(the plan)'}${detail(findings, address)}`);
      }
    }
  }
  for (const expectation of EXPECTATIONS) {
    if (!seen.has(expectation)) failures.push(`${file}: no ${expectation} fixture; every policy needs valid, invalid and unknown cases`);
  }
  return { policy: policy.id, cases: cases.length, failures };
}

function detail(findings: readonly Finding[], address: string): string {
  const messages = findings.filter((f) => f.address === address).map((f) => f.message);
  return messages.length > 0 ? ` — ${messages.join(' | ')}` : '';
}
