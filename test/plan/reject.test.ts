// Everything that is not a plan or a state gets one line naming the file, what it looks like, and
// the command that produces the right input; broken JSON gets the byte offset of the first error.

import { Buffer } from 'node:buffer';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors';
import { createPlanReader, directoryError, readPlan } from '../../src/plan';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/plans', import.meta.url));
const PLAN = '`terraform show -json tfplan > plan.json`';
const EXPECTED = `kmsgate reads the output of ${PLAN} (or of \`terraform show -json\` on a state)`;
const NOT_JSON = `the file is not valid JSON; run ${PLAN} again and pass its output unchanged`;
const CUT_SHORT = `the file is cut short; run ${PLAN} again and let it finish`;
const INVALID = `this is not valid \`terraform show -json\` output, produce it with ${PLAN}`;

function failureOf(read: () => unknown): UserError {
  try {
    read();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

/** The error, the same whether the file is parsed whole first (small files) or streamed. */
function failure(bytes: Uint8Array | string, file = 'plan.json'): UserError {
  const input = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const error = failureOf(() => readPlan(file, input));
  expect(failureOf(() => readPlan(file, input, { wholeFileBytes: 0 })).message).toBe(error.message);
  return error;
}

function message(bytes: Uint8Array | string): string {
  const error = failure(bytes);
  expect(error.message).not.toContain('\n');
  return error.message;
}

describe('files that are not JSON documents', () => {
  it('an empty file, a blank file, a directory', () => {
    expect(message('')).toBe(`plan.json: the file is empty; ${EXPECTED}`);
    expect(message(' \r\n\t ')).toBe(`plan.json: the file holds only whitespace; ${EXPECTED}`);
    expect(directoryError('stacks/').message).toBe(`stacks/: this is a directory, not a plan file; ${EXPECTED}`);
  });

  it('a binary plan file (zip), gzip, other binary data, UTF-32', () => {
    expect(message('PK\x03\x04\x14\x00\x08\x00\x08\x00tfplan')).toBe(
      `plan.json: this is a binary plan file (the zip archive \`terraform plan -out\` writes), not JSON; run ${PLAN} and pass plan.json`,
    );
    expect(message('\x1f\x8b\x08\x00\x00\x00')).toBe(`plan.json: this is a gzip-compressed file; decompress it (\`gunzip\`) and pass the JSON inside; ${EXPECTED}`);
    expect(message('\x7fELF\x02\x01\x01\x00')).toBe(`plan.json: this is binary data, not JSON text; ${EXPECTED}`);
    expect(message(Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]))).toBe(
      `plan.json: this file is encoded in UTF-32; save it as UTF-8, or run ${PLAN} again without re-encoding its output`,
    );
  });

  it('human-readable plan output, HCL, other text', () => {
    const human = `plan.json: this is the human-readable output of \`terraform plan\` or \`terraform show\`, not JSON; run ${PLAN}`;
    expect(message('\nTerraform used the selected providers to generate the following execution plan.')).toBe(human);
    expect(message('\u001b[1m  # aws_kms_key.a\u001b[0m will be created')).toBe(human);
    expect(message('aws_kms_key.a: Refreshing state... [id=1234]')).toBe(human);
    expect(message('resource "aws_kms_key" "a" {\n  enable_key_rotation = true\n}')).toBe(
      `plan.json: this is Terraform source (HCL), not a plan; run \`terraform plan -out tfplan\`, then ${PLAN}`,
    );
    expect(message('nonsense')).toBe(`plan.json: this is text that is not JSON; ${EXPECTED}`);
    expect(message('tru')).toBe(`plan.json: this is text that is not JSON; ${EXPECTED}`);
  });
});

