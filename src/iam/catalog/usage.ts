// Which cryptographic operations a key can perform depends on its KeyUsage; the key-user actions the
// built-in policy expects per usage are SPEC §5's `userActions` defaults.
// https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-usage.html
import { expandActionPattern } from './actions';

export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'KEY_ENCAPSULATION'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

const expand = (patterns: readonly string[]): string[] => [...new Set(patterns.flatMap((p) => expandActionPattern(p).kms))].sort();

const CRYPTO: Record<KeyUsage, readonly string[]> = {
  ENCRYPT_DECRYPT: expand(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']),
  SIGN_VERIFY: expand(['kms:Sign', 'kms:Verify']),
  GENERATE_VERIFY_MAC: expand(['kms:GenerateMac', 'kms:VerifyMac']),
  KEY_AGREEMENT: expand(['kms:DeriveSharedSecret']),
  KEY_ENCAPSULATION: expand(['kms:Encapsulate', 'kms:Decapsulate']),
} satisfies Record<KeyUsage, readonly string[]>;

const USER: Record<KeyUsage, readonly string[]> = {
  ENCRYPT_DECRYPT: expand(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']),
  SIGN_VERIFY: expand(['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey']),
  GENERATE_VERIFY_MAC: expand(['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey']),
  KEY_AGREEMENT: expand(['kms:DeriveSharedSecret', 'kms:GetPublicKey', 'kms:DescribeKey']),
  KEY_ENCAPSULATION: expand(['kms:Encapsulate', 'kms:Decapsulate', 'kms:GetPublicKey', 'kms:DescribeKey']),
} satisfies Record<KeyUsage, readonly string[]>;

export function isKeyUsage(v: unknown): v is KeyUsage {
  return typeof v === 'string' && (KEY_USAGES as readonly string[]).includes(v);
}

/** Cryptographic operations a key of this usage supports; every one when the usage is unknown. */
export function cryptographicActionsFor(usage: string | null | undefined, all: readonly string[]): readonly string[] {
  return isKeyUsage(usage) ? CRYPTO[usage] : all;
}

/** The default `userActions` for a key usage (ENCRYPT_DECRYPT when unknown). */
export function defaultUserActions(usage: string | null | undefined): readonly string[] {
  return USER[isKeyUsage(usage) ? usage : 'ENCRYPT_DECRYPT'];
}
