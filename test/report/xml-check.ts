// A strict parser for the XML subset the JUnit renderer writes (declaration, elements, attributes,
// text, entity and character references): it throws on anything that is not well-formed XML 1.0, so a
// test can check well-formedness without an XML library in the dependencies.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element, references decoded. */
  text: string;
}

// https://www.w3.org/TR/xml/#NT-Char
const CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(codePoint: number): boolean {
  return CHAR.test(String.fromCodePoint(codePoint));
}

export function parseXml(xml: string): XmlElement {
  if (!CHAR.test(xml)) throw new Error('document holds a character XML 1.0 forbids');
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
  };
  const skipSpace = (): void => {
    while (at < xml.length && /[ \t\r\n]/.test(xml[at] ?? '')) at += 1;
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(xml);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
      if (ref === undefined) return fail(`bare & in ${JSON.stringify(raw)}`);
      const predefined = PREDEFINED[ref];
      if (predefined !== undefined) return predefined;
      const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (!numeric) return fail(`unknown entity ${whole}`);
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (!isXmlChar(code)) return fail(`character reference to a forbidden character ${whole}`);
      return String.fromCodePoint(code);
    });

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    const declaration = xml.slice(0, end + 2);
    if (!/^<\?xml version="1\.0"( encoding="UTF-8")?\?>$/.test(declaration)) fail('unexpected XML declaration');
    at = end + 2;
  }
  skipSpace();

  const element = (): XmlElement => {
    if (xml[at] !== '<') fail('expected <');
    at += 1;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = at;
      skipSpace();
      if (xml.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (xml[at] === '>') {
        at += 1;
        break;
      }
      if (at === before) fail('expected whitespace before an attribute');
      const key = name();
      if (Object.hasOwn(node.attributes, key)) fail(`duplicate attribute ${key}`);
      skipSpace();
      if (xml[at] !== '=') fail('expected =');
      at += 1;
      skipSpace();
      const quote = xml[at];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
      const end = xml.indexOf(quote, at + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = xml.slice(at + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      // Attribute-value normalization turns literal tab and line breaks into spaces.
      node.attributes[key] = decode(raw.replace(/[\t\n\r]/g, ' '));
      at = end + 1;
    }
    for (;;) {
      const next = xml.indexOf('<', at);
      if (next < 0) fail(`unclosed <${node.name}>`);
      const raw = xml.slice(at, next);
      if (raw.includes(']]>')) fail(']]> in text');
      node.text += decode(raw.replace(/\r\n?/g, '\n'));
      at = next;
      if (xml.startsWith('</', at)) {
        at += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        if (xml[at] !== '>') fail('expected >');
        at += 1;
        return node;
      }
      if (xml.startsWith('<!', at) || xml.startsWith('<?', at)) fail('comments, CDATA and processing instructions are not expected');
      node.children.push(element());
    }
  };

  const root = element();
  skipSpace();
  if (at !== xml.length) fail('content after the root element');
  return root;
}
