// Shared by the security tests: temporary folders, copies of real fixture plans, a valid user policy
// to start hostile variations from, and the CLI run as a user would run it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { kmsgate, ROOT, type Run } from '../cli/run';

export { kmsgate, ROOT, type Run };

/** A fresh folder under the system temp folder, removed after the file's tests. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kmsgate-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Plan = { [key: string]: Json } & { resource_changes: { address: string; type: string; change: Record<string, Json> }[] };

/** A real `terraform show -json` fixture, parsed, to edit in a test. */
export function fixturePlan(name: string, file = 'plan.json'): Plan {
  return JSON.parse(readFileSync(join(ROOT, 'policies/fixtures', name, file), 'utf8')) as Plan;
}

export function change(plan: Plan, address: string): Record<string, Json> {
  const entry = plan.resource_changes.find((r) => r.address === address);
  if (!entry) throw new Error(`no ${address} in the fixture`);
  return entry.change;
}

export function write(dir: string, name: string, content: string | Buffer | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return path;
}

/** A valid user policy; `extra` is YAML appended at the top level (later keys are errors if repeated). */
export function userPolicy(id: string, body = 'require: { path: $.values.enable_key_rotation, equals: true, default: false }'): string {
  return [
    `id: ${id}`,
    'title: A user policy',
    'severity: high',
    'resources: [aws_kms_key]',
    'description: A user policy for the tests.',
    'remediation: Fix it.',
    'references: []',
    body,
    'message: "{{address}} fails"',
    '',
  ].join('\n');
}

/** Exit 2, nothing on standard output, and every line of standard error an error naming `file`. */
export function expectRejected(run: Run, file: string): string[] {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  const problems: string[] = [];
  if (run.code !== 2) problems.push(`exit ${String(run.code)}, not 2`);
  if (run.stdout !== '') problems.push(`standard output: ${run.stdout.slice(0, 200)}`);
  if (lines.length === 0) problems.push('no message');
  for (const line of lines) if (!line.startsWith(`kmsgate: error: ${file}`)) problems.push(`a line that does not name ${file}: ${line}`);
  if (problems.length > 0) throw new Error(`${problems.join('; ')}\nstderr: ${run.stderr.slice(0, 1000)}`);
  return lines;
}

/** Milliseconds a step took. */
export function timed<T>(step: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = step();
  return { value, ms: performance.now() - start };
}
