/** The config's shape as a zod schema: what `load.ts` checks a parsed YAML document against. */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { CANONICAL_FIELDS, METRICS, PERIODS } from './schema.js';

// zod/mini: zod's checks and issues, as functions a bundle leaves out when unused (the CLI's zod
// chunk is 110 KB instead of 760 KB). It has no messages of its own; English ones, as zod sets them
// on import, for any issue config/messages.ts does not word itself.
z.config(en());

/** A description for editors (it shows in `sla-audit schema`), registered on the schema itself. */
const described = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  z.globalRegistry.add(schema, { description });
  return schema;
};

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const duration = described(z.union([z.string(), z.number()]), '45m, 4h, 1h30m, 2d (24x7 only), 3bd (business days), 2bd@end (the close of the 2nd business day) or 1mo (calendar months, 24x7 only)');
const percent = described(z.union([z.string(), z.number()]), '95% or 0.95');
const dateish = z.union([z.string(), z.date()]);
const threshold = described(z.union([z.string(), z.number()]), 'a duration for time KPIs (8h), a percentage for rates (95%), a number otherwise');
const range = described(z.strictObject({ from: z.optional(dateish), to: z.optional(dateish) }), 'by ticket creation time: from (inclusive) .. to (exclusive)');
const window = described(z.string(), 'HH:MM-HH:MM, e.g. 09:00-18:00; may cross midnight');

const calendar = z.strictObject({
  timezone: described(z.optional(z.string()), 'IANA zone; default: the top-level timezone'),
  hours: described(z.record(z.string(), z.array(window)), 'weekday or range (mon-fri, sat, daily) -> windows'),
  holidays: described(z.optional(z.array(z.union([
      dateish,
      z.strictObject({ date: dateish, name: z.optional(z.string()) }),
      z.strictObject({
        country: described(z.string(), 'ISO 3166 code: CN (chinese-days, with make-up working days), US, GB, DE, JP, ... (date-holidays)'),
        region: described(z.optional(z.string()), 'a state or region of the country, e.g. CA for US, BY for DE'),
        except: described(z.optional(z.array(dateish)), 'dates or ranges taken out of the country\'s list (days off or make-up days)'),
      }),
      z.strictObject({
        every: described(z.union([z.string(), z.number(), z.date()]), 'a month and day off every year: 12-25, or a range 12-24..12-26 (02-29 is off in leap years only)'),
        from: described(z.optional(z.union([z.number(), z.string()])), 'the first year it is off (default: every year)'),
        name: z.optional(z.string()),
        except: described(z.optional(z.array(dateish)), 'dates or ranges on which it is not off after all'),
      }),
      z.strictObject({
        ical: described(z.string(), 'an iCalendar (.ics) file of all-day events, relative to the config\'s folder: single dates, multi-day events, FREQ=YEARLY recurrences, EXDATE'),
        except: described(z.optional(z.array(dateish)), 'dates or ranges of the file\'s days off that are worked after all'),
      }),
    ]))), 'dates, inclusive ranges 2026-10-01..2026-10-07, { every: 12-25 } (yearly), { ical: holidays.ics }, or a country\'s public holidays { country: CN }'),
  workdays: described(z.optional(z.array(z.union([dateish, z.strictObject({ date: dateish, hours: z.optional(z.array(window)) })]))), 'make-up working days on days normally off; short form takes Monday\'s hours'),
});

/**
 * `when:` / `where:`: checked by config/sections/conditions.ts, which words each problem itself
 * (one per bad condition, the rest still checked); the JSON Schema spells the forms out (conditionsJsonSchema).
 */
const conditions = z.record(z.string(), z.unknown());

const targets = described(z.union([duration, z.record(z.string(), duration)]), 'one duration for every priority, or priority (or default) -> duration');
/** next_reply's targets, with where its clock may start: after the first agent reply (default) or from the first customer message (Zammad's update escalation) */
const REPLY_FROM = ['first_agent_reply', 'first_customer_message'] as const;
export const replyTargets = described(
  z.union([duration, z.catchall(z.strictObject({ from: described(z.optional(z.enum(REPLY_FROM)), 'first_agent_reply (default: waits start after the first agent reply) or first_customer_message (Zammad\'s update escalation: a wait starts at a customer message before it too)') }), duration)]),
  'one duration for every priority, or priority (or default) -> duration, with an optional from: first_agent_reply | first_customer_message; needs --messages',
);
/** per metric: a calendar name (`calendars:`) or pause statuses (`pause_on:` as a map) */
const perMetric = <T extends z.ZodMiniType>(value: T) => z.strictObject(Object.fromEntries(METRICS.map((m) => [m, z.optional(value)])) as Record<(typeof METRICS)[number], z.ZodMiniOptional<T>>);

const policySchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  when: described(z.optional(conditions), 'canonical field or raw CSV header -> a value, a list (any of), or one operator; all: / any: combine (the first policy whose conditions all hold applies)'),
  effective: z.optional(range),
  calendar: described(z.optional(z.string()), 'calendar name; default 24x7'),
  calendars: described(z.optional(perMetric(z.string())), 'metric -> calendar name, e.g. { first_response: support-hours, resolution: 24x7 }; a metric not named runs on `calendar`'),
  targets: z.strictObject({
    first_response: z.optional(targets),
    resolution: z.optional(targets),
    next_reply: described(z.optional(replyTargets), 'from the oldest unanswered customer message after the first agent reply (with from: first_customer_message, before it too) to the next agent message; needs --messages'),
    periodic_update: described(z.optional(targets), 'between consecutive agent messages while the ticket is open; needs --messages'),
  }),
  warn_at: z.optional(percent),
  pause_on: described(z.optional(z.union([z.array(z.string()), perMetric(z.array(z.string()))])), 'statuses that stop every metric\'s clock, or metric -> statuses (a metric not named is not paused), e.g. { resolution: [Pending] }'),
  escalation: described(z.optional(z.array(z.strictObject({
    at: described(z.union([z.string(), z.number()]), 'share of the target used, e.g. 50%, 100%, 150%'),
    level: z.string().check(z.minLength(1)),
  })).check(z.minLength(1))), 'the level is the highest rung whose at ≤ share of target used (default: warn_at "at risk", 100% "overdue")'),
});

const indicator = z.strictObject({
  kpi: z.string(),
  weight: z.number().check(z.positive()),
  target: threshold,
  worst: z.optional(threshold),
  direction: described(z.optional(z.enum(['higher', 'lower'])), 'higher or lower is better (default by KPI)'),
});

/** A custom KPI from a column: the share of tickets with one of some values, or the mean of a numeric cell. */
const customKpi = z.strictObject({
  share: described(z.optional(z.strictObject({
    column: described(z.string(), 'a canonical field or raw CSV header'),
    values: described(z.array(scalar).check(z.minLength(1)), 'cells counted as a hit (trimmed, case-insensitive, NFKC)'),
  })), 'tickets whose cell is one of values ÷ tickets with a non-empty cell (a rate)'),
  mean: described(z.optional(z.strictObject({
    column: described(z.string(), 'a canonical field or raw CSV header with numbers'),
  })), 'the mean of the numeric cells (a non-numeric cell is a problem for this KPI only)'),
  direction: described(z.optional(z.enum(['higher', 'lower'])), 'which way is better, for scorecards, --split and --baseline (default higher)'),
});

/** report.lang: the catalogue's languages (src/report/i18n), written here so the config does not load the reports */
const REPORT_LANGS = ['en', 'zh-CN'] as const;

const PRESETS = ['zendesk', 'jira', 'servicenow', 'freshdesk'] as const;
const header = described(z.union([z.string(), z.array(z.string()).check(z.minLength(1))]), 'CSV header, or a list of headers (the first present wins)');

