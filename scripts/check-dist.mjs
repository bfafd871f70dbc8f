// CI check: dist/ (committed, what the action runs) must be exactly what the sources build today.
// Rebuilds into a temporary folder and compares file names and bytes; exit 1 lists what differs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAction } from './action-bundle.mjs';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const fresh = mkdtempSync(join(tmpdir(), 'kmsgate-dist-'));
/** Every file below `dir`, as paths relative to it. */
const list = (dir, prefix = '') => {
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? list(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
};

try {
  await bundleAction(fresh);
  const names = [...new Set([...list(dist), ...list(fresh)])].sort();
  const problems = names.flatMap((name) => {
    const committed = list(dist).includes(name) ? readFileSync(join(dist, name)) : undefined;
    const built = list(fresh).includes(name) ? readFileSync(join(fresh, name)) : undefined;
    if (committed === undefined) return [`dist/${name} is missing`];
    if (built === undefined) return [`dist/${name} is not produced by the build any more`];
    return committed.equals(built) ? [] : [`dist/${name} differs from a fresh build`];
  });
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`check-dist: ${problem}\n`);
    process.stderr.write('check-dist: dist/ is stale: run `npm run build` and commit dist/\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(`check-dist: dist/ matches a fresh build (${names.join(', ')})\n`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
