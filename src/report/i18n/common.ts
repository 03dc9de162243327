/**
 * Labels of the common area (see index.ts): the shared label helpers (report/format.ts) and the
 * terminal, markdown, scorecard, queue, calendar and explain reports. English first, exactly as the
 * reports have always read; the Chinese object has its type.
 *
 * Words kept the same throughout the Chinese: 合规率 compliance · 首次响应 first response · 解决
 * resolution · 达标 met · 超时 breached · 逾期 overdue (still open past its target) · 临近超时 at risk ·
 * 计时中 running · 目标 target / objective · 工单 ticket · 工作时间 business time · 评分卡 scorecard.
 * Durations ("4h 5m") and stable names written by users (policy, priority, team, custom KPI names)
 * stay as they are.
 */
import type { Catalogue } from './catalogue.js';

const s = (n: number, one = '', many = 's') => (n === 1 ? one : many);

const METRIC_EN: Record<string, string> = { first_response: 'first response', resolution: 'resolution', next_reply: 'next reply', periodic_update: 'periodic update', overall: 'overall' };
const METRIC_ZH: Record<string, string> = { first_response: '首次响应', resolution: '解决', next_reply: '后续回复', periodic_update: '定期更新', overall: '总体' };
const STATUS_ZH: Record<string, string> = { met: '达标', breached: '超时', overdue: '逾期', at_risk: '临近超时', running: '计时中', not_applicable: '不适用', not_measured: '未测量' };
const PERIOD_ZH: Record<string, string> = { day: '日', week: '周', month: '月', quarter: '季度' };
const FIELD_ZH: Record<string, string> = { priority: '优先级', policy: '策略', team: '团队', agent: '客服', channel: '渠道', category: '类别', customer: '客户', status: '状态', metric: '指标', vendor: '供应商' };
const EXPLAIN_ZH: Record<string, string> = {
  created: '创建', policy: '策略', 'not policy': '未匹配策略', calendar: '日历', calendars: '日历', groups: '处理组', 'pauses on': '暂停状态', waits: '等待',
  target: '目标', 'clock start': '开始计时', due: '截止', done: '完成', open: '未完成', measured: '测量', paused: '暂停', resolved: '已解决', elapsed: '已用', escalation: '升级',
};
const STAT_ZH: Record<string, string> = { mean: '时长均值', median: '时长中位数', p90: '时长 P90' };
const KPI_ZH: Record<string, string> = {
  'satisfaction.mean': '满意度均值', 'satisfaction.good_share': '好评率', nps: 'NPS', fcr: '一次解决率', repeat_rate: '重复投诉率', reopen_rate: '重开率',
  tickets: '工单数', backlog: '未结工单', overdue: '逾期工单', 'ola.compliance': 'OLA 合规率', 'handoffs.mean': '平均转派次数', handoff_rate: '转派率',
};

const metricZh = (m: string) => METRIC_ZH[m] ?? (m.startsWith('ola.') ? `OLA ${m.slice(4)}` : m);

/** A stable name (metric, KPI, status) as a Chinese reader sees it; a name it does not know (a custom KPI, a group) as written. */
function termZh(name: string): string {
  if (name in KPI_ZH) return KPI_ZH[name];
  if (name in METRIC_ZH || name.startsWith('ola.') && !name.endsWith('.compliance')) return metricZh(name);
  if (name in STATUS_ZH) return STATUS_ZH[name];
  const ola = /^ola\.(.+)\.compliance$/s.exec(name);
  if (ola) return `OLA ${ola[1]} 合规率`;
  const held = /^group_time\.(.+)\.(median|p90)$/s.exec(name);
  if (held) return `${held[1]} 停留${held[2] === 'median' ? '时长中位数' : '时长 P90'}`;
  const kpi = /^(first_response|resolution|next_reply|periodic_update|overall)\.(compliance|mean|median|p90)$/.exec(name);
  if (kpi) return `${METRIC_ZH[kpi[1]]}${kpi[2] === 'compliance' ? '合规率' : STAT_ZH[kpi[2]]}`;
  return name;
}