export const configSchema = z.strictObject({
  version: z.optional(z.literal(1)),
  preset: described(z.optional(z.enum(PRESETS)), 'fill columns, priorities and pause statuses with a vendor\'s standard export names'),
  timezone: described(z.optional(z.string()), 'IANA zone for calendars and naive timestamps; default UTC'),
  calendars: z.optional(z.record(z.string(), calendar)),
  tickets: z.optional(z.strictObject({
      path: z.optional(z.string()),
      layout: described(z.optional(z.enum(['rows', 'events'])), 'rows: one row per ticket; events: many rows per ticket (an audit log), ordered by updated_at'),
      columns: z.optional(z.partialRecord(z.enum(CANONICAL_FIELDS), header)),
      resolved_statuses: described(z.optional(z.array(z.string())), 'statuses that mean resolved (status history and event logs)'),
      first_response_statuses: described(z.optional(z.array(z.string())), 'the first change into one of these counts as the first response when no first_response_at is given'),
      timezone: z.optional(z.string()),
      timestamp_format: described(z.optional(z.string()), 'auto, epoch, epoch-ms, or a pattern like dd-MM-yyyy HH:mm'),
      null_values: z.optional(z.array(z.union([z.string(), z.number()]))),
      encoding: z.optional(z.string()),
      delimiter: z.optional(z.string()),
    })),
  events: described(z.optional(z.strictObject({
      columns: z.optional(z.strictObject({
        ticket_id: z.optional(header), timestamp: z.optional(header), status: z.optional(header),
        group: described(z.optional(header), 'the assignment group at each row, for OLAs and hand-offs (default: group or assignment_group when present)'),
      })),
      timezone: z.optional(z.string()),
      timestamp_format: z.optional(z.string()),
    })), 'the --events status-history CSV: ticket_id,timestamp,status[,group]'),
  messages: described(z.optional(z.strictObject({
      columns: z.optional(z.strictObject({ ticket_id: z.optional(header), timestamp: z.optional(header), author: z.optional(header) })),
      authors: z.optional(z.strictObject({
        customer: described(z.optional(z.array(scalar)), 'author values meaning the customer (default: customer, end-user, requester, user, 客户, 用户)'),
        agent: described(z.optional(z.array(scalar)), 'author values meaning an agent (default: agent, admin, staff, support, 客服, 坐席)'),
        ignore: described(z.optional(z.array(scalar)), 'author values left out without a problem (bots, system notes)'),
      })),
      timezone: z.optional(z.string()),
      timestamp_format: z.optional(z.string()),
    })), 'the --messages public-conversation CSV: ticket_id,timestamp,author'),
  priorities: z.optional(z.record(z.string(), z.array(scalar))),
  policies: z.array(policySchema).check(z.minLength(1)),
  categories: z.optional(z.strictObject({
      field: described(z.optional(z.string()), 'canonical field or raw header holding the category (default: category)'),
      aliases: described(z.optional(z.record(z.string(), z.array(scalar))), 'category -> values seen in exports'),
      rules: described(z.optional(z.array(z.strictObject({ category: z.string(), keywords: z.array(z.string()).check(z.minLength(1)) }))), 'first rule with a keyword in subject or description wins (case-insensitive, NFKC)'),
      default: described(z.optional(z.string()), 'category when nothing matches (default: Other)'),
      repeat_within: described(z.optional(z.union([z.string(), z.number()])), 'a repeat complaint: same customer and category within this of their previous ticket (default 30d)'),
    })),
  satisfaction: z.optional(z.strictObject({
      values: described(z.optional(z.record(z.string(), z.number())), 'text ratings -> numbers, e.g. { Good: 5, Bad: 1, 满意: 5 }'),
      good: described(z.optional(z.number()), 'a rating at or above this is good (satisfaction.good_share); default 4'),
    })),
  kpis: described(z.optional(z.record(z.string(), customKpi)), 'custom KPIs from columns, usable wherever a catalogue KPI is: name -> { share: { column, values } } or { mean: { column } }'),
  objectives: z.optional(z.array(
      z.strictObject({
        metric: described(z.optional(z.enum([...METRICS, 'overall'])), 'compliance of a metric (the short form of kpi: <metric>.compliance)'),
        kpi: described(z.optional(z.string()), 'a KPI name, e.g. resolution.median, satisfaction.mean, repeat_rate'),
        scorecard: described(z.optional(z.string()), 'a scorecard name: every scored group must reach min_score'),
        priority: z.optional(z.string()),
        policy: z.optional(z.string()),
        where: described(z.optional(conditions), 'group field or raw header -> a value, a list (any of), or one operator; all: / any: combine'),
        effective: z.optional(range),
        min: z.optional(threshold),
        max: z.optional(threshold),
        min_score: z.optional(z.number()),
        min_tickets: z.optional(z.int().check(z.nonnegative())),
      }),
    )),
  scorecards: z.optional(z.record(
      z.string(),
      z.strictObject({
        by: described(z.string(), 'team, agent, channel, policy, priority, or a raw header'),
        period: described(z.optional(z.enum(PERIODS)), 'one card per period, besides the total'),
        min_tickets: z.optional(z.int().check(z.nonnegative())),
        method: z.optional(z.enum(['weighted', 'rsr'])),
        indicators: z.optional(z.array(indicator)),
        groups: z.optional(z.array(z.strictObject({ name: z.string(), weight: z.number().check(z.positive()), indicators: z.array(indicator).check(z.minLength(1)) }))),
        grades: described(z.optional(z.record(z.string(), z.number())), 'grade name -> the lowest score that earns it'),
        below: described(z.optional(z.string()), 'the grade below the lowest line (default: below)'),
      }),
    )),
  olas: described(z.optional(z.array(z.strictObject({
      group: described(z.string(), 'the assignment group as the history writes it (case-insensitive)'),
      target: described(duration, 'business time each stint of the group may take: 45m, 4h, 2bd'),
      calendar: described(z.optional(z.string()), 'calendar name; default: the ticket policy\'s'),
      pause_on: described(z.optional(z.array(z.string())), 'statuses that stop this OLA\'s clock; default: the policy\'s pause_on'),
      warn_at: described(z.optional(percent), 'a running stint at or past this share of the target is at risk; default: the policy\'s'),
    }))), 'operational level agreements per assignment group, from the history\'s group column (GLPI OLAs, Zendesk group SLAs)'),
  credits: described(z.optional(z.strictObject({
      currency: described(z.optional(z.string()), 'shown beside amounts, e.g. CNY'),
      period: described(z.optional(z.enum(PERIODS)), 'contract periods by ticket creation (default month)'),
      fee: described(z.number().check(z.nonnegative()), 'the fee per period'),
      metric: described(z.optional(z.enum([...METRICS, 'overall'])), 'whose compliance the tiers read (default overall)'),
      tiers: described(z.optional(z.array(z.strictObject({ below: percent, credit: percent }))), 'the largest credit whose below is above the period\'s compliance, as a share of the fee'),
      per_breach: described(z.optional(z.union([z.number().check(z.nonnegative()), z.record(z.string(), z.number().check(z.nonnegative()))])), 'an amount per breached or overdue ticket × metric, or priority (or default) -> amount'),
      per_hour_over: described(z.optional(z.union([z.number().check(z.nonnegative()), z.record(z.string(), z.number().check(z.nonnegative()))])), 'an amount per started business hour over target, or priority (or default) -> amount'),
      cap: described(z.optional(percent), 'the most a period\'s credit can be, as a share of the fee'),
      policies: described(z.optional(z.array(z.string())), 'the policies the contract covers (default all)'),
    })), 'service credits: what breaches cost per contract period'),
  report: described(z.optional(z.strictObject({
      lang: described(z.optional(z.enum(REPORT_LANGS)), 'the language of human-facing labels in the terminal, markdown, HTML and workbook reports: en (default) or zh-CN (--lang overrides it); JSON keys, CSV columns, KPI names and exit codes never change with it'),
      title: described(z.optional(z.union([z.string(), z.number()])), 'the heading of the terminal, markdown, HTML and workbook reports, e.g. 客服 SLA 月报'),
      at_risk_margin: described(z.optional(z.number().check(z.nonnegative(), z.lte(100))), 'HTML colours: a met objective within this many percentage points of its line is at risk (scores: points; times, counts, means: percent of the line); default 2'),
    })), 'how reports for people are written: their language, title and colours'),
});

