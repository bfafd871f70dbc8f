import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A draft 2020-12 validator with formats, reporting every error. */
export function validator(schemaPath: string): (data: unknown) => void {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  return (data) => {
    validate(data);
    expect(validate.errors ?? []).toEqual([]);
  };
}
