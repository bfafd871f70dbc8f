import { describe, expect, it } from 'vitest';
import { INPUT_NAMES } from '../../src/action/inputs';
import { docExample } from './doc-example';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  'working-directory'?: string;
  with?: Record<string, string | boolean>;
}

describe('the example workflow in docs/integrations.md', () => {
  const workflow = docExample('github-workflow') as { jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }> };
  const [job] = Object.values(workflow.jobs);
  const steps = job?.steps ?? [];
  const uses = (prefix: string): Step | undefined => steps.find((s) => s.uses?.startsWith(prefix));

  it('grants what upload-sarif needs and no more than read on contents', () => {
    expect(job?.permissions).toMatchObject({ contents: 'read', 'security-events': 'write' });
  });

  it('plans with the Terraform wrapper off and writes the plan JSON kmsgate reads', () => {
    expect(uses('actions/checkout@')).toBeDefined();
    expect(uses('hashicorp/setup-terraform@')?.with?.['terraform_wrapper']).toBe(false);
    const plan = steps.find((s) => s.run?.includes('terraform plan'));
    expect(plan?.run).toContain('terraform plan -input=false -out=tfplan');
    expect(plan?.run).toContain('terraform show -json tfplan > plan.json');
    const gate = uses('kmsgate/kmsgate@');
    expect(gate?.with?.['plan']).toBe(`${plan?.['working-directory']}/plan.json`);
  });

  it('gives the kmsgate step only inputs action.yml declares', () => {
    const gate = uses('kmsgate/kmsgate@');
    expect(gate?.id).toBe('kmsgate');
    for (const key of Object.keys(gate?.with ?? {})) expect(INPUT_NAMES).toContain(key);
  });

  it('uploads the SARIF from the step output even when the gate failed', () => {
    const upload = uses('github/codeql-action/upload-sarif@');
    expect(upload?.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload?.if).toMatch(/^always\(\)/);
    expect(upload?.with?.['sarif_file']).toBe('${{ steps.kmsgate.outputs.sarif }}');
    expect(steps.indexOf(upload ?? {})).toBeGreaterThan(steps.indexOf(uses('kmsgate/kmsgate@') ?? {}));
  });
});
