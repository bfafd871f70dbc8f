// The fuzz targets: each generates an input from the seeds and checks the invariants on it. The quick
// run (quick.test.ts) and the long run (scripts/fuzz-long.mjs) share them.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { parsePolicy, POLICY_KINDS, type PolicyKind } from '../../src/iam';
import { createPlanReader } from '../../src/plan';
import type { PlanDocument } from '../../src/plan/types';
import { checkConfig, EMPTY_CONFIG, parseConfig } from '../../src/policy/config';
import { parseFixtures } from '../../src/policy/fixtures';
import { loadPolicies } from '../../src/policy/load';
import { checkPrototypes, checkUserErrors, invariant, outcome, pipeline } from './invariants';
import { policyDocument } from './iam';
import { applyBytes, byteEdit, chunksOf, encode, feeding, jsonEdit, serialize, style, type ByteEdit, type Feeding, type JsonEdit, type Style } from './mutate';
import type { Seeds } from './seeds';
import { applyYaml, yamlEdit, type YamlEdit } from './yaml';

export interface Target<I> {
  name: string;
  arbitrary(seeds: Seeds): fc.Arbitrary<I>;
  run(input: I, seeds: Seeds): void;
  /** What to write down to reproduce a failure (the input, or the bytes it produces). */
  reproduce(input: I, seeds: Seeds): { name: string; content: string | Buffer }[];
}

const FILE = 'plan.json';
/** Plans above this size skip the second (determinism) run: the long run stays fast. */
const TWICE_BELOW = 300_000;

/** Reads bytes the way the CLI does (in chunks) and, unless told to stream, the way small files are read. */
function load(bytes: Buffer, feed: Feeding): { value: PlanDocument } | { errors: readonly { message: string }[] } {
  const read = (whole: boolean) =>
    outcome(() => {
      const reader = createPlanReader(FILE, whole ? {} : { wholeFileBytes: 0 });
      // Large files in larger chunks: millions of one-byte pushes test nothing more.
      const scale = bytes.length > 100_000 ? 512 : 1;
      for (const chunk of chunksOf(bytes, feed.chunks.map((n) => n * scale))) reader.push(chunk);
      return reader.end();
    }, [FILE]);
  const first = read(feed.whole);
  // Streaming and parsing whole must agree, to the byte offset in a message.
  if (feed.whole) {
    const streamed = read(false);
    invariant(JSON.stringify(summary(first)) === JSON.stringify(summary(streamed)), `parsed whole and streamed disagree: ${JSON.stringify(summary(first)).slice(0, 400)} vs ${JSON.stringify(summary(streamed)).slice(0, 400)}`);
  }
  return first;
}

function summary(result: { value: PlanDocument } | { errors: readonly { message: string }[] }): unknown {
  return 'errors' in result ? result.errors.map((e) => e.message) : result.value;
}

function afterLoad(bytes: Buffer, feed: Feeding, seeds: Seeds): void {
  const loaded = load(bytes, feed);
  checkPrototypes();
  if ('value' in loaded) pipeline([loaded.value], { policies: seeds.builtIn, config: EMPTY_CONFIG, files: [FILE], twice: bytes.length < TWICE_BELOW });
  checkPrototypes();
}

export interface PlanBytesInput {
  plan: number;
  edits: ByteEdit[];
  feed: Feeding;
}

/** Real plans with bytes cut, flipped, inserted and repeated. */
export const planBytes: Target<PlanBytesInput> = {
  name: 'plan-bytes',
  arbitrary: (seeds) => fc.record({ plan: fc.nat({ max: seeds.plans.length - 1 }), edits: fc.array(byteEdit, { minLength: 1, maxLength: 3 }), feed: feeding }),
  run: (input, seeds) => afterLoad(planBytesOf(input, seeds), input.feed, seeds),
  reproduce: (input, seeds) => [{ name: 'plan.json', content: planBytesOf(input, seeds) }],
};

function planBytesOf(input: PlanBytesInput, seeds: Seeds): Buffer {
  return applyBytes(seeds.plans[input.plan % seeds.plans.length]!.bytes, input.edits);
}

export interface PlanJsonInput {
  plan: number;
  edits: JsonEdit[];
  style: Style;
  bytes: ByteEdit[];
  feed: Feeding;
}

/** Real plans with wrong types, hostile values and keys, deep nesting and duplicate keys at any node. */
export const planJson: Target<PlanJsonInput> = {
  name: 'plan-json',
  arbitrary: (seeds) =>
    fc.record({
      plan: fc.nat({ max: seeds.plans.length - 1 }),
      edits: fc.array(jsonEdit, { minLength: 1, maxLength: 4 }),
      style,
      bytes: fc.array(byteEdit, { maxLength: 1 }),
      feed: feeding,
    }),
  run: (input, seeds) => afterLoad(planJsonOf(input, seeds), input.feed, seeds),
  reproduce: (input, seeds) => [{ name: 'plan.json', content: planJsonOf(input, seeds) }],
};

