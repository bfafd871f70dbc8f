// Finds the blocks of a `.tf` file and the line each starts on. hcl2json's JSON has no positions, so
// this is a small lexer of HCL's native syntax that knows exactly what can hide a brace or a block
// header: comments (`#`, `//`, `/* */`), quoted templates with escapes and nested `${…}`/`%{…}`
// sequences (which may hold further strings and braces), and heredocs (`<<EOT`/`<<-EOT`, ended by a
// line holding only the marker, with interpolations that may span lines). It does not evaluate
// anything; hcl2json does that. https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md

export interface ScannedBlock {
  type: string;
  labels: readonly string[];
  /** 1-based line of the block's first token. */
  line: number;
  /** Offsets in the text (UTF-16 indices): the whole block, from its type to its closing brace. */
  start: number;
  end: number;
  /** Nested blocks directly in its body, in source order. */
  children: readonly ScannedBlock[];
}

export interface ScanResult {
  blocks: ScannedBlock[];
  /** Where the scan stopped on text that is not HCL (unterminated string, comment or heredoc). */
  problem?: { line: number; message: string };
}

type TokenKind = 'ident' | 'string' | 'heredoc' | 'assign' | 'nl' | '{' | '}' | 'open' | 'close';

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

class Unterminated extends Error {
  constructor(
    readonly at: number,
    what: string,
  ) {
    super(`unterminated ${what}`);
  }
}

const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
/** Terraform nests blocks a few levels deep; text nested deeper is skipped rather than recursed into. */
const MAX_BLOCK_DEPTH = 64;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;

class Lexer {
  constructor(private readonly text: string) {}

  private i = 0;

  /** The next token, or undefined at the end of the text. */
  next(): Token | undefined {
    const { text } = this;
    while (this.i < text.length) {
      const i = this.i;
      const code = text.charCodeAt(i);
      const c = text[i]!;
      const next = text[i + 1];
      if (isIdentStart(code)) {
        let end = i + 1;
        while (end < text.length && isIdentPart(text.charCodeAt(end))) end += 1;
        return this.token('ident', i, end);
      }
      if (c === '\n') return this.token('nl', i, i + 1);
      if (c === '#' || (c === '/' && next === '/')) this.i = this.lineEnd(i);
      else if (c === '/' && next === '*') this.i = this.blockCommentEnd(i);
      else if (c === '"') return this.token('string', i, this.quotedEnd(i));
      else if (c === '<' && next === '<' && this.heredocAt(i)) return this.token('heredoc', i, this.heredocEnd(i));
      else if (c === '{' || c === '}') return this.token(c, i, i + 1);
      else if (c === '(' || c === '[') return this.token('open', i, i + 1);
      else if (c === ')' || c === ']') return this.token('close', i, i + 1);
      else if (c === '=' && next !== '=' && next !== '>' && !'!<>='.includes(text[i - 1] ?? '')) return this.token('assign', i, i + 1);
      // Whitespace, numbers, operators: nothing the block structure depends on.
      else this.i = i + 1;
    }
    return undefined;
  }

  private token(kind: TokenKind, start: number, end: number): Token {
    this.i = end;
    return { kind, start, end };
  }

  private lineEnd(i: number): number {
    const end = this.text.indexOf('\n', i);
    return end === -1 ? this.text.length : end;
  }

  private blockCommentEnd(i: number): number {
    const end = this.text.indexOf('*/', i + 2);
    if (end === -1) throw new Unterminated(i, 'comment');
    return end + 2;
  }

  /** The index after the closing quote of the quoted template starting at `start`. */
  quotedEnd(start: number): number {
    const { text } = this;
    let i = start + 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '"') return i + 1;
      else if (c === '\n') break;
      else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') i = this.interpolationEnd(i + 2);
      else i += 1;
    }
    throw new Unterminated(start, 'string');
  }

  /** The index after the `}` that closes an interpolation or directive whose body starts at `i`. */
  private interpolationEnd(i: number): number {
    const { text } = this;
    let depth = 1;
    const start = i;
    while (i < text.length) {
      const c = text[i]!;
      const next = text[i + 1];
      if (c === '"') i = this.quotedEnd(i);
      else if (c === '<' && next === '<' && this.heredocAt(i)) i = this.heredocEnd(i);
      else if (c === '#' || (c === '/' && next === '/')) i = this.lineEnd(i);
      else if (c === '/' && next === '*') i = this.blockCommentEnd(i);
      else if (c === '{') {
        depth += 1;
        i += 1;
      } else if (c === '}') {
        depth -= 1;
        i += 1;
        if (depth === 0) return i;
      } else i += 1;
    }
    throw new Unterminated(start, 'interpolation');
  }

  private heredocAt(i: number): boolean {
    HEREDOC.lastIndex = i;
    return HEREDOC.test(this.text);
  }

  /** The index of the newline after the closing marker of the heredoc starting at `start`. */
  private heredocEnd(start: number): number {
    const { text } = this;
    HEREDOC.lastIndex = start;
    const match = HEREDOC.exec(text)!;
    const marker = match[2]!;
    let i = start + match[0].length;
    let lineStart = true;
    while (i < text.length) {
      if (lineStart) {
        const end = this.lineEnd(i);
        if (text.slice(i, end).trim() === marker) return end;
        lineStart = false;
      }
      const c = text[i];
      if (c === '\n') {
        lineStart = true;
        i += 1;
      } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') i = this.interpolationEnd(i + 2);
      else i += 1;
    }
    throw new Unterminated(start, 'heredoc');
  }
}

