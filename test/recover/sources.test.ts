// The shell's part (src/cli/sources.ts): which folder is the source, which files are read, and that
// links and module paths cannot lead the read outside the working directory or the source folder.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSources, sourceRoot } from '../../src/cli/sources';
import { UserError } from '../../src/errors';
import { recover } from '../../src/recover';
import { CASES, loadModel } from './support';

let base: string;
let work: string;

/** work/stack holds the locations fixture's root module and its local modules. */
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kmsgate-sources-'));
  work = join(base, 'work');
  const stack = join(work, 'stack');
  mkdirSync(stack, { recursive: true });
  for (const file of ['main.tf', 'windows.tf', 'plan.json']) cpSync(join(CASES, 'locations', file), join(stack, file));
  cpSync(join(CASES, 'locations', 'modules'), join(stack, 'modules'), { recursive: true });
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('sourceRoot', () => {
  it('defaults to the plan file folder when it holds *.tf, else the working directory', () => {
    expect(sourceRoot({ planFile: 'stack/plan.json', cwd: work })).toBe(join(work, 'stack'));
    writeFileSync(join(work, 'plan.json'), '{}');
    expect(sourceRoot({ planFile: 'plan.json', cwd: work })).toBeUndefined();
    writeFileSync(join(work, 'root.tf'), '');
    expect(sourceRoot({ planFile: 'plan.json', cwd: work })).toBe(work);
  });

  it('refuses a --source-dir that is not a Terraform folder', () => {
    expect(() => sourceRoot({ sourceDir: 'nope', planFile: 'p.json', cwd: work })).toThrow(UserError);
    mkdirSync(join(work, 'empty'));
    expect(() => sourceRoot({ sourceDir: 'empty', planFile: 'p.json', cwd: work })).toThrow(/holds no \*\.tf files/);
  });
});

describe('loadSources', () => {
  it('reads the root and local module folders, paths relative to the working directory', async () => {
    const model = loadModel('locations');
    const prepared = await loadSources(model, { planFile: 'stack/plan.json', cwd: work });
    expect(prepared?.rootDir).toBe('stack');
    const recovery = recover(model, prepared);
    expect(recovery.location('aws_kms_key.crlf')).toEqual({ path: 'stack/windows.tf', line: 1 });
    expect(recovery.location('module.local_key.module.nested.aws_kms_key.this')).toEqual({ path: 'stack/modules/nested/main.tf', line: 5 });
    expect(recovery.location('module.remote_key.aws_kms_key.this')).toEqual({ path: 'stack/main.tf', line: 64 });
  });

  it('works from inside the source folder too', async () => {
    const prepared = await loadSources(loadModel('locations'), { sourceDir: '.', planFile: 'plan.json', cwd: join(work, 'stack') });
    expect(recover(loadModel('locations'), prepared).location('aws_kms_key.root')).toEqual({ path: 'main.tf', line: 39 });
  });

  it('does not follow a link out of the working directory and the source folder', async () => {
    const outside = join(base, 'outside');
    cpSync(join(work, 'stack', 'modules', 'nested'), outside, { recursive: true });
    rmSync(join(work, 'stack', 'modules', 'nested'), { recursive: true });
    symlinkSync(outside, join(work, 'stack', 'modules', 'nested'));
    const model = loadModel('locations');
    const recovery = recover(model, await loadSources(model, { planFile: 'stack/plan.json', cwd: work }));
    // The module's own file is not read; its call in the parent is what is left to point at.
    expect(recovery.location('module.counted[0].aws_kms_key.this')).toEqual({ path: 'stack/main.tf', line: 69 });
  });

  it('strips a UTF-8 byte order mark', async () => {
    const path = join(work, 'stack', 'windows.tf');
    writeFileSync(path, `\ufeff${readFileSync(path, 'utf8')}`);
    const model = loadModel('locations');
    const recovery = recover(model, await loadSources(model, { planFile: 'stack/plan.json', cwd: work }));
    expect(recovery.location('aws_kms_key.crlf')).toEqual({ path: 'stack/windows.tf', line: 1 });
  });

  it('gives nothing when there is no source', async () => {
    expect(await loadSources(loadModel('locations'), { planFile: 'plan.json', cwd: base })).toBeUndefined();
  });
});
