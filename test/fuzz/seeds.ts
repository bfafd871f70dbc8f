// What the fuzzers start from: real `terraform show -json` output (the shared corpus and the policy
// fixtures), the built-in policy files, and config files in the shape the README documents. Mutations
// of real input reach deeper than random bytes, which the loaders reject at the first character.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPolicies } from '../../src/policy/load';
import type { Policy } from '../../src/policy/types';
import { readPlan } from '../../src/plan';
import type { PlanDocument } from '../../src/plan/types';

export interface SeedPlan {
  /** Path relative to the folder it was found in, for messages. */
  name: string;
  bytes: Buffer;
  /** JSON.parse of the bytes (after a byte order mark or UTF-16 decoding). */
  json: unknown;
}

export interface SeedText {
  file: string;
  text: string;
}

export interface Seeds {
  root: string;
  /** Every real plan: the corpus (when present) and the fixtures. */
  plans: readonly SeedPlan[];
  /** Fixture plans rich in KMS keys, policies and endpoints: the pipeline's best food. */
  kmsPlans: readonly SeedPlan[];
  /** The same, loaded once, for targets that mutate only a policy or a config. */
  kmsDocuments: readonly PlanDocument[];
  /** Key, endpoint, SCP and identity policy documents (JSON text) found in the fixture plans. */
  policyDocuments: readonly string[];
  policyFiles: readonly SeedText[];
  builtIn: readonly Policy[];
  configs: readonly SeedText[];
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...jsonFiles(path));
    else if (name.endsWith('.json')) out.push(path);
  }
  return out;
}

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  const text = bytes.toString('utf8');
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

function seedPlan(base: string, path: string): SeedPlan | undefined {
  const bytes = readFileSync(path);
  try {
    return { name: relative(base, path), bytes, json: JSON.parse(decode(bytes)) as unknown };
  } catch {
    return undefined;
  }
}

const POLICY_ATTRIBUTES = new Set(['policy', 'content', 'assume_role_policy']);

function policyStrings(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => policyStrings(v, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      if (POLICY_ATTRIBUTES.has(key) && typeof member === 'string' && member.includes('Statement')) into.add(member);
      else policyStrings(member, into);
    }
  }
}

/** The config of the README and SPEC §5, and smaller variations. */
const CONFIGS: readonly SeedText[] = [
  {
    file: '.kmsgate.yml',
    text: `parameters:
  trustedAccounts: ["111122223333"]
  guardianPrincipals: ["arn:aws:iam::111122223333:role/kmsguardian"]
  keyOwners: ["arn:aws:iam::111122223333:role/keyadmin"]
  requireVpceRestriction: true
policies:
  key-multi-region: { enabled: false }
  key-rotation-period: { severity: high, onUnknown: fail, parameters: { maxRotationDays: 180 } }
waivers:
  - rule: key-rotation-enabled
    address: module.legacy.aws_kms_key.*
    reason: imported keys, rotation handled by the HSM team
    owner: platform-security
    expires: 2027-01-31
  - rule: key-policy-no-public-access
    address: "aws_kms_key.*"
    reason: reviewed
    owner: security
    expires: 2020-01-01
`,
  },
  { file: 'config.yaml', text: 'failOn: medium\nonUnknown: fail\nparameters:\n  criticalKeys: ["aws_kms_key.*"]\n  requireDeletionGuardrail: true\n' },
  { file: 'empty.yml', text: '' },
];

export function loadSeeds(root: string, options: { corpus?: boolean } = {}): Seeds {
  const corpusDir = join(root, '../shared/corpus/plans');
  const fixturesDir = join(root, 'policies/fixtures');
  const corpus = options.corpus === false ? [] : jsonFiles(corpusDir).map((p) => seedPlan(corpusDir, p));
  const fixtures = jsonFiles(fixturesDir)
    .filter((p) => /(plan|state)\.json$/.test(p))
    .map((p) => seedPlan(fixturesDir, p));
  const plans = [...corpus, ...fixtures].filter((p): p is SeedPlan => p !== undefined);
  const kmsPlans = fixtures.filter((p): p is SeedPlan => p !== undefined && !p.name.startsWith('handmade/'));
  const documents = new Set<string>();
  for (const plan of kmsPlans) policyStrings(plan.json, documents);
  const policiesDir = join(root, 'policies');
  const policyFiles = readdirSync(policiesDir)
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml'))
    .sort()
    .map((name) => ({ file: `policies/${name}`, text: readFileSync(join(policiesDir, name), 'utf8') }));
  const { policies, errors } = loadPolicies(policyFiles.map((p) => ({ ...p, builtIn: true })));
  if (errors.length > 0) throw new Error(`the built-in pack does not load: ${errors.map((e) => e.message).join('; ')}`);
  return {
    root,
    plans,
    kmsPlans,
    kmsDocuments: kmsPlans.map((p) => readPlan(p.name, p.bytes)),
    policyDocuments: [...documents].sort(),
    policyFiles,
    builtIn: policies,
    configs: CONFIGS,
  };
}
