import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/finding';
import { GITHUB_STEP_SUMMARY_LIMIT, MIN_MARKDOWN_BYTES, render } from '../../src/report';
import { code, text } from '../../src/report/markdown';
import { REPORT } from './fixture';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Cells of a table row, split on the pipes GitHub splits on (not the escaped ones). */
const cells = (row: string): string[] => row.replace(/^\| | \|$/g, '').split(/(?<!\\)\|/);
const tables = (md: string): string[][] =>
  md
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line.startsWith('| ')))
    .filter((rows) => rows.length > 0);

function big(count: number): Report {
  const findings: Finding[] = Array.from({ length: count }, (_, i) => ({
    ruleId: 'key-rotation-enabled',
    severity: i % 3 === 0 ? 'critical' : 'high',
    status: 'fail',
    address: `module.kms["k${i}"].aws_kms_key.this["é|${i}"]`,
    file: 'stacks/prod/tfplan.json',
    message: `Key ${i}: enable_key_rotation is false <${'x'.repeat(60)}> | \`${i}\`.`,
    location: { path: 'modules/kms/main.tf', line: 12 },
  }));
  return { ...REPORT, findings };
}

describe('markdown', () => {
  it('has a title, a counts table, a table per severity and sections for unknowns, waivers and notices', () => {
    const md = render('markdown', REPORT);
    expect(md.startsWith('## kmsgate: ❌ gate failed\n')).toBe(true);
    for (const heading of ['### Critical (2)', '### High (5)', '### Medium (2)', '### Low (2)', '### Info (1)',
      '### Unknown at plan time (2)', '### Waived (2)', '### Waiver notices (2)']) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain('| critical | 2 | 0 | 0 |');
    expect(md).toContain('[`key-destroyed`](https://github.com/kmsgate/kmsgate/blob/main/docs/rules.md#key-destroyed)');
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('keeps every table row the width of its header, whatever the cells hold', () => {
    for (const rows of tables(render('markdown', REPORT))) {
      const width = cells(rows[0] ?? '').length;
      for (const row of rows) expect(cells(row)).toHaveLength(width);
    }
  });

  it('escapes pipes, angle brackets and backticks in cells', () => {
    const md = render('markdown', REPORT);
    expect(md).toContain('(\\`111122223333\\`) &lt;via statement "Cross\\|Account"&gt;.');
    expect(md).toContain('DR keys \\| "multi-Region" by design &lt;see ADR-7&gt;');
    expect(text('a|b<c>`d`&e *f* _g_ [h](i)')).toBe('a\\|b&lt;c&gt;\\`d\\`&amp;e \\*f\\* \\_g\\_ \\[h\\](i)');
    expect(code('aws_kms_key.k["a`b|c"]')).toBe('``aws_kms_key.k["a`b\\|c"]``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(text('line\nbreak\u001b')).toBe('line break\\\\u001b');
  });

  it('links only http(s) rule documentation', () => {
    const rules = REPORT.rules.map((r) => ({ ...r, helpUri: 'javascript:alert(1)' }));
    const md = render('markdown', { ...REPORT, rules });
    expect(md).not.toContain('javascript:');
  });

  it('truncates at a row or section boundary within maxBytes, with a note', () => {
    const report = big(200);
    for (const maxBytes of [MIN_MARKDOWN_BYTES, 9_000, 20_000]) {
      const md = render('markdown', report, { maxBytes });
      expect(bytes(md)).toBeLessThanOrEqual(maxBytes);
      expect(md).toMatch(/\n> \*\*Truncated\*\* to \d+ bytes: \d+ of 200 findings not shown\. The JSON and SARIF reports list every finding\.\n$/);
      const [, shown = '0', total] = /(\d+) of (\d+) findings not shown/.exec(md) ?? [];
      const rows = tables(md).slice(1).flat().filter((row) => !row.startsWith('| Rule') && !row.startsWith('| :--'));
      expect(200 - Number(shown)).toBe(rows.length);
      expect(total).toBe('200');
      expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    }
    expect(render('markdown', REPORT, { maxBytes: 1_000_000 })).not.toContain('Truncated');
  });

  it('stays under GitHub job summary limit by default', () => {
    const md = render('markdown', big(8_000));
    expect(bytes(md)).toBeGreaterThan(GITHUB_STEP_SUMMARY_LIMIT * 0.9);
    expect(bytes(md)).toBeLessThanOrEqual(GITHUB_STEP_SUMMARY_LIMIT);
    expect(md).toContain('**Truncated** to 1048576 bytes');
  });

  it('refuses a limit too small for the summary', () => {
    expect(() => render('markdown', REPORT, { maxBytes: 100 })).toThrow(RangeError);
  });
});
