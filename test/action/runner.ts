// Runs the committed action bundle the way the GitHub runner does, without Docker: a checkout of the
// action (dist/, policies/, package.json and nothing else, so no node_modules to lean on), a workspace
// with the plans, INPUT_<NAME> variables (upper-cased, dashes kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, and the workspace as the current folder.

import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `policies/fixtures/<name>/plan.json` that exist today (other developers keep adding them). */
export function fixturePlans(): string[] {
  const dir = join(ROOT, 'policies/fixtures');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name, 'plan.json'))
    .filter((path) => {
      try {
        return readFileSync(path).length > 0;
      } catch {
        return false;
      }
    })
    .sort();
}

/** A copy of the action as `uses: kmsgate/kmsgate@…` checks it out. */
export function actionCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmsgate-action-'));
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(ROOT, 'action.yml'), join(dir, 'action.yml'));
  mkdirSync(join(dir, 'policies'));
  for (const name of readdirSync(join(ROOT, 'policies'))) {
    if (/\.ya?ml$/.test(name)) copyFileSync(join(ROOT, 'policies', name), join(dir, 'policies', name));
  }
  return dir;
}

/** A fresh workspace; `files` maps workspace paths to contents or to a file to copy. */
export function workspace(files: Record<string, string | { copy: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmsgate-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof content === 'string') writeFileSync(join(dir, path), content);
    else copyFileSync(content.copy, join(dir, path));
  }
  return dir;
}

export interface Annotation {
  level: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout with the report block (between ::stop-commands:: and its token) cut out. */
  commands: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
}

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string): string => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core appends them to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

export function parseAnnotations(commands: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const match of commands.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').filter((p) => p !== '')) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
    }
    annotations.push({ level: match[1]!, properties, message: unescapeData(match[3]!) });
  }
  return annotations;
}

function withoutReport(stdout: string): string {
  return stdout.replace(/^::stop-commands::(\S+)\n[\s\S]*?^::\1::\n/gm, '');
}

export function runAction(checkout: string, ws: string, inputs: Record<string, string>, env: Record<string, string> = {}): ActionRun {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'kmsgate-runner-'));
  const outputFile = join(runnerTemp, 'output');
  const summaryFile = join(runnerTemp, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // A clean environment: a CI run of these tests must not leak its own INPUT_* or GITHUB_* values.
  const childEnv: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: runnerTemp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...env,
  };
  const child = spawnSync(process.execPath, [join(checkout, 'dist/index.mjs')], { cwd: ws, env: childEnv, encoding: 'utf8' });
  const commands = withoutReport(child.stdout);
  const run = {
    exitCode: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    commands,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    annotations: parseAnnotations(commands),
  };
  rmSync(runnerTemp, { recursive: true, force: true });
  return run;
}

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from this checkout, for the reference results the action must reproduce. */
export function runCli(cwd: string, args: readonly string[]): CliRun {
  const child = spawnSync(process.execPath, [join(ROOT, 'bin/kmsgate.mjs'), ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { exitCode: child.status, stdout: child.stdout, stderr: child.stderr };
}
