/**
 * The report language: one message catalogue for every human-facing label (terminal tables,
 * HTML, markdown, the step summary, the workbook). Each area keeps its labels in a file of its
 * own here, English first; the Chinese object has the English one's type, so a key missing in
 * either language fails the type check (and test/report/i18n.test.ts checks the same at run
 * time). Stable names — JSON keys, CSV columns, KPI names, exit codes — never come from here.
 */
import type { Catalogue } from './catalogue.js';
import * as common from './common.js';
import * as html from './html.js';
import * as workbook from './workbook.js';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/** One language's labels, area by area (English's literal strings widened, so that every language fits). */
export interface Messages {
  common: Catalogue<typeof common.en>;
  html: Catalogue<typeof html.en>;
  workbook: Catalogue<typeof workbook.en>;
}

const CATALOGUES: Record<Lang, Messages> = {
  en: { common: common.en, html: html.en, workbook: workbook.en },
  'zh-CN': { common: common.zhCN, html: html.zhCN, workbook: workbook.zhCN },
};

/** The labels of one language (English when none is given). */
export function messages(lang: Lang = 'en'): Messages {
  return CATALOGUES[lang];
}

/** Every language's catalogue, for the completeness test. */
export function allCatalogues(): Record<Lang, Messages> {
  return CATALOGUES;
}

/** @public (for --lang and report.lang) */
export function isLang(s: string): s is Lang {
  return (LANGS as readonly string[]).includes(s);
}
