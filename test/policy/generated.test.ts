import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../../src/version';

const ROOT = join(import.meta.dirname, '../..');

describe('generated and duplicated facts stay in step', () => {
  it('src/policy/validators.generated.js matches the schemas (regenerate: node scripts/gen-validators.mjs)', async () => {
    // @ts-expect-error: a plain .mjs build script without types
    const { generate, OUTPUT } = (await import('../../scripts/gen-validators.mjs')) as { generate: () => Promise<string>; OUTPUT: string };
    const previous = process.cwd();
    process.chdir(ROOT);
    try {
      expect(readFileSync(join(ROOT, OUTPUT), 'utf8')).toBe(await generate());
    } finally {
      process.chdir(previous);
    }
  });

  it('the version the program reports is package.json’s', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; name: string };
    expect(TOOL.version).toBe(pkg.version);
    expect(TOOL.name).toBe(pkg.name);
  });
});
