// A validating JSON scanner over UTF-8 bytes that arrive in chunks of any size. It checks the whole
// RFC 8259 grammar (and UTF-8 well-formedness inside strings) byte by byte without building values,
// and reports structure to a listener only inside the containers the listener asked to enter: the
// rest of the document is validated at scanning speed and forgotten. The bytes of the values the
// listener wants to parse (captured values, keys, scalars) are held until they end (chunks.ts).

import { Buffer } from 'node:buffer';
import { Chunks } from './chunks';

/** What the listener wants done with a value that starts inside a container it entered. */
export const SKIP = 0;
/** Validate without events, then hand its byte range to `onCaptured`. Scalars go to `onScalar`. */
export const CAPTURE = 1;
/** Report its keys and values (containers only; a scalar goes to `onScalar`). */
export const ENTER = 2;
/** ENTER, and hold its bytes until it closes, for `bytes(start, end)` (see `mayDrop`). */
export const ENTER_CAPTURE = 3;
export type Action = typeof SKIP | typeof CAPTURE | typeof ENTER | typeof ENTER_CAPTURE;

export interface ScanListener {
  /** A value starts at global byte offset `at`; `first` is its first byte (`{`, `[`, `"`, `-`, a digit, `t`, `f`, `n`). */
  onValue(first: number, at: number): Action;
  /** A key of an entered object: `buf[start..end)` is the token, quotes included. */
  onKey(buf: Buffer, start: number, end: number, escaped: boolean): void;
  /** A scalar the listener entered or captured: `buf[start..end)` is the token (strings with their quotes). */
  onScalar(buf: Buffer, start: number, end: number, escaped: boolean): void;
  /** A captured container ended: global offsets, end exclusive. */
  onCaptured(start: number, end: number): void;
  /** An entered container ended: global offsets, end exclusive. */
  onClose(start: number, end: number): void;
  /** More than `limit` bytes would have to be kept for one value. Must throw. */
  onTooLarge(limit: number): never;
}

/**
 * What broke: `grammar` and `encoding` (invalid UTF-8) inside a JSON document, `truncated` at its
 * end; `not-json` before any object or array opened (the input is not JSON at all); `blank`: no value.
 */
export type SyntaxKind = 'grammar' | 'encoding' | 'truncated' | 'not-json' | 'blank';

/** The grammar or the encoding is broken at `offset` (a global byte offset). */
export class JsonSyntaxError extends Error {
  constructor(
    readonly kind: SyntaxKind,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'JsonSyntaxError';
  }
}

/** Deeper nesting than any Terraform value needs; keeps later recursive stages within the stack. */
export const MAX_DEPTH = 1000;

/** Bytes kept of a value that will probably not be parsed before they are dropped. */
const DROP_AFTER = 4 << 20;

const S_VALUE = 0;
const S_VALUE_OR_CLOSE = 1;
const S_KEY_OR_CLOSE = 2;
const S_KEY = 3;
const S_COLON = 4;
const S_AFTER = 5;
const S_DONE = 6;
const S_STRING = 7;
const S_ESCAPE = 8;
const S_HEX = 9;
const S_UTF8 = 10;
const S_MINUS = 11;
const S_ZERO = 12;
const S_INT = 13;
const S_DOT = 14;
const S_FRAC = 15;
const S_EXP_MARK = 16;
const S_EXP_SIGN = 17;
const S_EXP = 18;
const S_LITERAL = 19;

const OBJECT = 1;
const ARRAY = 2;

/** Bytes that need no attention inside a string: printable ASCII except `"` and `\`. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === 0x22 || c === 0x5c ? 0 : 1;
const HEX = new Uint8Array(256);
for (const c of Buffer.from('0123456789abcdefABCDEF', 'latin1')) HEX[c] = 1;
const ESCAPABLE = new Uint8Array(256);
for (const c of Buffer.from('"\\/bfnrtu', 'latin1')) ESCAPABLE[c] = 1;
const VALUE_START = new Uint8Array(256);
for (const c of Buffer.from('{["-0123456789tfn', 'latin1')) VALUE_START[c] = 1;
const LITERALS = Buffer.from('truefalsenull', 'latin1');

const EXPECTED: Record<number, string> = {
  [S_VALUE]: 'a value',
  [S_VALUE_OR_CLOSE]: "a value or ']'",
  [S_KEY_OR_CLOSE]: "a key string or '}'",
  [S_KEY]: 'a key string',
  [S_COLON]: "':'",
  [S_DONE]: 'the end of the file',
  [S_MINUS]: 'a digit',
  [S_DOT]: 'a digit',
  [S_EXP_MARK]: 'a digit or a sign',
  [S_EXP_SIGN]: 'a digit',
  [S_ESCAPE]: 'an escape character',
  [S_HEX]: 'a hex digit',
};

/** Why a byte is wrong, beyond "not what the state expects"; the message is built only on failure. */
const UNEXPECTED = 0;
const BAD_UTF8 = 1;
const BAD_UTF8_CONTINUATION = 2;
const CONTROL = 3;
const BAD_ESCAPE = 4;
const BAD_HEX = 5;
const TOO_DEEP = 6;
const BAD_LITERAL = 7;
const BAD_DIGIT = 8;
const BAD_FRACTION = 9;
const BAD_EXPONENT = 10;
const LEADING_ZERO = 11;

