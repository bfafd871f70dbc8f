// Expected problems are for people: a UserError carries the file, the place in it, what is wrong and
// what to do. The CLI prints it as one line and exits 2. Anything else that escapes is a bug (exit 3).

export class UserError extends Error {
  constructor(
    /** The file (or argument) the problem is in. */
    readonly file: string,
    /** The place inside it: a JSON path, a byte offset, a line; '' when the whole file is meant. */
    readonly place: string,
    /** What is wrong and what to do, in one sentence or two. */
    readonly detail: string,
  ) {
    super(`${file}${place ? `: ${place}` : ''}: ${detail}`);
    this.name = 'UserError';
  }
}

/** Several problems found at once (policy folders, config files): all are reported, not the first only. */
export class UserErrors extends Error {
  constructor(readonly errors: readonly UserError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'UserErrors';
  }
}
