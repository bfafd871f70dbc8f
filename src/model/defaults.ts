// Optional+Computed arguments that Terraform shows as unknown on create when the configuration does
// not set them, although AWS's value is fixed: the provider sends nothing and AWS applies its
// default. Filling these in keeps rules from reporting `unknown` for an argument nobody wrote.
// (The key policy is not here: its default depends on the account; see facts/key.ts.)

import type { Json } from '../plan/types';

export const PROVIDER_DEFAULTS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html (MultiRegion: false)
  // https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html (RotationPeriodInDays: 365)
  aws_kms_key: { multi_region: false, rotation_period_in_days: 365 },
  // Unset `enabled` on an external key means "whatever the imported material allows": the plan
  // itself disables nothing (a key pending import is unusable until its material arrives).
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_external_key#enabled
  aws_kms_external_key: { multi_region: false, enabled: true },
  // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint#private_dns_enabled
  aws_vpc_endpoint: { private_dns_enabled: false },
};
