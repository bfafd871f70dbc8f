// Edits of YAML text as an attacker writes them into a policy folder or a config file: tags that
// other loaders turn into code, aliases that multiply, merge keys, prototype keys, JSONPath filter and
// script expressions, glob patterns that make a backtracking matcher explode, deep nesting.

import fc from 'fast-check';
import { parse } from 'yaml';
import { MAX_FILE_BYTES } from '../../src/policy/yaml';
import { hostileRaw, jsonEdit, serialize, type JsonEdit } from './mutate';

const laughs = (levels: number): string => {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i += 1) lines.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
};

const SNIPPETS: readonly string[] = [
  'x: !!js/function "function () { globalThis.polluted = 1; return 1 }"',
  'x: !!js/undefined ""',
  'x: !!js/regexp /a+$/',
  'x: !!python/object/apply:os.system ["id"]',
  'x: !custom 1',
  'x: !<tag:example.com,2000:app/foo> bar',
  'x: !!binary aGVsbG8=',
  'x: !!set { a, b }',
  'x: !!omap [ a: 1, b: 2 ]',
  'x: !!timestamp 2001-12-14t21:59:43.10-05:00',
  'x: !!float .nan',
  'x: !!int 0x7fffffffffffffffff',
  'x: 1e400',
  'x: 123456789012345678901234567890',
  laughs(3),
  laughs(9),
  'base: &base { severity: critical }\nmerged:\n  <<: *base',
  '<<: { id: merged }',
  '__proto__: { polluted: yes }',
  'constructor: { prototype: { polluted: yes } }',
  '"__proto__": 1',
  'id: another-id',
  'require: { path: "$[?(@.x)]", exists: true }',
  'require: { path: "$..[?(this.constructor.constructor(\'return process\')().exit(7))]", exists: true }',
  'require: { path: "$.values[(@.length-1)]", exists: true }',
  'require: { path: "$..*", exists: true }',
  'require: { path: "$..__proto__", exists: true }',
  'require: { path: "$.constructor.prototype", exists: true }',
  'require: { path: "$[0:100000000:1]", exists: true }',
  'require: { path: "$..[-1:]", exists: true }',
  'require: { path: "$.values[@.x]", exists: true }',
  'require: { path: "$..@other()", exists: true }',
  'require: { path: "$..*@string()", exists: true }',
  'require: { path: "$[ ?(@.x) ]", exists: true }',
  'require: { path: "$.values[", exists: true }',
  "require: { path: \"$.values['a','b']\", exists: true }",
  'require: { path: "$.values.a^^^~", exists: true }',
  'require: { path: "$.values.tags", matches: "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b" }',
  'require: { path: "$.address", subsetOf: ["*a*a*a*a*a*a*a*a*a*a*b", "?*?*?*?*?*?*?*?*?*?*x"] }',
  'require: { path: "$.values.description", matches: "[a-z]+(a+)+$" }',
  'forEach: "$..*"',
  'message: "{{ $..* }} {{ $[?(@)] }} {{ param.__proto__ }} {{ {{ }}"',
  'parameters: { __proto__: { type: string, default: x, description: y } }',
  'x: &a [*a]',
  'x: *undefined_alias',
  `x: ${'['.repeat(200)}${']'.repeat(200)}`,
  `x: ${'{a: '.repeat(200)}1${'}'.repeat(200)}`,
  `x: ${'- '.repeat(100)}deep`,
  `x: "${'A'.repeat(100_000)}"`,
  'x: |\n  literal\n  block',
  '%YAML 1.2\n---',
  '---\nsecond: document',
  '...',
  '? complex key\n: value',
  '? [a, b]\n: value',
  'x: "\\u0000 \\e \\x1b[2J \\u202e"',
  '\t tab: indented',
  '\uFEFFx: 1',
];

export type YamlEdit =
  | { kind: 'insertLine'; line: number; snippet: string; indent: boolean }
  | { kind: 'replaceValue'; line: number; raw: string }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'structured'; edits: readonly JsonEdit[] };

export const yamlEdit: fc.Arbitrary<YamlEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insertLine' as const), line: fc.nat(), snippet: fc.constantFrom(...SNIPPETS), indent: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replaceValue' as const), line: fc.nat(), raw: fc.oneof(hostileRaw, fc.constantFrom(...SNIPPETS.map((s) => s.replace(/^[^:]*: /, '')))) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('structured' as const), edits: fc.array(jsonEdit, { minLength: 1, maxLength: 3 }) }) },
);

export function applyYaml(text: string, edits: readonly YamlEdit[]): string {
  let out = text;
  for (const edit of edits) {
    const lines = out.split('\n');
    const at = lines.length === 0 ? 0 : ('line' in edit ? edit.line % lines.length : 0);
    switch (edit.kind) {
      case 'insertLine': {
        const indent = edit.indent ? (/^\s*/.exec(lines[at] ?? '')?.[0] ?? '') : '';
        lines.splice(at, 0, ...edit.snippet.split('\n').map((l) => indent + l));
        out = lines.join('\n');
        break;
      }
      case 'replaceValue': {
        const line = lines[at] ?? '';
        const colon = line.indexOf(': ');
        lines[at] = colon >= 0 ? `${line.slice(0, colon + 2)}${edit.raw}` : `${line}${edit.raw}`;
        out = lines.join('\n');
        break;
      }
      case 'deleteLine':
        lines.splice(at, 1);
        out = lines.join('\n');
        break;
      case 'truncate':
        out = out.slice(0, Math.floor(edit.at * out.length));
        break;
      case 'structured': {
        // JSON is YAML: the same document with wrong types, hostile values and keys at any node.
        // kmsgate refuses a file this large unread, and the YAML library can take minutes on it
        // (every error quotes its whole line): leave it as it is.
        if (out.length > MAX_FILE_BYTES) break;
        let value: unknown;
        try {
          value = parse(out, { logLevel: 'silent' });
          // A self-referring alias gives a value that contains itself: nothing to serialise.
          JSON.stringify(value);
        } catch {
          break;
        }
        try {
          out = serialize(value, edit.edits, '  ');
        } catch {
          // Nested deeper than the serialiser's stack (an earlier edit): keep the text as it is.
        }
        break;
      }
    }
  }
  return out;
}
