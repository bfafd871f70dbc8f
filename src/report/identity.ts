import { createHash } from 'node:crypto';
import type { Finding } from '../finding';
import { compareFindings } from './order';

/** Where a finding points: the `.tf` resource block, else line 1 of the plan file. */
export interface Place {
  path: string;
  line: number;
}

/** `.\stacks\prod\plan.json` and `stacks/prod/plan.json` are one file, on every OS. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
}

export function primaryPlace(finding: Finding): Place {
  if (finding.location) {
    const { path, line } = finding.location;
    return { path: normalizePath(path), line: Number.isInteger(line) && line >= 1 ? line : 1 };
  }
  return { path: normalizePath(finding.file), line: 1 };
}

/** What makes a finding the same finding in the next run. */
export interface Identity {
  /** sha256 of the versioned key: rule id, full address, plan file. */
  hash: string;
  /** 1-based rank among findings with the same key (one rule may report a resource twice). */
  occurrence: number;
}

/**
 * Identity deliberately leaves out the `.tf` line (moves with unrelated edits), the message and the
 * evidence (wording and values change), the severity (configurable) and the status (an unknown that
 * becomes a failure is the same problem). It keeps the plan file so that two stacks instantiating the
 * same module at the same address stay two alerts. Occurrences count waived findings too, so adding a
 * waiver does not renumber the others.
 */
export function identities(findings: readonly Finding[]): ReadonlyMap<Finding, Identity> {
  const seen = new Map<string, number>();
  const result = new Map<Finding, Identity>();
  for (const finding of [...findings].sort(compareFindings)) {
    const key = ['kmsgate/v1', finding.ruleId, finding.address, normalizePath(finding.file)].join('\u0000');
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    result.set(finding, { hash, occurrence });
  }
  return result;
}

/** Looks up a finding that came from the same array `identities` was given; anything else is a bug. */
export function identityOf(map: ReadonlyMap<Finding, Identity>, finding: Finding): Identity {
  const identity = map.get(finding);
  if (!identity) throw new Error(`no identity for finding ${finding.ruleId} ${finding.address}`);
  return identity;
}
