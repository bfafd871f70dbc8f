// Waivers: a finding covered by a live waiver is reported as waived and never gates; an expired
// waiver covers nothing (the finding fails again) and, like an unused one, is reported itself.

import type { Finding, WaiverNotice } from '../finding';
import { globMatch } from '../glob';
import type { Waiver } from './config';

export function applyWaivers(
  findings: readonly Finding[],
  waivers: readonly Waiver[],
  /** Today as YYYY-MM-DD, from the shell: the core reads no clock. */
  today: string,
): { findings: Finding[]; notices: WaiverNotice[] } {
  const used = new Set<Waiver>();
  const out = findings.map((finding) => {
    const waiver = waivers.find((w) => w.rule === finding.ruleId && globMatch(w.address, finding.address));
    if (!waiver) return finding;
    used.add(waiver);
    if (waiver.expires < today) return finding;
    const { rule, address, reason, owner, expires } = waiver;
    return { ...finding, waiver: { rule, address, reason, owner, expires } };
  });
  const notices: WaiverNotice[] = [];
  for (const waiver of waivers) {
    const expired = waiver.expires < today;
    if (!expired && used.has(waiver)) continue;
    const { rule, address, reason, owner, expires } = waiver;
    notices.push({ rule, address, reason, owner, expires, problem: expired ? 'expired' : 'unused' });
  }
  return { findings: out, notices };
}
