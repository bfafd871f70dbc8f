// Reads the Terraform source behind a plan for the recover stage: the `*.tf` files of the root module
// folder and of every local module folder the plan's `module_calls` name. The source may come from
// an untrusted pull request, so only folders inside the working directory or the source folder are
// read (links are followed and checked), only `*.tf` files, and only up to a size.

import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import type { Model } from '../model';
import { prepareSources, sourceDirectories, type PreparedSources, type SourceFile } from '../recover';

/** A `.tf` file larger than this is not Terraform anyone reviews; it is skipped. */
export const MAX_TF_BYTES = 4 * 1024 * 1024;
/** All the source read for one plan stays below this. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export interface SourceOptions {
  /** `--source-dir`, as given. */
  sourceDir?: string;
  /** The plan file as named on the command line. */
  planFile: string;
  cwd?: string;
}

const toPosix = (path: string): string => path.split(sep).join('/');

function tfFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.tf'))
      .sort();
  } catch {
    return [];
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The root module folder: `--source-dir`, else the plan's folder or the working directory when it holds `*.tf`. */
export function sourceRoot(options: SourceOptions): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  if (options.sourceDir !== undefined) {
    const dir = resolve(cwd, options.sourceDir);
    if (!isFolder(dir)) {
      throw new UserError(options.sourceDir, '', 'is not a folder; --source-dir takes the folder of the Terraform configuration the plan was made from');
    }
    if (tfFiles(dir).length === 0) {
      throw new UserError(options.sourceDir, '', 'holds no *.tf files; --source-dir takes the folder of the root module the plan was made from');
    }
    return dir;
  }
  const planDir = dirname(resolve(cwd, options.planFile));
  if (tfFiles(planDir).length > 0) return planDir;
  return tfFiles(cwd).length > 0 ? cwd : undefined;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads the source of one plan and prepares it (the only step that loads hcl2json, and only when a
 * policy is known only after apply). Undefined when no source folder applies.
 */
export async function loadSources(model: Model, options: SourceOptions): Promise<PreparedSources | undefined> {
  const cwd = options.cwd ?? process.cwd();
  const root = sourceRoot(options);
  if (root === undefined) return undefined;
  const allowed = [realpathSync(cwd), realpathSync(root)];
  const rootDir = toPosix(relative(cwd, root)) || '.';
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const { dir } of sourceDirectories(model.configuration, rootDir)) {
    if (dir === null || seen.has(dir)) continue;
    seen.add(dir);
    const absolute = resolve(cwd, dir);
    if (!isFolder(absolute)) continue;
    const real = realpathSync(absolute);
    if (!allowed.some((a) => inside(a, real))) continue;
    for (const name of tfFiles(absolute)) {
      const path = join(absolute, name);
      let size: number;
      let target: string;
      try {
        if (!lstatSync(path).isFile() && !statSync(path).isFile()) continue;
        target = realpathSync(path);
        size = statSync(target).size;
      } catch {
        continue;
      }
      if (!allowed.some((a) => inside(a, target)) || size > MAX_TF_BYTES || total + size > MAX_SOURCE_BYTES) continue;
      total += size;
      const text = readFileSync(target, 'utf8');
      files.push({ path: `${dir === '.' ? '' : `${dir}/`}${name}`, text: text.startsWith('\ufeff') ? text.slice(1) : text });
    }
  }
  return prepareSources(model, files, { rootDir });
}
