// File access for the shell: policy folders, config files, plan files. Folders and files named by
// the user may come from an untrusted pull request, so links that leave a folder and oversized files
// are refused rather than followed.

import { isUtf8, type Buffer } from 'node:buffer';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors';
import type { PolicySource } from '../policy/load';
import { MAX_FILE_BYTES } from '../policy/yaml';

/** The folder that holds `policies/` and `package.json`, wherever the bundle runs from. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'policies')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the built-in policies folder next to the kmsgate program');
}

export function builtInPoliciesDir(): string {
  return join(packageRoot(), 'policies');
}

/** Shows a path relative to the working directory, with forward slashes, for messages and reports. */
export function display(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, path));
  const shown = rel === '' ? '.' : rel.startsWith('..') ? resolve(cwd, path) : rel;
  return shown.split(sep).join('/');
}

/**
 * Reads a small text file (policy, config, fixture list). `within`: the folder the file must stay in
 * after following links, for files nobody named on the command line (a `.kmsgate.yml` found in the
 * working directory may be a link a pull request planted). Only regular files are read: a link to a
 * device or a pipe would never end.
 */
export function readSmallFile(path: string, within?: string): string {
  const shown = display(path);
  if (within !== undefined) insideFolder(within, path);
  let bytes: Buffer;
  try {
    // Checked before opening: opening a pipe for reading waits for a writer.
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UserError(shown, '', 'is a directory, not a file');
    if (!stat.isFile()) throw new UserError(shown, '', 'is not a regular file (a device, a pipe or a socket); name a file');
    if (stat.size > MAX_FILE_BYTES) throw new UserError(shown, '', `file is larger than ${MAX_FILE_BYTES} bytes`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(shown, '', `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new UserError(shown, '', `file is larger than ${MAX_FILE_BYTES} bytes`);
  if (!isUtf8(bytes)) throw new UserError(shown, '', 'is not UTF-8 text; save it as UTF-8');
  const text = bytes.toString('utf8');
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** A path inside `root` after following links, or an error when it leads outside. */
export function insideFolder(root: string, path: string): string {
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new UserError(display(path), '', 'does not exist');
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new UserError(display(path), '', `leads outside the folder ${display(root)} (through a link or ..); refusing to read it`);
  }
  return real;
}

export interface PolicyFolder {
  dir: string;
  builtIn: boolean;
  policies: PolicySource[];
  /** `<id>.test.yaml` files, by policy id. */
  tests: Map<string, string>;
}

/** Reads the `*.yaml` policies and `*.test.yaml` fixtures at the top of a folder. */
export function readPolicyFolder(dir: string, builtIn: boolean): PolicyFolder {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new UserError(display(dir), '', 'policy folder does not exist');
  }
  if (!stat.isDirectory()) throw new UserError(display(dir), '', 'is not a folder; --policies takes a folder of policy files');
  const policies: PolicySource[] = [];
  const tests = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) continue;
    const real = insideFolder(dir, path);
    if (/\.test\.ya?ml$/.test(name)) {
      tests.set(name.replace(/\.test\.ya?ml$/, ''), path);
      continue;
    }
    policies.push({ file: display(path), text: readSmallFile(real), builtIn });
  }
  return { dir, builtIn, policies, tests };
}