function planJsonOf(input: PlanJsonInput, seeds: Seeds): Buffer {
  const seed = seeds.plans[input.plan % seeds.plans.length]!;
  return applyBytes(encode(serialize(seed.json, input.edits, input.style.indent), input.style.encoding), input.bytes);
}

/** Where a document can sit: the resource changes whose values hold a policy attribute. */
function policySlots(plan: unknown): { change: number; attribute: string }[] {
  const changes = (plan as { resource_changes?: { change?: { after?: Record<string, unknown> } }[] }).resource_changes ?? [];
  const slots: { change: number; attribute: string }[] = [];
  changes.forEach((entry, i) => {
    for (const attribute of ['policy', 'content']) if (typeof entry.change?.after?.[attribute] === 'string') slots.push({ change: i, attribute });
  });
  return slots;
}

export interface PlanPolicyInput {
  plan: number;
  slot: number;
  document: unknown;
  asText: boolean;
  sensitive: boolean;
}

/** Generated key, endpoint, SCP and identity policies put into real plans, through the whole pipeline. */
export const planPolicy: Target<PlanPolicyInput> = {
  name: 'plan-policy',
  arbitrary: (seeds) =>
    fc.record({
      plan: fc.nat({ max: seeds.kmsPlans.length - 1 }),
      slot: fc.nat(),
      document: policyDocument,
      asText: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      sensitive: fc.boolean(),
    }),
  run: (input, seeds) => afterLoad(planPolicyOf(input, seeds), { chunks: [1 << 20], whole: true }, seeds),
  reproduce: (input, seeds) => [{ name: 'plan.json', content: planPolicyOf(input, seeds) }],
};

function planPolicyOf(input: PlanPolicyInput, seeds: Seeds): Buffer {
  const plan = structuredClone(seeds.kmsPlans[input.plan % seeds.kmsPlans.length]!.json) as { resource_changes: { change: Record<string, Record<string, unknown>> }[] };
  const slots = policySlots(plan);
  const slot = slots[input.slot % Math.max(slots.length, 1)];
  if (slot) {
    const change = plan.resource_changes[slot.change]!.change;
    change['after']![slot.attribute] = input.asText ? JSON.stringify(input.document) : input.document;
    if (input.sensitive) change['after_sensitive'] = { ...(change['after_sensitive'] ?? {}), [slot.attribute]: true };
  }
  return Buffer.from(JSON.stringify(plan), 'utf8');
}

export interface Plant {
  change: number;
  leaf: number;
  side: 'after' | 'before';
}

export interface PlanSecretsInput {
  plan: number;
  plants: Plant[];
}

const CANARY = 'KMSGATECANARY';
/** Canary accounts: twelve digits no seed holds, for the places a policy needs an account id. */
const CANARY_ACCOUNT = '86421357908';

/** Terraform words whose values are grammar, not data: a secret is never planted there. */
const GRAMMAR_KEYS = new Set(['Version', 'Effect', 'Action', 'NotAction']);

interface Leaf {
  path: (string | number)[];
  /** For a leaf inside a JSON document held in a string: the path inside the document. */
  inner?: (string | number)[];
  value: string;
}

