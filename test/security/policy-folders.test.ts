// A policy folder from an untrusted pull request, through the CLI (`check --policies DIR` and
// `kmsgate test DIR`): nothing in it runs code, reads files outside it, or takes unbounded time or
// memory. Each hostile folder is refused with exit 2 and one line per problem naming the file.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { change, expectRejected, fixturePlan, kmsgate, scratch, timed, userPolicy, write } from './support';

const root = scratch('policy-folders');
const PLAN = write(root, 'plan.json', fixturePlan('key-settings'));
const OUTSIDE_SECRET = 'OUTSIDE-SECRET-5f0c2a';
const outside = write(root, 'outside.yaml', `id: outside\nsecret: ${OUTSIDE_SECRET}\n`);

let folders = 0;
/** A policy folder holding the given files (name → YAML text). */
function folder(files: Record<string, string | Buffer>): string {
  folders += 1;
  const dir = join(root, `p${folders}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const check = (dir: string) => kmsgate(['check', 'plan.json', '--policies', dir.slice(root.length + 1), '--format', 'json'], { cwd: root });
const rel = (dir: string, name: string) => `${dir.slice(root.length + 1)}/${name}`;

describe('JSONPath: no filter or script expression is ever evaluated', () => {
  it('is refused wherever a path is written, with its place, before anything runs', () => {
    const marker = join(root, 'pwned');
    const script = `$[?(require('fs').writeFileSync('${marker}','x'))]`;
    const dir = folder({
      'my-policy.yaml': userPolicy(
        'my-policy',
        [
          `forEach: "$..[(globalThis.polluted=1)]"`,
          `when: { path: "@[?(@.x)]", exists: true }`,
          `require: { count: "$.values.*", where: { path: "@[(1)]", exists: true }, atLeast: { path: "${script}" } }`,
          `evidence: { a: "$.values[?(@.x)]" }`,
        ].join('\n'),
      ).replace('message: "{{address}} fails"', 'message: "{{ $[?(@)] }}"'),
    });
    const lines = expectRejected(check(dir), rel(dir, 'my-policy.yaml'));
    const places = lines.map((l) => l.split(': ')[3]);
    expect(places).toEqual(['$.forEach', '$.when.path', '$.require.where.path', '$.require.atLeast.path', '$.evidence.a', '$.message']);
    for (const line of lines) expect(line).toMatch(/filter and script expressions .* are not allowed/);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses jsonpath-plus type selectors and scripts inside unions when the policy loads, with the place', () => {
    // Evaluated, these throw: `@other()` needs a callback, `[@.x]` is an unknown type, and a union
    // part `?()` is a filter jsonpath-plus refuses only while it runs.
    const dir = folder({
      'my-policy.yaml': userPolicy(
        'my-policy',
        [
          `forEach: "$..@other()"`,
          `when: { path: "@[@.x]", exists: true }`,
          `require: { path: "$.values[@string()]", exists: true }`,
          `evidence: { a: "$.values[tags,?(@.x)]", b: "$.values['@other()']" }`,
        ].join('\n'),
      ),
    });
    const lines = expectRejected(check(dir), rel(dir, 'my-policy.yaml'));
    expect(lines.map((l) => l.split(': ')[3])).toEqual(['$.forEach', '$.when.path', '$.require.path', '$.evidence.a', '$.evidence.b']);
    expect(lines.filter((l) => /type selectors .* are not allowed/.test(l))).toHaveLength(4);
  });
});

describe('YAML: no tags, bounded aliases, bounded nesting, plain keys', () => {
  const cases: [string, string, RegExp][] = [
    ['a JavaScript function tag', 'x: !!js/function "function () { process.exit(7) }"', /Unresolved tag: tag:yaml.org,2002:js\/function/],
    ['a JavaScript regexp tag', 'x: !!js/regexp /a+$/', /Unresolved tag/],
    ['a Python object tag', 'x: !!python/object/apply:os.system ["id"]', /Unresolved tag/],
    ['a custom local tag', 'x: !custom 1', /Unresolved tag: !custom/],
    ['a binary tag the library knows', 'x: !!binary aGVsbG8=', /line \d+: the tag !!binary is not allowed/],
    ['a timestamp tag the library knows', 'x: !!timestamp 2001-12-14', /the tag !!timestamp is not allowed/],
    ['a tag of the core schema', 'x: !!str 1', /the tag !!str is not allowed/],
    ['a key that could pollute a prototype', '__proto__: { polluted: yes }', /\$\.__proto__: this key name is not allowed/],
    ['a constructor key further down', 'parameters: { x: { constructor: { prototype: 1 } } }', /this key name is not allowed/],
    ['a merge key (no merging)', 'base: &base { severity: low }\nx:\n  <<: *base', /unknown key/],
    ['a duplicate key', 'id: other', /Map keys must be unique/],
    ['an alias that contains itself', 'x: &a [*a]', /\$\.x\[0\]: an alias here refers to a node that contains it/],
    ['a map as a key', '? { a: 1 }\n: value', /line \d+: a key here is a list or a map/],
  ];
  for (const [name, extra, expected] of cases) {
    it(`refuses ${name}`, () => {
      const dir = folder({ 'my-policy.yaml': `${userPolicy('my-policy')}${extra}\n` });
      const lines = expectRejected(check(dir), rel(dir, 'my-policy.yaml'));
      expect(lines.join('\n')).toMatch(expected);
    });
  }

  it('refuses a billion laughs in bounded time and memory', () => {
    const laughs = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i += 1) laughs.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
    const dir = folder({ 'my-policy.yaml': `${userPolicy('my-policy')}${laughs.join('\n')}\n` });
    const { value: run, ms } = timed(() => check(dir));
    expect(expectRejected(run, rel(dir, 'my-policy.yaml')).join('\n')).toMatch(/Excessive alias count/);
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses deep nesting in every file, without overflowing the stack (several files in one run)', () => {
    const deep = (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n';
    const dir = folder({
      'a-policy.yaml': `${userPolicy('a-policy')}${deep(5000)}`,
      'b-policy.yaml': `${userPolicy('b-policy')}${deep(100_000)}`,
      'c-policy.yaml': `${userPolicy('c-policy')}y:\n${blocks(200).replace(/^/gm, '  ')}`,
      'd-policy.yaml': `${userPolicy('d-policy')}z: ${'- '.repeat(50_000)}x\n`,
    });
    const run = check(dir);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const [i, name] of ['a-policy', 'b-policy', 'c-policy', 'd-policy'].entries()) {
      expect(lines[i]).toMatch(new RegExp(`^kmsgate: error: ${rel(dir, `${name}.yaml`)}: (line \\d+: )?nests deeper than 64 levels`));
    }
  });

  it('refuses a file over 1 MiB, and one that is not UTF-8', () => {
    const dir = folder({ 'a-policy.yaml': `${userPolicy('a-policy')}x: "${'A'.repeat(1024 * 1024)}"\n` });
    const run = check(dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${rel(dir, 'a-policy.yaml')}: file is larger than 1048576 bytes`);
    const other = folder({ 'b-policy.yaml': Buffer.concat([Buffer.from(userPolicy('b-policy')), Buffer.from([0x78, 0x3a, 0x20, 0xe9, 0x0a])]) });
    expect(expectRejected(check(other), rel(other, 'b-policy.yaml'))).toEqual([`kmsgate: error: ${rel(other, 'b-policy.yaml')}: is not UTF-8 text; save it as UTF-8`]);
  });
});

