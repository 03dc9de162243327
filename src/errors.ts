/**
 * Errors the user can fix. The CLI prints their message (no stack) and exits 2.
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  readonly exitCode = 2;
}

/** A problem in sla.yaml: one line per problem, already formatted with file:line:col and YAML path. */
export class ConfigError extends UserError {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** A whole input file that cannot be used (missing, empty, not CSV, missing column). */
export class InputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Wrong command-line usage. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
