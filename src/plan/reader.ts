// The load stage: bytes in chunks → a validated PlanDocument. A small file is parsed whole with
// JSON.parse; a large one streams through the scanner, which holds only what it parses (the
// resources of relevant types and the small sections), so a plan of any size goes through.

import { Buffer, constants, isUtf8 } from 'node:buffer';
import type { Json, PlanDocument } from './types';
import { Extractor } from './extract';
import { Scanner, JsonSyntaxError } from './scanner';
import { describeNonJson, sniff, Utf16Transcoder } from './encoding';
import { colonsIn, extractParsed } from './dom';
import { assembleDocument } from './document';
import { LOOKS_LIKE, emptyFileError, notPlanError, syntaxError } from './messages';
import { WARM_UP_DOCUMENTS } from './warm-up';

export interface PlanReader {
  /** The next bytes of the file. The reader copies what it keeps: the chunk's memory may be reused. */
  push(chunk: Uint8Array): void;
  /** The file ended: the document, or a UserError saying what the file is and how to get a plan. */
  end(): PlanDocument;
}

export interface PlanReaderOptions {
  /**
   * Files up to this many bytes are parsed whole with JSON.parse, faster for them than the scanner,
   * whose loop V8 must compile first; larger ones stream. 0 streams every file. Default 8 MiB (about
   * where streaming catches up, measured on 1–40 MB plans).
   */
  wholeFileBytes?: number;
  /**
   * The file's size, when known before reading: a file larger than `wholeFileBytes` then streams
   * from its first chunk, instead of being copied aside until the reader knows it is large.
   */
  sizeBytes?: number;
}

const WHOLE_FILE_BYTES = 8 << 20;
/** The most a caller may ask to parse whole: that parse holds about 3.5 times the file in memory. */
const WHOLE_FILE_LIMIT = 256 << 20;
/** Bytes needed to recognise a byte order mark. */
const SNIFF_BYTES = 4;
/** Bytes kept from the start to describe a file that is not JSON. */
const HEAD_BYTES = 64;

let warm = false;

/** Runs every path of the scanner once per process, before the first file streams (warm-up.ts). */
function warmUp(): void {
  if (warm) return;
  warm = true;
  for (const document of WARM_UP_DOCUMENTS) {
    const reader = new Reader('warm-up.json', 0);
    for (let at = 0; at < document.length; at += 61) reader.push(document.subarray(at, at + 61));
    reader.end();
  }
}

class Reader implements PlanReader {
  private readonly extractor: Extractor;
  private readonly scanner: Scanner;
  /** Copies of the bytes read before the reader knows whether it streams. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private streaming = false;
  private transcoder: Utf16Transcoder | undefined;
  private bom = 0;
  private head = Buffer.alloc(0);
  /**
   * The scanner found that the file cannot be JSON before HEAD_BYTES arrived: the description waits
   * for them, so that it does not depend on how the file was cut into chunks.
   */
  private notJson = false;
  private ended = false;

  constructor(
    private readonly file: string,
    private readonly wholeFileBytes: number,
    /** The file is known to be larger than `wholeFileBytes`. */
    private readonly large = false,
  ) {
    this.extractor = new Extractor(file, constants.MAX_STRING_LENGTH);
    this.scanner = new Scanner(this.extractor, constants.MAX_STRING_LENGTH);
    this.extractor.attach(this.scanner);
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('PlanReader: push after end');
    if (chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.streaming) return this.feed(bytes);
    // The scanner copies what it keeps of a chunk it is given, so a large file needs no copy here.
    if (this.large && this.pendingLength === 0 && bytes.length >= SNIFF_BYTES) return this.stream(bytes);
    this.pending.push(Buffer.from(bytes));
    this.pendingLength += bytes.length;
    if ((this.large || this.pendingLength > this.wholeFileBytes) && this.pendingLength >= SNIFF_BYTES) this.stream(this.takePending());
  }

