// Differential proof of the streaming loader: every real plan of the shared corpus (and every plan
// fixture of the project) read in chunks of many sizes, re-serialised in other key orders, styles
// and encodings, must give exactly what a plain JSON.parse walk gives.

import { Buffer } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPlanReader, readPlan, type InventoryEntry, type PlanDocument, type PlanReaderOptions } from '../../src/plan';
import { decodeText, referenceRead, write, type Reference, type Style } from './reference';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'plans');
const FIXTURE_DIRS = [join(ROOT, 'policies', 'fixtures'), join(ROOT, 'policies'), join(ROOT, 'testdata')];

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => path.endsWith('.json') && statSync(path).isFile())
    .sort();
}

/**
 * Project fixtures that are `terraform show -json` documents (other JSON files are not plans).
 * Plans broken on purpose, to test the CLI's exit 2, live under a `malformed/` folder.
 */
function fixturePlans(): string[] {
  const plans = new Set<string>();
  for (const path of FIXTURE_DIRS.flatMap(jsonFiles)) {
    if (path.split(/[\\/]/).includes('malformed')) continue;
    try {
      const doc = JSON.parse(decodeText(readFileSync(path))) as unknown;
      if (typeof doc === 'object' && doc !== null && 'format_version' in doc) plans.add(path);
    } catch {
      // not JSON, or not meant to load: other stages' fixtures
    }
  }
  return [...plans];
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Streams every file through the scanner (small files are otherwise parsed whole with JSON.parse). */
const STREAM: PlanReaderOptions = { wholeFileBytes: 0 };

/** Pushes `bytes` in chunks of the sizes `next` returns, through one scratch buffer that is overwritten after each push. */
function readChunked(file: string, bytes: Uint8Array, next: () => number, options: PlanReaderOptions = STREAM): PlanDocument {
  const reader = createPlanReader(file, options);
  const scratch = Buffer.alloc(Math.max(1, Math.min(bytes.length, 1 << 20)));
  for (let at = 0; at < bytes.length; ) {
    const size = Math.min(next(), bytes.length - at, scratch.length);
    scratch.set(bytes.subarray(at, at + size));
    reader.push(scratch.subarray(0, size));
    scratch.fill(0x41);
    at += size;
  }
  return reader.end();
}

function counts(inventory: readonly InventoryEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of inventory) {
    const key = `${entry.section} ${entry.mode} ${entry.type} ${entry.actions?.join('+') ?? '-'}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function expectSame(doc: PlanDocument, ref: Reference): void {
  expect(doc.kind).toBe(ref.kind);
  expect(doc.formatVersion).toBe(ref.formatVersion);
  expect(doc.terraformVersion).toBe(ref.terraformVersion);
  expect(doc.variables).toEqual(ref.variables);
  expect(doc.outputs).toEqual(ref.outputs);
  expect(doc.configuration).toEqual(ref.configuration);
  expect([doc.errored, doc.complete, doc.applyable]).toEqual([ref.errored, ref.complete, ref.applyable]);
  expect(doc.resourceChanges).toEqual(ref.resourceChanges);
  expect(doc.resourceDrift).toEqual(ref.resourceDrift);
  expect(doc.deferredChanges).toEqual(ref.deferredChanges);
  expect(doc.priorState).toEqual(ref.priorState);
  expect(doc.stateValues).toEqual(ref.stateValues);
  expect(counts(doc.inventory)).toEqual(counts(ref.inventory));
  expect(doc.inventory).toEqual(ref.inventory);
  const modules = new Set([...doc.priorState, ...doc.stateValues].map((r) => r.module_address));
  expect([...modules].every((address) => ref.moduleAddresses.includes(address))).toBe(true);
}

const corpus = jsonFiles(CORPUS);
const fixtures = fixturePlans();

describe('the shared corpus', () => {
  it('has the 60 real plans and states', () => {
    expect(corpus).toHaveLength(60);
  });

  it.each(corpus.map((path) => [relative(CORPUS, path), path]))('%s loads like JSON.parse, parsed whole or streamed in chunks of any size', (name, path) => {
    const bytes = readFileSync(path);
    const ref = referenceRead(bytes);
    expectSame(readPlan(name, bytes), ref);
    expectSame(readChunked(name, bytes, () => 1000, {}), ref);
    expectSame(readPlan(name, bytes, STREAM), ref);
    expectSame(readChunked(name, bytes, () => 7), ref);
    expectSame(readChunked(name, bytes, () => 64 << 10), ref);
    const random = mulberry32(bytes.length);
    expectSame(readChunked(name, bytes, () => 1 + Math.floor(random() * 40)), ref);
    // Told the size beforehand, the reader streams from the first chunk without copying it aside.
    const sized = { wholeFileBytes: 0, sizeBytes: bytes.length };
    expectSame(readChunked(name, bytes, () => 4096, sized), ref);
    expectSame(readChunked(name, bytes, () => 1 + Math.floor(random() * 40), sized), ref);
    if (bytes.length <= 64 << 10) expectSame(readChunked(name, bytes, () => 1), ref);
  }, 60_000);
});

const STYLES: Record<string, Style> = {
  minified: { indent: '', newline: '', order: 'as-is', escapeKeys: false, asciiOnly: false },
  pretty: { indent: '  ', newline: '\n', order: 'as-is', escapeKeys: false, asciiOnly: false },
  'jq -S': { indent: '  ', newline: '\n', order: 'sorted', escapeKeys: false, asciiOnly: false },
  'reversed keys, escaped keys, ASCII only': { indent: '', newline: '', order: 'reversed', escapeKeys: true, asciiOnly: true },
  'tabs and CRLF, sorted': { indent: '\t', newline: '\r\n', order: 'sorted', escapeKeys: false, asciiOnly: false },
};

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (bigEndian) body.swap16();
  return bom ? Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
}

describe('the corpus re-serialised', () => {
  it.each(corpus.map((path) => [relative(CORPUS, path), path]))('%s: key order, whitespace, escapes and encodings do not matter', (name, path) => {
    const bytes = readFileSync(path);
    const ref = referenceRead(bytes);
    const value = JSON.parse(decodeText(bytes)) as unknown;
    const random = mulberry32(7);
    for (const style of Object.values(STYLES)) {
      const text = write(value, style);
      expectSame(readPlan(name, Buffer.from(text, 'utf8')), ref);
      expectSame(readPlan(name, Buffer.from(text, 'utf8'), STREAM), ref);
      expectSame(readChunked(name, Buffer.from(text, 'utf8'), () => 1 + Math.floor(random() * 300)), ref);
    }
    const pretty = write(value, STYLES.pretty!);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pretty, 'utf8')]);
    expectSame(readPlan(name, bom), ref);
    expectSame(readPlan(name, bom, STREAM), ref);
    expectSame(readChunked(name, utf16(pretty, false, true), () => 1 + Math.floor(random() * 300)), ref);
    expectSame(readChunked(name, utf16(pretty, true, true), () => 1 + Math.floor(random() * 300)), ref);
    expectSame(readPlan(name, utf16(pretty, false, false)), ref);
  }, 60_000);
});

describe('project fixtures', () => {
  it('every plan JSON under policies/ and testdata/ loads like JSON.parse', () => {
    for (const path of fixtures) {
      const bytes = readFileSync(path);
      const name = relative(ROOT, path);
      expectSame(readPlan(name, bytes), referenceRead(bytes));
      expectSame(readPlan(name, bytes, STREAM), referenceRead(bytes));
      expectSame(readChunked(name, bytes, () => 13), referenceRead(bytes));
    }
  }, 120_000);
});