function leavesOf(value: unknown, path: (string | number)[], into: Leaf[]): void {
  if (typeof value === 'string') {
    into.push({ path, value });
    if (/^\s*[{[]/.test(value)) {
      try {
        innerLeaves(JSON.parse(value), [], (inner, leaf) => into.push({ path, inner, value: leaf }));
      } catch {
        // not JSON: the string is a leaf of its own
      }
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => leavesOf(v, [...path, i], into));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) leavesOf(v, [...path, k], into);
}

function innerLeaves(value: unknown, path: (string | number)[], found: (path: (string | number)[], leaf: string) => void): void {
  if (typeof value === 'string') found(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => innerLeaves(v, [...path, i], found));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (!GRAMMAR_KEYS.has(k)) innerLeaves(v, [...path, k], found);
  }
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const list: unknown[] = Array.isArray(root) ? [...(root as unknown[])] : [];
    for (let i = list.length; i < head; i += 1) list.push(false);
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const object: Record<string, unknown> = typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  // defineProperty: a planted key named __proto__ must stay data, as JSON.parse makes it.
  Object.defineProperty(object, head, { value: setAt(object[head], rest, value), enumerable: true, writable: true, configurable: true });
  return object;
}

/** A canary that still reads as what it replaces: an ARN stays an ARN, an account an account. */
function canaryFor(original: string, k: number): string {
  if (/^[0-9]{12}$/.test(original)) return `${CANARY_ACCOUNT}${k % 10}`;
  if (/^arn:[^:]*:iam::[0-9]{12}:root$/.test(original)) return `arn:aws:iam::${CANARY_ACCOUNT}${k % 10}:root`;
  if (/^arn:/.test(original)) return `${original.split('/')[0]?.replace(/:[0-9]{12}:/, `:${CANARY_ACCOUNT}${k % 10}:`)}/${CANARY}${k}X`;
  return `${CANARY}${k}X`;
}

/** Canaries planted where Terraform marks values sensitive, in real plans: no report may show one. */
export const planSecrets: Target<PlanSecretsInput> = {
  name: 'plan-secrets',
  arbitrary: (seeds) =>
    fc.record({
      plan: fc.nat({ max: seeds.kmsPlans.length - 1 }),
      plants: fc.array(fc.record({ change: fc.nat(), leaf: fc.nat(), side: fc.constantFrom('after' as const, 'after' as const, 'before' as const) }), { minLength: 1, maxLength: 6 }),
    }),
  run: (input, seeds) => {
    const { bytes, canaries } = plantedPlan(input, seeds);
    const loaded = load(bytes, { chunks: [1 << 20], whole: true });
    if (!('value' in loaded)) return;
    const outputs = pipeline([loaded.value], { policies: seeds.builtIn, config: EMPTY_CONFIG, files: [FILE] });
    for (const output of outputs) {
      for (const canary of canaries) {
        const at = output.indexOf(canary);
        invariant(at < 0, `a sensitive value reached a report: ${JSON.stringify(output.slice(Math.max(0, at - 200), at + 100))}`);
      }
      invariant(!output.includes(CANARY.slice(0, 8)), `part of a sensitive value reached a report: ${JSON.stringify(output.slice(Math.max(0, output.indexOf(CANARY.slice(0, 8)) - 200), output.indexOf(CANARY.slice(0, 8)) + 50))}`);
    }
    checkPrototypes();
  },
  reproduce: (input, seeds) => [{ name: 'plan.json', content: plantedPlan(input, seeds).bytes }],
};

function plantedPlan(input: PlanSecretsInput, seeds: Seeds): { bytes: Buffer; canaries: string[] } {
  const plan = structuredClone(seeds.kmsPlans[input.plan % seeds.kmsPlans.length]!.json) as { resource_changes?: { change: Record<string, unknown> }[] };
  const changes = plan.resource_changes ?? [];
  const canaries: string[] = [];
  input.plants.forEach((plant, k) => {
    const entry = changes[plant.change % Math.max(changes.length, 1)];
    if (!entry) return;
    const leaves: Leaf[] = [];
    leavesOf(entry.change[plant.side], [], leaves);
    const leaf = leaves[plant.leaf % Math.max(leaves.length, 1)];
    if (!leaf) return;
    const canary = canaryFor(leaf.value, k);
    canaries.push(canary);
    let replacement: unknown = canary;
    if (leaf.inner) {
      const holder = JSON.parse(String(pathValue(entry.change[plant.side], leaf.path))) as unknown;
      replacement = JSON.stringify(setAt(holder, leaf.inner, canary));
    }
    entry.change[plant.side] = setAt(entry.change[plant.side], leaf.path, replacement);
    const mask = `${plant.side}_sensitive`;
    entry.change[mask] = entry.change[mask] === true ? true : setAt(entry.change[mask], leaf.path, true);
  });
  return { bytes: Buffer.from(JSON.stringify(plan), 'utf8'), canaries };
}

function pathValue(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const step of path) node = (node as Record<string | number, unknown> | undefined)?.[step];
  return node;
}

export interface PolicyDocumentInput {
  document: unknown;
  kind: PolicyKind;
}

/** The policy-document parser alone, on generated documents, JSON values and mutated real ones. */
export const policyDocumentTarget: Target<PolicyDocumentInput> = {
  name: 'policy-document',
  arbitrary: (seeds) =>
    fc.record({
      document: fc.oneof(
        { weight: 4, arbitrary: policyDocument },
        { weight: 2, arbitrary: policyDocument.map((d) => JSON.stringify(d)) },
        { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...seeds.policyDocuments), fc.array(jsonEdit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => serialize(JSON.parse(text), edits, '')) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...seeds.policyDocuments), fc.nat()).map(([text, n]) => text.slice(0, n % (text.length + 1))) },
        { weight: 1, arbitrary: fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' })) },
      ),
      kind: fc.constantFrom(...POLICY_KINDS),
    }),
  run: (input) => {
    let result: ReturnType<typeof parsePolicy>;
    try {
      result = parsePolicy(input.document, input.kind);
    } catch (error) {
      throw new Error(`parsePolicy threw: ${(error as Error).stack ?? String(error)}`);
    }
    invariant(Array.isArray(result.diagnostics), 'no diagnostics array');
    invariant(result.valid === !result.diagnostics.some((d) => d.severity === 'error'), 'valid disagrees with the diagnostics');
    invariant(!result.valid || result.document !== null, 'valid without a document');
    for (const d of result.diagnostics) {
      invariant(typeof d.message === 'string' && d.message.length > 0 && typeof d.path === 'string' && d.path.startsWith('$'), `a diagnostic without message or path: ${JSON.stringify(d)}`);
    }
    invariant(JSON.stringify(parsePolicy(structuredClone(input.document), input.kind)) === JSON.stringify(result), 'parsing the same document twice disagrees');
    checkPrototypes();
  },
  reproduce: (input) => [{ name: `${input.kind}-policy.json`, content: typeof input.document === 'string' ? input.document : JSON.stringify(input.document) }],
};

