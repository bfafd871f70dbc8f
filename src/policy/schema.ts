// JSON Schemas of the files users write: policy files and the config file. Semantic checks that a
// schema cannot express (one subject and one operator per test, known parameters, valid JSONPath)
// live beside the loaders.

import { SEVERITIES } from '../finding';
import { ACTIONS } from '../model/types';
import { OPERATORS, PARAMETER_TYPES } from './types';

const operandSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null', 'array'] },
    {
      type: 'object',
      additionalProperties: false,
      properties: { param: { type: 'string' }, key: { type: 'string' } },
      required: ['param'],
    },
    { type: 'object', additionalProperties: false, properties: { path: { type: 'string' } }, required: ['path'] },
  ],
};

const conditionSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' } },
    any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/condition' } },
    not: { $ref: '#/$defs/condition' },
    path: { type: 'string' },
    count: { type: 'string' },
    where: { $ref: '#/$defs/condition' },
    param: { type: 'string' },
    default: {},
    match: { enum: ['all', 'any'] },
    ignoreCase: { type: 'boolean' },
    ...Object.fromEntries(OPERATORS.map((op) => [op, operandSchema])),
  },
};

const kebab = '^[a-z0-9]+(-[a-z0-9]+)*$';

export const policySchema = {
  $id: 'kmsgate-policy',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'severity', 'resources', 'description', 'remediation', 'references', 'require', 'message'],
  properties: {
    id: { type: 'string', pattern: kebab },
    title: { type: 'string', minLength: 1, maxLength: 200 },
    severity: { enum: [...SEVERITIES] },
    resources: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } },
    actions: { type: 'array', minItems: 1, items: { enum: [...ACTIONS] } },
    description: { type: 'string', minLength: 1 },
    remediation: { type: 'string', minLength: 1 },
    references: { type: 'array', items: { type: 'string', pattern: '^https://' } },
    tags: { type: 'array', maxItems: 8, items: { type: 'string', pattern: kebab } },
    precision: { enum: ['very-high', 'high', 'medium', 'low'] },
    onUnknown: { enum: ['fail', 'warn', 'pass'] },
    parameters: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][A-Za-z0-9]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'default', 'description'],
        properties: {
          type: { enum: [...PARAMETER_TYPES] },
          default: {},
          description: { type: 'string', minLength: 1 },
        },
      },
    },
    forEach: { type: 'string' },
    when: { $ref: '#/$defs/condition' },
    require: { $ref: '#/$defs/condition' },
    message: {
      anyOf: [
        { type: 'string', minLength: 1 },
        // One template per resource type the policy reports on.
        { type: 'object', minProperties: 1, propertyNames: { pattern: '^[a-z][a-z0-9_]*$' }, additionalProperties: { type: 'string', minLength: 1 } },
      ],
    },
    evidence: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'string' },
    },
  },
  $defs: { condition: conditionSchema },
} as const;

const policySettings = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    severity: { enum: [...SEVERITIES] },
    onUnknown: { enum: ['fail', 'warn', 'pass'] },
    parameters: { type: 'object' },
  },
};

export const configSchema = {
  $id: 'kmsgate-config',
  type: 'object',
  additionalProperties: false,
  properties: {
    parameters: { type: 'object' },
    failOn: { enum: [...SEVERITIES] },
    onUnknown: { enum: ['fail', 'warn', 'pass'] },
    policies: { type: 'object', additionalProperties: policySettings },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'address', 'reason', 'owner', 'expires'],
        properties: {
          rule: { type: 'string', minLength: 1 },
          address: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1 },
          owner: { type: 'string', minLength: 1 },
          expires: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
        },
      },
    },
  },
} as const;

export const fixtureSchema = {
  $id: 'kmsgate-fixtures',
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['plan'],
        properties: {
          name: { type: 'string' },
          plan: { type: 'string', minLength: 1 },
          parameters: { type: 'object' },
          valid: { type: 'array', items: { type: 'string' } },
          invalid: { type: 'array', items: { type: 'string' } },
          unknown: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;
