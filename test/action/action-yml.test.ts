import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, INPUT_NAMES, readInputs, splitList, type InputName } from '../../src/action/inputs';
import { OUTPUT_NAMES } from '../../src/action/outputs';
import { UserError } from '../../src/errors';
import { ROOT } from './runner';

interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

describe('action.yml', () => {
  it('is a node24 JavaScript action running the committed ESM bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.mjs' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/licenses.txt'))).toBe(true);
  });

  it('declares exactly the inputs the entry reads, with the same defaults', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
    for (const name of INPUT_NAMES) {
      const input = action.inputs[name];
      expect(input?.description.length).toBeGreaterThan(10);
      expect(input?.default ?? '').toBe(INPUT_DEFAULTS[name]);
    }
    expect(action.inputs['plan']?.required).toBe(true);
  });

  it('declares exactly the outputs the entry sets', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES]);
    for (const name of OUTPUT_NAMES) expect(action.outputs[name]?.description.length).toBeGreaterThan(5);
  });
});

describe('inputs', () => {
  const reader =
    (values: Partial<Record<InputName, string>>) =>
    (name: InputName): string =>
      values[name] ?? '';

  it('splits lists on newlines and commas and drops blanks', () => {
    expect(splitList('a.json\n  b.json , c.json\n\n,')).toEqual(['a.json', 'b.json', 'c.json']);
  });

  it('fills in the action.yml defaults when the runner did not', () => {
    expect(readInputs(reader({ plan: 'plan.json' }))).toEqual({
      plan: ['plan.json'],
      policies: [],
      sarif: 'kmsgate.sarif',
      workingDirectory: '.',
    });
  });

  it('passes every given value on', () => {
    const inputs = readInputs(
      reader({
        plan: 'a.json,b/*.json',
        policies: 'policies\nmore',
        config: 'kmsgate.yml',
        'fail-on': 'medium',
        'on-unknown': 'fail',
        sarif: 'out.sarif',
        category: 'kmsgate/prod/',
        'working-directory': 'infra',
      }),
    );
    expect(inputs).toEqual({
      plan: ['a.json', 'b/*.json'],
      policies: ['policies', 'more'],
      config: 'kmsgate.yml',
      failOn: 'medium',
      onUnknown: 'fail',
      sarif: 'out.sarif',
      category: 'kmsgate/prod/',
      workingDirectory: 'infra',
    });
  });

  it('requires a plan', () => {
    expect(() => readInputs(reader({ plan: ' \n, ' }))).toThrow(UserError);
  });
});
