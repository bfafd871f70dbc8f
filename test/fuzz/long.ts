// The long run's worker (bundled by scripts/fuzz-long.mjs): runs cases [from, to) of one target, each
// generated from its own seed (seed + index) so that any case can be replayed alone, and reports each
// case before running it, so the parent can name the case that hangs or exhausts memory.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { loadJsonSchema } from './invariants';
import { loadSeeds, type Seeds } from './seeds';
import { TARGETS, type Target } from './targets';

export interface Job {
  root: string;
  target: string;
  seed: number;
  from: number;
  to: number;
  out: string;
}

export type Message =
  | { type: 'ready' }
  | { type: 'start'; index: number }
  | { type: 'failure'; index: number; message: string; files: string[] }
  | { type: 'done' };

let seeds: Seeds | undefined;

function prepared(root: string): Seeds {
  if (!seeds) {
    seeds = loadSeeds(root);
    loadJsonSchema(root);
  }
  return seeds;
}

function targetNamed(name: string): Target<unknown> {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`no fuzz target '${name}'; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}

/** The input of case `index`: the same on every machine and every run. */
export function caseInput(target: Target<unknown>, all: Seeds, seed: number, index: number): unknown {
  return fc.sample(target.arbitrary(all), { seed: seed + index, numRuns: 1 })[0];
}

/** Writes what reproduces a case: the input as JSON and the files it produces. */
export function writeCase(job: Pick<Job, 'root' | 'target' | 'seed' | 'out'>, index: number): string[] {
  const all = prepared(job.root);
  const target = targetNamed(job.target);
  const input = caseInput(target, all, job.seed, index);
  const dir = join(job.out, `${job.target}-${job.seed + index}`);
  mkdirSync(dir, { recursive: true });
  const written = [join(dir, 'input.json')];
  writeFileSync(written[0]!, `${JSON.stringify(input, null, 2)}\n`);
  for (const file of target.reproduce(input, all)) {
    const path = join(dir, file.name);
    writeFileSync(path, file.content);
    written.push(path);
  }
  return written;
}

/** Runs one case in this thread: undefined when every invariant holds, else what failed. */
export function runCase(job: Pick<Job, 'root' | 'target' | 'seed'>, index: number): string | undefined {
  const all = prepared(job.root);
  const target = targetNamed(job.target);
  try {
    target.run(caseInput(target, all, job.seed, index), all);
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

if (parentPort && workerData) {
  const job = workerData as Job;
  const port = parentPort;
  const post = (message: Message) => port.postMessage(message);
  prepared(job.root);
  post({ type: 'ready' });
  for (let index = job.from; index < job.to; index += 1) {
    post({ type: 'start', index });
    const failure = runCase(job, index);
    if (failure !== undefined) post({ type: 'failure', index, message: failure, files: writeCase(job, index) });
  }
  post({ type: 'done' });
}
