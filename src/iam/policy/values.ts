// Value helpers shared by the parser and the matchers: numbers, dates, IP ranges, policy variables.

/** Number for Numeric* operators; null when the text is not a number. */
export function parseNumber(text: string): number | null {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Milliseconds since the epoch for Date* operators: W3C ISO 8601 or epoch seconds. */
export function parseDate(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/.test(text)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

export interface IpRange {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out[i] = Number(p);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let groups: string[];
  const dbl = text.split('::');
  if (dbl.length > 2) return null;
  let tailV4: Uint8Array | null = null;
  let src = text;
  const lastColon = src.lastIndexOf(':');
  if (src.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(src.slice(lastColon + 1));
    if (!tailV4) return null;
    src = `${src.slice(0, lastColon + 1)}0:0`;
  }
  const halves = src.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else groups = head;
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? '';
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tailV4) out.set(tailV4, 12);
  return out;
}

/** CIDR or bare address (a bare address is /32 or /128). */
export function parseIpRange(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const v4 = parseIpv4(addr);
  const bytes = v4 ?? parseIpv6(addr);
  if (!bytes) return null;
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null;
    prefix = Number(p);
  }
  return { version: v4 ? 4 : 6, bytes, prefix };
}

/** Bitwise prefix comparison: no shifts by 32 (the iam-simulate `/0` bug), byte by byte. */
export function ipInRange(address: IpRange, range: IpRange): boolean {
  if (address.version !== range.version) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const a = address.bytes[i] ?? 0;
    const b = range.bytes[i] ?? 0;
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a & mask) !== (b & mask)) return false;
  }
  return true;
}

/** Policy variables `${aws:username}`, `${aws:PrincipalTag/x, 'default'}`, and `${*}` `${?}` `${$}`. Not `${tf:…}`. */
export const VARIABLE = /\$\{(?!tf:)([^}]*)\}/g;

export function hasPolicyVariable(text: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(text);
}