/** An objective skipped for lack of data: the engine's reason (a JSON value), in Chinese where it is one of its known forms. */
function skippedZh(why: string): string {
  if (why === 'no completed or overdue tickets') return '没有已完成或逾期的工单';
  if (why === 'no data for this KPI') return '此指标没有数据';
  if (why === 'no group was scored') return '没有评分的分组';
  const few = /^only (\d+) tickets \(min_tickets (\d+)\)$/.exec(why);
  return few ? `仅 ${few[1]} 张工单（min_tickets ${few[2]}）` : why;
}

/** A group not scored: the engine's reason (a JSON value) in Chinese where it is its known form. */
function notScoredZh(why: string): string {
  const few = /^only (\d+) tickets? \(min_tickets (\d+)\)$/.exec(why);
  return few ? `仅 ${few[1]} 张工单（min_tickets ${few[2]}）` : why;
}

export const en = {
  /** a stable name as shown: English shows the name itself */
  term: (name: string) => name,
  /** a metric's name for people, an OLA's as "OLA <group>" */
  metric: (m: string) => METRIC_EN[m] ?? (m.startsWith('ola.') ? `OLA ${m.slice(4)}` : m),
  /** a breakdown's field (priority, policy, team, or a raw header) as a heading */
  field: (name: string) => name,
  /** a period kind (day, week, month, quarter) as a column heading */
  period: (kind: string) => kind,
  none: '–',
  notMeasured: 'not measured',
  points: (change: string) => `${change} pts`,
  timesTarget: (n: string) => `×${n} of target`,
  // objectives
  objScorecard: (name: string, min: number) => `scorecard ${name} ≥ ${min}`,
  objWhere: (where: string) => ` where ${where}`,
  objFrom: (day: string) => `from ${day}`,
  objTo: (day: string) => `to ${day}`,
  objAnd: ' and ',
  lowest: (score: string) => `lowest ${score}`,
  tally: (met: number, failed: number, notJudged: number, total: number) => `${[`${met} met`, ...(failed ? [`${failed} failed`] : []), ...(notJudged ? [`${notJudged} not judged`] : [])].join(', ')} (of ${total})`,
  notJudged: (why: string) => `not judged: ${why}`,
  actualOf: (actual: string, tickets: number) => `actual ${actual} of ${tickets}`,
  // credits and escalation
  creditHead: ['period', 'compliance', 'tier', 'breaches', 'hours over', 'tier credit', 'breach credits', 'uncapped', 'credit', ''],
  capped: 'capped',
  provisional: 'provisional',
  noteJoin: ', ',
  tierCell: (credit: string, below: string) => `${credit} (below ${below})`,
  creditsTitle: (a: { period: string; fee: string; metric: string; cap: string | null; policies: string | null; leftOut: string | null }) =>
    `Service credits by ${a.period} (fee ${a.fee}; tiers read ${a.metric} compliance; ${a.cap === null ? 'no cap' : `cap ${a.cap} of the fee`}${a.policies ? `; policies ${a.policies}` : ''}${a.leftOut ? `; left out, cut by --since/--until: ${a.leftOut}` : ''})`,
  escalationAll: 'all',
  escalationOpen: 'of them open',
  // the terminal summary
  evaluatedFrom: (n: number, inputs: string, asOf: string, zone: string) => `${n} ticket${s(n)} evaluated from ${inputs}  ·  as of ${asOf} (${zone})`,
  rowsRead: (n: number) => `${n} row${s(n)} read`,
  leftOutWithProblems: (n: number) => `${n} left out with problems (listed on stderr)`,
  outsideRange: (n: number) => `${n} outside --since/--until or created after --as-of`,
  withoutHistory: (n: number) => `${n} with no --events history row`,
  kpiCellProblems: (n: number) => `${n} custom KPI cell${s(n)} not a number (those KPIs only; listed on stderr)`,
  complianceHead: ['metric', 'compliance', 'met', 'breached', 'overdue', 'at risk', 'running', 'n/a'],
  complianceTitle: (olas: boolean) => `Compliance (tickets per metric; overall sums both${olas ? ', OLAs are not in it' : ''})`,
  kpiHead: ['KPI', 'value'],
  kpisTitle: 'KPIs (business time; – no data)',
  objectivesTitle: 'Objectives',
  groupHead: ['tickets', 'first response', 'resolution', 'overall', 'tickets breached', 'tickets overdue'],
  byField: (field: string) => `By ${field}`,
  trendHead: ['first response', 'resolution', 'overall', 'breached', 'overdue'],
  trendTitle: (kind: string) => `Trend by ${kind} (of creation)`,
  categoryHead: ['category', 'tickets', 'share', 'cum.', 'tickets breached', 'rate', 'median res.', 'repeat'],
  categoriesTitle: (shown: number, of: number) => `Top categories (${shown} of ${of}, Pareto order)`,
  change: 'change',
  worse: '✗ worse',
  beforeAfter: ['before', 'after'],
  splitTitle: (at: string) => `Before and after ${at} (by creation)`,
  againstBaseline: (file: string, asOf: string | null) => `Against baseline ${file}${asOf ? ` (as of ${asOf})` : ''}`,
  noBaselineYet: (file: string) => `No baseline yet: ${file} does not exist, so nothing is compared on this run (--baseline-optional).`,
  baselineHead: ['compliance', 'baseline', 'now', 'change'],
  maxDrop: (points: number) => `max drop ${points}`,
  droppedTooFar: '✗ dropped too far',
  baselineNow: ['baseline', 'now'],
  kpisAgainstBaseline: 'KPIs and scores against the baseline',
  worstHead: ['ticket', 'metric', 'policy', 'target', 'elapsed', 'share', 'over by', 'due'],
  open: ' (open)',
  worstTitle: (shown: number, of: number) => `Worst breaches (${shown} of ${of}, by share of target; business time)`,
  escalationTitle: (kind: string) => `Escalation (tickets that reached each level, by ${kind} of creation)`,
  noObjectives: 'No objectives configured (add objectives: or --fail-under).',
  objectivesLine: (tally: string) => `Objectives: ${tally}.`,
  droppedAgainstBaseline: (points: number | null) => `Compliance dropped more than ${points} points against the baseline.`,
  // the markdown summary (the step summary)
  mdHeadline: (verdict: string) => `SLA audit: ${verdict}`,
  mdNotRun: '⛔ not run',
  mdObjectives: (tally: string) => `objectives ${tally}`,
  mdNoObjectives: 'no objectives configured',
  mdBaselineDropped: '❌ compliance dropped against the baseline',
  mdEvaluated: (a: { n: number; inputs: string; asOf: string; zone: string; rows: number; problems: number; withoutHistory?: number }) =>
    `${a.n} ticket${s(a.n)} evaluated from ${a.inputs} as of ${a.asOf} (${a.zone}); ${a.rows} row${s(a.rows)} read, ${a.problems} left out with problems${a.withoutHistory !== undefined ? `; ${a.withoutHistory} with no --events history row` : ''}.`,
  mdCompliance: 'Compliance',
  mdKpis: 'KPIs',
  mdObjectiveHead: ['', 'objective', 'actual', 'tickets'],
  mdBeforeAfter: (at: string) => `Before and after ${at}`,
  mdAgainstBaseline: (file: string) => `Against baseline ${file}`,
  mdNoBaselineYet: (file: string) => `No baseline yet: ${file} does not exist, so nothing is compared on this run (\`--baseline-optional\`).`,
  mdBaselineHead: ['compliance', 'baseline', 'now', 'change (points)', ''],
  mdMoreThanDown: (points: number | null) => `❌ more than ${points} down`,
  mdWorse: '❌ worse',
  mdTrend: (kind: string) => `Trend by ${kind}`,
  mdCategories: 'Complaint categories',
  mdCategoryHead: ['category', 'tickets', 'share', 'cumulative', 'tickets breached', 'breach rate', 'median resolution', 'p90 resolution', 'satisfaction', 'repeat'],
  mdWorst: 'Worst breaches (by share of target)',
  mdWorstHead: ['ticket', 'metric', 'status', 'policy', 'target', 'elapsed', 'share', 'over by', 'due'],
  // scorecards
  cardTitle: (name: string, by: string, period: string | null, all: boolean, rsr: boolean) => `Scorecard ${name} by ${by}${period ? `, ${period}` : all ? ', all periods' : ''} (${rsr ? 'rank-sum ratio' : 'weighted'})`,
  cardHead: ['tickets', 'score', 'grade', 'rank'],
  leftOut: 'left out',
  notScored: 'not scored',
  notScoredNote: (group: string, reason: string) => `${group}: not scored, ${reason}`,
  leftOutNote: (group: string, kpis: string[]) => `${group}: ${kpis.join(', ')} left out (no data), with ${kpis.length === 1 ? 'its weight' : 'their weights'}`,
  gradeLines: (lines: string, below: string) => `grades: ${lines} · below: ${below}`,
  // the queue
  queueHead: ['ticket', 'metric', 'priority', 'policy', 'team', 'agent', 'elapsed', 'target', 'share', 'left', 'due', 'level'],
  paused: 'paused',
  queueTitle: (a: { asOf: string; zone: string; n: number; within?: string; level?: string; open: number; overdue: number; atRisk: number }) => {
    const filters = [a.within ? `due within ${a.within}` : '', a.level ? `at ${a.level} or above` : ''].filter(Boolean).join(', ');
    return `Queue as of ${a.asOf} (${a.zone}): ${a.n} open clock${s(a.n)}${filters ? ` ${filters} (of ${a.open})` : ''}, ${a.overdue} overdue, ${a.atRisk} at risk`;
  },
  queuePage: (asOf: string) => `Queue ${asOf}`,
  // explain (a ticket's timeline): the left-hand labels, each padded to one width in the text
  explainLabel: (word: string) => word,
  explainTicket: (id: string, file: string, row: number) => `Ticket ${id}  (${file} row ${row})`,
  explainPriority: (p: string) => `  · priority ${p}`,
  explainPolicyMatched: (policy: string, n: number) => `${policy} (policy ${n} in order)`,
  explainVerdict: (status: string, over: string, left: string) =>
    status === 'met' ? `met, ${left} to spare` : status === 'breached' ? `breached by ${over}` : status === 'overdue' ? `overdue by ${over} (still open)`
      : status === 'at_risk' ? `at risk, ${left} left` : status === 'running' ? `running, ${left} left` : status === 'not_measured' ? 'not measured' : 'not applicable',
  explainOf: ' of ',
  explainTargetLine: (target: string, minutes: string, rule: string) => `${target} = ${minutes} of business time${rule}`,
  explainNotYet: 'not yet (paused)',
  explainMeasuredAt: (at: string) => `measured at --as-of ${at}`,
  explainEscalation: (level: string | null) => `escalation: ${level ?? 'no level reached'}`,
  explainPerDay: 'business time counted per day:',
  explainShare: (percent: number, atMost: boolean, level: string | null) => `${percent}% of the target used${atMost ? ' at most' : ''}: ${level ?? 'below the first rung'}`,
  // explain --scorecard: a group's score step by step (the arithmetic itself as the engine writes it)
  scoreHeader: (a: { scorecard: string; by: string; group: string; period?: string; rsr: boolean; tickets: number }) =>
    `Scorecard ${a.scorecard} · ${a.by} ${a.group}${a.period ? ` · ${a.period}` : ''} (${a.rsr ? 'rank-sum ratio' : 'weighted'}), ${a.tickets} tickets`,
  scoreNotScored: (why: string) => `  not scored: ${why}`,
  scoreIndicator: (kpi: string, group: string | undefined, weight: number, actual: string) => `${kpi}${group ? ` (group ${group})` : ''}, weight ${weight}: ${actual}`,
  scoreFrom: 'from      ',
  scoreTarget: (target: string, worst: string | null, direction: string) => `target    ${target}${worst !== null ? `, worst ${worst}` : ''} (${direction} is better)`,
  scoreScore: 'score     ',
  scoreComposite: (arithmetic: string, value: string | null) => `composite   ${arithmetic} = ${value ?? 'no data'}`,
  scoreGrade: (grade: string, lines: string) => `grade       ${grade} (lines: ${lines})`,
  scoreRank: (rank: string, of: number) => `rank        ${rank} of ${of}`,
  // the calendar command's year
  calendarYear: (a: { calendar: string; zone: string; year: number; daysOff: number; workdays: number; hours: string }) =>
    `Calendar ${a.calendar} (${a.zone}), ${a.year}: ${a.daysOff.toLocaleString('en-US')} day${s(a.daysOff)} off, ${a.workdays.toLocaleString('en-US')} make-up or special working day${s(a.workdays)}, ${a.hours} of business time`,
  weeklyHours: 'Weekly hours',
  weeklyHead: ['day', 'windows', 'hours'],
  week: 'week',
  daysOff: (n: number) => `Days off (${n})`,
  daysOffHead: ['dates', 'days', '', 'name', 'from'],
  workdays: (n: number) => `Make-up and special working days (${n})`,
  workdaysHead: ['date', 'day', 'for', 'windows', 'hours', 'from'],
} as const;