export interface PolicyFileInput {
  policy: number;
  edits: YamlEdit[];
  plan: number;
}

/** Mutated policy files from a hostile policy folder: loaded, and when accepted, run over a real plan. */
export const policyFile: Target<PolicyFileInput> = {
  name: 'policy-file',
  arbitrary: (seeds) =>
    fc.record({ policy: fc.nat({ max: seeds.policyFiles.length - 1 }), edits: fc.array(yamlEdit, { minLength: 1, maxLength: 3 }), plan: fc.nat({ max: seeds.kmsDocuments.length - 1 }) }),
  run: (input, seeds) => {
    const { file, text } = policyFileOf(input, seeds);
    const loaded = outcome(() => loadPolicies([{ file, text, builtIn: false }]), [file]);
    checkPrototypes();
    invariant('value' in loaded, 'loadPolicies threw instead of returning its errors');
    const { policies, errors } = loaded.value;
    if (errors.length > 0) {
      checkUserErrors(errors, [file]);
      invariant(policies.length === 0, 'a policy with errors was loaded');
      return;
    }
    // The same file read for fixtures: its schema differs, but it must not throw either.
    const fixtures = outcome(() => parseFixtures(file, text), [file]);
    invariant('value' in fixtures, 'parseFixtures threw');
    if ('errors' in fixtures.value) checkUserErrors(fixtures.value.errors, [file]);
    const plan = seeds.kmsDocuments[input.plan % seeds.kmsDocuments.length]!;
    pipeline([plan], { policies, config: EMPTY_CONFIG, files: [plan.file] });
    checkPrototypes();
  },
  reproduce: (input, seeds) => {
    const { file, text } = policyFileOf(input, seeds);
    return [{ name: file.split('/').pop() ?? 'policy.yaml', content: text }];
  },
};

function policyFileOf(input: PolicyFileInput, seeds: Seeds): { file: string; text: string } {
  const seed = seeds.policyFiles[input.policy % seeds.policyFiles.length]!;
  return { file: seed.file, text: applyYaml(seed.text, input.edits) };
}

export interface ConfigInput {
  config: number;
  edits: YamlEdit[];
  plan: number;
}

/** Mutated config files: parsed and checked against the pack, and when accepted, used for a check. */
export const configFile: Target<ConfigInput> = {
  name: 'config',
  arbitrary: (seeds) =>
    fc.record({ config: fc.nat({ max: seeds.configs.length - 1 }), edits: fc.array(yamlEdit, { minLength: 1, maxLength: 3 }), plan: fc.nat({ max: seeds.kmsDocuments.length - 1 }) }),
  run: (input, seeds) => {
    const { file, text } = configOf(input, seeds);
    const parsed = outcome(() => parseConfig(file, text), [file]);
    checkPrototypes();
    invariant('value' in parsed, 'parseConfig threw instead of returning its errors');
    if ('errors' in parsed.value) {
      checkUserErrors(parsed.value.errors, [file]);
      return;
    }
    const config = parsed.value.config;
    const checked = outcome(() => checkConfig(config, seeds.builtIn), [file]);
    invariant('value' in checked, 'checkConfig threw instead of returning its errors');
    if (checked.value.length > 0) {
      checkUserErrors(checked.value, [file]);
      return;
    }
    const plan = seeds.kmsDocuments[input.plan % seeds.kmsDocuments.length]!;
    pipeline([plan], { policies: seeds.builtIn, config, files: [plan.file, file] });
    checkPrototypes();
  },
  reproduce: (input, seeds) => [{ name: 'kmsgate.yml', content: configOf(input, seeds).text }],
};

function configOf(input: ConfigInput, seeds: Seeds): { file: string; text: string } {
  const seed = seeds.configs[input.config % seeds.configs.length]!;
  return { file: seed.file, text: applyYaml(seed.text, input.edits) };
}

/** The quick run and the long run iterate over the same list. */
export const TARGETS: readonly Target<unknown>[] = [planBytes, planJson, planPolicy, planSecrets, policyDocumentTarget, policyFile, configFile];
