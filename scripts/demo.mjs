// `npm start`: the gate on the bundled example estate (testdata/example, real Terraform output). The
// example has findings on purpose, so exit code 1 is the expected outcome here and is explained.
import { spawnSync } from 'node:child_process';

const args = ['bin/kmsgate.mjs', 'check', 'testdata/example/plan.json', '--config', 'testdata/example/.kmsgate.yml', ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (run.status === 1) {
  process.stdout.write('\n(exit code 1: the example has findings at or above --fail-on high on purpose; see README.md)\n');
  process.exit(0);
}
process.exit(run.status ?? 3);
