// V8 tuning for `kmsgate check`, set from inside the process because a command cannot choose its own
// Node flags (the GitHub Action runs under the runner's `node`, the bin under whatever `node` is first
// on PATH). Measured on 100 MB plans in docs/performance.md.

import { setFlagsFromString } from 'node:v8';

let kept = false;

/**
 * Keeps the young generation at its starting size (1 MiB semi-spaces) instead of letting V8 grow it
 * to 16 MiB. What the check allocates is mostly the plan's model, which lives to the end of the run:
 * a large nursery only holds it a little longer before promoting it, and costs 30 MiB or more of peak
 * memory (1.7 × instead of 1.3 × a 100 MB plan) for 3–5 % of the run's time. V8 reads this flag each
 * time it would grow the space, so setting it after start-up takes effect; `--max-semi-space-size`
 * does not (the heap's limits are fixed when the isolate is made).
 */
export function keepYoungGenerationSmall(): void {
  if (kept) return;
  kept = true;
  setFlagsFromString('--semi-space-growth-factor=1');
}
