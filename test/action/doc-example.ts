import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './runner';

/** The fenced YAML block after `<!-- example: NAME -->` in docs/integrations.md, parsed. */
export function docExample(name: string): unknown {
  const text = readFileSync(join(ROOT, 'docs/integrations.md'), 'utf8');
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(text);
  if (!match) throw new Error(`no example ${name} in docs/integrations.md`);
  return parse(match[1] ?? '');
}
