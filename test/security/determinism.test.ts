// The same input gives byte-identical output: across runs, across the order of the plan files on the
// command line, and across time zones and locales (the CLI spawned with other TZ, LC_ALL and LANG).
// Reports hold no absolute temporary paths either.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePlan, kmsgate, scratch, userPolicy, write } from './support';

const root = scratch('determinism');
const PLANS = ['key-policies.json', 'endpoints.json', 'key-changes.json', 'state.json', 'modules.json'];
const FORMATS = ['json', 'sarif', 'markdown', 'gitlab', 'junit', 'text'] as const;

/** Time zones around the date line and with odd offsets; locales with unusual case and collation rules. */
const ENVIRONMENTS: readonly Record<string, string>[] = [
  { TZ: 'UTC', LC_ALL: 'C', LANG: 'C' },
  { TZ: 'Pacific/Kiritimati', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' },
  { TZ: 'America/Adak', LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8' },
  { TZ: 'Asia/Kathmandu', LC_ALL: '', LANG: 'ja_JP.UTF-8', LANGUAGE: 'ja' },
  { TZ: 'Etc/GMT+12', LC_ALL: 'lt_LT.UTF-8', LANG: 'sv_SE.UTF-8' },
];

const CONFIG = `parameters:
  trustedAccounts: ["111122223333"]
waivers:
  - { rule: key-rotation-enabled, address: "module.*", reason: legacy, owner: platform, expires: 2999-12-31 }
  - { rule: key-policy-defined, address: "aws_kms_key.a*", reason: old, owner: platform, expires: 2001-01-01 }
  - { rule: key-destroyed, address: "nothing.*", reason: unused, owner: platform, expires: 2999-12-31 }
`;

beforeAll(() => {
  write(root, 'key-policies.json', fixturePlan('key-policies'));
  write(root, 'endpoints.json', fixturePlan('endpoints'));
  write(root, 'key-changes.json', fixturePlan('key-changes'));
  write(root, 'state.json', fixturePlan('key-changes', 'state.json'));
  write(root, 'modules.json', fixturePlan('modules'));
  write(root, 'kmsgate.yml', CONFIG);
  mkdirSync(join(root, 'user'));
  // Identifiers and messages whose order or case would change under another collation or case mapping.
  write(join(root, 'user'), 'i-dotless.yaml', userPolicy('i-dotless').replace('title: A user policy', 'title: İstanbul ıi Äpfel').replace('message: "{{address}} fails"', 'message: "İSTANBUL ıi Ä ä Z z {{address}}"'));
  write(join(root, 'user'), 'zz-last.yaml', userPolicy('zz-last'));
  write(join(root, 'user'), 'aa-first.yaml', userPolicy('aa-first'));
});

/** Every output of one `check` run (all formats to files, text to stdout) and both forms of `access`. */
function outputs(plans: readonly string[], env: Record<string, string>, tag: string, formats: readonly string[] = FORMATS): Map<string, string> {
  const out = new Map<string, string>();
  const files = formats.filter((f) => f !== 'text').map((f) => `--format=${f}=out-${tag}/report.${f}`);
  const run = kmsgate(['check', ...plans, '--config', 'kmsgate.yml', '--policies', 'user', '--format', 'text', ...files], { cwd: root, env });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  out.set('text', run.stdout);
  for (const format of formats) if (format !== 'text') out.set(format, readFileSync(join(root, `out-${tag}/report.${format}`), 'utf8'));
  const text = kmsgate(['access', ...plans], { cwd: root, env });
  out.set('access', text.stdout);
  const json = kmsgate(['access', ...plans, '--json'], { cwd: root, env });
  expect(json.stdout.length).toBeGreaterThan(100);
  out.set('access --json', json.stdout);
  return out;
}

function expectSame(a: Map<string, string>, b: Map<string, string>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [name, text] of a) {
    const other = b.get(name) ?? '';
    if (other !== text) {
      let at = 0;
      while (at < text.length && text[at] === other[at]) at += 1;
      expect.fail(`${name} differs at byte ${at}: ${JSON.stringify(text.slice(at - 80, at + 80))} vs ${JSON.stringify(other.slice(at - 80, at + 80))}`);
    }
  }
}

describe('byte-identical output', () => {
  let reference: Map<string, string>;
  beforeAll(() => {
    reference = outputs(PLANS, ENVIRONMENTS[0]!, 'reference');
  });

  it('holds no absolute path of the temporary folder and no time of day', () => {
    for (const [name, text] of reference) {
      expect(text.includes(root), `${name} holds ${root}`).toBe(false);
      expect(/\d{2}:\d{2}:\d{2}/.test(text.replace(/arn:[^\s"]*/g, '')), `${name} holds a time`).toBe(false);
    }
  });

  it('across runs', () => {
    expectSame(reference, outputs(PLANS, ENVIRONMENTS[0]!, 'again'));
  });

  it('across the order of the plan files and of the formats on the command line', () => {
    expectSame(reference, outputs([...PLANS].reverse(), ENVIRONMENTS[0]!, 'reversed', [...FORMATS].reverse()));
    expectSame(reference, outputs([PLANS[2]!, PLANS[0]!, PLANS[4]!, PLANS[1]!, PLANS[3]!], ENVIRONMENTS[0]!, 'shuffled'));
  });

  for (const env of ENVIRONMENTS.slice(1)) {
    it(`with TZ=${env['TZ']} LC_ALL=${env['LC_ALL']} LANG=${env['LANG']}`, () => {
      expectSame(reference, outputs(PLANS, env, `env-${(env['TZ'] ?? '').replace(/\W/g, '')}`));
    });
  }
});
