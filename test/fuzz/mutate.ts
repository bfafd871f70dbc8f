// Mutations of real input, as data that fast-check generates and shrinks: edits at nodes of a JSON
// document (wrong types, hostile values, duplicate and prototype keys, deep nesting, numbers beyond
// 2^53), its serialisation (pretty, minified, byte order marks, UTF-16), edits of the bytes
// (truncation, flipped bits, invalid UTF-8), and the chunks the reader receives.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';

/** Raw JSON texts that have broken parsers before: each is valid JSON unless it says otherwise. */
const HOSTILE_RAW: readonly string[] = [
  'null',
  'true',
  'false',
  '0',
  '-0',
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '0.30000000000000004',
  '""',
  '[]',
  '{}',
  '"\\ud800"',
  '"\\udfff\\ud800"',
  '"\\u0000"',
  '"\\u001b[2J\\u001b[31mred\\u001b[0m"',
  '"\\u202eevil\\u202c"',
  '"<script>alert(1)</script> & \\" \' ]]>"',
  '"*"',
  '"${aws_iam_role.admin.arn}"',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"},"toString":1,"hasOwnProperty":2,"valueOf":3}',
  '["__proto__","constructor"]',
  '{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}',
  '"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"AWS\\":\\"*\\"},\\"Action\\":\\"kms:*\\",\\"Resource\\":\\"*\\"}]}"',
  '"{\\"Statement\\":[{\\"Effect\\":\\"Deny\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"*a*a*a*a*a*b\\",\\"Resource\\":\\"*\\"}]}"',
  '"{\\"Statement\\":"',
  '"{{address}} {{ $.values }}"',
];

/** Generated hostile texts, sized by a parameter so shrinking makes them small. */
function sized(kind: 'array' | 'object' | 'string' | 'strings' | 'number', n: number): string {
  switch (kind) {
    case 'array':
      return '['.repeat(n) + ']'.repeat(n);
    case 'object':
      return '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    case 'string':
      return `"${'A'.repeat(n)}"`;
    case 'strings':
      return `[${Array.from({ length: n }, (_, i) => `"s${i}"`).join(',')}]`;
    case 'number':
      return '9'.repeat(n);
  }
}

export const hostileRaw: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_RAW) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('array', 'object', 'string', 'strings', 'number') as fc.Arbitrary<'array' | 'object' | 'string' | 'strings' | 'number'>, fc.constantFrom(2, 63, 64, 65, 200, 1000, 5000, 20_000, 200_000))
      .map(([kind, n]) => sized(kind, kind === 'string' ? n * 10 : n)),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)) },
);

