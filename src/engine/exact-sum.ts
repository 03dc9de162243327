/**
 * A sum of floating-point values that is exact until it is read: the values are kept as a short
 * list of non-overlapping partials (Shewchuk's algorithm, as Python's math.fsum), and `value()` is
 * the exact sum rounded once to the nearest double. So the sum does not depend on the order the
 * values came in: the ratings 3.3 and 2.7 added in any order, in one pass or in parts on several
 * threads (absorb), give 6 — where adding doubles one after the other gives whatever the order's
 * rounding makes of it. Whole numbers (the common case) keep one partial, and a value is taken
 * back out by adding its negative, exactly.
 */
export class ExactSum {
  /** non-overlapping partials, in increasing magnitude; their exact sum is the sum */
  private p: number[] = [];

  add(x: number): void {
    const p = this.p;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    if (x !== 0 || i === 0) p.push(x);
  }

  /** The exact sum rounded to the nearest double (ties to even). */
  value(): number {
    const p = this.p;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // the partials below could move a half-way case: round it the way their sign says
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials, as plain data (survives structured clone). */
  exportState(): number[] {
    return this.p.slice();
  }

  /** Adds another sum (its partials), exactly. */
  absorb(partials: readonly number[]): void {
    for (const x of partials) this.add(x);
  }

  /** A sum that starts at a value (a warehouse's total). */
  static of(v: number): ExactSum {
    const s = new ExactSum();
    s.add(v);
    return s;
  }
}
