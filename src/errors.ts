/**
 * Errors the user can fix. The CLI prints their message (no stack) and exits 2.
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  readonly exitCode = 2;
}

/** A problem in sla.yaml: one line per problem, already formatted with file:line:col and YAML path. */
export class ConfigError extends UserError {
  /** `reads`: the other files the config names (its ical: files) when they were known, no place for a note */
  constructor(readonly lines: string[], readonly reads: string[] = []) {
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
