// Where the time of one `kmsgate check` goes: builds the CLI unminified (so each function keeps its
// name and its source file), runs the check on a generated plan under V8's sampling profiler, and
// prints the time by source file, the costliest functions, and the inclusive time of each stage.
//
//   node bench/profile.mjs [MB]         a generated plan of that size (default 100), seed 1
//   node bench/profile.mjs PLAN.json    any plan
//
// The .cpuprofile is kept next to the plan; open it in Chrome DevTools for the call tree.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { embedBuiltinPolicies } from '../scripts/embed-builtin-policies.mjs';
import { nodeBundle } from '../scripts/esbuild-node.mjs';
import { generatePlan, unitsFor, GENERATOR_VERSION } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'build', 'bench', 'kmsgate-profile.mjs');

/** The stage entry points whose inclusive time is printed, in pipeline order. */
const STAGES = ['loadPlanFile', 'buildModel', 'relate', 'recover', 'analyze', 'evaluatePolicy', 'renderSarif'];

async function bundle() {
  // The shipped bundle's sources and embedded pack, in one file and not minified.
  await build({ entryPoints: [join(ROOT, 'src', 'cli', 'entry.ts')], outfile: BUNDLE, ...nodeBundle, plugins: [embedBuiltinPolicies] });
}

function plan(argument) {
  if (argument !== undefined && !/^\d+$/.test(argument)) return resolve(argument);
  const mb = Number(argument ?? 100);
  const dir = process.env.BENCH_DIR ?? join(tmpdir(), 'kmsgate-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `plan-g${GENERATOR_VERSION}-s1-${mb}mb.json`);
  if (!existsSync(path)) generatePlan({ path, seed: 1, units: unitsFor(mb * 1e6, 1) });
  return path;
}

/** Source file of each line of the unminified bundle, from the `// src/…` comments esbuild writes. */
function sourceFiles() {
  const marks = [];
  readFileSync(BUNDLE, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const match = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
      if (match) marks.push([i, match[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, 'node_modules/$1')]);
    });
  return (line) => {
    let found = '(bundle)';
    for (const [start, file] of marks) {
      if (start > line) break;
      found = file;
    }
    return found;
  };
}

function summarise(profile) {
  const fileOf = sourceFiles();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFile = new Map();
  const byFunction = new Map();
  const stages = new Map(STAGES.map((name) => [name, 0]));
  let total = 0;
  for (const [id, micros] of self) {
    total += micros;
    const frame = nodes.get(id).callFrame;
    const file = frame.url.endsWith('kmsgate-profile.mjs') ? fileOf(frame.lineNumber) : frame.url || `(${frame.functionName || 'native'})`;
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'}  ${file}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const counted = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const fn = nodes.get(at).callFrame.functionName;
      if (stages.has(fn) && !counted.has(fn)) {
        counted.add(fn);
        stages.set(fn, stages.get(fn) + micros);
      }
    }
  }
  const line = (name, micros) => `${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`;
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, micros]) => line(name, micros));
  return [
    `sampled ${(total / 1000).toFixed(0)} ms`,
    '',
    'stages (inclusive):',
    ...[...stages].map(([name, micros]) => line(name, micros)),
    '',
    'by source file (self):',
    ...top(byFile, 20),
    '',
    'functions (self):',
    ...top(byFunction, 30),
  ].join('\n');
}

async function main() {
  const path = plan(process.argv[2]);
  await bundle();
  const dir = join(path, '..', 'profile');
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`profiling kmsgate check ${path}\n`);
  const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, BUNDLE, 'check', path, '--format', `sarif=${join(dir, 'check.sarif')}`], { cwd: dir.replace(/profile$/, ''), stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0 && run.status !== 1) throw new Error(`kmsgate check exited ${run.status}`);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  process.stdout.write(`${summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')))}\nprofile: ${join(dir, file)}\n`);
}

await main();