describe('only files inside the folder are read', () => {
  it('refuses a policy file that is a link leading outside, without showing what it points to', () => {
    const dir = folder({ 'my-policy.yaml': userPolicy('my-policy') });
    symlinkSync(outside, join(dir, 'stolen.yaml'));
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const run = check(dir);
    expect(run.code).toBe(2);
    expect(expectRejected(run, rel(dir, 'stolen.yaml'))).toEqual([`kmsgate: error: ${rel(dir, 'stolen.yaml')}: leads outside the folder ${rel(dir, '').slice(0, -1)} (through a link or ..); refusing to read it`]);
    expect(run.stderr + run.stdout).not.toContain(OUTSIDE_SECRET);
  });

  it('does not wait on a pipe named like a policy', () => {
    const dir = folder({ 'my-policy.yaml': userPolicy('my-policy') });
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status).toBe(0);
    const { value: run, ms } = timed(() => check(dir));
    expect(expectRejected(run, rel(dir, 'pipe.yaml')).join('\n')).toMatch(/is not a regular file/);
    expect(ms).toBeLessThan(10_000);
  });

  it('kmsgate test: fixture plans outside the folder (.., absolute, a link) are refused and never read', () => {
    const secretPlan = write(root, 'secret-plan.json', { format_version: '1.2', resource_changes: [], planned_values: { outputs: { s: { sensitive: false, value: OUTSIDE_SECRET } } } });
    const dir = folder({ 'my-policy.yaml': userPolicy('my-policy') });
    symlinkSync(secretPlan, join(dir, 'linked-plan.json'));
    writeFileSync(
      join(dir, 'my-policy.test.yaml'),
      ['cases:', '  - { plan: ../secret-plan.json, valid: [a] }', `  - { plan: ${secretPlan}, invalid: [b] }`, '  - { plan: linked-plan.json, unknown: [c] }', ''].join('\n'),
    );
    const run = kmsgate(['test', dir.slice(root.length + 1)], { cwd: root });
    expect(run.code).toBe(1);
    const refused = run.stdout.split('\n').filter((l) => /cannot load .*leads outside the folder/.test(l));
    expect(refused).toHaveLength(3);
    expect(run.stdout + run.stderr).not.toContain(OUTSIDE_SECRET);
  });

  it('kmsgate test: a fixture list that is a link leading outside is refused (exit 2)', () => {
    const dir = folder({ 'my-policy.yaml': userPolicy('my-policy') });
    symlinkSync(outside, join(dir, 'my-policy.test.yaml'));
    const run = kmsgate(['test', dir.slice(root.length + 1)], { cwd: root });
    expectRejected(run, rel(dir, 'my-policy.test.yaml'));
    expect(run.stderr).not.toContain(OUTSIDE_SECRET);
  });
});

