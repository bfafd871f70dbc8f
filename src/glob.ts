// Wildcard matching where only `*` (any run of characters) and `?` (one character) are special, as
// in IAM patterns and kmsgate's address globs. Brackets, dots and slashes are literal, so Terraform
// addresses with instance keys (`module.kms["a.b"].aws_kms_key.this`) match as written.
// Greedy matching with one backtrack point: linear in practice, never exponential.

export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === t[ti])) {
      pi += 1;
      ti += 1;
    } else if (pc === '*') {
      star = pi;
      resume = ti;
      pi += 1;
    } else if (star !== -1) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi += 1;
  return pi === p.length;
}
