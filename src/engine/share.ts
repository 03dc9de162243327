/**
 * How much of its target a clock has used: 0.5 halfway, 1 at the target, 2 twice over. A target of 0
 * is used up at once: 0 of 0 is 1 (the clock is overdue, or met at its target), anything past it is
 * Infinity.
 */
export function shareOf(elapsedMs: number, targetMs: number): number {
  if (targetMs > 0) return elapsedMs / targetMs;
  return elapsedMs > 0 ? Infinity : 1;
}

/**
 * The share rounded down to `places` decimals, exactly: a clock 4 seconds short of its target is
 * 0.9999 and 99%, never 1 or 100%, and 29 of 100 minutes is 0.29 and 29% (not 0.29 × 100 =
 * 28.999999999999996). Multiplying the (whole) milliseconds first keeps it exact.
 */
export function shareDown(elapsedMs: number, targetMs: number, places: 2 | 4): number {
  if (!(targetMs > 0)) return shareOf(elapsedMs, targetMs);
  const scale = places === 2 ? 100 : 10_000;
  return Math.floor((elapsedMs * scale) / targetMs) / scale;
}
