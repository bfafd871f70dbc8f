// Is someone told when a key is scheduled for deletion or disabled? Either an EventBridge rule that
// matches the CloudTrail event and has a target, or a CloudWatch Logs metric filter on the trail with
// an alarm on its metric (CIS AWS Foundations 3.7 / 4.7).
// https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-creating-cloudwatch-alarm.html

import { isUnknown, type ModelValue, type Unknown } from '../model';
import { related, type FactContext } from './context';

export const MONITORED_EVENTS = ['ScheduleKeyDeletion', 'DisableKey'] as const;
type Event = (typeof MONITORED_EVENTS)[number];

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Does an EventBridge pattern value list admit this string (plain values and `prefix` filters)? */
function admits(list: unknown, text: string): boolean {
  return asList(list).some(
    (entry) =>
      entry === text ||
      (typeof entry === 'object' && entry !== null && typeof (entry as { prefix?: unknown }).prefix === 'string' && text.startsWith((entry as { prefix: string }).prefix)),
  );
}

function ruleMatches(pattern: string, event: Event): boolean {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(pattern) as Record<string, unknown>;
  } catch {
    return false;
  }
  const source = parsed['source'];
  if (source !== undefined && !admits(source, 'aws.kms')) return false;
  const names = (parsed['detail'] as Record<string, unknown> | undefined)?.['eventName'];
  // A rule for every KMS event also sees this one.
  return names === undefined || admits(names, event);
}

function eventRules(ctx: FactContext, event: Event): (string | Unknown)[] {
  const found: (string | Unknown)[] = [];
  for (const rule of ctx.model.byType.get('aws_cloudwatch_event_rule') ?? []) {
    if (rule.action === 'delete' || rule.action === 'forget') continue;
    const pattern = rule.values['event_pattern'];
    if (isUnknown(pattern)) found.push(pattern);
    else if (typeof pattern === 'string' && ruleMatches(pattern, event) && related(ctx, rule, 'targets').length > 0) found.push(rule.address);
  }
  return found;
}

const first = (block: ModelValue): Record<string, ModelValue> | undefined => {
  const item = Array.isArray(block) ? block[0] : undefined;
  return item && typeof item === 'object' && !Array.isArray(item) && !isUnknown(item) ? (item as Record<string, ModelValue>) : undefined;
};

function metricAlarms(ctx: FactContext, event: Event): (string | Unknown)[] {
  const found: (string | Unknown)[] = [];
  const alarms = (ctx.model.byType.get('aws_cloudwatch_metric_alarm') ?? []).filter((a) => a.action !== 'delete' && a.action !== 'forget');
  for (const filter of ctx.model.byType.get('aws_cloudwatch_log_metric_filter') ?? []) {
    if (filter.action === 'delete' || filter.action === 'forget') continue;
    const pattern = filter.values['pattern'];
    if (isUnknown(pattern)) {
      found.push(pattern);
      continue;
    }
    if (typeof pattern !== 'string' || !pattern.includes(event)) continue;
    const metric = first(filter.values['metric_transformation'] ?? null);
    const alarm = alarms.find((a) => a.values['metric_name'] === metric?.['name'] && a.values['namespace'] === metric?.['namespace']);
    const undecided = alarms.map((a) => a.values['metric_name']).find(isUnknown);
    if (alarm) found.push(`${filter.address} + ${alarm.address}`);
    else if (undecided) found.push(undecided);
  }
  return found;
}

/** Per monitored event, what watches it (addresses, or unknowns where a pattern is known only after apply). */
export function deletionMonitoring(ctx: FactContext): Record<Event, (string | Unknown)[]> {
  const out = {} as Record<Event, (string | Unknown)[]>;
  for (const event of MONITORED_EVENTS) out[event] = [...eventRules(ctx, event), ...metricAlarms(ctx, event)];
  return out;
}
