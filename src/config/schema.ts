/**
 * The names the config's schema is built from, shared with the input stage, the engine and the
 * reports. The zod schema itself is in `zod-schema.ts`: importing these names loads no validator.
 */
/** Canonical ticket fields that `tickets.columns` maps to CSV headers. */
export const CANONICAL_FIELDS = [
  'id', 'created_at', 'first_response_at', 'resolved_at', 'priority', 'status', 'channel',
  'category', 'team', 'agent', 'customer', 'subject', 'description', 'satisfaction', 'updated_at',
  'first_response_minutes', 'sequence', 'nps', 'contacts',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];
export const REQUIRED_FIELDS: CanonicalField[] = ['id', 'created_at'];
/** Every metric the engine knows; a config uses first_response and resolution always, the message metrics when a policy has targets for them. */
export const METRICS = ['first_response', 'resolution', 'next_reply', 'periodic_update'] as const;
/** Metrics measured from the --messages conversation. */
export const MESSAGE_METRICS = ['next_reply', 'periodic_update'] as const;
export const PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type Period = (typeof PERIODS)[number];
export type Metric = (typeof METRICS)[number];

/** An OLA's metric: `ola.<group>` (its compliance KPI is `ola.<group>.compliance`). */
export type OlaMetric = `ola.${string}`;
/** A metric a ticket is judged on: the SLA metrics, then one per OLA group. */
export type MetricName = Metric | OlaMetric;
export const olaMetric = (group: string): OlaMetric => `ola.${group}`;
/** OLA metrics are internal agreements: judged like the others, but not in the customer's overall compliance, breach counts or credits. */
export const isOla = (m: string): m is OlaMetric => m.startsWith('ola.');
