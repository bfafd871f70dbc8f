// JSON.parse for speed; on failure a small scanner finds where the text stops being JSON, so the
// diagnostic can say line and column (JSON.parse messages differ between Node versions).

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; offset: number; line: number; column: number };

export function parseJsonText(text: string): JsonParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    const { offset, message } = locateError(body);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { ok: false, message, offset, line, column };
  }
}

class Stop extends Error {
  constructor(readonly offset: number, readonly detail: string) {
    super(detail);
  }
}

function locateError(s: string): { offset: number; message: string } {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s.charAt(i))) i++;
  };
  const fail = (detail: string): never => {
    throw new Stop(i, detail);
  };
  const expect = (ch: string) => {
    if (s.charAt(i) !== ch) fail(i >= s.length ? `unexpected end of input, expected '${ch}'` : `expected '${ch}' but found '${s.charAt(i)}'`);
    i++;
  };
  const string = () => {
    expect('"');
    while (i < s.length) {
      const c = s.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = s.charAt(i + 1);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else fail('invalid escape in string');
      } else if (c.charCodeAt(0) < 0x20) fail('control character in string');
      else i++;
    }
    fail('unterminated string');
  };
  const value = (): void => {
    ws();
    const c = s.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (s.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s.charAt(i) !== '"') fail(`expected a property name in double quotes but found '${s.charAt(i) || 'end of input'}'`);
        string();
        ws();
        expect(':');
        value();
        ws();
        if (s.charAt(i) === ',') {
          i++;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s.charAt(i) === ',') {
          i++;
          continue;
        }
        expect(']');
        return;
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') {
      i += m[0].length;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (s.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail(i >= s.length ? 'unexpected end of input' : `unexpected character '${c}'`);
  };
  try {
    value();
    ws();
    if (i < s.length) fail(`unexpected '${s.charAt(i)}' after the JSON value`);
    return { offset: i, message: 'invalid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.detail };
    return { offset: 0, message: 'invalid JSON' };
  }
}
