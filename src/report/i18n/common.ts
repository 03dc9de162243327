/** Labels of the common area (see index.ts). English first; the Chinese object has its type. */
import type { Catalogue } from './catalogue.js';

export const en = {
  // reportTitle: 'SLA compliance report',
} as const;

export const zhCN: Catalogue<typeof en> = {
};
