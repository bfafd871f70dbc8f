// The action's inputs, named like the CLI flags. The runner fills in the defaults of action.yml; a
// local or test run without them gets the same values from here, so both behave alike.

import { UserError } from '../errors';

export const INPUT_NAMES = [
  'plan',
  'policies',
  'config',
  'source-dir',
  'fail-on',
  'on-unknown',
  'sarif',
  'category',
  'working-directory',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Defaults written in action.yml; `''` means "not given" (the CLI or the config file decides). */
export const INPUT_DEFAULTS = {
  plan: '',
  policies: '',
  config: '',
  'source-dir': '',
  // Empty, not `high`/`warn`: a `failOn`/`onUnknown` in the config file must still apply.
  'fail-on': '',
  'on-unknown': '',
  sarif: 'kmsgate.sarif',
  category: '',
  'working-directory': '.',
} as const satisfies Record<InputName, string>;

export interface ActionInputs {
  /** Paths or globs, relative to `workingDirectory`. */
  plan: string[];
  policies: string[];
  config?: string;
  sourceDir?: string;
  failOn?: string;
  onUnknown?: string;
  sarif: string;
  category?: string;
  workingDirectory: string;
}

/** Newline- or comma-separated, as YAML block scalars and one-line lists are both common in workflows. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function readInputs(getInput: (name: InputName) => string): ActionInputs {
  const value = (name: InputName): string => getInput(name).trim() || INPUT_DEFAULTS[name];
  const optional = (name: InputName): string | undefined => value(name) || undefined;
  const plan = splitList(value('plan'));
  if (plan.length === 0) {
    throw new UserError("input 'plan'", '', 'name the plan JSON file(s) from `terraform show -json tfplan > plan.json` (paths or globs)');
  }
  const config = optional('config');
  const sourceDir = optional('source-dir');
  const failOn = optional('fail-on');
  const onUnknown = optional('on-unknown');
  const category = optional('category');
  return {
    plan,
    policies: splitList(value('policies')),
    ...(config !== undefined && { config }),
    ...(sourceDir !== undefined && { sourceDir }),
    ...(failOn !== undefined && { failOn }),
    ...(onUnknown !== undefined && { onUnknown }),
    sarif: value('sarif'),
    ...(category !== undefined && { category }),
    workingDirectory: value('working-directory'),
  };
}
