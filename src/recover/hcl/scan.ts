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

type TokenKind = 'ident' | 'string' | 'heredoc' | 'assign' | 'nl' | '{' | '}' | 'open' | 'close' | 'other';

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Identifier text, or the decoded value of a quoted string without interpolation. */
  text: string;
}

class Unterminated extends Error {
  constructor(
    readonly at: number,
    what: string,
  ) {
    super(`unterminated ${what}`);
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;

class Lexer {
  constructor(private readonly text: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    const { text } = this;
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      const next = text[i + 1];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
        i += 1;
      } else if (c === '\n') {
        out.push({ kind: 'nl', start: i, end: i + 1, text: '' });
        i += 1;
      } else if (c === '#' || (c === '/' && next === '/')) {
        i = this.lineEnd(i);
      } else if (c === '/' && next === '*') {
        i = this.blockCommentEnd(i);
      } else if (c === '"') {
        const end = this.quotedEnd(i);
        out.push({ kind: 'string', start: i, end, text: decodeSimple(text.slice(i + 1, end - 1)) });
        i = end;
      } else if (c === '<' && next === '<' && this.heredocAt(i)) {
        const end = this.heredocEnd(i);
        out.push({ kind: 'heredoc', start: i, end, text: '' });
        i = end;
      } else if (/[A-Za-z_]/.test(c)) {
        IDENT.lastIndex = i;
        const word = IDENT.exec(text)![0];
        out.push({ kind: 'ident', start: i, end: i + word.length, text: word });
        i += word.length;
      } else if (c === '{' || c === '}') {
        out.push({ kind: c, start: i, end: i + 1, text: c });
        i += 1;
      } else if (c === '(' || c === '[') {
        out.push({ kind: 'open', start: i, end: i + 1, text: c });
        i += 1;
      } else if (c === ')' || c === ']') {
        out.push({ kind: 'close', start: i, end: i + 1, text: c });
        i += 1;
      } else if (c === '=' && next !== '=' && next !== '>' && !'!<>='.includes(text[i - 1] ?? '')) {
        out.push({ kind: 'assign', start: i, end: i + 1, text: c });
        i += 1;
      } else {
        out.push({ kind: 'other', start: i, end: i + 1, text: c });
        i += 1;
      }
    }
    return out;
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

class BodyParser {
  private pos = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly lineAt: (offset: number) => number,
  ) {}

  /** Blocks of a body, up to the closing brace (returned as the index of that token) or the end. */
  body(nested: boolean): { blocks: ScannedBlock[]; close: Token | undefined } {
    const blocks: ScannedBlock[] = [];
    while (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos]!;
      if (token.kind === '}' && nested) {
        this.pos += 1;
        return { blocks, close: token };
      }
      if (token.kind !== 'ident') {
        this.pos += 1;
        continue;
      }
      const labels: string[] = [];
      let at = this.pos + 1;
      while (this.tokens[at]?.kind === 'string' || this.tokens[at]?.kind === 'ident') {
        labels.push(this.tokens[at]!.text);
        at += 1;
      }
      const after = this.tokens[at];
      if (after?.kind === 'assign' && labels.length === 0) {
        this.pos = at + 1;
        this.skipExpression();
      } else if (after?.kind === '{') {
        this.pos = at + 1;
        const inner = this.body(true);
        const end = inner.close ? inner.close.end : (this.tokens[this.tokens.length - 1]?.end ?? token.end);
        blocks.push({ type: token.text, labels, line: this.lineAt(token.start), start: token.start, end, children: inner.blocks });
      } else {
        this.skipLine();
      }
    }
    return { blocks, close: undefined };
  }

  /** An argument's expression ends at a newline outside brackets, or at the brace closing a one-line block. */
  private skipExpression(): void {
    let depth = 0;
    while (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos]!;
      if (token.kind === 'nl' && depth === 0) return;
      if (token.kind === '}' && depth === 0) return;
      if (token.kind === 'open' || token.kind === '{') depth += 1;
      if (token.kind === 'close' || token.kind === '}') depth -= 1;
      this.pos += 1;
    }
  }

  private skipLine(): void {
    while (this.pos < this.tokens.length && this.tokens[this.pos]!.kind !== 'nl') this.pos += 1;
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
  let lexed = text;
  let tokens: Token[] | undefined;
  // Blocks before broken text are still found: cut the text where the broken construct starts (an
  // inner one may sit in an outer one that is broken too) until the rest lexes.
  while (tokens === undefined) {
    try {
      tokens = new Lexer(lexed).tokens();
    } catch (error) {
      if (!(error instanceof Unterminated)) throw error;
      problem ??= { line: lineAt(error.at), message: error.message };
      lexed = lexed.slice(0, error.at);
    }
  }
  const { blocks } = new BodyParser(tokens, lineAt).body(false);
  return problem ? { blocks, problem } : { blocks };
}
