// IAM analysis of a realistic estate: parsePolicy + keyPolicyFacts for N keys built from a handful of
// templates (test/iam/workload.ts), every key with its own identifiers. One process: a warm-up on another
// estate (JIT), then several runs, each on a fresh estate (new seed: new policy texts) with the shape
// cache emptied first, as a new process would start. Prints per-phase totals, the per-key cost, how the
// facts were obtained, and the median over runs.
//   node bench/iam-facts.mjs [--keys 10000] [--runs 5] [--mode default|direct] [--src src/iam]
// `direct` analyses every policy from scratch (the analysis without any cache), for comparison.
// `--src` measures another copy of src/iam (say, a checkout of the previous commit) on the same estates.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const keys = Number(arg('keys', '10000'));
const runs = Number(arg('runs', '5'));
const mode = arg('mode', 'default');
const src = arg('src', 'src/iam');

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'kmsgate-iam-bench-'));
const outfile = join(dir, 'iam.mjs');
await build({
  stdin: {
    contents: [
      `export * as api from '${resolve(root, src)}/index';`,
      `export * as direct from '${resolve(root, src)}/facts/key-policy';`,
      // Present since the shape cache; absent in older copies of src/iam.
      existsSync(resolve(root, src, 'facts/shape-cache.ts')) ? `export * as shapes from '${resolve(root, src)}/facts/shape-cache';` : 'export const shapes = {};',
      "export { workload } from './test/iam/workload';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const bundle = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });
const iam = bundle.api;
const { clearShapeCache = () => {}, factsPath, shapeCount = () => NaN } = bundle.shapes;
const { directKeyPolicyFacts } = bundle.direct;

const facts = mode === 'direct' ? directKeyPolicyFacts : iam.keyPolicyFacts;
if (typeof facts !== 'function') throw new Error(`no facts function for mode ${mode}`);

/** Garbage-collection pauses, summed (entries arrive asynchronously: read them after a tick). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Parses every policy, then computes the facts of every key: wall and process CPU time per phase. */
async function once(estate) {
  const cpuMs = (c) => (c.user + c.system) / 1000;
  await tick();
  const gc0 = gcMs;
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  const docs = estate.map((k) => iam.parsePolicy(k.text, 'key').document);
  const parseMs = performance.now() - t0;
  const parseCpu = cpuMs(process.cpuUsage(c0));
  c0 = process.cpuUsage();
  t0 = performance.now();
  let principals = 0;
  for (let i = 0; i < estate.length; i++) principals += facts(docs[i], estate[i].ctx).principals.length;
  const factsMs = performance.now() - t0;
  const factsCpu = cpuMs(process.cpuUsage(c0));
  await tick();
  return { parseMs, factsMs, totalMs: parseMs + factsMs, parseCpu, factsCpu, cpuMs: parseCpu + factsCpu, gc: gcMs - gc0, shapes: shapeCount(), principals };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

await once(bundle.workload(2_000, 1_000));
const results = [];
for (let r = 0; r < runs; r++) {
  const estate = bundle.workload(keys, 2_000 + r);
  clearShapeCache();
  if (globalThis.gc) globalThis.gc();
  const res = await once(estate);
  results.push(res);
  console.log(`run ${r + 1}: wall parse ${res.parseMs.toFixed(0)} + facts ${res.factsMs.toFixed(0)} = ${res.totalMs.toFixed(0)} ms (${(res.totalMs / keys * 1000).toFixed(1)} µs/key) · CPU parse ${res.parseCpu.toFixed(0)} + facts ${res.factsCpu.toFixed(0)} = ${res.cpuMs.toFixed(0)} ms · GC pauses ${res.gc.toFixed(0)} ms · shapes analysed ${res.shapes} · principals ${res.principals}`);
}
if (factsPath) {
  const paths = new Map();
  for (const k of bundle.workload(keys, 2_000)) {
    const p = factsPath(iam.parsePolicy(k.text, 'key').document, k.ctx);
    paths.set(p, (paths.get(p) ?? 0) + 1);
  }
  console.log(`how the facts were obtained (estate of run 1): ${[...paths].map(([p, n]) => `${p} ${n}`).join(' · ')}`);
}
const total = median(results.map((r) => r.totalMs));
const parse = median(results.map((r) => r.parseMs));
const f = median(results.map((r) => r.factsMs));
const cpu = median(results.map((r) => r.cpuMs));
const parseCpu = median(results.map((r) => r.parseCpu));
const factsCpu = median(results.map((r) => r.factsCpu));
const load = loadavg()[0];
console.log(`${src} · mode ${mode} · ${keys} keys · median of ${runs}: parse ${parse.toFixed(0)} ms (${(parse / keys * 1000).toFixed(1)} µs/key) · facts ${f.toFixed(0)} ms (${(f / keys * 1000).toFixed(1)} µs/key) · total ${total.toFixed(0)} ms (${(total / keys * 1000).toFixed(1)} µs/key) · process CPU parse ${parseCpu.toFixed(0)} + facts ${factsCpu.toFixed(0)}, total ${cpu.toFixed(0)} ms · load average ${load.toFixed(1)}`);
