import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPlans } from '../../src/action/plans';
import { UserError } from '../../src/errors';

let ws = '';

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'kmsgate-globs-'));
  for (const path of [
    'plan.json',
    'infra/plan.json',
    'infra/b.json',
    'infra/a.json',
    'stacks/prod/plan.json',
    'stacks/dev/plan.json',
    'stacks/dev/nested/deep/plan.json',
    'stacks/.hidden/plan.json',
    '.terraform/plan.json',
    'stacks/prod/plan.json.bak',
  ]) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), '{}');
  }
  mkdirSync(join(ws, 'stacks/dir.json'));
  // A link back up the tree: `**` must not loop through it.
  symlinkSync(join(ws, 'stacks'), join(ws, 'stacks/dev/loop'));
});

afterAll(() => rmSync(ws, { recursive: true, force: true }));

const expand = (patterns: string[], base = '.') => expandPlans(patterns, base, ws);

describe('plan globs', () => {
  it('keeps a path without wildcards as written, even when it does not exist (the CLI reports it)', () => {
    expect(expand(['infra/plan.json', 'missing.json'])).toEqual(['infra/plan.json', 'missing.json']);
  });

  it('* and ? stay within a segment; results are sorted', () => {
    expect(expand(['infra/*.json'])).toEqual(['infra/a.json', 'infra/b.json', 'infra/plan.json']);
    expect(expand(['infra/?.json'])).toEqual(['infra/a.json', 'infra/b.json']);
    expect(expand(['*/plan.json'])).toEqual(['infra/plan.json']);
    expect(expand(['stacks/*/plan.json'])).toEqual(['stacks/dev/plan.json', 'stacks/prod/plan.json']);
  });

  it('** spans folders (zero or more), skips hidden ones and does not follow links', () => {
    expect(expand(['**/plan.json'])).toEqual([
      'infra/plan.json',
      'plan.json',
      'stacks/dev/nested/deep/plan.json',
      'stacks/dev/plan.json',
      'stacks/prod/plan.json',
    ]);
    expect(expand(['stacks/**/**/plan.json'])).toEqual(['stacks/dev/nested/deep/plan.json', 'stacks/dev/plan.json', 'stacks/prod/plan.json']);
  });

  it('matches hidden names only when the pattern names a dot, and only files', () => {
    expect(expand(['stacks/.*/plan.json'])).toEqual(['stacks/.hidden/plan.json']);
    expect(() => expand(['stacks/*.json'])).toThrow('matches no file');
  });

  it('resolves patterns against the working directory and shows paths relative to the workspace', () => {
    expect(expand(['*/plan.json'], 'stacks')).toEqual(['stacks/dev/plan.json', 'stacks/prod/plan.json']);
    expect(expand(['plan.json'], 'stacks/prod')).toEqual(['stacks/prod/plan.json']);
    expect(expand([join(ws, 'infra/?.json')])).toEqual(['infra/a.json', 'infra/b.json']);
  });

  it('removes duplicates, keeping the order of the patterns', () => {
    expect(expand(['stacks/prod/plan.json', 'stacks/*/plan.json', 'plan.json'])).toEqual([
      'stacks/prod/plan.json',
      'stacks/dev/plan.json',
      'plan.json',
    ]);
  });

  it('a glob that matches no file is an error naming the input', () => {
    expect(() => expand(['envs/*/plan.json'])).toThrow(UserError);
    expect(() => expand(['envs/*/plan.json'])).toThrow("input 'plan': envs/*/plan.json: matches no file under .;");
  });
});
