// A report that cannot be produced stops with one of these: a message for the person who
// ran it (what was wrong, what would be right) and the exit code the CLI returns. Nothing
// internal (stack, SQL) is in the message.
export class ReportError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'ReportError';
  }
}

/** Bad command-line input: exit code 2, as for usage errors. */
export const usage = (message: string) => new ReportError(message, 2);
