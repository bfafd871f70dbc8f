// Every built-in policy passes its valid/invalid/unknown fixtures through the real pipeline: the same
// runner as `kmsgate test policies`.
import { describe, expect, it } from 'vitest';
import { runTest } from '../../src/cli/policy-commands';

describe('built-in policy fixtures', () => {
  const result = runTest([], '2026-11-28');
  const blocks = result.output.split(/\n(?=[✓✗] )/);
  it.each(blocks.filter((b) => /^[✓✗] /.test(b)).map((b) => [b.split('\n')[0]!.slice(2).split(' ')[0]!, b]))('%s', (_id, block) => {
    expect(block.startsWith('✓'), block).toBe(true);
  });
  it('all pass', () => {
    expect(result.exitCode, result.output).toBe(0);
  });
});
