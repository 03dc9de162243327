/** The config's shape as a zod schema: what `load.ts` checks a parsed YAML document against. */
import { z } from 'zod';
import { CANONICAL_FIELDS, METRICS, PERIODS } from './schema.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const duration = z.union([z.string(), z.number()]).describe('45m, 4h, 1h30m, 2d (24x7 only) or 3bd (business days)');
const percent = z.union([z.string(), z.number()]).describe('95% or 0.95');
const dateish = z.union([z.string(), z.date()]);
const threshold = z.union([z.string(), z.number()]).describe('a duration for time KPIs (8h), a percentage for rates (95%), a number otherwise');
const range = z.strictObject({ from: dateish.optional(), to: dateish.optional() }).describe('by ticket creation time: from (inclusive) .. to (exclusive)');
const window = z.string().describe('HH:MM-HH:MM, e.g. 09:00-18:00; may cross midnight');

const calendar = z.strictObject({
  timezone: z.string().optional().describe('IANA zone; default: the top-level timezone'),
  hours: z.record(z.string(), z.array(window)).describe('weekday or range (mon-fri, sat, daily) -> windows'),
  holidays: z
    .array(z.union([
      dateish,
      z.strictObject({ date: dateish, name: z.string().optional() }),
      z.strictObject({
        country: z.string().describe('ISO 3166 code: CN (chinese-days, with make-up working days), US, GB, DE, JP, ... (date-holidays)'),
        region: z.string().optional().describe('a state or region of the country, e.g. CA for US, BY for DE'),
        except: z.array(dateish).optional().describe('dates or ranges taken out of the country\'s list (days off or make-up days)'),
      }),
    ]))
    .optional()
    .describe('dates, inclusive ranges 2026-10-01..2026-10-07, or a country\'s public holidays { country: CN }'),
  workdays: z
    .array(z.union([dateish, z.strictObject({ date: dateish, hours: z.array(window).optional() })]))
    .optional()
    .describe('make-up working days on days normally off; short form takes Monday\'s hours'),
});

const targets = z.union([duration, z.record(z.string(), duration)]).describe('one duration for every priority, or priority (or default) -> duration');

const policySchema = z.strictObject({
  name: z.string().min(1),
  when: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional()
    .describe('canonical field or raw CSV header -> value or list of values (case-insensitive)'),
  effective: range.optional(),
  calendar: z.string().optional().describe('calendar name; default 24x7'),
  targets: z.strictObject({
    first_response: targets.optional(),
    resolution: targets.optional(),
    next_reply: targets.optional().describe('from the oldest unanswered customer message (after the first agent reply) to the next agent message; needs --messages'),
    periodic_update: targets.optional().describe('between consecutive agent messages while the ticket is open; needs --messages'),
  }),
  warn_at: percent.optional(),
  pause_on: z.array(z.string()).optional(),
  escalation: z.array(z.strictObject({
    at: z.union([z.string(), z.number()]).describe('share of the target used, e.g. 50%, 100%, 150%'),
    level: z.string().min(1),
  })).min(1).optional().describe('the level is the highest rung whose at ≤ share of target used (default: warn_at "at risk", 100% "overdue")'),
});

const indicator = z.strictObject({
  kpi: z.string(),
  weight: z.number().positive(),
  target: threshold,
  worst: threshold.optional(),
  direction: z.enum(['higher', 'lower']).optional().describe('higher or lower is better (default by KPI)'),
});

const PRESETS = ['zendesk', 'jira', 'servicenow', 'freshdesk'] as const;
const header = z.union([z.string(), z.array(z.string()).min(1)]).describe('CSV header, or a list of headers (the first present wins)');

