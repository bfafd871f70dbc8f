// The config file (`.kmsgate.yml` or `--config`): shared parameters, per-policy settings, waivers.
// Extra keys, unknown policies and parameters, and values of the wrong type are all errors,
// reported together with their JSONPath.

import { UserError } from '../errors';
import type { OnUnknown, Severity } from '../finding';
import { checkParameterValue } from './load';
import * as validators from './validators.generated';
import type { Policy } from './types';
import { parseYaml, validateSchema } from './yaml';

export interface PolicySettings {
  enabled?: boolean;
  severity?: Severity;
  onUnknown?: OnUnknown;
  parameters?: Readonly<Record<string, unknown>>;
}

export interface Waiver {
  rule: string;
  /** Glob over full addresses (`*` and `?`; brackets and quotes literal). */
  address: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the waiver holds through that day. */
  expires: string;
  /** Where it is written, for messages: `.kmsgate.yml: $.waivers[2]`. */
  place: string;
}

export interface Config {
  file?: string;
  parameters: Readonly<Record<string, unknown>>;
  policies: Readonly<Record<string, PolicySettings>>;
  waivers: readonly Waiver[];
  failOn?: Severity;
  onUnknown?: OnUnknown;
}

export const EMPTY_CONFIG: Config = { parameters: {}, policies: {}, waivers: [] };

export function parseConfig(file: string, text: string): { config: Config } | { errors: UserError[] } {
  const parsed = parseYaml(file, text);
  if ('errors' in parsed) return parsed;
  if (parsed.value === null || parsed.value === undefined) return { config: { ...EMPTY_CONFIG, file } };
  const errors = validateSchema(validators.config, file, parsed.value);
  if (errors.length > 0) return { errors };
  const raw = parsed.value as Record<string, unknown>;
  const waivers = ((raw['waivers'] ?? []) as Omit<Waiver, 'place'>[]).map((w, i) => ({ ...w, place: `$.waivers[${i}]` }));
  for (const waiver of waivers) {
    if (!isCalendarDate(waiver.expires)) errors.push(new UserError(file, `${waiver.place}.expires`, `'${waiver.expires}' is not a calendar date (YYYY-MM-DD)`));
  }
  if (errors.length > 0) return { errors };
  return {
    config: {
      file,
      parameters: (raw['parameters'] ?? {}) as Record<string, unknown>,
      policies: (raw['policies'] ?? {}) as Record<string, PolicySettings>,
      waivers,
      ...(raw['failOn'] ? { failOn: raw['failOn'] as Severity } : {}),
      ...(raw['onUnknown'] ? { onUnknown: raw['onUnknown'] as OnUnknown } : {}),
    },
  };
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Checks the config against the loaded policies: every id, parameter and value must exist and fit. */
export function checkConfig(config: Config, policies: readonly Policy[]): UserError[] {
  const file = config.file ?? 'config';
  const errors: UserError[] = [];
  const byId = new Map(policies.map((p) => [p.id, p]));
  for (const [name, value] of Object.entries(config.parameters)) {
    const declaring = policies.filter((p) => p.parameters[name]);
    if (declaring.length === 0) {
      errors.push(new UserError(file, `$.parameters.${name}`, `no policy declares a parameter '${name}'`));
      continue;
    }
    for (const policy of declaring) {
      const problem = checkParameterValue(policy.parameters[name]!, value);
      if (problem) {
        errors.push(new UserError(file, `$.parameters.${name}`, `${problem} (as policy ${policy.id} declares it)`));
        break;
      }
    }
  }
  for (const [id, settings] of Object.entries(config.policies)) {
    const policy = byId.get(id);
    if (!policy) {
      errors.push(new UserError(file, `$.policies.${id}`, `no policy has the id '${id}'`));
      continue;
    }
    for (const [name, value] of Object.entries(settings.parameters ?? {})) {
      const parameter = policy.parameters[name];
      const problem = parameter ? checkParameterValue(parameter, value) : `policy ${id} has no parameter '${name}'`;
      if (problem) errors.push(new UserError(file, `$.policies.${id}.parameters.${name}`, problem));
    }
  }
  for (const waiver of config.waivers) {
    if (!byId.has(waiver.rule)) errors.push(new UserError(file, `${waiver.place}.rule`, `no policy has the id '${waiver.rule}'`));
  }
  return errors;
}

export interface EffectiveSettings {
  enabled: boolean;
  severity: Severity;
  /** Set when the config names one for this policy or the policy file has its own default. */
  onUnknown?: OnUnknown;
  params: Readonly<Record<string, unknown>>;
}

/**
 * Settings of one policy: the policy's defaults, then the shared parameters, then the policy's own
 * section. The unknown handling written for this policy in the config wins over `--on-unknown`,
 * which wins over the policy file's default.
 */
export function settingsFor(policy: Policy, config: Config, commandLineOnUnknown: OnUnknown | undefined): EffectiveSettings {
  const own = config.policies[policy.id] ?? {};
  const params: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(policy.parameters)) {
    params[name] = own.parameters?.[name] ?? config.parameters[name] ?? parameter.default;
  }
  const onUnknown = own.onUnknown ?? (commandLineOnUnknown === undefined ? policy.onUnknown : undefined);
  return {
    enabled: own.enabled ?? true,
    severity: own.severity ?? policy.severity,
    ...(onUnknown ? { onUnknown } : {}),
    params,
  };
}