describe('globs, never regular expressions: matches and subsetOf stay linear', () => {
  it('pathological patterns over long values finish fast and decide correctly', () => {
    const plan = fixturePlan('key-settings');
    const key = plan.resource_changes.find((r) => r.type === 'aws_kms_key')!;
    const after = change(plan, key.address)['after'] as Record<string, unknown>;
    after['description'] = 'a'.repeat(200_000);
    after['tags'] = { a: 'a'.repeat(100_000), b: `${'ab'.repeat(50_000)}c` };
    write(root, 'long-plan.json', plan);
    const star = `${'*a'.repeat(40)}*b`;
    const dir = folder({
      'glob-matches.yaml': userPolicy('glob-matches', `require: { path: $.values.description, matches: ["${star}", "${'?*'.repeat(40)}x", "[a-z]+(a+)+$"] }`),
      'glob-subset.yaml': userPolicy('glob-subset', `require: { path: $.values.tags.*, subsetOf: ["${star}", "*a*a*a*a*a*a*a*a*a*a*a*a*c*d"], ignoreCase: true }`),
    });
    const { value: run, ms } = timed(() => kmsgate(['check', 'long-plan.json', '--no-builtin', '--policies', dir.slice(root.length + 1), '--format', 'json'], { cwd: root }));
    expect(run.stderr).toBe('');
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; address: string }[] }).findings;
    expect(findings.filter((f) => f.address === key.address).map((f) => f.ruleId).sort()).toEqual(['glob-matches', 'glob-subset']);
    expect(ms).toBeLessThan(15_000);
  });
});

describe('config files found in the working directory', () => {
  it('does not read a device a .kmsgate.yml link points to (it would never end)', () => {
    const dir = join(root, 'cwd-zero');
    mkdirSync(dir);
    symlinkSync('/dev/zero', join(dir, '.kmsgate.yml'));
    const { value: run, ms } = timed(() => kmsgate(['check', PLAN], { cwd: dir }));
    expect(expectRejected(run, '.kmsgate.yml').join('\n')).toMatch(/leads outside the folder/);
    expect(ms).toBeLessThan(10_000);
  });

  it('does not follow a .kmsgate.yml link leading out of the working directory, nor quote what it points to', () => {
    const dir = join(root, 'cwd-outside');
    mkdirSync(dir);
    symlinkSync(outside, join(dir, '.kmsgate.yml'));
    const run = kmsgate(['check', PLAN], { cwd: dir });
    expect(expectRejected(run, '.kmsgate.yml').join('\n')).toMatch(/leads outside the folder/);
    expect(run.stderr).not.toContain('secret');
  });

  it('follows a link that stays inside the working directory, and refuses a pipe', () => {
    const inside = join(root, 'cwd-inside');
    mkdirSync(join(inside, 'config'), { recursive: true });
    writeFileSync(join(inside, 'config', 'kmsgate.yml'), 'unknownKeyInside: 1\n');
    symlinkSync(join('config', 'kmsgate.yml'), join(inside, '.kmsgate.yml'));
    expect(expectRejected(kmsgate(['check', PLAN], { cwd: inside }), '.kmsgate.yml').join('\n')).toMatch(/unknown key 'unknownKeyInside'/);
    const piped = join(root, 'cwd-pipe');
    mkdirSync(piped);
    expect(spawnSync('mkfifo', [join(piped, '.kmsgate.yml')]).status).toBe(0);
    const { value: run, ms } = timed(() => kmsgate(['check', PLAN], { cwd: piped }));
    expect(expectRejected(run, '.kmsgate.yml').join('\n')).toMatch(/is not a regular file/);
    expect(ms).toBeLessThan(10_000);
  });
});
