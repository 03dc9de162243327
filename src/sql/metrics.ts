import type { Metric } from '../config/schema.js';

/**
 * The metrics the SQL computes: those measured from a ticket's own columns and history. Next reply
 * and periodic update are measured from a --messages conversation, which the script does not read
 * (refusals.ts says so when a policy has targets for them).
 */
export const SQL_METRICS = ['first_response', 'resolution'] as const satisfies readonly Metric[];
