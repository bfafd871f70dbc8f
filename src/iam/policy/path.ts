// JSONPath segments for diagnostics: `.Name` for identifiers, `['aws:PrincipalArn']` otherwise.
export function member(path: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${path}.${name}` : `${path}['${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
