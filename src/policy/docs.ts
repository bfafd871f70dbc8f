// The rules page is generated from the policy files, so documentation cannot drift from what runs.

import type { Policy } from './types';

const ESCAPE_CELL = /[|<>`]/g;
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(ESCAPE_CELL, (c) => `\\${c}`);

function parameterRows(policy: Policy): string[] {
  const parameters = Object.values(policy.parameters);
  if (parameters.length === 0) return [];
  return [
    '',
    '| parameter | type | default | meaning |',
    '|---|---|---|---|',
    ...parameters.map((p) => `| \`${p.name}\` | ${p.type} | \`${JSON.stringify(p.default)}\` | ${cell(p.description)} |`),
  ];
}

export function renderRulesMarkdown(policies: readonly Policy[]): string {
  const lines = [
    '# kmsgate rules',
    '',
    '<!-- Generated from policies/*.yaml by `kmsgate rules --format markdown`; do not edit by hand. -->',
    '',
    '| id | severity | title |',
    '|---|---|---|',
    ...policies.map((p) => `| [\`${p.id}\`](#${p.id}) | ${p.severity} | ${cell(p.title)} |`),
  ];
  for (const policy of policies) {
    lines.push(
      '',
      `## ${policy.id}`,
      '',
      `**${policy.title}** · severity \`${policy.severity}\` · reports on ${policy.resources.map((r) => `\`${r}\``).join(', ')}`,
      '',
      policy.description,
      '',
      `**Remediation.** ${policy.remediation}`,
      ...parameterRows(policy),
    );
    if (policy.references.length > 0) lines.push('', '**References.**', '', ...policy.references.map((r) => `- <${r}>`));
  }
  return `${lines.join('\n')}\n`;
}