  end(): PlanDocument {
    if (this.ended) throw new Error('PlanReader: end called twice');
    this.ended = true;
    if (!this.streaming) {
      if (this.pendingLength === 0) throw emptyFileError(this.file, false);
      const bytes = this.takePending();
      const document = this.whole(bytes);
      if (document !== undefined) return document;
      this.stream(bytes);
    }
    const transcoder = this.transcoder;
    if (transcoder !== undefined) {
      const rest = this.decode(() => transcoder.end());
      if (rest.length > 0) this.take(rest);
    }
    if (this.notJson) throw notPlanError(this.file, describeNonJson(this.head));
    this.scan(undefined, true);
    return assembleDocument(this.file, this.extractor.result);
  }

  private takePending(): Buffer {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLength);
    this.pending = [];
    return bytes;
  }

  /** The document from JSON.parse, when the file is plain UTF-8 JSON that the walk accepts; else undefined. */
  private whole(bytes: Buffer): PlanDocument | undefined {
    const sniffed = sniff(bytes);
    if ('looksLike' in sniffed || sniffed.encoding !== 'utf-8') return undefined;
    const body = bytes.subarray(sniffed.bom);
    if (!isUtf8(body)) return undefined;
    const text = body.toString('utf8');
    // A colon written as an escape would upset the count extractParsed checks for duplicate keys.
    if (text.includes('\\u003a') || text.includes('\\u003A')) return undefined;
    let value: Json;
    try {
      value = JSON.parse(text) as Json;
    } catch {
      return undefined;
    }
    const found = extractParsed(this.file, value, colonsIn(text));
    return found === undefined ? undefined : assembleDocument(this.file, found);
  }

  private stream(first: Buffer): void {
    warmUp();
    this.streaming = true;
    const sniffed = sniff(first);
    if ('looksLike' in sniffed) throw notPlanError(this.file, sniffed.looksLike);
    this.bom = sniffed.bom;
    if (sniffed.encoding !== 'utf-8') this.transcoder = new Utf16Transcoder(sniffed.encoding === 'utf-16be');
    this.feed(first.subarray(sniffed.bom));
  }

  private feed(raw: Buffer): void {
    const transcoder = this.transcoder;
    this.take(transcoder === undefined ? raw : this.decode(() => transcoder.push(raw)));
  }

  /** UTF-8 bytes for the scanner; the first HEAD_BYTES are kept to describe a file that is not JSON. */
  private take(utf8: Buffer): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, utf8.subarray(0, HEAD_BYTES - this.head.length)]);
    if (!this.notJson) this.scan(utf8, false);
    if (this.notJson && this.head.length >= HEAD_BYTES) throw notPlanError(this.file, describeNonJson(this.head));
  }

  private decode(step: () => Buffer): Buffer {
    try {
      return step();
    } catch (error) {
      if (error instanceof TypeError) throw notPlanError(this.file, LOOKS_LIKE.invalidUtf16);
      throw error;
    }
  }

  private scan(bytes: Buffer | undefined, last: boolean): void {
    try {
      if (bytes !== undefined) this.scanner.push(bytes);
      if (last) this.scanner.finish();
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      if (error.kind === 'blank') throw emptyFileError(this.file, true);
      if (error.kind === 'not-json') {
        this.notJson = true;
        if (!last && this.head.length < HEAD_BYTES) return;
        throw notPlanError(this.file, describeNonJson(this.head));
      }
      const place =
        this.transcoder === undefined
          ? `byte ${error.offset + this.bom} (line ${error.line}, column ${error.column})`
          : `line ${error.line}, column ${error.column}`;
      throw syntaxError(this.file, place, error.reason, error.kind);
    }
  }
}

/** A reader for one file; `file` is the name findings and errors use. */
export function createPlanReader(file: string, options: PlanReaderOptions = {}): PlanReader {
  const whole = Math.max(0, Math.min(options.wholeFileBytes ?? WHOLE_FILE_BYTES, WHOLE_FILE_LIMIT));
  return new Reader(file, whole, options.sizeBytes !== undefined && options.sizeBytes > whole);
}

/** The whole file at once. */
export function readPlan(file: string, bytes: Uint8Array, options: PlanReaderOptions = {}): PlanDocument {
  const reader = createPlanReader(file, options);
  reader.push(bytes);
  return reader.end();
}