describe('JSON that is not a plan or a state', () => {
  it('a raw terraform.tfstate', () => {
    const tfstate = JSON.stringify({
      version: 4,
      terraform_version: '1.9.5',
      serial: 12,
      lineage: '5c1e7a1c-0000-4000-8000-000000000000',
      outputs: {},
      resources: [{ mode: 'managed', type: 'aws_kms_key', name: 'a', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { id: 'k' } }] }],
      check_results: null,
    });
    expect(message(tfstate)).toBe(
      'plan.json: this is a raw Terraform state file (terraform.tfstate: `version`, `serial`, `resources[].instances`), not `terraform show -json` output; ' +
        `run \`terraform show -json terraform.tfstate > state.json\` to check a state, or ${PLAN} to check a plan`,
    );
  });

  it("HCP Terraform's redacted JSON plan", () => {
    const redacted = JSON.stringify({ plan_format_version: '1.2', resource_changes: [], relevant_attributes: [], provider_format_version: '1.0', provider_schemas: {} });
    expect(message(redacted)).toBe(
      "plan.json: this is HCP Terraform's redacted JSON plan (`plan_format_version`, `provider_format_version`), a different format; " +
        `download the run's unredacted JSON plan (\`/api/v2/plans/:id/json-output\`) or run ${PLAN} on the saved plan`,
    );
  });

  it('other objects, arrays and scalars', () => {
    expect(message('{"tfplan": {"format_version": "1.2"}}')).toBe(
      'plan.json: this JSON object is neither a Terraform plan nor a state (no `format_version`, none of `planned_values`, `resource_changes`, `configuration`, `prior_state`, `values`); ' +
        EXPECTED,
    );
    const kinds: [string, string][] = [
      ['[{"format_version":"1.2"}]', 'an array'],
      ['"plan"', 'a string'],
      ['42', 'a number'],
      ['-1.5e3', 'a number'],
      ['true', 'a boolean'],
      ['null', '`null`'],
    ];
    for (const [text, kind] of kinds) expect(message(text)).toBe(`plan.json: this JSON document is ${kind}, not a Terraform plan or state object; ${EXPECTED}`);
  });

  it('format_version missing, unreadable, or of major version 2', () => {
    expect(message('{"planned_values":{"root_module":{}},"configuration":{}}')).toBe(
      `plan.json: format_version: missing: every \`terraform show -json\` output has it (was the file edited or written by another tool?); produce it with ${PLAN}`,
    );
    expect(message('{"format_version":"2.0","planned_values":{}}')).toBe(
      'plan.json: format_version: format 2.0 is a newer, incompatible JSON format (kmsgate reads 0.x and 1.x); update kmsgate, or produce the file with a Terraform or OpenTofu version that writes format 1.x',
    );
    expect(message('{"format_version":"12.1","values":{}}')).toContain('format 12.1 is a newer, incompatible JSON format');
    expect(message('{"format_version":"v1","configuration":{}}')).toBe(`plan.json: format_version: "v1" is not a version number; produce the file with ${PLAN}`);
    expect(message('{"format_version":1.2,"configuration":{}}')).toBe(`plan.json: format_version: expected a string such as "1.2"; produce the file with ${PLAN}`);
  });

  it('a plan with a state document inside out', () => {
    expect(message('{"format_version":"1.2","configuration":{},"values":{"root_module":{}}}')).toBe(
      `plan.json: values: a plan's sections next to a state's top-level \`values\`; ${INVALID}`,
    );
  });
});

