// The hand-kept part of the KMS action catalogue: what the Service Authorization Reference does not say.
// SAR access levels put Encrypt and ScheduleKeyDeletion both under "Write", so the class is ours.
// Cross-account use and grant operations come from the KMS API reference ("Cross-account use: Yes/No")
// and https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations.

export const ACTION_CLASSES = ['administrative', 'cryptographic', 'grant', 'read'] as const;
export type ActionClass = (typeof ACTION_CLASSES)[number];

export interface ActionTraits {
  class: ActionClass;
  /** Works on a key of another account (KMS API reference, "Cross-account use"). */
  crossAccount: boolean;
  /** May appear in a grant's Operations. */
  grantOperation: boolean;
  /** Not authorised on a key: only an IAM policy can allow it, a key policy cannot. */
  iamOnly: boolean;
  /** Used by KMS itself; nobody should be given it. */
  internal?: boolean;
}

const admin = (crossAccount = false): ActionTraits => ({ class: 'administrative', crossAccount, grantOperation: false, iamOnly: false });
const crypto = (grantOperation = true): ActionTraits => ({ class: 'cryptographic', crossAccount: true, grantOperation, iamOnly: false });
const read = (crossAccount: boolean, grantOperation = false): ActionTraits => ({ class: 'read', crossAccount, grantOperation, iamOnly: false });
const account = (cls: ActionClass): ActionTraits => ({ class: cls, crossAccount: false, grantOperation: false, iamOnly: true });

/** Every KMS action, by its canonical name. Keys are the catalogue plus actions iam-data does not know yet. */
export const KMS_ACTION_TRAITS: Readonly<Record<string, ActionTraits>> = {
  'kms:CancelKeyDeletion': admin(),
  'kms:ConnectCustomKeyStore': account('administrative'),
  'kms:CreateAlias': admin(),
  'kms:CreateCustomKeyStore': account('administrative'),
  'kms:CreateGrant': { class: 'grant', crossAccount: true, grantOperation: true, iamOnly: false },
  'kms:CreateKey': account('administrative'),
  // ML-KEM operations (2026): in the KMS API, not yet in iam-data. https://docs.aws.amazon.com/kms/latest/APIReference/API_Decapsulate.html
  'kms:Decapsulate': crypto(false),
  'kms:Decrypt': crypto(),
  'kms:DeleteAlias': admin(),
  'kms:DeleteCustomKeyStore': account('administrative'),
  'kms:DeleteImportedKeyMaterial': admin(),
  'kms:DeriveSharedSecret': crypto(),
  'kms:DescribeCustomKeyStores': account('read'),
  'kms:DescribeKey': read(true, true),
  'kms:DisableKey': admin(),
  'kms:DisableKeyRotation': admin(),
  'kms:DisconnectCustomKeyStore': account('administrative'),
  'kms:EnableKey': admin(),
  'kms:EnableKeyRotation': admin(),
  'kms:Encapsulate': crypto(false),
  'kms:Encrypt': crypto(),
  'kms:GenerateDataKey': crypto(),
  'kms:GenerateDataKeyPair': crypto(),
  'kms:GenerateDataKeyPairWithoutPlaintext': crypto(),
  'kms:GenerateDataKeyWithoutPlaintext': crypto(),
  'kms:GenerateMac': crypto(),
  'kms:GenerateRandom': account('cryptographic'),
  'kms:GetKeyLastUsage': read(false),
  'kms:GetKeyPolicy': read(false),
  'kms:GetKeyRotationStatus': read(true),
  'kms:GetParametersForImport': admin(),
  'kms:GetPublicKey': read(true, true),
  'kms:ImportKeyMaterial': admin(),
  'kms:ListAliases': account('read'),
  'kms:ListGrants': { class: 'grant', crossAccount: true, grantOperation: false, iamOnly: false },
  'kms:ListKeyPolicies': read(false),
  'kms:ListKeyRotations': read(false),
  'kms:ListKeys': account('read'),
  'kms:ListResourceTags': read(false),
  'kms:ListRetirableGrants': account('grant'),
  'kms:PutKeyPolicy': admin(),
  'kms:ReEncryptFrom': crypto(),
  'kms:ReEncryptTo': crypto(),
  'kms:ReplicateKey': admin(),
  'kms:RetireGrant': { class: 'grant', crossAccount: true, grantOperation: true, iamOnly: false },
  'kms:RevokeGrant': { class: 'grant', crossAccount: true, grantOperation: false, iamOnly: false },
  'kms:RotateKeyOnDemand': admin(),
  'kms:ScheduleKeyDeletion': admin(),
  'kms:Sign': crypto(),
  'kms:SynchronizeMultiRegionKey': { ...admin(), internal: true },
  'kms:TagResource': admin(),
  'kms:UntagResource': admin(),
  'kms:UpdateAlias': admin(),
  'kms:UpdateCustomKeyStore': account('administrative'),
  'kms:UpdateKeyDescription': admin(),
  'kms:UpdatePrimaryRegion': admin(),
  'kms:Verify': crypto(),
  'kms:VerifyMac': crypto(),
};

/** Actions the class table adds to the generated catalogue because iam-data lacks them. */
export const ACTIONS_MISSING_FROM_IAM_DATA: readonly string[] = ['kms:Decapsulate', 'kms:Encapsulate'];
