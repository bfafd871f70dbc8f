// Messages quote values from plans, and plans can come from untrusted pull requests: a key description
// holding ESC sequences could rewrite a terminal, and bidirectional overrides can make a reviewer read
// something else than what is there (CVE-2021-42574, "Trojan Source"). Human formats show such
// characters as `\u` escapes (`\u001b`) instead.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visible(text: string): string {
  return text
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line: line breaks become spaces (a table cell, a summary line). */
export function oneLine(text: string): string {
  return visible(text.replace(/\r\n|\r|\n/g, ' '));
}

/** Lines, each made visible. */
export function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(visible);
}
