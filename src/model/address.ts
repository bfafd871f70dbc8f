// Terraform addresses and references are traversals: names joined by `.` and instance keys in
// brackets. Keys may be strings containing dots, brackets and escaped quotes, so addresses are
// tokenized, never split on `.` (see plan-format.md §4).

export type InstanceKey = string | number;

export type Step = { kind: 'name'; name: string } | { kind: 'index'; key: InstanceKey | '*' };

const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** Tokenizes a traversal; returns undefined when the text is not one. */
export function parseTraversal(text: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  let expectName = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '[') {
      const parsed = parseIndex(text, i);
      if (!parsed) return undefined;
      steps.push({ kind: 'index', key: parsed.key });
      i = parsed.end;
      expectName = false;
      continue;
    }
    if (ch === '.') {
      if (expectName) return undefined;
      i += 1;
      expectName = true;
      continue;
    }
    if (!expectName) return undefined;
    NAME.lastIndex = i;
    const match = NAME.exec(text);
    if (!match) return undefined;
    steps.push({ kind: 'name', name: match[0] });
    i += match[0].length;
    expectName = false;
  }
  return expectName && steps.length > 0 ? undefined : steps;
}

function parseIndex(text: string, start: number): { key: InstanceKey | '*'; end: number } | undefined {
  const close = (from: number) => (text[from] === ']' ? from + 1 : undefined);
  const first = text[start + 1];
  if (first === '"') {
    let value = '';
    let i = start + 2;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const escaped = text[i + 1];
        if (escaped === undefined) return undefined;
        if (escaped === 'u' || escaped === 'U') {
          const width = escaped === 'u' ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + width);
          const codePoint = Number.parseInt(hex, 16);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width || codePoint > 0x10ffff) return undefined;
          value += String.fromCodePoint(codePoint);
          i += 2 + width;
          continue;
        }
        value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : escaped;
        i += 2;
      } else if ((text[i] === '$' || text[i] === '%') && text[i + 1] === text[i] && text[i + 2] === '{') {
        // HCL quoting doubles the template introducers `${` and `%{`.
        value += `${text[i]}{`;
        i += 3;
      } else {
        value += text[i];
        i += 1;
      }
    }
    if (text[i] !== '"') return undefined;
    const end = close(i + 1);
    return end === undefined ? undefined : { key: value, end };
  }
  if (first === '*') {
    const end = close(start + 2);
    return end === undefined ? undefined : { key: '*', end };
  }
  const digits = /[0-9]+/y;
  digits.lastIndex = start + 1;
  const match = digits.exec(text);
  if (!match) return undefined;
  const end = close(start + 1 + match[0].length);
  return end === undefined ? undefined : { key: Number(match[0]), end };
}

export interface ModuleStep {
  call: string;
  key?: InstanceKey | '*';
}

export interface ResourceAddress {
  module: ModuleStep[];
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: InstanceKey | '*';
}

/** Reads the leading `module.NAME[KEY]` steps of a traversal. */
function readModuleSteps(steps: Step[]): { module: ModuleStep[]; rest: Step[] } | undefined {
  const module: ModuleStep[] = [];
  let i = 0;
  while (i < steps.length) {
    const step = steps[i];
    const next = steps[i + 1];
    if (step?.kind !== 'name' || step.name !== 'module' || next?.kind !== 'name') break;
    const keyStep = steps[i + 2];
    if (keyStep?.kind === 'index') {
      module.push({ call: next.name, key: keyStep.key });
      i += 3;
    } else {
      module.push({ call: next.name });
      i += 2;
    }
  }
  return { module, rest: steps.slice(i) };
}

export function parseResourceAddress(address: string): ResourceAddress | undefined {
  const steps = parseTraversal(address);
  if (!steps) return undefined;
  const split = readModuleSteps(steps);
  if (!split) return undefined;
  let rest = split.rest;
  let mode: 'managed' | 'data' = 'managed';
  const head = rest[0];
  if (head?.kind === 'name' && head.name === 'data') {
    mode = 'data';
    rest = rest.slice(1);
  }
  const [type, name, key, ...extra] = rest;
  if (type?.kind !== 'name' || name?.kind !== 'name' || extra.length > 0) return undefined;
  if (key && key.kind !== 'index') return undefined;
  return { module: split.module, mode, type: type.name, name: name.name, ...(key ? { key: key.key } : {}) };
}

export function parseModuleAddress(address: string): ModuleStep[] | undefined {
  if (address === '') return [];
  const steps = parseTraversal(address);
  if (!steps) return undefined;
  const split = readModuleSteps(steps);
  return split && split.rest.length === 0 ? split.module : undefined;
}

/** Renders an instance key the way Terraform prints it in addresses. */
export function formatKey(key: InstanceKey | '*'): string {
  if (key === '*') return '[*]';
  if (typeof key === 'number') return `[${key}]`;
  return `[${JSON.stringify(key)}]`;
}

export function formatModuleAddress(module: readonly ModuleStep[]): string {
  return module.map((m) => `module.${m.call}${m.key === undefined ? '' : formatKey(m.key)}`).join('.');
}

/** The module-relative configuration address of a resource: `aws_kms_key.k`, `data.x.y`. */
export function configAddress(mode: 'managed' | 'data', type: string, name: string): string {
  return `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
}
