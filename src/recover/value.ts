// Values while rebuilding: JSON whose strings may hold symbolic values (`${tf:<reference>}`, a value
// known only after apply), or `Pending` where a part cannot be rebuilt. Pending names what it waits
// on, so an unrecoverable document still says why.

export class Pending {
  constructor(
    /** Absolute references the value depends on, e.g. `module.kms["a"].aws_iam_role.admin.arn`. */
    readonly waitsOn: readonly string[],
    /** Why it cannot be rebuilt, for a person. */
    readonly reason: string,
  ) {}
}

export type Val = null | boolean | number | string | Pending | readonly Val[] | { readonly [key: string]: Val };
export type ValObject = { readonly [key: string]: Val };

export const isPending = (value: unknown): value is Pending => value instanceof Pending;

export function isValObject(value: Val | undefined): value is ValObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Pending);
}

export const SYMBOL_PREFIX = '${tf:';

/** The text a symbolic value is written as inside a document. */
export const symbolText = (reference: string): string => `${SYMBOL_PREFIX}${reference}}`;

const SYMBOLS = /\$\{tf:([^}]+)\}/g;

/** The references of every symbolic value in a text. */
export function symbolsIn(text: string): string[] {
  return [...text.matchAll(SYMBOLS)].map((m) => m[1] ?? '');
}

export const holdsSymbol = (text: string): boolean => text.includes(SYMBOL_PREFIX);

/** The first Pending anywhere inside a value, merged with every other Pending it holds. */
export function pendingIn(value: Val | undefined): Pending | undefined {
  const found: Pending[] = [];
  collectPending(value, found);
  return found.length === 0 ? undefined : mergePending(found);
}

function collectPending(value: Val | undefined, into: Pending[]): void {
  if (value instanceof Pending) into.push(value);
  else if (Array.isArray(value)) for (const v of value as readonly Val[]) collectPending(v, into);
  else if (isValObject(value ?? null)) for (const v of Object.values(value as ValObject)) collectPending(v, into);
}

export function mergePending(list: readonly Pending[]): Pending {
  const first = list[0];
  if (list.length === 1 && first) return first;
  const waitsOn = [...new Set(list.flatMap((p) => p.waitsOn))].sort();
  const reasons = [...new Set(list.map((p) => p.reason))];
  return new Pending(waitsOn, reasons.join('; '));
}

export const pending = (reason: string, waitsOn: readonly string[] = []): Pending => new Pending(waitsOn, reason);

export type Collected<T> = T | Pending;

/** All the values, or every Pending among them merged. */
export function collect<T>(values: readonly Collected<T>[]): T[] | Pending {
  const waiting = values.filter((v): v is Pending => v instanceof Pending);
  return waiting.length > 0 ? mergePending(waiting) : (values as T[]);
}
