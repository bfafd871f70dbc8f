// XML 1.0 forbids most C0 controls, U+FFFE, U+FFFF and unpaired surrogates, even as character references
// (https://www.w3.org/TR/xml/#charsets). They are written out as `\u` escapes (`\u001b`) so the document stays
// well-formed and the reader still sees that something was there.
const FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function allowed(value: string): string {
  return value.replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Element content. `\r` is a character reference because parsers turn a raw CR LF into LF. */
export function xmlText(value: string): string {
  return allowed(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** A double-quoted attribute value; tab and line breaks as references, which attribute normalization keeps. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

export function element(name: string, attributes: ReadonlyArray<readonly [string, string | number]>, body?: string): string {
  const attrs = attributes.map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`).join('');
  return body === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}
