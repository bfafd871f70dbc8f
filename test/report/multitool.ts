// The two validators GitHub code scanning's ingestion is checked with offline (integrations.md §2):
// the official SARIF 2.1.0 JSON schema (ajv) and the SARIF Multitool with GitHub's rules enabled.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);

const PLATFORM_PACKAGE = `@microsoft/sarif-multitool-${process.platform}`;
export const SARIF_SCHEMA = require.resolve(`${PLATFORM_PACKAGE}/sarif-2.1.0.json`);
const MULTITOOL = join(dirname(SARIF_SCHEMA), process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');

// GH1001–GH1007 are off by default in the Multitool (integrations.md §2.3).
const GITHUB_RULES = ['GH1001.ProvideRequiredLocationProperties', 'GH1002.InlineThreadFlowLocations',
  'GH1003.ProvideRequiredRegionProperties', 'GH1004.ReviewArraysThatExceedConfigurableDefaults',
  'GH1005.LocationsMustBeRelativeUrisOrFilePaths', 'GH1006.ProvideCheckoutPath', 'GH1007.ProvideFullyFormattedMessageStrings'];
const CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<Properties>
${GITHUB_RULES.map((rule) => `  <Properties Key="${rule}.Options"><Property Key="RuleEnabled" Value="Error" Type="Driver.RuleEnabledState" /></Properties>`).join('\n')}
</Properties>
`;

/** Runs the Multitool with GitHub's ingestion rules and returns its diagnostics (it exits 0 even on errors). */
export function multitool(sarif: string): Sarif.Result[] {
  const dir = mkdtempSync(join(tmpdir(), 'kmsgate-sarif-'));
  try {
    writeFileSync(join(dir, 'gh-validate.config.xml'), CONFIG);
    writeFileSync(join(dir, 'results.sarif'), sarif);
    execFileSync(
      MULTITOOL,
      ['validate', '--rule-kind', 'Sarif;Ghas', '--config', 'gh-validate.config.xml', '-o', 'out.sarif', '--log', 'ForceOverwrite;PrettyPrint', 'results.sarif'],
      { cwd: dir, stdio: 'pipe', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    const log = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as Sarif.Log;
    expect(log.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
    return log.runs.flatMap((run) => run.results ?? []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
