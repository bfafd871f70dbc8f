import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docExample } from '../action/doc-example';
import { ROOT } from '../action/runner';

interface Job {
  stage?: string;
  extends?: string;
  needs?: string[];
  script?: string[];
  variables?: Record<string, string>;
  artifacts?: { paths?: string[]; access?: string };
}

describe('the example .gitlab-ci.yml in docs/integrations.md', () => {
  const pipeline = docExample('gitlab-ci') as { include: { remote: string }[]; stages: string[] } & Record<string, Job>;
  const template = parse(readFileSync(join(ROOT, 'templates/kmsgate.gitlab-ci.yml'), 'utf8')) as Record<string, Job>;
  const plan = pipeline['plan'];
  const gate = pipeline['kmsgate'];

  it('includes the template from a release tag', () => {
    expect(pipeline.include).toEqual([
      { remote: expect.stringMatching(/^https:\/\/raw\.githubusercontent\.com\/kmsgate\/kmsgate\/v\d+\.\d+\.\d+\/templates\/kmsgate\.gitlab-ci\.yml$/) },
    ]);
  });

  it('plans, writes the JSON and hands it to the kmsgate job', () => {
    expect(plan?.script).toContain('terraform plan -input=false -out=tfplan');
    expect(plan?.script).toContain('terraform show -json tfplan > plan.json');
    expect(plan?.artifacts?.paths).toEqual([gate?.variables?.['KMSGATE_PLAN']]);
    expect(plan?.artifacts?.access).toBe('developer');
    expect(gate?.extends).toBe('.kmsgate');
    expect(gate?.needs).toEqual(['plan']);
    expect(pipeline.stages).toEqual([plan?.stage, template['.kmsgate']?.stage]);
  });

  it('sets only variables the template declares', () => {
    const declared = Object.keys(template['.kmsgate']?.variables ?? {});
    for (const name of Object.keys(gate?.variables ?? {})) expect(declared).toContain(name);
  });
});
