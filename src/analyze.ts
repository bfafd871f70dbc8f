// The whole pipeline, readable at a glance:
//   plan document ─model─▶ Model ─relate─▶ Relations ─analyze─▶ views with facts ─evaluate─▶ findings
// and, over several plan files, one Report for every output format.

import { UserError } from './errors';
import { analyze, type FactParameters, type Subject } from './facts';
import { gates, type CheckedPair, type Finding, type OnUnknown, type Report, type RuleMeta, type Severity } from './finding';
import { buildModel, type Model } from './model';
import type { PlanDocument } from './plan/types';
import { settingsFor, type Config } from './policy/config';
import { evaluatePolicy, type PolicyResult } from './policy/evaluate';
import type { Policy } from './policy/types';
import { applyWaivers } from './policy/waivers';
import { redact } from './redact';
import { recover, type PreparedSources } from './recover';
import { relate } from './relate';
import { TOOL, ruleHelpUri } from './version';

export interface CheckOptions {
  policies: readonly Policy[];
  config: Config;
  failOn: Severity;
  /** `--on-unknown`, when given on the command line. */
  onUnknown?: OnUnknown;
  /** Today (YYYY-MM-DD) for waiver expiry. */
  today: string;
}

export interface PlanOutcome {
  findings: Finding[];
  passed: CheckedPair[];
  model: Model;
}

/** One plan to check: its model, and the prepared Terraform source when there is one. */
export interface PlanInput {
  model: Model;
  sources?: PreparedSources;
}

/** Runs every enabled policy over one plan. */
export function checkPlan(plan: PlanDocument, options: CheckOptions): PlanOutcome {
  return checkModel({ model: buildModel(plan) }, options);
}

export function checkModel(input: PlanInput, options: CheckOptions): PlanOutcome {
  const { model } = input;
  if (model.errored) {
    throw new UserError(
      model.file,
      '$.errored',
      'Terraform reported errors while planning (errored: true); a partial plan cannot be judged: fix the errors and run `terraform plan` again',
    );
  }
  const recovery = recover(model, input.sources);
  const enabled = options.policies
    .map((policy) => ({ policy, settings: settingsFor(policy, options.config, options.onUnknown) }))
    .filter(({ settings }) => settings.enabled);
  const types = new Set(enabled.flatMap(({ policy }) => policy.resources));
  const subjects = analyze(model, relate(model), recovery, factParameters(options), types);
  const byType = new Map<string, Subject[]>();
  for (const subject of subjects) {
    const list = byType.get(subject.type);
    if (list) list.push(subject);
    else byType.set(subject.type, [subject]);
  }
  const findings: Finding[] = [];
  const passed: CheckedPair[] = [];
  for (const { policy, settings } of enabled) {
    const relevant = policy.resources.flatMap((type) => byType.get(type) ?? []);
    const onUnknown = settings.onUnknown ?? options.onUnknown ?? options.config.onUnknown ?? 'warn';
    for (const result of evaluatePolicy(policy, relevant, settings.params)) {
      if (result.status === 'pass' || (result.status === 'unknown' && onUnknown === 'pass')) {
        passed.push({ ruleId: result.ruleId, address: result.address, file: result.file });
      } else {
        const location = result.address === '' ? undefined : recovery.location(result.address);
        findings.push({ ...toFinding(result, settings.severity, onUnknown, model.sensitiveValues), ...(location ? { location } : {}) });
      }
    }
  }
  return { findings, passed, model };
}

/** Shared parameters some facts are asked about by name: the config's value, else a policy's default. */
function factParameters(options: CheckOptions): FactParameters {
  const shared = (name: 'guardianPrincipals' | 'keyOwners'): readonly string[] => {
    const configured = options.config.parameters[name];
    if (Array.isArray(configured)) return configured.map(String);
    const declared = options.policies.map((p) => p.parameters[name]?.default).find(Array.isArray);
    return declared ? declared.map(String) : [];
  };
  return { guardianPrincipals: shared('guardianPrincipals'), keyOwners: shared('keyOwners') };
}

function toFinding(result: PolicyResult, severity: Severity, onUnknown: OnUnknown, sensitive: ReadonlySet<string>): Finding {
  return {
    ruleId: result.ruleId,
    severity,
    status: result.status === 'unknown' ? 'unknown' : 'fail',
    address: result.address,
    file: result.file,
    message: redact(result.message, sensitive),
    ...(result.evidence ? { evidence: redactEvidence(result.evidence, sensitive) } : {}),
    ...(result.waitsOn && result.waitsOn.length > 0 ? { waitsOn: result.waitsOn } : {}),
    ...(result.status === 'unknown' ? { onUnknown } : {}),
  };
}

function redactEvidence(evidence: Finding['evidence'] & object, sensitive: ReadonlySet<string>): NonNullable<Finding['evidence']> {
  const clean = (value: unknown): never =>
    (typeof value === 'string'
      ? redact(value, sensitive)
      : typeof value === 'number' && sensitive.has(String(value))
        ? '(sensitive)'
        : Array.isArray(value)
          ? value.map(clean)
          : value) as never;
  return Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, clean(v)]));
}

export function ruleMeta(policy: Policy, severity: Severity = policy.severity): RuleMeta {
  return {
    id: policy.id,
    title: policy.title,
    severity,
    description: policy.description,
    remediation: policy.remediation,
    references: policy.references,
    tags: [...new Set(['security', 'kms', ...policy.tags])],
    resourceTypes: policy.resources,
    precision: policy.precision,
    helpUri: ruleHelpUri(policy.id),
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.address, b.address) ||
    compareText(a.message, b.message)
  );
}

/** Checks several plans and assembles the report every format renders. */
export function checkPlans(plans: readonly (PlanDocument | PlanInput)[], options: CheckOptions): Report {
  const findings: Finding[] = [];
  const passed: CheckedPair[] = [];
  const inputs: Report['inputs'][number][] = [];
  for (const plan of plans) {
    const outcome = 'model' in plan ? checkModel(plan, options) : checkPlan(plan, options);
    const { model } = outcome;
    // One element at a time: spreading a big plan's results would exceed the call's argument limit.
    for (const finding of outcome.findings) findings.push(finding);
    for (const pair of outcome.passed) passed.push(pair);
    inputs.push({
      file: model.file,
      kind: model.kind,
      formatVersion: model.formatVersion,
      ...(model.terraformVersion ? { terraformVersion: model.terraformVersion } : {}),
      resources: model.resources.length,
    });
  }
  const waived = applyWaivers(findings, options.config.waivers, options.today);
  const rules = options.policies
    .map((policy) => ({ policy, settings: settingsFor(policy, options.config, options.onUnknown) }))
    .filter(({ settings }) => settings.enabled)
    .map(({ policy, settings }) => ruleMeta(policy, settings.severity));
  return {
    tool: { ...TOOL },
    inputs: inputs.sort((a, b) => compareText(a.file, b.file)),
    rules,
    findings: waived.findings.sort(compareFindings),
    passed: passed.sort((a, b) => compareText(a.file, b.file) || compareText(a.ruleId, b.ruleId) || compareText(a.address, b.address)),
    waiverNotices: waived.notices,
    failOn: options.failOn,
    onUnknown: options.onUnknown ?? options.config.onUnknown ?? 'warn',
  };
}

export function gatingCount(report: Report): number {
  return report.findings.filter((f) => gates(f, report.failOn, report.onUnknown)).length;
}
