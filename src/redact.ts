// Defence in depth: whatever a message quotes, no value the plan marks sensitive survives it.

// Values shorter than this are too common to scrub out of running text; whole values are compared exactly.
const MIN_REDACTED_LENGTH = 4;

export const REDACTED = '(sensitive)';

export function redact(text: string, sensitive: ReadonlySet<string>): string {
  if (sensitive.has(text)) return REDACTED;
  let out = text;
  for (const value of sensitive) {
    if (value.length >= MIN_REDACTED_LENGTH && out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out;
}
