/** Labels of the html area (see index.ts). English first; the Chinese object has its type. */
import type { Catalogue } from './catalogue.js';

export const en = {
  standingMet: 'met',
  standingRisk: 'at risk',
  standingFailed: 'failed',
  /** a coloured value's tooltip: its standing, then the objectives it is judged against */
  standingTip: (standing: string, objectives: string) => `${standing}: ${objectives}`,
  legendIntro: 'Colours follow each row\'s own objective:',
  legendMet: 'the objective is met',
  legendRisk: (margin: number) => `met, but within ${margin} ${margin === 1 ? 'point' : 'points'} of the line (report.at_risk_margin; for times, counts and means ${margin}% of the line)`,
  legendFailed: 'the objective is not met',
  legendNone: 'no colour: no objective applies to that row',
};

export const zhCN: Catalogue<typeof en> = {
  standingMet: '达标',
  standingRisk: '临界',
  standingFailed: '未达标',
  standingTip: (standing, objectives) => `${standing}：${objectives}`,
  legendIntro: '颜色按每一行自己的目标标示：',
  legendMet: '已达到目标',
  legendRisk: (margin) => `达到目标，但距目标线不足 ${margin} 个百分点（report.at_risk_margin；时长、数量和均值按目标线的 ${margin}%）`,
  legendFailed: '未达到目标',
  legendNone: '无颜色：该行没有适用的目标',
};
