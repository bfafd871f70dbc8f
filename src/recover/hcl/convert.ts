// hcl2json output → `Expr`. `parse` gives a block's arguments as JSON in which every expression that
// is not a literal is a template string (`"${jsonencode({…})}"`, `"arn:${var.x}"`, heredocs already
// de-indented); such a string is wrapped in a heredoc of our own and handed to `getExpressionAst`,
// whose tree is converted here. The tree gives literal parts as source text, so escapes are decoded
// here, and object keys written as bare names only as byte ranges into the expression.

import type { Json } from '../../plan/types';
import type { Expr, TraversalStep } from '../types';

export interface AstNode {
  type: string;
  range?: { start: { byte: number }; end: { byte: number } };
  meta?: Record<string, unknown>;
  children?: AstNode[];
}

/** The part of `@cdktf/hcl2json` the preparation uses; tests may pass a stand-in. */
export interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getExpressionAst(filename: string, expression: string): Promise<AstNode | null>;
}

type Style = 'quoted' | 'heredoc';

const MAX_EXPRESSION_DEPTH = 200;

/** Does a string from hcl2json hold an interpolation or directive (not the escapes `$${`, `%%{`)? */
export const isTemplate = (text: string): boolean => /(^|[^$%])[$%]\{/.test(text);

/** Literal text of a template: `$${`/`%%{` stand for `${`/`%{`; quoted strings also have backslash escapes. */
export function decodeLiteral(raw: string, style: Style): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i]!;
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += `${c}{`;
      i += 2;
    } else if (c === '\\' && style === 'quoted' && i + 1 < raw.length) {
      const e = raw[i + 1]!;
      const width = e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (width > 0) {
        out += String.fromCodePoint(Number.parseInt(raw.slice(i + 2, i + 2 + width), 16));
        i += 1 + width;
      } else {
        out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
        i += 1;
      }
    } else {
      out += c;
    }
  }
  return out;
}

/** Maps UTF-8 byte offsets of the AST's ranges to string indices. */
function byteIndex(text: string): (byte: number) => number {
  if (/^[\x00-\x7f]*$/.test(text)) return (byte) => byte;
  const starts: number[] = [];
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let b = 0; b < size; b += 1) starts.push(index);
    index += ch.length;
  }
  starts.push(index);
  return (byte) => starts[byte] ?? index;
}

function parseKey(segment: string): string | number {
  if (segment.startsWith('"')) return decodeLiteral(segment.slice(1, -1), 'quoted');
  const n = Number(segment);
  return Number.isNaN(n) ? segment : n;
}