/** Keys that are dangerous to assign or that Terraform's format gives meaning to. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    'address',
    'type',
    'mode',
    'change',
    'actions',
    'after',
    'after_unknown',
    'after_sensitive',
    'before_sensitive',
    'sensitive_values',
    'values',
    'format_version',
    'resource_changes',
    'prior_state',
    'configuration',
    'policy',
    'Statement',
    'Principal',
    'Condition',
  ),
  fc.string({ maxLength: 12 }),
);

export type JsonEdit =
  | { kind: 'replace'; at: number; raw: string }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; raw: string }
  | { kind: 'duplicateKey'; at: number; raw: string; first: boolean }
  | { kind: 'wrap'; at: number; depth: number }
  | { kind: 'typeSwap'; at: number }
  | { kind: 'stringify'; at: number };

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), raw: hostileRaw }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: hostileKey, raw: hostileRaw }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicateKey' as const), at: fc.nat(), raw: hostileRaw, first: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), depth: fc.constantFrom(1, 2, 70, 600) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('typeSwap' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stringify' as const), at: fc.nat() }) },
);

export interface Style {
  indent: '' | '  ';
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
}

export const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom('' as const, '  ' as const),
  encoding: fc.constantFrom('utf-8' as const, 'utf-8' as const, 'utf-8' as const, 'utf-8-bom' as const, 'utf-16le' as const, 'utf-16be' as const),
});

function countNodes(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    count += 1;
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) pending.push(child);
  }
  return count;
}

/** The document written as JSON text with the edits applied at their nodes (numbered in pre-order). */
export function serialize(value: unknown, edits: readonly JsonEdit[], indent: string): string {
  const total = countNodes(value);
  const byNode = new Map<number, JsonEdit[]>();
  for (const edit of edits) {
    const at = edit.at % total;
    byNode.set(at, [...(byNode.get(at) ?? []), edit]);
  }
  let counter = 0;
  const write = (node: unknown, depth: number): string | undefined => {
    const index = counter;
    counter += 1;
    const here = byNode.get(index) ?? [];
    let text = plain(node, depth);
    for (const edit of here) {
      if (edit.kind === 'replace') text = edit.raw;
      else if (edit.kind === 'delete') return undefined;
      else if (edit.kind === 'wrap') text = '['.repeat(edit.depth) + text + ']'.repeat(edit.depth);
      else if (edit.kind === 'stringify') text = JSON.stringify(text);
      else if (edit.kind === 'typeSwap') text = swapped(node);
      else if (typeof node === 'object' && node !== null && !Array.isArray(node) && text.startsWith('{')) {
        const keys = Object.keys(node);
        const key = edit.kind === 'addKey' ? edit.key : (keys[edit.raw.length % Math.max(keys.length, 1)] ?? 'format_version');
        const member = `${JSON.stringify(key)}:${edit.raw}`;
        const inner = text.slice(1, -1).trim();
        text = inner === '' ? `{${member}}` : edit.kind === 'duplicateKey' && !edit.first ? `{${inner},${member}}` : `{${member},${inner}}`;
      }
    }
    return text;
  };
  const plain = (node: unknown, depth: number): string => {
    if (typeof node !== 'object' || node === null) return JSON.stringify(node) ?? 'null';
    const pad = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
    const close = indent === '' ? '' : `\n${indent.repeat(depth)}`;
    const colon = indent === '' ? ':' : ': ';
    if (Array.isArray(node)) {
      const parts = node.map((child) => write(child, depth + 1)).filter((p): p is string => p !== undefined);
      return parts.length === 0 ? '[]' : `[${parts.map((p) => pad + p).join(',')}${close}]`;
    }
    const parts: string[] = [];
    for (const [key, child] of Object.entries(node)) {
      const text = write(child, depth + 1);
      if (text !== undefined) parts.push(`${pad}${JSON.stringify(key)}${colon}${text}`);
    }
    return parts.length === 0 ? '{}' : `{${parts.join(',')}${close}}`;
  };
  return write(value, 0) ?? '';
}

/** The same content under another JSON type: what a schema change or a hand edit produces. */
function swapped(node: unknown): string {
  if (Array.isArray(node)) return JSON.stringify(Object.fromEntries(node.map((v, i) => [String(i), v])));
  if (typeof node === 'object' && node !== null) return JSON.stringify(Object.values(node));
  if (typeof node === 'string') return /^-?[0-9]+$/.test(node) ? node : JSON.stringify([node]);
  if (typeof node === 'number') return JSON.stringify(String(node));
  if (typeof node === 'boolean') return JSON.stringify(String(node));
  return '{}';
}

export function encode(text: string, encoding: Style['encoding']): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be': {
      const le = Buffer.from(text, 'utf16le');
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
    }
  }
}

export type ByteEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: readonly number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number };

/** Byte sequences that are not UTF-8, or not what a careless decoder expects. */
const ODD_BYTES: readonly (readonly number[])[] = [
  [0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0x22],
  [0x5c],
  [0x7b],
  [0x5d],
  [0x2c],
];

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, bytes: fc.oneof(fc.constantFrom(...ODD_BYTES), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fraction, length: fc.integer({ min: 1, max: 4096 }) }),
);

export function applyBytes(bytes: Buffer, edits: readonly ByteEdit[]): Buffer {
  let out = bytes;
  for (const edit of edits) {
    const at = Math.floor(edit.at * out.length);
    switch (edit.kind) {
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'flip': {
        if (out.length === 0) break;
        const copy = Buffer.from(out);
        copy[at] = (copy[at] ?? 0) ^ (1 << edit.bit);
        out = copy;
        break;
      }
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(edit.bytes), out.subarray(at)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + edit.length)]);
        break;
      case 'repeat':
        out = Buffer.concat([out.subarray(0, at + edit.length), out.subarray(at)]);
        break;
    }
  }
  return out;
}

/** How the reader is fed: chunk sizes used in turn, and whether small files may be parsed whole. */
export interface Feeding {
  chunks: readonly number[];
  whole: boolean;
}

export const feeding: fc.Arbitrary<Feeding> = fc.record({
  chunks: fc.oneof(fc.constant([1 << 20]), fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 70_000 })), { minLength: 1, maxLength: 4 })),
  whole: fc.boolean(),
});

export function chunksOf(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    out.push(bytes.subarray(at, at + size));
    at += size;
    i += 1;
  }
  return out;
}
