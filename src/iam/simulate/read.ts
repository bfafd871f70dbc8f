// Small readers for the scenario JSON: each failure is a UserError naming the JSON path.
import { UserError } from '../../errors';

export type Obj = Record<string, unknown>;

export class ScenarioReader {
  constructor(readonly file: string) {}

  fail(place: string, detail: string): never {
    throw new UserError(this.file, place, detail);
  }

  object(v: unknown, place: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(place, 'expected a JSON object');
    return v as Obj;
  }

  only(o: Obj, place: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(`${place}.${k}`, `unknown field "${k}"; expected one of ${allowed.join(', ')}`);
    }
  }

  string(v: unknown, place: string): string {
    if (typeof v !== 'string' || v === '') this.fail(place, 'expected a non-empty string');
    return v;
  }

  optString(v: unknown, place: string): string | null {
    return v === undefined || v === null ? null : this.string(v, place);
  }

  array(v: unknown, place: string): unknown[] {
    if (!Array.isArray(v)) this.fail(place, 'expected a JSON array');
    return v;
  }
}
