// The first bytes decide how the rest is read: UTF-8 (with or without BOM) goes to the scanner as
// is; UTF-16 (PowerShell's `>` writes UTF-16LE with a BOM) is transcoded to UTF-8 chunk by chunk;
// anything else is named (a binary `tfplan`, gzip, UTF-32, human-readable plan output, HCL).

import { Buffer } from 'node:buffer';
import { LOOKS_LIKE } from './messages';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Sniffed {
  encoding: Encoding;
  /** Bytes of byte order mark to drop. */
  bom: number;
}

/** Bytes that can open a JSON text (a value or leading whitespace). */
const JSON_FIRST = new Set(Buffer.from('{["-0123456789tfn \t\r\n', 'latin1'));

/** How to read the input, from its first bytes (at least 4 unless the input is shorter). Throws nothing. */
export function sniff(head: Uint8Array): Sniffed | { looksLike: string } {
  const [b0, b1, b2, b3] = head;
  if ((b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) || (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00)) {
    return { looksLike: LOOKS_LIKE.utf32 };
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // Without a BOM, JSON's first character is ASCII, so UTF-16 shows as that byte next to a zero byte.
  if (b0 !== undefined && JSON_FIRST.has(b0) && b1 === 0x00 && (b3 === undefined || b3 === 0x00)) return { encoding: 'utf-16le', bom: 0 };
  if (b0 === 0x00 && b1 !== undefined && JSON_FIRST.has(b1) && (b2 === undefined || b2 === 0x00)) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

const HUMAN_PLAN = /^(?:Terraform |OpenTofu |Plan: |No changes\.|Note: |Changes to Outputs|Refreshing state|Acquiring state lock|Initializing |─|\S+: Refreshing state|\S+: Reading\.\.\.|\s*# \S+ (?:will|must) be )/;
const HCL = /^(?:(?:resource|data|module|provider|terraform|variable|output|locals|moved|import|check|removed)\s*(?:"|\{)|#|\/\/|\/\*)/;

function isBinary(head: Buffer): boolean {
  for (const c of head) if (c === 0x7f || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1b)) return true;
  // Only the prefix is checked, so a character cut at its end is fine; anything else is not UTF-8.
  const text = head.toString('utf8');
  return text.slice(0, -1).includes('\ufffd');
}

/** What a file whose first significant byte cannot start JSON looks like (`head`: its first bytes, decoded). */
export function describeNonJson(head: Buffer): string {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return LOOKS_LIKE.zip;
  if (head[0] === 0x1f && head[1] === 0x8b) return LOOKS_LIKE.gzip;
  // Coloured terminal output starts with an ANSI escape sequence.
  const text = head.toString('utf8').replace(/\u001b\[[0-9;]*m/g, '').trimStart();
  if (HUMAN_PLAN.test(text)) return LOOKS_LIKE.humanPlan;
  if (isBinary(head)) return LOOKS_LIKE.binary;
  if (HCL.test(text)) return LOOKS_LIKE.hcl;
  return LOOKS_LIKE.text;
}

/** UTF-16 to UTF-8, chunk by chunk (a chunk may end inside a code unit or a surrogate pair). */
export class Utf16Transcoder {
  private readonly decoder = new TextDecoder('utf-16le', { fatal: true });
  private odd: number | undefined;

  constructor(private readonly bigEndian: boolean) {}

  /** Throws a TypeError on invalid UTF-16 (an unpaired surrogate). */
  push(chunk: Uint8Array): Buffer {
    return Buffer.from(this.decoder.decode(this.bigEndian ? this.swap(chunk) : chunk, { stream: true }), 'utf8');
  }

  /** Throws a TypeError when the input ended inside a code unit or a surrogate pair. */
  end(): Buffer {
    if (this.odd !== undefined) throw new TypeError('odd number of bytes');
    return Buffer.from(this.decoder.decode(), 'utf8');
  }

  private swap(chunk: Uint8Array): Uint8Array {
    if (chunk.length === 0) return chunk;
    const carried = this.odd === undefined ? 0 : 1;
    const total = carried + chunk.length;
    const even = total - (total % 2);
    const out = Buffer.allocUnsafe(even);
    if (carried === 1) out[0] = this.odd!;
    out.set(chunk.subarray(0, even - carried), carried);
    this.odd = total % 2 === 1 ? chunk[chunk.length - 1] : undefined;
    return out.swap16();
  }
}