export const zhCN: Catalogue<typeof en> = {
  term: termZh,
  metric: metricZh,
  field: (name) => FIELD_ZH[name] ?? name,
  period: (kind) => PERIOD_ZH[kind] ?? kind,
  none: '–',
  notMeasured: '未测量',
  points: (change) => `${change} 个百分点`,
  timesTarget: (n) => `目标的 ${n} 倍`,
  objScorecard: (name, min) => `评分卡 ${name} ≥ ${min}`,
  objWhere: (where) => `，条件 ${where}`,
  objFrom: (day) => `自 ${day}`,
  objTo: (day) => `至 ${day}`,
  objAnd: ' 且 ',
  lowest: (score) => `最低 ${score}`,
  tally: (met, failed, notJudged, total) => `${[`达成 ${met}`, ...(failed ? [`未达成 ${failed}`] : []), ...(notJudged ? [`未评判 ${notJudged}`] : [])].join('，')}（共 ${total} 项）`,
  notJudged: (why) => `未评判：${skippedZh(why)}`,
  actualOf: (actual, tickets) => `实际 ${actual}，共 ${tickets} 张工单`,
  creditHead: ['周期', '合规率', '档位', '超时数', '超出小时数', '档位赔付', '超时赔付', '封顶前', '赔付额', ''],
  capped: '已封顶',
  provisional: '暂定',
  noteJoin: '，',
  tierCell: (credit, below) => `${credit}（低于 ${below}）`,
  creditsTitle: (a) =>
    `服务赔付（按${PERIOD_ZH[a.period] ?? a.period}；服务费 ${a.fee}；档位依据${metricZh(a.metric)}合规率；${a.cap === null ? '不封顶' : `封顶为服务费的 ${a.cap}`}${a.policies ? `；策略 ${a.policies}` : ''}${a.leftOut ? `；被 --since/--until 截去的周期：${a.leftOut}` : ''}）`,
  escalationAll: '全部',
  escalationOpen: '其中未结',
  evaluatedFrom: (n, inputs, asOf, zone) => `已评估 ${n} 张工单，来自 ${inputs}  ·  截至 ${asOf}（${zone}）`,
  rowsRead: (n) => `读取 ${n} 行`,
  leftOutWithProblems: (n) => `${n} 行因问题未计入（见标准错误输出）`,
  outsideRange: (n) => `${n} 张在 --since/--until 之外或创建于 --as-of 之后`,
  withoutHistory: (n) => `${n} 张没有 --events 状态历史`,
  kpiCellProblems: (n) => `${n} 个自定义指标单元格不是数字（仅影响这些指标；见标准错误输出）`,
  complianceHead: ['指标', '合规率', '达标', '超时', '逾期', '临近超时', '计时中', '不适用'],
  complianceTitle: (olas) => `合规率（按指标统计工单；总体为各指标之和${olas ? '，不含 OLA' : ''}）`,
  kpiHead: ['指标', '数值'],
  kpisTitle: '关键指标（工作时间；– 表示无数据）',
  objectivesTitle: '目标',
  groupHead: ['工单数', '首次响应', '解决', '总体', '超时工单', '逾期工单'],
  byField: (field) => `按${field}`,
  trendHead: ['首次响应', '解决', '总体', '超时', '逾期'],
  trendTitle: (kind) => `按${PERIOD_ZH[kind] ?? kind}趋势（按创建时间）`,
  categoryHead: ['类别', '工单数', '占比', '累计占比', '超时工单', '超时率', '解决时长中位数', '重复投诉'],
  categoriesTitle: (shown, of) => `主要投诉类别（${of} 个中的前 ${shown} 个，按帕累托排序）`,
  change: '变化',
  worse: '✗ 变差',
  beforeAfter: ['之前', '之后'],
  splitTitle: (at) => `${at} 前后对比（按创建时间）`,
  againstBaseline: (file, asOf) => `与基线 ${file} 对比${asOf ? `（基线截至 ${asOf}）` : ''}`,
  noBaselineYet: (file) => `尚无基线：${file} 不存在，本次运行不做对比（--baseline-optional）。`,
  baselineHead: ['合规率', '基线', '本次', '变化'],
  maxDrop: (points) => `最大降幅 ${points}`,
  droppedTooFar: '✗ 降幅超限',
  baselineNow: ['基线', '本次'],
  kpisAgainstBaseline: '关键指标和评分与基线对比',
  worstHead: ['工单', '指标', '策略', '目标时长', '已用时长', '占目标', '超出', '截止时间'],
  open: '（未结）',
  worstTitle: (shown, of) => `超时最严重的工单（${of} 项中的 ${shown} 项，按占目标比例排序；工作时间）`,
  escalationTitle: (kind) => `升级（达到各级别的工单，按创建${PERIOD_ZH[kind] ?? kind}）`,
  noObjectives: '未配置目标（添加 objectives: 或使用 --fail-under）。',
  objectivesLine: (tally) => `目标：${tally}。`,
  droppedAgainstBaseline: (points) => `合规率较基线下降超过 ${points} 个百分点。`,
  mdHeadline: (verdict) => `SLA 审计：${verdict}`,
  mdNotRun: '⛔ 未运行',
  mdObjectives: (tally) => `目标${tally}`,
  mdNoObjectives: '未配置目标',
  mdBaselineDropped: '❌ 合规率较基线下降超限',
  mdEvaluated: (a) => `已评估 ${a.n} 张工单，来自 ${a.inputs}，截至 ${a.asOf}（${a.zone}）；读取 ${a.rows} 行，${a.problems} 行因问题未计入${a.withoutHistory !== undefined ? `；${a.withoutHistory} 张没有 --events 状态历史` : ''}。`,
  mdCompliance: '合规率',
  mdKpis: '关键指标',
  mdObjectiveHead: ['', '目标', '实际', '工单数'],
  mdBeforeAfter: (at) => `${at} 前后对比`,
  mdAgainstBaseline: (file) => `与基线 ${file} 对比`,
  mdNoBaselineYet: (file) => `尚无基线：${file} 不存在，本次运行不做对比（\`--baseline-optional\`）。`,
  mdBaselineHead: ['合规率', '基线', '本次', '变化（百分点）', ''],
  mdMoreThanDown: (points) => `❌ 下降超过 ${points} 个百分点`,
  mdWorse: '❌ 变差',
  mdTrend: (kind) => `按${PERIOD_ZH[kind] ?? kind}趋势`,
  mdCategories: '投诉类别',
  mdCategoryHead: ['类别', '工单数', '占比', '累计占比', '超时工单', '超时率', '解决时长中位数', '解决时长 P90', '满意度', '重复投诉'],
  mdWorst: '超时最严重的工单（按占目标比例排序）',
  mdWorstHead: ['工单', '指标', '状态', '策略', '目标时长', '已用时长', '占目标', '超出', '截止时间'],
  cardTitle: (name, by, period, all, rsr) => `评分卡 ${name}，按${FIELD_ZH[by] ?? by}${period ? `，${period}` : all ? '，全部周期' : ''}（${rsr ? '秩和比法' : '加权'}）`,
  cardHead: ['工单数', '得分', '等级', '排名'],
  leftOut: '不计入',
  notScored: '未评分',
  notScoredNote: (group, reason) => `${group}：未评分，${notScoredZh(reason)}`,
  leftOutNote: (group, kpis) => `${group}：${kpis.map(termZh).join('、')} 无数据，不计入（连同其权重）`,
  gradeLines: (lines, below) => `等级：${lines} · 其余：${below}`,
  queueHead: ['工单', '指标', '优先级', '策略', '团队', '客服', '已用时长', '目标时长', '占目标', '剩余', '截止时间', '级别'],
  paused: '已暂停',
  queueTitle: (a) => {
    const filters = [a.within ? `${a.within} 内到期` : '', a.level ? `达到 ${a.level} 及以上` : ''].filter(Boolean).join('，');
    return `截至 ${a.asOf}（${a.zone}）的待办队列：${filters ? `${filters}的` : ''}未结计时 ${a.n} 项${filters ? `（共 ${a.open} 项）` : ''}，逾期 ${a.overdue} 项，临近超时 ${a.atRisk} 项`;
  },
  queuePage: (asOf) => `待办队列 ${asOf}`,
  explainLabel: (word) => EXPLAIN_ZH[word] ?? word,
  explainTicket: (id, file, row) => `工单 ${id}（${file} 第 ${row} 行）`,
  explainPriority: (p) => `  · 优先级 ${p}`,
  explainPolicyMatched: (policy, n) => `${policy}（按顺序第 ${n} 个策略）`,
  explainVerdict: (status, over, left) =>
    status === 'met' ? `达标，尚余 ${left}` : status === 'breached' ? `超时 ${over}` : status === 'overdue' ? `逾期 ${over}（仍未完成）`
      : status === 'at_risk' ? `临近超时，剩余 ${left}` : status === 'running' ? `计时中，剩余 ${left}` : status === 'not_measured' ? '未测量' : '不适用',
  explainOf: ' / ',
  explainTargetLine: (target, minutes, rule) => `${target} = ${minutes} 工作时间${rule}`,
  explainNotYet: '尚无（已暂停）',
  explainMeasuredAt: (at) => `按 --as-of ${at} 计`,
  explainEscalation: (level) => `升级：${level ?? '未达到任何级别'}`,
  explainPerDay: '每日计入的工作时间：',
  explainShare: (percent, atMost, level) => `${atMost ? '最多' : ''}已用目标的 ${percent}%：${level ?? '未达到第一级'}`,
  scoreHeader: (a) => `评分卡 ${a.scorecard} · ${FIELD_ZH[a.by] ?? a.by} ${a.group}${a.period ? ` · ${a.period}` : ''}（${a.rsr ? '秩和比法' : '加权'}），${a.tickets} 张工单`,
  scoreNotScored: (why) => `  未评分：${notScoredZh(why)}`,
  scoreIndicator: (kpi, group, weight, actual) => `${termZh(kpi)}${group ? `（指标组 ${group}）` : ''}，权重 ${weight}：${actual}`,
  scoreFrom: '依据      ',
  scoreTarget: (target, worst, direction) => `目标      ${target}${worst !== null ? `，最差 ${worst}` : ''}（${direction === 'higher' ? '越高越好' : direction === 'lower' ? '越低越好' : direction}）`,
  scoreScore: '得分      ',
  scoreComposite: (arithmetic, value) => `综合得分    ${arithmetic} = ${value ?? '无数据'}`,
  scoreGrade: (grade, lines) => `等级        ${grade}（分级线：${lines}）`,
  scoreRank: (rank, of) => `排名        ${rank} / ${of}`,
  calendarYear: (a) => `日历 ${a.calendar}（${a.zone}），${a.year} 年：休息日 ${a.daysOff} 天，调休或特殊工作日 ${a.workdays} 天，工作时间共 ${a.hours}`,
  weeklyHours: '每周工作时间',
  weeklyHead: ['星期', '时段', '时长'],
  week: '每周',
  daysOff: (n) => `休息日（${n} 天）`,
  daysOffHead: ['日期', '星期', '', '名称', '来源'],
  workdays: (n) => `调休和特殊工作日（${n} 天）`,
  workdaysHead: ['日期', '星期', '调休原因', '时段', '时长', '来源'],
};