/** Block labels are plain strings in practice; decode the common escapes. */
function decodeSimple(raw: string): string {
  return raw.replace(/\\(["\\nrt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

/** Pulls tokens from the lexer as the parser needs them, so a large file never lives as one token array. */
class BodyParser {
  private readonly ahead: Token[] = [];
  private last: Token | undefined;

  constructor(
    private readonly source: string,
    private readonly lexer: Lexer,
    private readonly lineAt: (offset: number) => number,
  ) {}

  private peek(k = 0): Token | undefined {
    while (this.ahead.length <= k) {
      const token = this.lexer.next();
      if (!token) return undefined;
      this.ahead.push(token);
    }
    return this.ahead[k];
  }

  private take(): Token | undefined {
    const token = this.peek();
    if (token) {
      this.ahead.shift();
      this.last = token;
    }
    return token;
  }

  private textOf(token: Token): string {
    const raw = this.source.slice(token.start, token.end);
    return token.kind === 'string' ? decodeSimple(raw.slice(1, -1)) : raw;
  }

  /** Blocks of a body, up to its closing brace (returned) or the end of the text. */
  body(nested: boolean, depth = 0): { blocks: ScannedBlock[]; close: Token | undefined } {
    const blocks: ScannedBlock[] = [];
    if (depth > MAX_BLOCK_DEPTH) return { blocks, close: this.skipBody() };
    for (let token = this.peek(); token; token = this.peek()) {
      if (token.kind === '}' && nested) return { blocks, close: this.take() };
      if (token.kind !== 'ident') {
        this.take();
        continue;
      }
      let at = 1;
      while (this.peek(at)?.kind === 'string' || this.peek(at)?.kind === 'ident') at += 1;
      const after = this.peek(at);
      if (after?.kind === 'assign' && at === 1) {
        this.take();
        this.take();
        this.skipExpression();
      } else if (after?.kind === '{') {
        const header = [];
        for (let k = 0; k <= at; k += 1) header.push(this.take()!);
        const inner = this.body(true, depth + 1);
        const end = inner.close?.end ?? this.last?.end ?? token.end;
        const labels = header.slice(1, -1).map((t) => this.textOf(t));
        blocks.push({ type: this.textOf(token), labels, line: this.lineAt(token.start), start: token.start, end, children: inner.blocks });
      } else {
        this.skipLine();
      }
    }
    return { blocks, close: undefined };
  }

  /** Skips a body nested deeper than anything real, without recursion. */
  private skipBody(): Token | undefined {
    let depth = 1;
    for (let token = this.take(); token; token = this.take()) {
      if (token.kind === '{') depth += 1;
      if (token.kind === '}' && --depth === 0) return token;
    }
    return undefined;
  }

  /** An argument's expression ends at a newline outside brackets, or at the brace closing a one-line block. */
  private skipExpression(): void {
    let depth = 0;
    for (let token = this.peek(); token; token = this.peek()) {
      if ((token.kind === 'nl' || token.kind === '}') && depth === 0) return;
      if (token.kind === 'open' || token.kind === '{') depth += 1;
      if (token.kind === 'close' || token.kind === '}') depth -= 1;
      this.take();
    }
  }

  private skipLine(): void {
    for (let token = this.peek(); token && token.kind !== 'nl'; token = this.peek()) this.take();
  }
}

export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export function scanBlocks(text: string): ScanResult {
  const lineAt = lineIndex(text);
  let problem: ScanResult['problem'];
  let scanned = text;
  // Blocks before broken text are still found: cut the text where the broken construct starts (an
  // inner one may sit in an outer one that is broken too) and scan again.
  for (;;) {
    try {
      const { blocks } = new BodyParser(scanned, new Lexer(scanned), lineAt).body(false);
      return problem ? { blocks, problem } : { blocks };
    } catch (error) {
      // Templates nested beyond the stack: nothing in such a file is read.
      if (error instanceof RangeError) return { blocks: [], problem: { line: 1, message: 'templates nest too deep to read' } };
      if (!(error instanceof Unterminated)) throw error;
      problem ??= { line: lineAt(error.at), message: error.message };
      scanned = scanned.slice(0, error.at);
    }
  }
}
