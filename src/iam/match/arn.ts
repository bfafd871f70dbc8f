// ARN matching for Resource and Arn* conditions: the six colon-separated parts are compared one by one,
// wildcards stay inside their part (they cross `/` but not `:`), case-sensitively.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// A symbolic value (`${tf:…}`, known after apply) is opaque: it matches only the same text.
import { globMatch } from './glob';

export function splitArn(text: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const c = text.indexOf(':', start);
    if (c < 0) return null;
    parts.push(text.slice(start, c));
    start = c + 1;
  }
  parts.push(text.slice(start));
  return parts[0] === 'arn' ? parts : null;
}

export function isSymbolic(text: string): boolean {
  return text.includes('${tf:');
}

export function arnLike(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (isSymbolic(pattern) || isSymbolic(value)) return globMatch(pattern, value);
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  for (let i = 0; i < 6; i++) {
    if (!globMatch(p[i] ?? '', v[i] ?? '')) return false;
  }
  return true;
}

/** The account part of an ARN, or null. */
export function arnAccount(text: string): string | null {
  const p = splitArn(text);
  return p ? (p[4] ?? null) : null;
}
