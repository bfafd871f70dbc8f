import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRulesMarkdown } from '../../src/policy/docs';
import { builtInPolicies } from '../support/policies';

describe('docs/rules.md', () => {
  it('is generated from the policy files and up to date (regenerate: kmsgate rules --format markdown > docs/rules.md)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../docs/rules.md'), 'utf8');
    expect(committed).toBe(renderRulesMarkdown(builtInPolicies()));
  });
});
