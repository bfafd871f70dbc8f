// The long fuzz run: the targets of test/fuzz/targets.ts, many more cases than `npm test` runs, in
// worker threads watched for hangs and memory exhaustion. Every failing case is written to the out
// folder (input.json and the files it produces) and can be replayed alone with --replay.
//
//   node scripts/fuzz-long.mjs [COUNT] [--seed N] [--targets a,b] [--timeout SECONDS] [--workers N]
//                              [--memory MB] [--out DIR]
//   node scripts/fuzz-long.mjs --replay TARGET:SEED   (runs one case in this process, writes its files)
//
// COUNT (default 100000) is shared among the targets by weight; exit code 1 when anything failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-node.mjs';

const root = resolve(import.meta.dirname, '..');

/** Relative effort per target: the cheap parser gets many cases, the whole pipeline fewer. */
const WEIGHTS = { 'plan-bytes': 2, 'plan-json': 3, 'plan-policy': 3, 'plan-secrets': 1, 'policy-document': 6, 'policy-file': 3, config: 2 };

function parseArgs(argv) {
  const options = { count: 100_000, seed: 1, targets: Object.keys(WEIGHTS), timeout: 30, workers: Math.max(1, availableParallelism()), memory: 3072, out: resolve(root, 'build/fuzz-failures') };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      i += 1;
      if (argv[i] === undefined) throw new Error(`${arg} needs a value`);
      return argv[i];
    };
    if (arg === '--seed') options.seed = Number(value());
    else if (arg === '--targets') options.targets = value().split(',');
    else if (arg === '--timeout') options.timeout = Number(value());
    else if (arg === '--workers') options.workers = Number(value());
    else if (arg === '--memory') options.memory = Number(value());
    else if (arg === '--out') options.out = resolve(value());
    else if (arg === '--replay') options.replay = value();
    else if (/^[0-9]+$/.test(arg)) options.count = Number(arg);
    else throw new Error(`unknown argument ${arg}; see the comment at the top of scripts/fuzz-long.mjs`);
  }
  for (const t of options.targets) if (!(t in WEIGHTS)) throw new Error(`no target ${t}; targets: ${Object.keys(WEIGHTS).join(', ')}`);
  return options;
}

/**
 * Bundles the worker into the out folder: each new worker loads this file, so a replay or a second run
 * with another out folder never swaps the code under a run that is still going.
 */
async function bundle(out) {
  const outfile = resolve(out, 'long.mjs');
  await build({
    entryPoints: [resolve(root, 'test/fuzz/long.ts')],
    outfile,
    ...nodeBundle,
  });
  return outfile;
}

/** Splits COUNT by weight into [from, to) ranges, one per target and worker slot. */
function plan(options) {
  const total = options.targets.reduce((sum, t) => sum + WEIGHTS[t], 0);
  const jobs = [];
  for (const target of options.targets) {
    const count = Math.max(1, Math.round((options.count * WEIGHTS[target]) / total));
    const parts = Math.max(1, Math.min(options.workers, Math.ceil(count / 500)));
    for (let p = 0; p < parts; p += 1) {
      jobs.push({ target, from: Math.floor((count * p) / parts), to: Math.floor((count * (p + 1)) / parts) });
    }
  }
  return jobs;
}

function runJob(entry, options, job, report) {
  return new Promise((done) => {
    let index = job.from;
    let last = Date.now();
    const start = (from) => {
      const worker = new Worker(new URL(entry), {
        workerData: { root, target: job.target, seed: options.seed, from, to: job.to, out: options.out },
        resourceLimits: { maxOldGenerationSizeMb: options.memory },
      });
      let ready = false;
      let finished = false;
      const watchdog = setInterval(() => {
        if (ready && Date.now() - last > options.timeout * 1000) {
          finished = true;
          clearInterval(watchdog);
          report.failure(job.target, index, `hang: the case ran longer than ${options.timeout}s`);
          void worker.terminate().then(() => (index + 1 < job.to ? start(index + 1) : done()));
        }
      }, 1000);
      worker.on('message', (message) => {
        last = Date.now();
        if (message.type === 'ready') ready = true;
        else if (message.type === 'start') {
          index = message.index;
          report.ran(job.target);
        } else if (message.type === 'failure') report.failure(job.target, message.index, message.message, message.files);
        else if (message.type === 'done') {
          finished = true;
          clearInterval(watchdog);
          void worker.terminate().then(done);
        }
      });
      worker.on('error', (error) => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        const what = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `memory: the case needed more than ${options.memory} MB` : `worker error: ${error.message}`;
        report.failure(job.target, index, what);
        if (index + 1 < job.to) start(index + 1);
        else done();
      });
      worker.on('exit', () => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        report.failure(job.target, index, 'the worker exited in the middle of a case');
        if (index + 1 < job.to) start(index + 1);
        else done();
      });
    };
    start(job.from);
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const entry = pathToFileURL(await bundle(options.out)).href;
  const long = await import(entry);
  if (options.replay) {
    const [target, seed] = options.replay.split(':');
    const job = { root, target, seed: Number(seed), out: options.out };
    const files = long.writeCase(job, 0);
    const failure = long.runCase(job, 0);
    process.stdout.write(`${files.join('\n')}\n${failure ?? 'every invariant holds'}\n`);
    process.exitCode = failure ? 1 : 0;
    return;
  }
  mkdirSync(options.out, { recursive: true });
  const ran = {};
  const failures = [];
  const began = Date.now();
  const report = {
    ran: (target) => {
      ran[target] = (ran[target] ?? 0) + 1;
    },
    failure: (target, index, message, files) => {
      // A case that hung or killed its worker is not rebuilt here: that could block this thread too.
      // --replay writes its files before running it.
      failures.push({ target, seed: options.seed + index, message, files: files ?? [] });
      process.stderr.write(`\n✗ ${target} case seed ${options.seed + index}: ${message.split('\n')[0].slice(0, 300)}\n  replay: node scripts/fuzz-long.mjs --replay ${target}:${options.seed + index}\n`);
    },
  };
  const progress = setInterval(() => {
    const total = Object.values(ran).reduce((a, b) => a + b, 0);
    process.stderr.write(`\r${total} cases, ${failures.length} failures, ${Math.round((Date.now() - began) / 1000)}s`);
  }, 5000);
  const queue = plan(options);
  const lanes = Array.from({ length: options.workers }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await runJob(entry, options, job, report);
  });
  await Promise.all(lanes);
  clearInterval(progress);
  const seconds = (Date.now() - began) / 1000;
  const total = Object.values(ran).reduce((a, b) => a + b, 0);
  const groups = new Map();
  for (const f of failures) {
    const key = `${f.target}: ${f.message.split('\n')[0].replace(/[0-9]+/g, 'N').slice(0, 160)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lines = [
    `kmsgate fuzz: ${total} cases in ${seconds.toFixed(0)}s (seed ${options.seed}, ${options.workers} workers)`,
    ...Object.entries(ran).map(([t, n]) => `  ${t}: ${n}`),
    failures.length === 0 ? 'no failures' : `${failures.length} failures in ${groups.size} kinds:`,
    ...[...groups].map(([key, list]) => `  ${list.length} × ${key}\n    first: --replay ${list[0].target}:${list[0].seed}`),
  ];
  const summary = `${lines.join('\n')}\n`;
  writeFileSync(resolve(options.out, 'summary.txt'), summary);
  process.stdout.write(`\n${summary}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
