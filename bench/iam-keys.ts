// Bench child: the IAM analysis of many keys, alone. Reads the key policies the bench wrote (one per
// key, with the key's ARN, account and usage), computes `keyPolicyFacts` for each, parsing included,
// and prints one JSON line: the time for all of them (wall, and this process's CPU time, which a
// machine shared with other work inflates less) and a digest of the answers.
//
//   node build/bench/iam-keys.mjs KEYS.json

import { readFileSync, writeSync } from 'node:fs';
import { keyPolicyFacts } from '../src/iam';

interface KeyInput {
  policy: string;
  keyArn: string;
  keyAccount: string;
  keyUsage: string;
  organizationId: string;
}

function main(path: string): void {
  const keys = JSON.parse(readFileSync(path, 'utf8')) as KeyInput[];
  const cpu = process.cpuUsage();
  const start = performance.now();
  let principals = 0;
  let undecidable = 0;
  for (const key of keys) {
    const { policy, ...context } = key;
    const facts = keyPolicyFacts(policy, context);
    principals += facts.principals.length;
    if (facts.undecidable) undecidable += 1;
  }
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const line = { keys: keys.length, ms, cpuMs: (user + system) / 1000, principals, undecidable, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  writeSync(1, `${JSON.stringify(line)}\n`);
}

const path = process.argv[2];
if (path === undefined) throw new Error('usage: iam-keys KEYS.json');
main(path);
