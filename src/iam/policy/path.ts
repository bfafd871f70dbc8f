// JSONPath segments for diagnostics: `.Name` for identifiers, `['aws:PrincipalArn']` otherwise.
const segments = new Map<string, string>();

export function member(path: string, name: string): string {
  let segment = segments.get(name);
  if (segment === undefined) {
    segment = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
    if (segments.size >= 10_000) segments.clear();
    segments.set(name, segment);
  }
  return path + segment;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
