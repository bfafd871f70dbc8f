// Malformed input of every kind, through the CLI: exit 2, nothing on standard output (nothing passes),
// and one line per problem that names the file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRejected, fixturePlan, kmsgate, scratch, write } from './support';

const root = scratch('malformed');
const GOOD = write(root, 'good.json', fixturePlan('key-settings'));
const good = JSON.stringify(fixturePlan('key-settings'));

const PLANS: [string, string | Buffer, RegExp][] = [
  ['empty.json', '', /the file is empty/],
  ['blank.json', ' \n\t\n', /only whitespace/],
  ['truncated.json', good.slice(0, good.length / 2), /invalid JSON: .*cut short/],
  ['zip.json', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), /binary plan file/],
  ['latin1.json', Buffer.concat([Buffer.from(good.slice(0, 40)), Buffer.from([0xe9]), Buffer.from(good.slice(40))]), /not UTF-8/],
  ['deep.json', `{"format_version":"1.2","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, /nesting deeper than 1000 levels/],
  ['v2.json', '{"format_version":"2.0","resource_changes":[]}', /format_version: format 2.0 is a newer, incompatible JSON format/],
  ['tfstate.json', '{"version":4,"serial":1,"lineage":"x","resources":[]}', /raw Terraform state file/],
  ['shape.json', '{"format_version":"1.2","resource_changes":{"a":1}}', /resource_changes/],
  ['errored.json', JSON.stringify({ ...JSON.parse(good), errored: true }), /errored: true/],
  ['array.json', '[1,2,3]', /is an array, not a Terraform plan/],
];

describe('plans', () => {
  for (const [name, content, expected] of PLANS) {
    it(`${name}: exit 2 with one line naming the file`, () => {
      write(root, name, content);
      const lines = expectRejected(kmsgate(['check', GOOD, name, '--format', 'json'], { cwd: root }), name);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
    });
  }

  it('a directory or a missing file in place of a plan', () => {
    mkdirSync(join(root, 'dir.json'));
    expect(expectRejected(kmsgate(['check', 'dir.json'], { cwd: root }), 'dir.json')).toHaveLength(1);
    expect(expectRejected(kmsgate(['check', 'missing.json'], { cwd: root }), 'missing.json')).toHaveLength(1);
  });
});

describe('config files', () => {
  const CONFIGS: [string, string, RegExp][] = [
    ['not-yaml.yml', 'a: [1, 2\n', /invalid YAML/],
    ['extra-key.yml', 'parameters: {}\nwaiver: []\n', /\$: unknown key 'waiver'/],
    ['wrong-type.yml', 'parameters:\n  trustedAccounts: "111122223333"\n', /\$\.parameters\.trustedAccounts: must be a list of strings/],
    ['bad-date.yml', 'waivers:\n  - { rule: key-destroyed, address: "*", reason: r, owner: o, expires: 2027-02-30 }\n', /\$\.waivers\[0\]\.expires: '2027-02-30' is not a calendar date/],
    ['unknown-policy.yml', 'policies:\n  no-such-policy: { enabled: false }\n', /no policy has the id 'no-such-policy'/],
  ];
  for (const [name, text, expected] of CONFIGS) {
    it(`${name}: exit 2 naming the file and the place`, () => {
      write(root, name, text);
      const lines = expectRejected(kmsgate(['check', GOOD, '--config', name], { cwd: root }), name);
      expect(lines.join('\n')).toMatch(expected);
    });
  }
});

describe('policy folders', () => {
  it('every problem of every file at once, each with its place', () => {
    mkdirSync(join(root, 'broken'));
    write(join(root, 'broken'), 'one.yaml', 'id: one\ntitle: t\nseverity: severe\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: []\nrequire: { path: $.x, equals: 1 }\nmessage: m\n');
    write(join(root, 'broken'), 'two.yaml', 'id: other\ntitle: t\nseverity: low\nresources: [aws_kms_key]\ndescription: d\nremediation: r\nreferences: []\nrequire: { path: x, equals: 1 }\nmessage: "{{ param.nope }}"\n');
    const run = kmsgate(['check', GOOD, '--policies', 'broken'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines.some((l) => l.startsWith('kmsgate: error: broken/one.yaml: $.severity: must be one of'))).toBe(true);
    expect(lines.some((l) => l.startsWith("kmsgate: error: broken/two.yaml: $.id: the id 'other' must equal the file name 'two'"))).toBe(true);
    expect(lines.some((l) => l.startsWith('kmsgate: error: broken/two.yaml: $.require.path: a JSONPath must start with'))).toBe(true);
    expect(lines.some((l) => l.startsWith('kmsgate: error: broken/two.yaml: $.message: unknown parameter in {{param.nope}}'))).toBe(true);
  });

  it('a file in place of a folder', () => {
    expectRejected(kmsgate(['check', GOOD, '--policies', 'good.json'], { cwd: root }), 'good.json');
  });
});
