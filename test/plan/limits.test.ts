// Hostile sizes: a value too large to parse is refused with its path, whether it arrives in one
// chunk or streams in many, before the reader holds more than the limit. (Limits shrunk to test.)

import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors';
import { Extractor } from '../../src/plan/extract';
import { Scanner } from '../../src/plan/scanner';

function scan(text: string, chunk: number, limit: number): void {
  const extractor = new Extractor('big.json', limit);
  const scanner = new Scanner(extractor, limit);
  extractor.attach(scanner);
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, at + chunk));
  scanner.finish();
}

function failure(text: string, chunk: number): string {
  try {
    scan(text, chunk, 1000);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const TOO_LARGE = 'a single value is larger than 1000 bytes, more than kmsgate can parse at once; split the configuration into smaller stacks';
const key = (description: string): string =>
  `{"format_version":"1.2","resource_changes":[{"address":"aws_kms_key.k","mode":"managed","type":"aws_kms_key","name":"k","change":{"actions":["create"],"after":{"description":"${description}"}}}]}`;

describe('values larger than the parse limit', () => {
  it('a relevant resource, in one chunk or streamed', () => {
    expect(() => scan(key('x'.repeat(500)), 1 << 20, 1000)).not.toThrow();
    expect(failure(key('x'.repeat(2000)), 1 << 20)).toBe(`big.json: resource_changes[0]: ${TOO_LARGE}`);
    expect(failure(key('x'.repeat(2000)), 100)).toBe(`big.json: resource_changes[0].change: ${TOO_LARGE}`);
  });

  it('a section parsed whole, a scalar', () => {
    const configuration = `{"format_version":"1.2","configuration":{"root_module":{"x":"${'y'.repeat(2000)}"}}}`;
    expect(failure(configuration, 1 << 20)).toBe(`big.json: ${TOO_LARGE}`);
    expect(failure(configuration, 64)).toBe(`big.json: ${TOO_LARGE}`);
    expect(failure(`{"format_version":"${'1'.repeat(2000)}"}`, 1 << 20)).toBe(`big.json: ${TOO_LARGE}`);
  });

  it('an irrelevant resource is not held, whatever its size', () => {
    const bucket = `{"format_version":"1.2","resource_changes":[{"address":"aws_s3_object.o","mode":"managed","type":"aws_s3_object","name":"o","change":{"actions":["create"],"after":{"content":"${'z'.repeat(50_000)}"}}}]}`;
    expect(() => scan(bucket, 100, 1000)).not.toThrow();
  });
});
