// Where each module of the configuration lives on disk: the root module in the source folder, a local
// module (`source = "./…"` or `"../…"`, relative to the folder of the module that calls it) in its own
// folder, a remote module (registry, git, http…) nowhere — it was downloaded into `.terraform`, which
// is not the code under review.
// https://developer.hashicorp.com/terraform/language/modules/sources#local-paths

import { posix } from 'node:path';
import type { ConfigModule } from '../model';

export interface ModuleDirectory {
  /** Call names from the root down; [] for the root module. */
  path: readonly string[];
  /** Folder relative to the working directory, POSIX separators; null when the module is remote. */
  dir: string | null;
  /** The `source` of its module call, '' for the root. */
  source: string;
}

export const isLocalSource = (source: string): boolean => source.startsWith('./') || source.startsWith('../');

/** Joins and normalises POSIX folder paths relative to the working directory (`.` for itself). */
export function joinDir(base: string, relative: string): string {
  const joined = posix.normalize(posix.join(base, relative));
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/** Every module of the configuration tree with its folder, parents before children. */
export function sourceDirectories(root: ConfigModule, rootDir: string): ModuleDirectory[] {
  const out: ModuleDirectory[] = [];
  const visit = (module: ConfigModule, dir: string | null, source: string) => {
    out.push({ path: module.path, dir, source });
    for (const call of [...module.calls.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const childDir = dir !== null && isLocalSource(call.source) ? joinDir(dir, call.source) : null;
      visit(call.module, childDir, call.source);
    }
  };
  visit(root, joinDir(rootDir, '.'), '');
  return out;
}

export const pathKey = (path: readonly string[]): string => path.join('\u0000');