export type RawConfig = z.infer<typeof configSchema>;

/** The same schema with an empty policy list allowed: for what is left of a config once its broken parts are cut out. */
export const salvageSchema = z.extend(configSchema, { policies: z.array(policySchema) });

export function configJsonSchema(): unknown {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  // when: / where: nest (all: / any: hold mappings of conditions): spelled out once under $defs
  const props = (o: JsonObject | undefined) => (o?.properties ?? {}) as Record<string, JsonObject>;
  const policy = props(schema).policies?.items as JsonObject | undefined;
  const objective = (props(schema).objectives?.anyOf as JsonObject[] | undefined)?.find((x) => x.type === 'array')?.items as JsonObject | undefined ?? props(schema).objectives?.items as JsonObject | undefined;
  for (const [entry, key] of [[policy, 'when'], [objective, 'where']] as const) {
    const at = props(entry)[key];
    if (at) props(entry)[key] = { description: at.description, $ref: '#/$defs/conditions' };
  }
  schema.$defs = { ...(schema.$defs as JsonObject | undefined), ...CONDITIONS_JSON_SCHEMA };
  return schema;
}

type JsonObject = Record<string, unknown>;

const values = { anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean'] } }] };
const one = (op: string, schema: JsonObject, description: string) => ({ type: 'object', properties: { [op]: { ...schema, description } }, required: [op], additionalProperties: false });

/** The JSON Schema of `when:` / `where:` (config/sections/conditions.ts checks the same). */
const CONDITIONS_JSON_SCHEMA = {
  conditions: {
    type: 'object',
    description: 'field -> condition; all: / any: combine mappings of conditions (at most 4 levels)',
    properties: {
      all: { type: 'array', minItems: 1, items: { $ref: '#/$defs/conditions' }, description: 'every mapping holds' },
      any: { type: 'array', minItems: 1, items: { $ref: '#/$defs/conditions' }, description: 'at least one mapping holds' },
    },
    additionalProperties: { $ref: '#/$defs/condition' },
  },
  condition: {
    anyOf: [
      { ...values, description: 'one of these values (case-insensitive)' },
      one('not', values, 'none of these values (an empty cell is none of them)'),
      one('contains', values, 'the cell contains one of these texts (case-insensitive, NFKC: full-width letters match)'),
      one('matches', { type: 'string' }, 'an RE2 regular expression found in the cell (case-sensitive; (?i) for not); no look-around or back-references'),
      ...['gt', 'gte', 'lt', 'lte'].map((op) => one(op, { type: 'number' }, `the cell is a number ${{ gt: '>', gte: '≥', lt: '<', lte: '≤' }[op]} this (an empty or non-numeric cell does not match)`)),
    ],
  },
};