describe('broken JSON', () => {
  it('names the byte offset, line and column of the first error', () => {
    expect(message('{"format_version": "1.0",, }')).toBe(`plan.json: byte 25 (line 1, column 26): invalid JSON: unexpected ',' (expected a key string); ${NOT_JSON}`);
    expect(message('{\n  "format_version": "1.2",\n  "checks": [tru]\n}')).toBe(
      `plan.json: byte 45 (line 3, column 17): invalid JSON: unexpected ']' in a literal (expected true, false or null); ${NOT_JSON}`,
    );
    expect(message('{"format_version":"1.0"} {}')).toBe(`plan.json: byte 25 (line 1, column 26): invalid JSON: unexpected '{' after the end of the JSON document; ${NOT_JSON}`);
  });

  it('counts the byte order mark in the offset', () => {
    expect(message('\xef\xbb\xbf{,')).toBe(`plan.json: byte 4 (line 1, column 2): invalid JSON: unexpected ',' (expected a key string or '}'); ${NOT_JSON}`);
  });

  it('checks every part of the document, also the parts it does not read', () => {
    const cases: [string, string][] = [
      ['{"format_version":"1.2","timestamp":"2024-01-01T00:00:00Z","x":[1,2,]}', "byte 68 (line 1, column 69): invalid JSON: unexpected ']' (expected a value)"],
      ['{"format_version":"1.2","checks":[{"status":"pass" "x":1}]}', `byte 51 (line 1, column 52): invalid JSON: unexpected '"' (expected ',' or '}')`],
      ['{"format_version":"1.2","output_changes":{"a":{"after":01}}}', 'byte 56 (line 1, column 57): invalid JSON: a number with a leading zero'],
      ['{"format_version":"1.2","relevant_attributes":[{"attribute":["a\\x"]}]}', "byte 64 (line 1, column 65): invalid JSON: invalid escape '\\x' in a string"],
      ['{"format_version":"1.2","x":"\\u12g4"}', "byte 33 (line 1, column 34): invalid JSON: unexpected 'g' in a \\u escape (expected a hex digit)"],
      ['{"format_version":"1.2","x":1.}', "byte 30 (line 1, column 31): invalid JSON: unexpected '}' in a number (expected a digit after '.')"],
      ['{"format_version":"1.2","x":1e}', "byte 30 (line 1, column 31): invalid JSON: unexpected '}' in a number (expected an exponent digit)"],
      ['{"format_version":"1.2","x":-}', "byte 29 (line 1, column 30): invalid JSON: unexpected '}' in a number (expected a digit)"],
      ['{"format_version":"1.2","x":[}', "byte 29 (line 1, column 30): invalid JSON: unexpected '}' (expected a value or ']')"],
      ['{"format_version":"1.2","x":{]}', "byte 29 (line 1, column 30): invalid JSON: unexpected ']' (expected a key string or '}')"],
      ['{"format_version":"1.2","x"}', "byte 27 (line 1, column 28): invalid JSON: unexpected '}' (expected ':')"],
      ["{'format_version':'1.2'}", "byte 1 (line 1, column 2): invalid JSON: unexpected ''' (expected a key string or '}')"],
      ['{"format_version":"1.2","x":"a\tb"}', 'byte 30 (line 1, column 31): invalid JSON: control character byte 0x09 inside a string (it must be escaped)'],
      ['{"format_version":"1.2","x":NaN}', "byte 28 (line 1, column 29): invalid JSON: unexpected 'N' (expected a value)"],
      ['{"format_version":"1.2","x":\x00}', 'byte 28 (line 1, column 29): invalid JSON: unexpected byte 0x00 (expected a value)'],
    ];
    for (const [text, place] of cases) expect(message(text)).toBe(`plan.json: ${place}; ${NOT_JSON}`);
  });

  it('checks inside resources it skips and resources it parses', () => {
    const plan = (after: string, type: string): string =>
      `{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"${type}","name":"b","change":{"actions":["create"],"after":${after}}}]}`;
    for (const type of ['aws_s3_bucket', 'aws_kms_key']) {
      expect(message(plan('{"tags":{"a":"b",}}', type))).toMatch(/^plan\.json: byte \d+ \(line 1, column \d+\): invalid JSON: unexpected '}' \(expected a key string\); /);
    }
  });

  it('rejects invalid UTF-8 (Latin-1 text, overlong forms, surrogates)', () => {
    const encoding = `the file is not UTF-8 as Terraform writes it (was it re-encoded?); run ${PLAN} again and pass its output unchanged`;
    expect(message('{"format_version":"1.2","x":"caf\xe9"}')).toBe(`plan.json: byte 33 (line 1, column 34): invalid JSON: invalid UTF-8 ('"' where a continuation byte was expected); ${encoding}`);
    expect(message('{"format_version":"1.2","x":"\xc0\xaf"}')).toBe(`plan.json: byte 29 (line 1, column 30): invalid JSON: invalid UTF-8 (byte 0xc0); ${encoding}`);
    expect(message('{"format_version":"1.2","x":"\xed\xa0\x80"}')).toBe(
      `plan.json: byte 30 (line 1, column 31): invalid JSON: invalid UTF-8 (byte 0xa0 where a continuation byte was expected); ${encoding}`,
    );
    expect(message('{"format_version":"1.2","x":"\xf4\x90\x80\x80"}')).toContain('invalid UTF-8 (byte 0x90 where a continuation byte was expected)');
    expect(readPlan('plan.json', Buffer.from('{"format_version":"1.2","x":"café ☃ 😀"}', 'utf8')).kind).toBe('state');
  });

  it('limits nesting depth', () => {
    const nested = (depth: number): string => `{"format_version":"1.2","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(readPlan('plan.json', Buffer.from(nested(1000))).kind).toBe('state');
    expect(message(nested(1001))).toBe(`plan.json: byte 1027 (line 1, column 1028): invalid JSON: nesting deeper than 1000 levels; ${NOT_JSON}`);
  });
});

function corpusFile(name: string): Buffer {
  return readFileSync(join(CORPUS, name));
}

describe('truncated files', () => {
  const names = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));

  it.each(names)('%s cut at several offsets', (name) => {
    const bytes = corpusFile(name);
    const utf16 = bytes[0] === 0xff;
    const end = bytes.lastIndexOf(utf16 ? Buffer.from('}\0') : Buffer.from('}'));
    for (const fraction of [0.001, 0.1, 0.37, 0.5, 0.9, 0.999]) {
      let cut = Math.max(utf16 ? 4 : 1, Math.floor(end * fraction));
      if (utf16) cut -= cut % 2;
      const error = failure(bytes.subarray(0, cut), name);
      if (utf16) expect(error.message).toMatch(/^[^:]+: line \d+, column \d+: invalid JSON: the file ends .* \(truncated\); /);
      else expect(error.message).toBe(`${name}: byte ${cut} (line ${error.message.match(/line (\d+)/)?.[1]}, column ${error.message.match(/column (\d+)/)?.[1]}): ${error.detail}`);
      expect(error.detail).toMatch(new RegExp(`^invalid JSON: the file ends (inside a string|with \\d+ unclosed (object or array|objects or arrays)|inside a value) \\(truncated\\); ${CUT_SHORT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
  });

  it('names what is open at the end', () => {
    expect(message('{"format_version":"1.2","planned_values":{"root_module":{}')).toBe(
      `plan.json: byte 58 (line 1, column 59): invalid JSON: the file ends with 2 unclosed objects or arrays (truncated); ${CUT_SHORT}`,
    );
    expect(message('{"format_version":"1.2","x":"abc')).toBe(`plan.json: byte 32 (line 1, column 33): invalid JSON: the file ends inside a string (truncated); ${CUT_SHORT}`);
    expect(message('{"format_version":"1.2","x":"\\')).toBe(`plan.json: byte 30 (line 1, column 31): invalid JSON: the file ends inside a string (truncated); ${CUT_SHORT}`);
    expect(message('{"format_version":"1.2","x":1')).toBe(`plan.json: byte 29 (line 1, column 30): invalid JSON: the file ends with 1 unclosed object or array (truncated); ${CUT_SHORT}`);
  });
});

describe('encodings', () => {
  const utf16 = corpusFile('bridgecrewio-checkov/utf16le-bom-windows_tf1.2.2.json');
  const text = utf16.subarray(2).toString('utf16le');

  it('reads UTF-16LE and UTF-16BE with a BOM, UTF-16 without one, UTF-8 with and without a BOM', () => {
    const expected = readPlan('a.json', Buffer.from(text, 'utf8'));
    expect(expected.kind).toBe('plan');
    expect(expected.inventory).toHaveLength(1);
    const be = Buffer.from(utf16.subarray(2)).swap16();
    const variants = [
      utf16,
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      utf16.subarray(2),
      be,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    ];
    for (const variant of variants) expect(readPlan('a.json', variant)).toEqual(expected);
    for (const variant of variants) {
      const reader = createPlanReader('a.json');
      for (let at = 0; at < variant.length; at += 3) reader.push(variant.subarray(at, at + 3));
      expect(reader.end()).toEqual(expected);
    }
  });

  it('rejects broken UTF-16 and places JSON errors in it by line and column', () => {
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"format_version":"1.2","x":"', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('"}', 'utf16le')]);
    expect(message(lone)).toBe(`plan.json: this file is UTF-16 but not valid UTF-16 (cut short, or an unpaired surrogate); run ${PLAN} again`);
    expect(message(utf16.subarray(0, 1001))).toBe(`plan.json: this file is UTF-16 but not valid UTF-16 (cut short, or an unpaired surrogate); run ${PLAN} again`);
    const broken = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{\r\n  "format_version": "1.2",\r\n  "x": [1 2]\r\n}', 'utf16le')]);
    expect(message(broken)).toBe(`plan.json: line 3, column 11: invalid JSON: unexpected '2' (expected ',' or ']'); ${NOT_JSON}`);
  });
});
