// JSON text the way Go writes it, because every policy string in a plan was written by Go: Terraform's
// `jsonencode` (cty), the provider's `aws_iam_policy_document` (encoding/json on structs), and the
// provider's normalisation of policy arguments (encoding/json on maps: keys sorted). A rebuilt
// document has to come out byte for byte like the real one, or before/after comparisons see changes
// that are not there.

/**
 * A JSON value as Go marshals it: plain objects are Go maps (keys sorted), `Map`s are Go structs
 * (fields in declaration order).
 */
export type GoJson =
  | null
  | boolean
  | number
  | string
  | readonly GoJson[]
  | ReadonlyMap<string, GoJson>
  | { readonly [key: string]: GoJson };

const HEX = '0123456789abcdef';

/**
 * encoding/json string escaping: HTML-safe (`<`, `>`, `&` as \u003c…), U+2028/U+2029 escaped, `\b`
 * and `\f` short forms (Go ≥ 1.22), other control characters as \u00XX, invalid UTF-16 as U+FFFD.
 */
export function goString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i += 1;
      } else {
        out += '\\ufffd';
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x3c:
      case 0x3e:
      case 0x26:
      case 0x2028:
      case 0x2029:
        out += `\\u${c.toString(16).padStart(4, '0')}`;
        break;
      default:
        out += c < 0x20 ? `\\u00${HEX[c >> 4]}${HEX[c & 15]}` : text[i];
    }
  }
  return `${out}"`;
}

/** Go's float64 formatting in encoding/json matches JavaScript's for finite numbers. */
function goNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Orders keys the way Go sorts map keys: by UTF-8 bytes, which is code point order. */
export function compareKeys(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** `json.Marshal`, or `json.MarshalIndent(v, "", "  ")` when `indent`. */
export function renderJson(value: GoJson, indent: boolean): string {
  return render(value, indent, '');
}

function render(value: GoJson, indent: boolean, prefix: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'string') return goString(value);
  const inner = `${prefix}  `;
  const open = indent ? `\n${inner}` : '';
  const close = indent ? `\n${prefix}` : '';
  const separator = indent ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    const list = value as readonly GoJson[];
    if (list.length === 0) return '[]';
    return `[${open}${list.map((v) => render(v, indent, inner)).join(separator)}${close}]`;
  }
  const entries: [string, GoJson][] =
    value instanceof Map
      ? [...(value as ReadonlyMap<string, GoJson>)]
      : Object.entries(value as { readonly [key: string]: GoJson }).sort(([a], [b]) => compareKeys(a, b));
  if (entries.length === 0) return '{}';
  const colon = indent ? ': ' : ':';
  const members = entries.map(([k, v]) => `${goString(k)}${colon}${render(v, indent, inner)}`);
  return `{${open}${members.join(separator)}${close}}`;
}

/** Terraform's `jsonencode`: minified, object keys sorted (cty objects and maps are ordered by key). */
export function jsonencode(value: GoJson): string {
  return renderJson(value, false);
}

/**
 * The provider's `structure.NormalizeJsonString`, the planned value of most policy arguments: parsed
 * into Go maps and marshalled again (minified, keys sorted). Text that is not JSON stays as written.
 */
export function normalizeJsonString(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return jsonencode(parsed as GoJson);
}

// The provider's `verify.LegacyPolicyNormalize`: normalised, then `"Version":"2012-10-17"` moved to the
// front because IAM's legacy parser rejects inline policies whose Version is not first.
const LEGACY_VERSION = /^(\{\n?)(.*?)(,\s*)?( {2})?("Version":\s*"2012-10-17")(,)?(\n)?(.*?)(\})/s;

export function legacyPolicyNormalize(text: string): string {
  if (text === '') return '';
  const normalized = normalizeJsonString(text);
  if (normalized === text && !isJson(text)) return text;
  return normalized.replace(LEGACY_VERSION, '$1$4$5$3$2$6$7$8$9');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
