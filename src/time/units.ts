import { MS_PER_MINUTE } from './civil.js';

/** Business minutes with at most two decimals; null for an unmeasured (non-finite) span. */
export function minutes(ms: number): number | null {
  if (!Number.isFinite(ms)) return null;
  return Math.round((ms / MS_PER_MINUTE) * 100) / 100;
}
