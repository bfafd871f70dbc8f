import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/finding';
import { FORMATS, render, renderers, type Format, type RenderOptions } from '../../src/report';
import { REPORT } from './fixture';
import { expectGolden } from './golden';

const CASES: ReadonlyArray<readonly [string, Format, Partial<RenderOptions>]> = [
  ['report.txt', 'text', {}],
  ['report.color.txt', 'text', { color: true }],
  ['report.quiet.txt', 'text', { quiet: true }],
  ['report.json', 'json', {}],
  ['report.sarif', 'sarif', {}],
  ['report.md', 'markdown', {}],
  ['report.gitlab.json', 'gitlab', {}],
  ['report.junit.xml', 'junit', {}],
];

/** The same report with every list in a different order. */
function shuffled(report: Report): Report {
  const rotate = <T>(items: readonly T[]): T[] => [...items.slice(3), ...items.slice(0, 3)].reverse();
  return {
    ...report,
    inputs: rotate(report.inputs),
    rules: rotate(report.rules),
    findings: rotate(report.findings),
    passed: rotate(report.passed),
    waiverNotices: rotate(report.waiverNotices),
  };
}

describe('golden reports', () => {
  it.each(CASES)('%s', (name, format, options) => {
    expectGolden(name, render(format, REPORT, options));
  });

  it('has a renderer for every format', () => {
    expect(Object.keys(renderers).sort()).toEqual([...FORMATS].sort());
  });
});

describe.each(FORMATS)('%s output', (format) => {
  it('is byte-identical across runs', () => {
    expect(render(format, REPORT)).toBe(render(format, REPORT));
  });

  it('does not depend on the order of the report lists', () => {
    expect(render(format, shuffled(REPORT))).toBe(render(format, REPORT));
  });

  it('never prints undefined, NaN or [object Object]', () => {
    for (const options of [{}, { quiet: true }, { color: true }]) {
      const out = render(format, REPORT, options);
      expect(out).not.toMatch(/undefined|NaN|\[object Object\]/);
    }
  });

  it('renders a report without findings', () => {
    const empty: Report = { ...REPORT, findings: [], waiverNotices: [] };
    const out = render(format, empty);
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toMatch(/undefined|NaN/);
    expect(out.endsWith('\n')).toBe(true);
  });
});
