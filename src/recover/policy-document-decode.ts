// Source and override documents as the provider reads them: `json.Unmarshal` into its IAMPolicyDoc,
// field names matched case-insensitively, with the custom decoders of Principal (any string becomes
// "*", lists are sorted) and Condition (booleans become strings, numbers are dropped).

import { DocumentError, type GoCondition, type GoDocument, type GoPrincipal, type GoStatement } from './policy-document';
import { compareKeys, type GoJson } from './render';

type Fields = Record<string, unknown>;

/** encoding/json matches object keys to struct fields case-insensitively; a later key wins. */
function fieldsOf(object: Record<string, unknown>, names: readonly string[]): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(object)) {
    const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name !== undefined) out[name] = value;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringField(fields: Fields, name: string): string | DocumentError {
  const value = fields[name];
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : new DocumentError(`${name} is not a string`);
}

/** `json.Unmarshal` into the provider's IAMPolicyDoc, with its custom Principal and Condition decoders. */
export function unmarshalDocument(text: string): GoDocument | DocumentError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new DocumentError('not valid JSON');
  }
  if (!isRecord(parsed)) return new DocumentError('not a JSON object');
  const fields = fieldsOf(parsed, ['Version', 'Id', 'Statement']);
  const version = stringField(fields, 'Version');
  const id = stringField(fields, 'Id');
  if (version instanceof DocumentError) return version;
  if (id instanceof DocumentError) return id;
  const list = fields['Statement'];
  if (list !== undefined && list !== null && !Array.isArray(list)) return new DocumentError('Statement is not a list');
  const statements: GoStatement[] = [];
  for (const item of (list ?? []) as unknown[]) {
    if (item === null) return new DocumentError('a statement is null');
    if (!isRecord(item)) return new DocumentError('a statement is not an object');
    const statement = unmarshalStatement(item);
    if (statement instanceof DocumentError) return statement;
    statements.push(statement);
  }
  return { version, id, statements };
}

const STATEMENT_FIELDS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'];

function unmarshalStatement(item: Record<string, unknown>): GoStatement | DocumentError {
  const fields = fieldsOf(item, STATEMENT_FIELDS);
  const sid = stringField(fields, 'Sid');
  const effect = stringField(fields, 'Effect');
  if (sid instanceof DocumentError) return sid;
  if (effect instanceof DocumentError) return effect;
  const principals = unmarshalPrincipals(fields['Principal']);
  const notPrincipals = unmarshalPrincipals(fields['NotPrincipal']);
  const conditions = unmarshalConditions(fields['Condition']);
  if (principals instanceof DocumentError) return principals;
  if (notPrincipals instanceof DocumentError) return notPrincipals;
  if (conditions instanceof DocumentError) return conditions;
  const statement: GoStatement = { sid, effect, principals, notPrincipals, conditions };
  for (const [field, key] of [
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ] as const) {
    const value = fields[field];
    if (value !== undefined && value !== null) statement[key] = value as GoJson;
  }
  return statement;
}

function stringList(values: unknown[]): string[] | DocumentError {
  return values.every((v) => typeof v === 'string') ? (values as string[]) : new DocumentError('a list holds a value that is not a string');
}

/** A string principal of any text decodes as `"*"` (the provider's UnmarshalJSON does exactly that). */
function unmarshalPrincipals(value: unknown): GoPrincipal[] | DocumentError {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ type: '*', identifiers: ['*'] }];
  if (!isRecord(value)) return new DocumentError('Principal is neither a string nor an object');
  const out: GoPrincipal[] = [];
  for (const [type, identifiers] of Object.entries(value)) {
    if (typeof identifiers === 'string') out.push({ type, identifiers });
    else if (Array.isArray(identifiers)) {
      const list = stringList(identifiers);
      if (list instanceof DocumentError) return list;
      out.push({ type, identifiers: [...list].sort(compareKeys) });
    } else return new DocumentError(`Principal ${type} is neither a string nor a list`);
  }
  return out;
}

/** Values that are strings, booleans or lists of strings are kept; numbers and nulls are dropped. */
function unmarshalConditions(value: unknown): GoCondition[] | DocumentError {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return new DocumentError('Condition is not an object');
  const out: GoCondition[] = [];
  for (const [test, byVariable] of Object.entries(value)) {
    if (byVariable === null) continue;
    if (!isRecord(byVariable)) return new DocumentError(`Condition ${test} is not an object`);
    for (const [variable, values] of Object.entries(byVariable)) {
      if (typeof values === 'string') out.push({ test, variable, values: [values] });
      else if (typeof values === 'boolean') out.push({ test, variable, values: String(values) });
      else if (Array.isArray(values)) {
        const list = stringList(values);
        if (list instanceof DocumentError) return list;
        out.push({ test, variable, values: list });
      }
    }
  }
  return out;
}