function stepsOf(meta: Record<string, unknown> | undefined, skip: number): TraversalStep[] {
  const parts = Array.isArray(meta?.['traversal']) ? (meta['traversal'] as { type: string; segment: string }[]) : [];
  return parts.slice(skip).map((p) => (p.type === 'indexTraversal' ? { key: parseKey(p.segment) } : { name: p.segment }));
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Removes the common indentation of a `<<-` heredoc's lines, as HCL does. */
export function dedentHeredoc(source: string): { marker: string; body: string } | undefined {
  const lines = source.split('\n');
  const header = /^<<-([A-Za-z_][A-Za-z0-9_-]*)/.exec(lines[0] ?? '');
  if (!header || lines.length < 2) return undefined;
  const body = lines.slice(1, -1).map((l) => l.replace(/\r$/, ''));
  const indents = body.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return { marker: header[1]!, body: body.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n') };
}

function markerFor(text: string): string {
  let marker = 'KMSGATE_EXPRESSION';
  for (let n = 1; text.split('\n').some((line) => line.trim() === marker); n += 1) marker = `KMSGATE_EXPRESSION_${n}`;
  return marker;
}

export class ExpressionReader {
  /** How many expressions went through `getExpressionAst`. */
  parsed = 0;
  private readonly cache = new Map<string, Promise<Expr>>();

  constructor(
    private readonly parser: Hcl2Json,
    private readonly file: string,
  ) {}

  /** A value of hcl2json's JSON (an argument, a list or object element) as an expression. */
  async value(json: unknown): Promise<Expr> {
    if (typeof json === 'string') return isTemplate(json) ? this.template(json) : { kind: 'literal', value: decodeLiteral(json, 'heredoc') };
    if (Array.isArray(json)) return { kind: 'tuple', items: await Promise.all(json.map((v) => this.value(v))) };
    if (typeof json === 'object' && json !== null) {
      const items = await Promise.all(
        Object.entries(json).map(async ([k, v]) => ({ key: await this.value(k), value: await this.value(v) })),
      );
      return { kind: 'object', items };
    }
    return { kind: 'literal', value: (json ?? null) as Json };
  }

  /** A template string of hcl2json's JSON (literal parts decoded, `$${` kept, interpolations as written). */
  template(text: string): Promise<Expr> {
    let found = this.cache.get(text);
    if (!found) {
      found = this.readTemplate(text);
      this.cache.set(text, found);
    }
    return found;
  }

  private async readTemplate(text: string): Promise<Expr> {
    const marker = markerFor(text);
    const source = `<<${marker}\n${text}\n${marker}\n`;
    const tree = await this.ast(source);
    if (!tree) return { kind: 'unsupported', text, reason: 'the expression could not be parsed' };
    const expr = await this.convert(tree, source, byteIndex(source), 'heredoc');
    if (expr.kind !== 'template') return expr;
    // Our heredoc added one newline after the text.
    const parts = [...expr.parts];
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal' && typeof last.value === 'string' && last.value.endsWith('\n')) {
      const rest = last.value.slice(0, -1);
      if (rest === '') parts.pop();
      else parts[parts.length - 1] = { kind: 'literal', value: rest };
    }
    const only = parts[0];
    if (parts.length === 1 && only && only.kind !== 'literal') return { kind: 'wrap', inner: only };
    return { kind: 'template', parts };
  }

  private async ast(source: string): Promise<AstNode | null> {
    this.parsed += 1;
    try {
      return await this.parser.getExpressionAst(this.file, source);
    } catch {
      return null;
    }
  }

  private async convert(node: AstNode, src: string, at: (byte: number) => number, style: Style, depth = 0): Promise<Expr> {
    // Source from a pull request may nest without end; evaluation recurses as deep as the tree.
    if (depth > MAX_EXPRESSION_DEPTH) return { kind: 'unsupported', text: '', reason: 'the expression nests too deep' };
    const children = node.children ?? [];
    const meta = node.meta;
    const child = (i: number, s: Style = style) =>
      children[i] ? this.convert(children[i]!, src, at, s, depth + 1) : Promise.resolve<Expr>({ kind: 'literal', value: null });
    const all = () => Promise.all(children.map((c) => this.convert(c, src, at, style, depth + 1)));
    switch (node.type) {
      case 'literalValue': {
        const raw = str(meta?.['value']);
        switch (meta?.['type']) {
          case 'string':
            return { kind: 'literal', value: decodeLiteral(raw, style) };
          case 'number':
            return { kind: 'literal', value: Number(raw) };
          case 'bool':
            return { kind: 'literal', value: raw === 'true' };
          default:
            return { kind: 'literal', value: null };
        }
      }
      case 'template': {
        const written = str(meta?.['value']);
        if (written.startsWith('<<-')) return this.flushHeredoc(written);
        const own: Style = written.startsWith('"') ? 'quoted' : written.startsWith('<<') ? 'heredoc' : style;
        return { kind: 'template', parts: await Promise.all(children.map((c) => this.convert(c, src, at, own, depth + 1))) };
      }
      case 'templateWrap':
        return { kind: 'wrap', inner: await child(0) };
      case 'scopeTraversal': {
        const parts = Array.isArray(meta?.['traversal']) ? (meta['traversal'] as { segment: string }[]) : [];
        return { kind: 'traversal', root: parts[0]?.segment ?? '', steps: stepsOf(meta, 1) };
      }
      case 'relativeTraversal':
        return { kind: 'relative', source: await child(0), steps: stepsOf(meta, 0) };
      case 'index':
        return { kind: 'index', collection: await child(0), key: await child(1) };
      case 'splat': {
        const each = children[1];
        return { kind: 'splat', source: await child(0), steps: each?.type === 'relativeTraversal' ? stepsOf(each.meta, 0) : [] };
      }
      case 'tuple':
        return { kind: 'tuple', items: await all() };
      case 'object': {
        const items: { key: Expr; value: Expr }[] = [];
        for (let i = 0; i + 1 < children.length; i += 2) {
          items.push({ key: await this.objectKey(children[i]!, src, at, depth + 1), value: await child(i + 1) });
        }
        return { kind: 'object', items };
      }
      case 'function':
        return { kind: 'call', name: str(meta?.['name']), args: await all(), expand: meta?.['expandedFinalArgument'] === true };
      case 'conditional':
        return { kind: 'conditional', condition: await child(0), then: await child(1), else: await child(2) };
      case 'for':
        return this.forExpression(node, src, at, style, depth + 1);
      case 'binaryOp':
        return { kind: 'binary', operator: str(meta?.['operator']), left: await child(0), right: await child(1) };
      case 'unaryOp':
        return { kind: 'unary', operator: str(meta?.['operator']), operand: await child(0) };
      case '':
        if (children.length === 1) return child(0);
        break;
    }
    return { kind: 'unsupported', text: str(meta?.['value']), reason: `${node.type || 'this'} expression is not supported` };
  }

  /** A key written as a bare name is a string; a quoted key a template; `(expr)` an expression. */
  private async objectKey(node: AstNode, src: string, at: (byte: number) => number, depth: number): Promise<Expr> {
    const inner = node.children ?? [];
    if (inner.length === 0 && node.range) {
      return { kind: 'literal', value: src.slice(at(node.range.start.byte), at(node.range.end.byte)) };
    }
    return inner[0] ? this.convert(inner[0], src, at, 'quoted', depth) : { kind: 'unsupported', text: '', reason: 'object key' };
  }

  private async forExpression(node: AstNode, src: string, at: (byte: number) => number, style: Style, depth: number): Promise<Expr> {
    const meta = node.meta ?? {};
    const children = [...(node.children ?? [])];
    const convert = async () => {
      const next = children.shift();
      return next ? this.convert(next, src, at, style, depth) : ({ kind: 'literal', value: null } as Expr);
    };
    const collection = await convert();
    const hasKey = str(meta['keyExpression']) !== '';
    const key = hasKey ? await convert() : undefined;
    const value = await convert();
    const condition = str(meta['conditionalExpression']) !== '' ? await convert() : undefined;
    const keyVar = str(meta['keyVar']);
    return {
      kind: 'for',
      ...(keyVar ? { keyVar } : {}),
      valueVar: str(meta['valVar']),
      collection,
      ...(key ? { key } : {}),
      value,
      ...(condition ? { condition } : {}),
      object: hasKey,
      group: meta['groupedValue'] === true,
    };
  }

  /** The tree keeps a `<<-` heredoc's indentation; parse its de-indented text as a plain heredoc. */
  private async flushHeredoc(written: string): Promise<Expr> {
    const dedented = dedentHeredoc(written);
    if (!dedented) return { kind: 'unsupported', text: written, reason: 'heredoc' };
    const source = `<<${dedented.marker}\n${dedented.body}\n${dedented.marker}\n`;
    const tree = await this.ast(source);
    if (!tree) return { kind: 'unsupported', text: written, reason: 'the heredoc could not be parsed' };
    return this.convert(tree, source, byteIndex(source), 'heredoc');
  }
}
