// Kept in step with package.json by a test (the bundle cannot read package.json at run time).
export const TOOL = {
  name: 'kmsgate',
  version: '0.1.0',
  informationUri: 'https://github.com/kmsgate/kmsgate',
} as const;

/** Where each rule's documentation lives: the generated rules page, one anchor per rule id. */
export const ruleHelpUri = (id: string): string => `${TOOL.informationUri}/blob/main/docs/rules.md#${id}`;
