// Plan inputs are paths or globs. Node 20 has no `fs.globSync` (added in Node 22), and the bundle
// must not depend on the runner's Node version, so this is a small expansion with the usual rules:
// `*` and `?` match within one path segment, `**` matches any number of folders; names starting
// with `.` match only a segment that starts with `.` too; `**` does not follow links to folders (no
// cycles). Results are sorted so the run, and every report, is the same on every machine.

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import { globMatch } from '../glob';

const WILDCARD = /[*?]/;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name));
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const hidden = (name: string, segment: string): boolean => name.startsWith('.') && !segment.startsWith('.');

function walk(dir: string, segments: readonly string[], found: Set<string>): void {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if (isFile(dir)) found.add(dir);
    return;
  }
  if (head === '**') {
    walk(dir, rest, found);
    for (const entry of entries(dir)) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), segments, found);
    }
    return;
  }
  if (!WILDCARD.test(head)) {
    walk(join(dir, head), rest, found);
    return;
  }
  for (const entry of entries(dir)) {
    if (hidden(entry.name, head) || !globMatch(head, entry.name)) continue;
    const path = join(dir, entry.name);
    if (rest.length === 0 || isDirectory(path)) walk(path, rest, found);
  }
}

/** The segments of a pattern, `.` dropped and runs of `**` collapsed (they match the same paths). */
function segmentsOf(pattern: string): string[] {
  const segments: string[] = [];
  for (const segment of pattern.split(sep === '\\' ? /[\\/]/ : '/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '**' && segments[segments.length - 1] === '**') continue;
    segments.push(segment);
  }
  return segments;
}

/** A path as the reports show it: relative to `cwd` when inside it, with forward slashes. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/**
 * Expands plan patterns written relative to `base`. A pattern without wildcards is kept as written, even
 * when the file is missing, so that the CLI reports it with its usual message; a glob that matches no file
 * is an error rather than a silent pass.
 */
export function expandPlans(patterns: readonly string[], base: string, cwd: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const pattern of patterns) {
    const absolute = resolve(cwd, base, pattern);
    let paths: string[];
    if (!WILDCARD.test(pattern)) {
      paths = [absolute];
    } else {
      const drive = isAbsolute(pattern) ? parse(pattern).root : '';
      const root = drive !== '' ? drive : resolve(cwd, base);
      const found = new Set<string>();
      walk(root, segmentsOf(pattern.slice(drive.length)), found);
      paths = [...found].sort(compareText);
      if (paths.length === 0) {
        throw new UserError("input 'plan'", pattern, `matches no file under ${shown(root, cwd)}; check the path and that the plan step wrote it`);
      }
    }
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push(shown(path, cwd));
    }
  }
  return out;
}
