// Property tests of the byte scanner against JSON.parse: it accepts exactly what JSON.parse accepts
// (fed in random chunks), and the events it reports rebuild the same values, whatever the chunking.

import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURE, ENTER, ENTER_CAPTURE, JsonSyntaxError, SKIP, Scanner, type Action, type ScanListener } from '../../src/plan/scanner';
import { readPlan } from '../../src/plan';
import { referenceRead, write } from './reference';

const RUNS = { seed: 20240611, numRuns: 400 };

class Validate implements ScanListener {
  onValue(): Action {
    return SKIP;
  }
  onKey(): void {}
  onScalar(): void {}
  onCaptured(): void {}
  onClose(): void {}
  onTooLarge(): never {
    throw new Error('too large');
  }
}

type Container = unknown[] | Record<string, unknown>;

/** Rebuilds the document from the events, choosing per container to enter it, capture it, or both. */
class Rebuild implements ScanListener {
  result: unknown;
  readonly scanner: Scanner;
  private readonly stack: { value: Container; key: string; action: Action }[] = [];

  constructor(private readonly choose: () => Action) {
    this.scanner = new Scanner(this, 1 << 30);
  }

  onValue(first: number): Action {
    if (first !== 0x7b && first !== 0x5b) return CAPTURE;
    const action = this.choose();
    if (action === ENTER || action === ENTER_CAPTURE) this.stack.push({ value: first === 0x7b ? {} : [], key: '', action });
    return action;
  }
  onKey(buf: Buffer, start: number, end: number): void {
    this.stack[this.stack.length - 1]!.key = JSON.parse(buf.toString('utf8', start, end)) as string;
  }
  onScalar(buf: Buffer, start: number, end: number): void {
    this.put(JSON.parse(buf.toString('utf8', start, end)));
  }
  onCaptured(start: number, end: number): void {
    this.put(JSON.parse(this.scanner.bytes(start, end).toString('utf8')));
  }
  onClose(start: number, end: number): void {
    const frame = this.stack.pop()!;
    if (frame.action === ENTER_CAPTURE) expect(JSON.parse(this.scanner.bytes(start, end).toString('utf8'))).toEqual(frame.value);
    this.put(frame.value);
  }
  onTooLarge(): never {
    throw new Error('too large');
  }

  private put(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) this.result = value;
    else if (Array.isArray(top.value)) top.value.push(value);
    else Object.defineProperty(top.value, top.key, { value, enumerable: true, writable: true, configurable: true });
  }
}

function feed(scanner: Scanner, bytes: Buffer, sizes: number[]): void {
  let k = 0;
  for (let at = 0; at < bytes.length; ) {
    const size = sizes.length === 0 ? bytes.length : sizes[k++ % sizes.length]!;
    scanner.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  scanner.finish();
}

function accepts(bytes: Buffer, sizes: number[]): boolean {
  try {
    feed(new Scanner(new Validate(), 1 << 30), bytes, sizes);
    return true;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return false;
    throw error;
  }
}

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

const json = fc.oneof(fc.json({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value, null, '\t')));
const chunks = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 });
const EDIT_CHARS = ' \t\r\n{}[]:,"\\/0123456789.eE+-truefalsn\u0001\u007f';

describe('the scanner agrees with JSON.parse', () => {
  it('accepts every JSON text', () => {
    fc.assert(
      fc.property(json, chunks, (text, sizes) => {
        expect(accepts(Buffer.from(text, 'utf8'), sizes)).toBe(true);
      }),
      RUNS,
    );
  });

  it('accepts or rejects a JSON text with one byte edited exactly as JSON.parse does', () => {
    // Half of the edits land on a structural byte, where grammar mistakes hide.
    const edited = fc.tuple(json, fc.nat(), fc.boolean(), fc.constantFrom('insert', 'delete', 'replace'), fc.oneof(fc.constantFrom(...'{}[]:,"'), fc.constantFrom(...EDIT_CHARS))).map(([text, at, structural, op, char]) => {
      const bytes = Buffer.from(text, 'utf8');
      const marks = [...bytes.keys()].filter((k) => '{}[]:,"'.includes(String.fromCharCode(bytes[k]!)));
      const i = structural && marks.length > 0 ? marks[at % marks.length]! : bytes.length === 0 ? 0 : at % bytes.length;
      const c = Buffer.from(char, 'latin1');
      if (op === 'insert') return Buffer.concat([bytes.subarray(0, i), c, bytes.subarray(i)]);
      if (op === 'delete') return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      return Buffer.concat([bytes.subarray(0, i), c, bytes.subarray(i + 1)]);
    });
    fc.assert(
      fc.property(edited, chunks, (bytes, sizes) => {
        expect(accepts(bytes, sizes)).toBe(parses(bytes));
      }),
      { ...RUNS, numRuns: 3000 },
    );
  });

  it('rebuilds every value from its events, whatever the chunking and the choice to enter or capture', () => {
    fc.assert(
      fc.property(json, chunks, fc.array(fc.constantFrom<Action>(CAPTURE, ENTER, ENTER_CAPTURE), { minLength: 1, maxLength: 7 }), (text, sizes, choices) => {
        let k = 0;
        const rebuild = new Rebuild(() => choices[k++ % choices.length]!);
        feed(rebuild.scanner, Buffer.from(text, 'utf8'), sizes);
        expect(rebuild.result).toEqual(JSON.parse(text));
      }),
      RUNS,
    );
  });
});

describe('the reader on plans holding arbitrary JSON', () => {
  const value = fc.jsonValue({ maxDepth: 5 });
  const type = fc.constantFrom('aws_kms_key', 'aws_s3_bucket', 'aws_iam_role', 'aws_instance');
  it('loads like JSON.parse wherever the JSON sits', () => {
    fc.assert(
      fc.property(value, type, fc.boolean(), (inner, resourceType, sorted) => {
        const plan = {
          format_version: '1.2',
          checks: [inner],
          resource_changes: [{ address: `${resourceType}.a`, mode: 'managed', type: resourceType, name: 'a', change: { actions: ['update'], before: inner, after: { inner } } }],
          planned_values: { root_module: { resources: [{ address: `${resourceType}.a`, mode: 'managed', type: resourceType, name: 'a', values: { inner } }] } },
          prior_state: { values: { root_module: { resources: [{ address: `data.${resourceType}.a`, mode: 'data', type: resourceType, name: 'a', values: { inner } }] } } },
          configuration: { root_module: { variables: { v: { default: inner } } } },
        };
        const text = write(plan, { indent: sorted ? ' ' : '', newline: '\n', order: sorted ? 'sorted' : 'as-is', escapeKeys: sorted, asciiOnly: false });
        const bytes = Buffer.from(text, 'utf8');
        const doc = readPlan('generated.json', bytes);
        expect(readPlan('generated.json', bytes, { wholeFileBytes: 0 })).toEqual(doc);
        const ref = referenceRead(bytes);
        expect(doc.resourceChanges).toEqual(ref.resourceChanges);
        expect(doc.priorState).toEqual(ref.priorState);
        expect(doc.configuration).toEqual(ref.configuration);
        expect(doc.inventory).toEqual(ref.inventory);
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});