function show(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function reason(c: number, why: number, st: number, inObject: boolean): string {
  switch (why) {
    case BAD_UTF8:
      return `invalid UTF-8 (${show(c)})`;
    case BAD_UTF8_CONTINUATION:
      return `invalid UTF-8 (${show(c)} where a continuation byte was expected)`;
    case CONTROL:
      return `control character ${show(c)} inside a string (it must be escaped)`;
    case BAD_ESCAPE:
      return `invalid escape '\\${String.fromCharCode(c)}' in a string`;
    case BAD_HEX:
      return `unexpected ${show(c)} in a \\u escape (expected a hex digit)`;
    case TOO_DEEP:
      return `nesting deeper than ${MAX_DEPTH} levels`;
    case BAD_LITERAL:
      return `unexpected ${show(c)} in a literal (expected true, false or null)`;
    case BAD_DIGIT:
      return `unexpected ${show(c)} in a number (expected a digit)`;
    case BAD_FRACTION:
      return `unexpected ${show(c)} in a number (expected a digit after '.')`;
    case BAD_EXPONENT:
      return `unexpected ${show(c)} in a number (expected an exponent digit)`;
    case LEADING_ZERO:
      return 'a number with a leading zero';
  }
  if (st === S_DONE) return `unexpected ${show(c)} after the end of the JSON document`;
  if (st === S_AFTER) return `unexpected ${show(c)} (expected ${inObject ? "',' or '}'" : "',' or ']'"})`;
  const expected = EXPECTED[st];
  return expected === undefined ? `unexpected ${show(c)}` : `unexpected ${show(c)} (expected ${expected})`;
}

export class Scanner {
  private st = S_VALUE;
  private depth = 0;
  private readonly kinds = new Uint8Array(MAX_DEPTH + 2);
  private readonly starts = new Float64Array(MAX_DEPTH + 2);
  /** Depth of the outermost container being skipped; 0 while inside entered containers only. */
  private skipDepth = 0;
  private skipCapture = false;
  private skipStart = 0;
  /** Depth of the container entered with ENTER_CAPTURE whose bytes are kept; 0 when none. */
  private captureDepth = 0;
  private captureStart = 0;
  private captureOptional = false;
  private captureDropped = false;
  private tokenActive = false;
  private tokenStart = 0;
  private escaped = false;
  private inKey = false;
  private hexLeft = 0;
  private utf8Left = 0;
  private utf8Low = 0x80;
  private utf8High = 0xbf;
  private literal = 0;
  private literalEnd = 0;
  private line = 1;
  private lineStart = 0;
  /** A value began / an object or array opened at the top level. */
  private started = false;
  private opened = false;
  /** Global offset of the first byte of the chunk being scanned (or of the next one). */
  private base = 0;
  private readonly held = new Chunks();

  constructor(
    private readonly listener: ScanListener,
    /** The most bytes kept for one value (the V8 string limit). */
    private readonly captureLimit: number,
  ) {}

  /** Bytes scanned so far. */
  get offset(): number {
    return this.base;
  }

  /**
   * The container entered with ENTER_CAPTURE will probably not be parsed (its `type` is irrelevant):
   * its bytes may be dropped once they grow past DROP_AFTER, so a huge one does not stay in memory.
   */
  mayDrop(): void {
    this.captureOptional = true;
  }

  /** Its bytes are needed after all; false when they were already dropped. */
  keep(): boolean {
    this.captureOptional = false;
    return !this.captureDropped;
  }

  /** The bytes `[start, end)` (global offsets) of a value still held. */
  bytes(start: number, end: number): Buffer {
    return this.held.bytes(start, end);
  }

  push(b: Buffer): void {
    const n = b.length;
    if (n === 0) return;
    this.held.add(b, this.base);
    const L = this.listener;
    const kinds = this.kinds;
    const base = this.base;
    let st = this.st;
    let depth = this.depth;
    let skipDepth = this.skipDepth;
    let line = this.line;
    let lineStart = this.lineStart;
    let i = 0;
    loop: while (i < n) {
      let c = b[i]!;
      if (st <= S_DONE && c <= 0x20) {
        if (c === 0x20 || c === 0x09 || c === 0x0d) {
          i++;
          continue;
        }
        if (c === 0x0a) {
          i++;
          line++;
          lineStart = base + i;
          // The indentation of pretty-printed output.
          while (i < n && b[i] === 0x20) i++;
          continue;
        }
      }
      switch (st) {
        case S_STRING: {
          while (PLAIN[c] === 1) {
            if (++i === n) break loop;
            c = b[i]!;
          }
          if (c === 0x22) {
            i++;
            if (this.inKey) {
              if (this.tokenActive) this.endToken(b, i, true);
              st = S_COLON;
              // Minified `"key":"value"` in a skipped region: straight into the value string.
              if (skipDepth !== 0 && i + 1 < n && b[i] === 0x3a && b[i + 1] === 0x22) {
                i += 2;
                this.inKey = false;
                st = S_STRING;
              }
            } else {
              if (this.tokenActive) this.endToken(b, i, false);
              st = depth === 0 ? S_DONE : S_AFTER;
              // Minified `"value","key"` in a skipped object: straight into the next key.
              if (skipDepth !== 0 && i + 1 < n && b[i] === 0x2c && b[i + 1] === 0x22 && kinds[depth] === OBJECT) {
                i += 2;
                this.inKey = true;
                st = S_STRING;
              }
            }
          } else if (c === 0x5c) {
            i++;
            this.escaped = true;
            st = S_ESCAPE;
          } else if (c >= 0xc2 && c <= 0xf4) {
            this.utf8Lead(c);
            i++;
            st = S_UTF8;
          } else if (c >= 0x80) {
            throw this.fail(base + i, line, lineStart, c, BAD_UTF8, st, depth);
          } else {
            throw this.fail(base + i, line, lineStart, c, CONTROL, st, depth);
          }
          break;
        }
        case S_UTF8:
          if (c < this.utf8Low || c > this.utf8High) throw this.fail(base + i, line, lineStart, c, BAD_UTF8_CONTINUATION, st, depth);
          i++;
          this.utf8Low = 0x80;
          this.utf8High = 0xbf;
          if (--this.utf8Left === 0) st = S_STRING;
          break;
        case S_ESCAPE:
          if (ESCAPABLE[c] !== 1) throw this.fail(base + i, line, lineStart, c, BAD_ESCAPE, st, depth);
          i++;
          if (c === 0x75) {
            this.hexLeft = 4;
            st = S_HEX;
          } else st = S_STRING;
          break;
        case S_HEX:
          if (HEX[c] !== 1) throw this.fail(base + i, line, lineStart, c, BAD_HEX, st, depth);
          i++;
          if (--this.hexLeft === 0) st = S_STRING;
          break;
        case S_AFTER:
          if (c === 0x2c) {
            i++;
            st = kinds[depth] === OBJECT ? S_KEY : S_VALUE;
            if (st === S_KEY && skipDepth !== 0 && i < n && b[i] === 0x22) {
              i++;
              this.inKey = true;
              st = S_STRING;
            }
            break;
          }
          if (c === 0x7d || c === 0x5d) {
            if ((c === 0x7d) !== (kinds[depth] === OBJECT)) throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
            i++;
            if (skipDepth !== 0) {
              if (depth === skipDepth) {
                skipDepth = 0;
                if (this.skipCapture) L.onCaptured(this.skipStart, base + i);
              }
            } else {
              if (this.captureDepth === depth) this.captureDepth = 0;
              L.onClose(this.starts[depth]!, base + i);
            }
            depth--;
            st = depth === 0 ? S_DONE : S_AFTER;
            break;
          }
          throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
        case S_KEY_OR_CLOSE:
        case S_VALUE_OR_CLOSE:
          if (c === (st === S_KEY_OR_CLOSE ? 0x7d : 0x5d)) {
            i++;
            if (skipDepth !== 0) {
              if (depth === skipDepth) {
                skipDepth = 0;
                if (this.skipCapture) L.onCaptured(this.skipStart, base + i);
              }
            } else {
              if (this.captureDepth === depth) this.captureDepth = 0;
              L.onClose(this.starts[depth]!, base + i);
            }
            depth--;
            st = depth === 0 ? S_DONE : S_AFTER;
            break;
          }
          if (st === S_KEY_OR_CLOSE ? c !== 0x22 : VALUE_START[c] !== 1) throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
          // Read the byte again as the key or the value it starts.
          st = st === S_KEY_OR_CLOSE ? S_KEY : S_VALUE;
          continue;
        case S_KEY:
          if (c !== 0x22) throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
          i++;
          this.inKey = true;
          this.escaped = false;
          if (skipDepth === 0) {
            this.tokenActive = true;
            this.tokenStart = base + i - 1;
          }
          st = S_STRING;
          break;
        case S_COLON:
          if (c !== 0x3a) throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
          i++;
          st = S_VALUE;
          break;
        case S_VALUE: {
          if (VALUE_START[c] !== 1) throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
          this.started = true;
          const action = skipDepth === 0 ? L.onValue(c, base + i) : SKIP;
          if (c === 0x7b || c === 0x5b) {
            if (++depth > MAX_DEPTH) throw this.fail(base + i, line, lineStart, c, TOO_DEEP, st, depth);
            kinds[depth] = c === 0x7b ? OBJECT : ARRAY;
            this.opened = true;
            if (skipDepth === 0) {
              if (action === SKIP || action === CAPTURE) {
                skipDepth = depth;
                this.skipCapture = action === CAPTURE;
                this.skipStart = base + i;
              } else {
                this.starts[depth] = base + i;
                if (action === ENTER_CAPTURE && this.captureDepth === 0) {
                  this.captureDepth = depth;
                  this.captureStart = base + i;
                  this.captureOptional = false;
                  this.captureDropped = false;
                }
              }
            }
            i++;
            st = c === 0x7b ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
            break;
          }
          this.escaped = false;
          if (action !== SKIP) {
            this.tokenActive = true;
            this.tokenStart = base + i;
          }
          i++;
          if (c === 0x22) {
            this.inKey = false;
            st = S_STRING;
          } else if (c === 0x2d) st = S_MINUS;
          else if (c === 0x30) st = S_ZERO;
          else if (c <= 0x39) st = S_INT;
          else {
            this.literal = c === 0x74 ? 1 : c === 0x66 ? 5 : 10;
            this.literalEnd = c === 0x74 ? 4 : c === 0x66 ? 9 : 13;
            st = S_LITERAL;
          }
          break;
        }
        case S_LITERAL:
          if (c !== LITERALS[this.literal]) throw this.fail(base + i, line, lineStart, c, BAD_LITERAL, st, depth);
          i++;
          if (++this.literal === this.literalEnd) {
            if (this.tokenActive) this.endToken(b, i, false);
            st = depth === 0 ? S_DONE : S_AFTER;
          }
          break;
        case S_MINUS:
          if (c < 0x30 || c > 0x39) throw this.fail(base + i, line, lineStart, c, BAD_DIGIT, st, depth);
          i++;
          st = c === 0x30 ? S_ZERO : S_INT;
          break;
        case S_ZERO:
        case S_INT:
        case S_FRAC:
        case S_EXP:
          if (st !== S_ZERO) {
            while (c >= 0x30 && c <= 0x39) {
              if (++i === n) break loop;
              c = b[i]!;
            }
          }
          if (c === 0x2e && (st === S_INT || st === S_ZERO)) {
            i++;
            st = S_DOT;
          } else if ((c === 0x65 || c === 0x45) && st !== S_EXP) {
            i++;
            st = S_EXP_MARK;
          } else if (c >= 0x30 && c <= 0x39) {
            throw this.fail(base + i, line, lineStart, c, LEADING_ZERO, st, depth);
          } else {
            if (this.tokenActive) this.endToken(b, i, false);
            st = depth === 0 ? S_DONE : S_AFTER;
          }
          break;
        case S_DOT:
          if (c < 0x30 || c > 0x39) throw this.fail(base + i, line, lineStart, c, BAD_FRACTION, st, depth);
          i++;
          st = S_FRAC;
          break;
        case S_EXP_MARK:
        case S_EXP_SIGN:
          if (st === S_EXP_MARK && (c === 0x2b || c === 0x2d)) {
            i++;
            st = S_EXP_SIGN;
            break;
          }
          if (c < 0x30 || c > 0x39) throw this.fail(base + i, line, lineStart, c, BAD_EXPONENT, st, depth);
          i++;
          st = S_EXP;
          break;
        case S_DONE:
          throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
        default:
          throw this.fail(base + i, line, lineStart, c, UNEXPECTED, st, depth);
      }
    }
    this.st = st;
    this.depth = depth;
    this.skipDepth = skipDepth;
    this.line = line;
    this.lineStart = lineStart;
    this.base = base + n;
    this.releaseChunks();
  }

  /** The input ended: checks that exactly one complete value was read. */
  finish(): void {
    const st = this.st;
    if (this.depth === 0 && (st === S_ZERO || st === S_INT || st === S_FRAC || st === S_EXP)) {
      if (this.tokenActive) {
        const token = this.bytes(this.tokenStart, this.base);
        this.tokenActive = false;
        this.listener.onScalar(token, 0, token.length, false);
      }
      this.st = S_DONE;
      return;
    }
    if (st === S_DONE) return;
    if (!this.started) throw this.error('blank', this.base, 'no JSON value');
    if (!this.opened) throw this.error('not-json', this.base, 'no complete JSON value');
    const where =
      st === S_STRING || st === S_ESCAPE || st === S_HEX || st === S_UTF8
        ? 'inside a string'
        : this.depth > 0
          ? `with ${this.depth} unclosed ${this.depth === 1 ? 'object or array' : 'objects or arrays'}`
          : 'inside a value';
    throw this.error('truncated', this.base, `the file ends ${where} (truncated)`);
  }

  /** The bytes a UTF-8 lead byte (0xc2..0xf4) calls for: RFC 3629's table excludes overlongs, surrogates and > U+10FFFF. */
  private utf8Lead(c: number): void {
    if (c <= 0xdf) this.utf8(1, 0x80, 0xbf);
    else if (c === 0xe0) this.utf8(2, 0xa0, 0xbf);
    else if (c === 0xed) this.utf8(2, 0x80, 0x9f);
    else if (c <= 0xef) this.utf8(2, 0x80, 0xbf);
    else if (c === 0xf0) this.utf8(3, 0x90, 0xbf);
    else if (c <= 0xf3) this.utf8(3, 0x80, 0xbf);
    else this.utf8(3, 0x80, 0x8f);
  }

  private utf8(left: number, low: number, high: number): void {
    this.utf8Left = left;
    this.utf8Low = low;
    this.utf8High = high;
  }

  private endToken(b: Buffer, end: number, key: boolean): void {
    this.tokenActive = false;
    const start = this.tokenStart - this.base;
    const escaped = this.escaped;
    if (start >= 0) {
      if (key) this.listener.onKey(b, start, end, escaped);
      else this.listener.onScalar(b, start, end, escaped);
      return;
    }
    const token = this.bytes(this.tokenStart, this.base + end);
    if (key) this.listener.onKey(token, 0, token.length, escaped);
    else this.listener.onScalar(token, 0, token.length, escaped);
  }

  /** Lets go of the chunks no value in progress needs; drops an unneeded capture that grew large. */
  private releaseChunks(): void {
    if (this.captureDepth !== 0 && this.captureOptional && this.base - this.captureStart > Math.min(DROP_AFTER, this.captureLimit)) {
      this.captureDepth = 0;
      this.captureDropped = true;
    }
    let keep = Infinity;
    if (this.captureDepth !== 0) keep = this.captureStart;
    else if (this.skipDepth !== 0 && this.skipCapture) keep = this.skipStart;
    else if (this.tokenActive) keep = this.tokenStart;
    if (this.base - keep > this.captureLimit) this.listener.onTooLarge(this.captureLimit);
    this.held.release(keep);
  }

  /** The error for byte `c` at `offset` in state `st` (kept out of the loop: only failures build messages). */
  private fail(offset: number, line: number, lineStart: number, c: number, why: number, st: number, depth: number): JsonSyntaxError {
    this.line = line;
    this.lineStart = lineStart;
    const kind = why === BAD_UTF8 || why === BAD_UTF8_CONTINUATION ? 'encoding' : 'grammar';
    return this.error(this.opened ? kind : 'not-json', offset, reason(c, why, st, this.kinds[depth] === OBJECT));
  }

  private error(kind: SyntaxKind, offset: number, reason: string): JsonSyntaxError {
    return new JsonSyntaxError(kind, offset, this.line, offset - this.lineStart + 1, reason);
  }
}
