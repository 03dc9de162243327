/** The hand-worked fixtures (one row per ticket) the SQL parity tests run on every engine. */
/** fixture, --as-of (as its own test uses it), history file */
export const FIXTURES: [string, string, string?][] = [
  ['engine/policy-match-and-business-hours', '2026-10-31T00:00'], // lunch breaks, holiday range, make-up day, bd, policy versions
  ['engine/new-york-dst', '2026-11-03T00:00'], // a DST change under a business day
  ['engine/not-measured', '2026-05-01T18:00'],
  ['engine/statuses-at-as-of', '2026-05-01T12:00'],
  ['engine/as-of-replay', '2026-05-02T00:00', 'history.csv'], // --as-of replay, pauses, reopen
  ['events/pauses-from-history', '2026-06-08T12:00', 'history.csv'], // pauses over a weekend, reopen, paused at --as-of
  ['input/customer-support-slice', '2024-01-01T00:00'],
  ['presets/zendesk', '2026-03-04T00:00'], // the vendor's first-reply minutes
  ['reports/categories', '2026-03-10T00:00'],
  ['reports/workbook', '2026-11-01T00:00'],
  ['reports/html-labels', '2026-11-01T00:00'],
  ['scorecards/kpi-sheet', '2026-06-01T00:00'],
  ['scorecards/kpi-catalogue', '2026-10-01T00:00', 'history.csv'],
  ['rules/metric-calendars', '2026-03-09T12:00', 'history.csv'], // a calendar and pauses per metric; a pause only the resolution honours
  ['targets/close-of-business-day', '2026-03-23T17:00', 'history.csv'], // Nbd@end: a split day, a holiday, after the close, a day off, pauses
  ['targets/calendar-months', '2028-03-15T00:00', 'history.csv'], // Nmo: month ends, a leap day, London's DST gap and overlap, pauses
  ['demo', '2026-11-01T00:00'], // 412 tickets: National Day, a make-up Saturday, lunch breaks, bd
];