export const configSchema = z.strictObject({
  version: z.literal(1).optional(),
  preset: z.enum(PRESETS).optional().describe('fill columns, priorities and pause statuses with a vendor\'s standard export names'),
  timezone: z.string().optional().describe('IANA zone for calendars and naive timestamps; default UTC'),
  calendars: z.record(z.string(), calendar).optional(),
  tickets: z
    .strictObject({
      path: z.string().optional(),
      layout: z.enum(['rows', 'events']).optional().describe('rows: one row per ticket; events: many rows per ticket (an audit log), ordered by updated_at'),
      columns: z.partialRecord(z.enum(CANONICAL_FIELDS), header).optional(),
      resolved_statuses: z.array(z.string()).optional().describe('statuses that mean resolved (status history and event logs)'),
      first_response_statuses: z.array(z.string()).optional().describe('the first change into one of these counts as the first response when no first_response_at is given'),
      timezone: z.string().optional(),
      timestamp_format: z.string().optional().describe('auto, epoch, epoch-ms, or a pattern like dd-MM-yyyy HH:mm'),
      null_values: z.array(z.union([z.string(), z.number()])).optional(),
      encoding: z.string().optional(),
      delimiter: z.string().optional(),
    })
    .optional(),
  events: z
    .strictObject({
      columns: z.strictObject({ ticket_id: header.optional(), timestamp: header.optional(), status: header.optional() }).optional(),
      timezone: z.string().optional(),
      timestamp_format: z.string().optional(),
    })
    .optional()
    .describe('the --events status-history CSV: ticket_id,timestamp,status'),
  messages: z
    .strictObject({
      columns: z.strictObject({ ticket_id: header.optional(), timestamp: header.optional(), author: header.optional() }).optional(),
      authors: z.strictObject({
        customer: z.array(scalar).optional().describe('author values meaning the customer (default: customer, end-user, requester, user, 客户, 用户)'),
        agent: z.array(scalar).optional().describe('author values meaning an agent (default: agent, admin, staff, support, 客服, 坐席)'),
        ignore: z.array(scalar).optional().describe('author values left out without a problem (bots, system notes)'),
      }).optional(),
      timezone: z.string().optional(),
      timestamp_format: z.string().optional(),
    })
    .optional()
    .describe('the --messages public-conversation CSV: ticket_id,timestamp,author'),
  priorities: z.record(z.string(), z.array(scalar)).optional(),
  policies: z.array(policySchema).min(1),
  categories: z
    .strictObject({
      field: z.string().optional().describe('canonical field or raw header holding the category (default: category)'),
      aliases: z.record(z.string(), z.array(scalar)).optional().describe('category -> values seen in exports'),
      rules: z.array(z.strictObject({ category: z.string(), keywords: z.array(z.string()).min(1) })).optional()
        .describe('first rule with a keyword in subject or description wins (case-insensitive, NFKC)'),
      default: z.string().optional().describe('category when nothing matches (default: Other)'),
      repeat_within: z.union([z.string(), z.number()]).optional().describe('a repeat complaint: same customer and category within this of their previous ticket (default 30d)'),
    })
    .optional(),
  satisfaction: z
    .strictObject({
      values: z.record(z.string(), z.number()).optional().describe('text ratings -> numbers, e.g. { Good: 5, Bad: 1, 满意: 5 }'),
      good: z.number().optional().describe('a rating at or above this is good (satisfaction.good_share); default 4'),
    })
    .optional(),
  objectives: z
    .array(
      z.strictObject({
        metric: z.enum([...METRICS, 'overall']).optional().describe('compliance of a metric (the short form of kpi: <metric>.compliance)'),
        kpi: z.string().optional().describe('a KPI name, e.g. resolution.median, satisfaction.mean, repeat_rate'),
        scorecard: z.string().optional().describe('a scorecard name: every scored group must reach min_score'),
        priority: z.string().optional(),
        policy: z.string().optional(),
        where: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional().describe('group field or raw header -> value or list of values'),
        effective: range.optional(),
        min: threshold.optional(),
        max: threshold.optional(),
        min_score: z.number().optional(),
        min_tickets: z.number().int().nonnegative().optional(),
      }),
    )
    .optional(),
  scorecards: z
    .record(
      z.string(),
      z.strictObject({
        by: z.string().describe('team, agent, channel, policy, priority, or a raw header'),
        period: z.enum(PERIODS).optional().describe('one card per period, besides the total'),
        min_tickets: z.number().int().nonnegative().optional(),
        method: z.enum(['weighted', 'rsr']).optional(),
        indicators: z.array(indicator).optional(),
        groups: z.array(z.strictObject({ name: z.string(), weight: z.number().positive(), indicators: z.array(indicator).min(1) })).optional(),
        grades: z.record(z.string(), z.number()).optional().describe('grade name -> the lowest score that earns it'),
        below: z.string().optional().describe('the grade below the lowest line (default: below)'),
      }),
    )
    .optional(),
  credits: z
    .strictObject({
      currency: z.string().optional().describe('shown beside amounts, e.g. CNY'),
      period: z.enum(PERIODS).optional().describe('contract periods by ticket creation (default month)'),
      fee: z.number().nonnegative().describe('the fee per period'),
      metric: z.enum([...METRICS, 'overall']).optional().describe('whose compliance the tiers read (default overall)'),
      tiers: z.array(z.strictObject({ below: percent, credit: percent })).optional()
        .describe('the largest credit whose below is above the period\'s compliance, as a share of the fee'),
      per_breach: z.union([z.number().nonnegative(), z.record(z.string(), z.number().nonnegative())]).optional()
        .describe('an amount per breached or overdue ticket × metric, or priority (or default) -> amount'),
      per_hour_over: z.union([z.number().nonnegative(), z.record(z.string(), z.number().nonnegative())]).optional()
        .describe('an amount per started business hour over target, or priority (or default) -> amount'),
      cap: percent.optional().describe('the most a period\'s credit can be, as a share of the fee'),
      policies: z.array(z.string()).optional().describe('the policies the contract covers (default all)'),
    })
    .optional()
    .describe('service credits: what breaches cost per contract period'),
});

export type RawConfig = z.infer<typeof configSchema>;

/** The same schema with an empty policy list allowed: for what is left of a config once its broken parts are cut out. */
export const salvageSchema = configSchema.extend({ policies: z.array(policySchema) });

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
