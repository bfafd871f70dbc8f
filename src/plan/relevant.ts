// The resource types KMS governance reads. Everything else in a plan is counted but never parsed,
// which is what lets the loader beat a plain JSON.parse on large plans.

const EXACT = new Set([
  'aws_vpc',
  'aws_caller_identity',
  'aws_partition',
  'aws_region',
  'aws_cloudtrail',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_sns_topic_policy',
]);

const PREFIXES = [
  'aws_kms_',
  'aws_iam_',
  'aws_organizations_',
  'aws_vpc_endpoint',
  'aws_security_group',
  'aws_vpc_security_group_',
  'aws_cloudwatch_event_',
];

export function isRelevantType(type: string): boolean {
  return EXACT.has(type) || PREFIXES.some((prefix) => type.startsWith(prefix));
}
