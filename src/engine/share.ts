/** How much of its target a clock has used: 0.5 halfway, 1 at the target, 2 twice over (Infinity past a target of 0). */
export function shareOf(elapsedMs: number, targetMs: number): number {
  if (targetMs > 0) return elapsedMs / targetMs;
  return elapsedMs > 0 ? Infinity : 0;
}
