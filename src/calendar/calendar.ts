import { MS_PER_DAY, MS_PER_MINUTE, civilFromDays, daysFromCivil, weekdayOfDay, formatDay } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import type { CountryHolidays } from './countries.js';
import type { HolidayList } from './yearly.js';

/** A working window within one local day, in minutes from local midnight; end may pass 1440 (crosses midnight). */
export interface DayWindow {
  start: number;
  end: number;
}

export interface CalendarSpec {
  name: string;
  zone: Zone;
  /** Index 0 = Sunday … 6 = Saturday. */
  weekly: DayWindow[][];
  /** Local day numbers with no working hours. */
  holidays: Set<number>;
  /** Make-up working days: local day number -> its windows. */
  workdays: Map<number, DayWindow[]>;
  /** Holiday names for explain output. */
  holidayNames?: Map<number, string>;
  /** Yearly days off (`every:`) and iCalendar files' (`ical:`), after the dates above. */
  lists?: HolidayList[];
  /**
   * Countries' public holidays (and make-up working days, which take Monday's hours), after the
   * explicit holidays and workdays above; a day off in any of them wins over another's make-up day.
   */
  countries?: CountryHolidays[];
}

/** How a local day differs from the weekly hours, and who says so ("config", or a country such as "CN"). */
export interface SpecialDay {
  kind: 'off' | 'workday';
  /** the holiday's name ('' when the config gives none) */
  name: string;
  source: string;
}

/** A business window as instants, with the business minutes before its start (counted from the spine's start). */
export interface SpineWindow {
  start: number;
  end: number;
  cumMinutes: number;
  /** the local day the window belongs to (the day it starts on; a window over midnight belongs to the day before) */
  day: number;
  /**
   * the running count of business days (days with any window) from the spine's first local day,
   * 1 for that day: `Nbd` is N steps along it
   */
  businessDay: number;
}

const INITIAL_DAYS_BEFORE = 45;

/** The first index in [0, hi] of a non-decreasing array whose value reaches `x` (hi when none before it does). */
function firstAtLeast(a: Int32Array, x: number, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
const INITIAL_DAYS_AFTER = 60;
/** windows (or days) looked at one by one before a binary search: what a due time is mostly ahead by */
const NEAR = 16;
const MAX_SPAN_DAYS = 366 * 400;

/**
 * A business clock. Working windows are laid out once as instants in flat typed arrays with a
 * running total of business time, so that business time up to any instant (B) and its inverse are
 * an index lookup plus arithmetic, whatever the length of the interval. The covered range of days
 * grows on demand; every public method makes sure its instants are covered before it computes.
 */
/** The instants and years a calendar was asked about outside its data (for the coverage warnings). */
export interface CalendarReach {
  before: number;
  after: number;
  years: number[];
}

export class BusinessCalendar {
  readonly name: string;
  readonly zone: Zone;
  private readonly spec: CalendarSpec;

  // Windows in time order (overlaps merged), as epoch ms.
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** Business ms before window i (relative to the current build's origin). */
  private cum = new Float64Array(0);
  /** Business ms up to the end of window i. */
  private cumEnd = new Float64Array(0);
  /** Local day each window belongs to (the day it starts on). */
  private winDay = new Int32Array(0);
  private n = 0;

  private d0 = 0; // first local day laid out
  private d1 = 0; // one past the last
  /** dayFirst[d - d0] = first window index belonging to local day d or later (length days+1). */
  private dayFirst = new Int32Array(0);
  /** bizCount[d - d0] = number of business days in [d0, d] inclusive. */
  private bizCount = new Int32Array(0);
  /** bucketFirst[k] = first window index whose end is after UTC day (b0 + k) starts. */
  private b0 = 0;
  private bucketFirst = new Int32Array(0);
  /** Instants that are safely inside the laid-out range. */
  private lo = Infinity;
  private hi = -Infinity;

  /** Instants outside which a country's list has no data (±Infinity without such a list). */
  private dataFrom = -Infinity;
  private dataTo = Infinity;
  /** the earliest and latest instants asked about outside them */
  private reachedBefore = Infinity;
  private reachedAfter = -Infinity;
  /** with dates listed by hand (holidays:), the local years asked about; all of [yearsFrom, yearsTo) are in it */
  private readonly yearsAsked: Set<number> | undefined;
  private yearsFrom = Infinity;
  private yearsTo = -Infinity;

  constructor(spec: CalendarSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.zone = spec.zone;
    if (spec.holidays.size) this.yearsAsked = new Set();
    for (const c of [...(spec.countries ?? []), ...(spec.lists ?? [])]) {
      if (!c.covers) continue;
      this.dataFrom = Math.max(this.dataFrom, spec.zone.wallToInstant(daysFromCivil(c.covers.first, 1, 1) * MS_PER_DAY));
      this.dataTo = Math.min(this.dataTo, spec.zone.wallToInstant(daysFromCivil(c.covers.last + 1, 1, 1) * MS_PER_DAY));
    }
  }

  /** The windows that apply on a local day (after holidays and make-up days). */
  windowsOn(day: number): DayWindow[] {
    const s = this.special(day);
    if (!s) return this.spec.weekly[weekdayOfDay(day)];
    if (s.kind === 'off') return [];
    return this.spec.workdays.get(day) ?? this.spec.weekly[1];
  }

  /** Whether a local day is a day off or a working day against its weekday's hours, and who says so; undefined for an ordinary day. */
  special(day: number): SpecialDay | undefined {
    if (this.spec.workdays.has(day)) return { kind: 'workday', name: '', source: 'config' };
    if (this.spec.holidays.has(day)) return { kind: 'off', name: this.spec.holidayNames?.get(day) ?? '', source: 'config' };
    for (const l of this.spec.lists ?? []) {
      const name = l.dayOff(day);
      if (name !== undefined) return { kind: 'off', name, source: l.source };
    }
    const countries = this.spec.countries;
    if (!countries?.length) return undefined;
    for (const c of countries) {
      const name = c.holiday(day);
      if (name !== undefined) return { kind: 'off', name, source: c.label };
    }
    for (const c of countries) {
      const name = c.makeUp(day);
      if (name !== undefined) return { kind: 'workday', name, source: c.label };
    }
    return undefined;
  }

  /** The weekly hours of a weekday (0 = Sunday), before holidays and make-up days. */
  weekdayWindows(weekday: number): readonly DayWindow[] {
    return this.spec.weekly[weekday];
  }

  /** Business ms in a typical week (weekly hours, before holidays and make-up days). */
  typicalWeekMs(): number {
    return this.spec.weekly.reduce((a, day) => a + day.reduce((b, w) => b + w.end - w.start, 0), 0) * MS_PER_MINUTE;
  }

  /** Weekdays that have working hours. */
  typicalWorkdays(): number {
    return this.spec.weekly.filter((day) => day.length > 0).length;
  }

  /** Hours of the first weekday (Monday first) that has any: for messages. */
  typicalDayHours(): number {
    for (const wd of [1, 2, 3, 4, 5, 6, 0]) {
      const total = this.spec.weekly[wd].reduce((a, w) => a + w.end - w.start, 0);
      if (total) return +(total / 60).toFixed(2);
    }
    return 0;
  }

  /** A note for explain: the holiday's name, or that the day is a make-up working day. */
  holidayName(day: number): string | undefined {
    const s = this.special(day);
    if (!s) return undefined;
    if (s.kind === 'workday') return s.name ? `make-up working day (${s.name})` : 'make-up working day';
    return s.name || 'holiday';
  }

  /** The countries whose lists this calendar uses. */
  get countries(): readonly CountryHolidays[] {
    return this.spec.countries ?? [];
  }

  /** The yearly and iCalendar lists this calendar uses. */
  get lists(): readonly HolidayList[] {
    return this.spec.lists ?? [];
  }

  /** Remembers an instant asked about that lies outside a country list's data. */
  private reach(t: number): void {
    this.noteYears(t, t);
    if (t < this.dataFrom) this.reachedBefore = Math.min(this.reachedBefore, t);
    else if (t >= this.dataTo && t !== Infinity) this.reachedAfter = Math.max(this.reachedAfter, t);
  }

  /**
   * The earliest and latest local days this calendar was asked about (since `forgetReach`) for
   * which a country's list has no data; undefined when it was not.
   */
  beyondData(): { before?: number; after?: number } | undefined {
    if (this.reachedBefore === Infinity && this.reachedAfter === -Infinity) return undefined;
    return {
      ...(this.reachedBefore !== Infinity ? { before: this.zone.localDay(this.reachedBefore) } : {}),
      ...(this.reachedAfter !== -Infinity ? { after: this.zone.localDay(this.reachedAfter) } : {}),
    };
  }

  /**
   * A clock from `from` to `to` measured elsewhere (the compiled SQL on DuckDB): remembered as asked
   * about, so the coverage warnings are the same whoever computed the business time.
   */
  noteSpan(from: number, to: number): void {
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return;
    this.reach(from);
    this.reach(to);
    this.noteYears(from, to);
  }

  /** What this calendar was asked about since `forgetReach`, as plain data (another thread's copy hands it over). */
  reachState(): CalendarReach {
    return { before: this.reachedBefore, after: this.reachedAfter, years: [...(this.yearsAsked ?? [])] };
  }

  /** Adds what another copy of this calendar (in another thread, from the same config) was asked about. */
  addReach(r: CalendarReach): void {
    this.reachedBefore = Math.min(this.reachedBefore, r.before);
    this.reachedAfter = Math.max(this.reachedAfter, r.after);
    for (const y of r.years) this.yearsAsked?.add(y);
  }

  forgetReach(): void {
    this.reachedBefore = Infinity;
    this.reachedAfter = -Infinity;
    this.yearsAsked?.clear();
    this.yearsFrom = Infinity;
    this.yearsTo = -Infinity;
  }

  /** With dates listed by hand: remembers the local years from the one of `a` to the one of `b` as asked about. */
  private noteYears(a: number, b: number): void {
    if (!this.yearsAsked || (a >= this.yearsFrom && b < this.yearsTo) || !Number.isFinite(a) || !Number.isFinite(b)) return;
    const first = civilFromDays(this.zone.localDay(a)).y;
    const last = civilFromDays(this.zone.localDay(b)).y;
    for (let y = first; y <= last; y++) this.yearsAsked.add(y);
    this.yearsFrom = this.zone.wallToInstant(daysFromCivil(first, 1, 1) * MS_PER_DAY);
    this.yearsTo = this.zone.wallToInstant(daysFromCivil(last + 1, 1, 1) * MS_PER_DAY);
  }

  /** The years of the dates listed by hand under holidays:, in order (none without such dates). */
  listedYears(): number[] {
    return [...new Set([...this.spec.holidays].map((d) => civilFromDays(d).y))].sort((a, b) => a - b);
  }

  /**
   * Days off listed by hand (dates in holidays:) leave years out: of `years` (by default those this
   * calendar was asked about since `forgetReach`), the ones in which it has no day off at all while
   * the listed dates fall in others. A year a yearly rule, an iCalendar file or a country gives days
   * off in (or whose data ends before it, which `beyondData` tells) is not one of them.
   */
  yearsWithoutDaysOff(years: Iterable<number> = this.yearsAsked ?? []): number[] {
    const listed = this.listedYears();
    if (!listed.length) return [];
    return [...new Set(years)].filter((y) => !listed.includes(y) && !this.hasOtherDaysOff(y)).sort((a, b) => a - b);
  }

  private hasOtherDaysOff(year: number): boolean {
    if (this.spec.countries?.length) return true;
    const first = daysFromCivil(year, 1, 1);
    const next = daysFromCivil(year + 1, 1, 1);
    return (this.spec.lists ?? []).some((l) => {
      if (!l.covered(first)) return true;
      for (let d = first; d < next; d++) if (l.dayOff(d) !== undefined) return true;
      return false;
    });
  }

  // ---- layout -------------------------------------------------------------------------------

  private ensure(ms: number): void {
    if (ms >= this.lo && ms < this.hi) return;
    if (!Number.isFinite(ms)) throw new RangeError(`not a finite instant: ${ms}`);
    const day = Math.floor(ms / MS_PER_DAY);
    let d0: number, d1: number;
    if (this.d1 === this.d0) {
      d0 = day - INITIAL_DAYS_BEFORE;
      d1 = day + INITIAL_DAYS_AFTER;
    } else {
      const span = Math.max(this.d1 - this.d0, INITIAL_DAYS_BEFORE);
      if (ms < this.lo) {
        d0 = Math.min(this.d0 - span, day - 3);
        d1 = this.d1;
      } else {
        d0 = this.d0;
        d1 = Math.max(this.d1 + span, day + 3);
      }
    }
    if (d1 - d0 > MAX_SPAN_DAYS) {
      throw new RangeError(`timestamps too far apart for one calendar (${formatDay(d0)} .. ${formatDay(d1)})`);
    }
    this.layout(d0, d1);
  }

  /**
   * The instants of the windows of local days [d0, d1), in time order, overlaps merged, each with
   * the local day it belongs to; per day, its first window and the running count of business days.
   *
   * On a fall-back day a window's wall times can occur twice, and its second pass can come after
   * the first pass of a later window of the same day (London, 00:00-01:30 and 01:45-06:00 on
   * 2026-10-25: 23:00-00:30Z, 00:45-01:00Z, 01:00-01:30Z, 01:45-06:00Z). So the ranges of all days
   * are sorted by start before they are merged; a range that comes after a window of a later day
   * (a night window's second pass) is counted with that later day, so that each day's windows stay
   * together in the table.
   */
  private dayRanges(d0: number, d1: number) {
    const raw: [number, number, number][] = [];
    const bizCount = new Int32Array(d1 - d0);
    let biz = 0;
    for (let d = d0; d < d1; d++) {
      let any = false;
      for (const w of this.windowsOn(d)) {
        for (const [s, e] of this.zone.wallRangeToInstants(d * MS_PER_DAY + w.start * MS_PER_MINUTE, d * MS_PER_DAY + w.end * MS_PER_MINUTE)) {
          any = true;
          raw.push([s, e, d]);
        }
      }
      if (any) biz++;
      bizCount[d - d0] = biz;
    }
    if (raw.some((r, i) => i > 0 && r[0] < raw[i - 1][0])) raw.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
    const starts: number[] = [];
    const ends: number[] = [];
    const winDay: number[] = [];
    for (const [s, e, d] of raw) {
      const last = starts.length - 1;
      if (last >= 0 && s < ends[last]) {
        // overlaps the previous window (a night shift reaching into the next day's hours)
        if (e > ends[last]) ends[last] = e;
        continue;
      }
      starts.push(s);
      ends.push(e);
      winDay.push(last >= 0 ? Math.max(d, winDay[last]) : d);
    }
    const dayFirst = new Int32Array(d1 - d0 + 1);
    let i = 0;
    for (let d = d0; d <= d1; d++) {
      while (i < winDay.length && winDay[i] < d) i++;
      dayFirst[d - d0] = i;
    }
    return { starts, ends, winDay, dayFirst, bizCount };
  }

  private layout(d0: number, d1: number): void {
    const { starts, ends, winDay, dayFirst, bizCount } = this.dayRanges(d0, d1);
    const n = starts.length;
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.winDay = Int32Array.from(winDay);
    this.cum = new Float64Array(n);
    this.cumEnd = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      this.cum[i] = acc;
      acc += ends[i] - starts[i];
      this.cumEnd[i] = acc;
    }
    this.n = n;
    this.d0 = d0;
    this.d1 = d1;
    this.dayFirst = dayFirst;
    this.bizCount = bizCount;
    // Safe range: a day of margin at each end (zone offsets are under a day, windows may cross midnight).
    this.lo = (d0 + 2) * MS_PER_DAY;
    this.hi = (d1 - 2) * MS_PER_DAY;
    this.b0 = d0 - 1;
    const nb = d1 - d0 + 2;
    const bf = new Int32Array(nb + 1);
    let i = 0;
    for (let k = 0; k <= nb; k++) {
      const t = (this.b0 + k) * MS_PER_DAY;
      while (i < n && this.ends[i] <= t) i++;
      bf[k] = i;
    }
    this.bucketFirst = bf;
  }

  /** Index of the first window that ends after t (t must be covered). */
  private locate(t: number): number {
    let i = this.bucketFirst[Math.floor(t / MS_PER_DAY) - this.b0];
    const ends = this.ends;
    while (i < this.n && ends[i] <= t) i++;
    return i;
  }

  /** Business ms from the build origin up to t (t must be covered). */
  private B(t: number): number {
    const i = this.locate(t);
    if (i >= this.n) return this.n ? this.cumEnd[this.n - 1] : 0;
    const s = this.starts[i];
    return t <= s ? this.cum[i] : this.cum[i] + (t - s);
  }

  /** Lays out twice as many days forward. False when the calendar would span too long. */
  private growForward(): boolean {
    const span = this.d1 - this.d0;
    if (span * 2 > MAX_SPAN_DAYS) return false;
    this.layout(this.d0, this.d1 + span); // d0 unchanged, so business-time values keep their origin
    return true;
  }

  /**
   * The instant at which business time (from the origin) reaches x. When x is reached exactly at a
   * window's close, that close is returned (not the next opening). Infinity when never reached.
   */
  private inverse(x: number, from: number): number {
    for (;;) {
      const n = this.n;
      if (n > 0 && this.cumEnd[n - 1] >= x) {
        let lo = 0;
        let hi = n - 1;
        if (from > 0 && from < n && this.cumEnd[from - 1] < x) lo = from;
        // a due time is mostly a few windows on: look at those first, then halve what is left
        for (let k = 0; k < NEAR && lo < hi && this.cumEnd[lo] < x; k++) lo++;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.cumEnd[mid] >= x) hi = mid;
          else lo = mid + 1;
        }
        const t = this.starts[lo] + (x - this.cum[lo]);
        if (t < this.hi) return t;
      }
      if (!this.growForward()) return Infinity;
    }
  }

  // ---- public API ---------------------------------------------------------------------------

  /** Business milliseconds in [a, b] (0 when b <= a). */
  elapsed(a: number, b: number): number {
    if (b <= a) return 0;
    if (a < this.dataFrom || b > this.dataTo) {
      // [a, b) is what counts: an interval ending at midnight needs nothing of the next day
      this.reach(a);
      this.reach(b - 1);
    }
    this.noteYears(a, b - 1);
    this.ensure(a);
    this.ensure(b);
    return this.B(b) - this.B(a);
  }

  /** When the clock starts for something created at t: t itself inside a window, else the next opening. */
  clockStart(t: number): number {
    this.ensure(t);
    for (;;) {
      const i = this.locate(t);
      if (i < this.n && this.starts[i] < this.hi) {
        const s = Math.max(t, this.starts[i]);
        this.reach(s);
        return s;
      }
      if (!this.growForward()) return Infinity;
    }
  }

  /** The earliest instant at which business time since `start` reaches `targetMs`. */
  dueAfter(start: number, targetMs: number): number {
    this.ensure(start);
    const t = Math.max(this.inverse(this.B(start) + targetMs, this.locate(start)), start);
    this.reach(t - 1);
    return t;
  }

  /**
   * `Nbd` from the clock start: move N business days forward, keeping the same business offset into
   * the day, clamped to that day's close.
   */
  dueAfterBusinessDays(created: number, days: number): number {
    const cs = this.clockStart(created);
    if (!Number.isFinite(cs)) return Infinity;
    for (;;) {
      this.ensure(cs);
      const di = this.winDay[this.locate(cs)] - this.d0;
      const offset = this.B(cs) - this.cum[this.dayFirst[di]];
      const want = this.bizCount[di] + days;
      const last = this.bizCount.length - 3; // the last days may reach past the safe range
      if (this.bizCount[last] >= want) {
        let lo = di;
        let hi = last;
        for (let k = 0; k < NEAR && lo < hi && this.bizCount[lo] < want; k++) lo++;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.bizCount[mid] >= want) hi = mid;
          else lo = mid + 1;
        }
        const f = this.dayFirst[lo];
        const dayTotal = this.cumEnd[this.dayFirst[lo + 1] - 1] - this.cum[f];
        const due = Math.max(cs, this.inverse(this.cum[f] + Math.min(offset, dayTotal), f));
        this.reach(due - 1);
        return due;
      }
      if (!this.growForward()) return Infinity;
    }
  }

  /**
   * `Nbd@end` (GLPI's end-of-working-day delay): the close (last window's end) of the Nth business
   * day after day 0. Day 0 is the business day of the window `created` falls in; outside hours, the
   * local day of `created` when it has working hours (before its opening or after its close alike),
   * else the next day that has. `day0` is that local day. Infinity when the calendar never opens.
   */
  closeOfBusinessDay(created: number, days: number): { due: number; day0: number } {
    if (!Number.isFinite(this.clockStart(created))) return { due: Infinity, day0: NaN };
    for (;;) {
      this.ensure(created);
      const i = this.locate(created);
      const biz = this.bizCount;
      let base: number;
      if (i < this.n && this.starts[i] <= created) base = biz[this.winDay[i] - this.d0];
      else {
        const di = this.zone.localDay(created) - this.d0;
        base = biz[di] + (biz[di] > biz[di - 1] ? 0 : 1); // a day off: day 0 is the next business day
      }
      const want = base + days;
      const last = biz.length - 3; // the last days may reach past the safe range
      if (biz[last] >= want) {
        const day = firstAtLeast(biz, want, last);
        const due = this.ends[this.dayFirst[day + 1] - 1];
        if (due < this.hi) {
          this.reach(due - 1);
          return { due, day0: firstAtLeast(biz, base, day) + this.d0 };
        }
      }
      if (!this.growForward()) return { due: Infinity, day0: NaN };
    }
  }

  /**
   * The business windows between two instants (from inclusive, to exclusive), clipped to them, in
   * time order, each with the business minutes before its start counted from `fromMs`: a spine from
   * which the business time between any two instants in the range is a lookup and a subtraction.
   */
  windows(fromMs: number, toMs: number): SpineWindow[] {
    if (!(toMs > fromMs)) return [];
    this.reach(fromMs);
    this.reach(toMs - 1);
    this.noteYears(fromMs, toMs - 1);
    this.ensure(toMs);
    this.ensure(fromMs); // laying out grows the range at one end and keeps the other
    this.ensure(toMs);
    const out: SpineWindow[] = [];
    const base = this.B(fromMs);
    const first = this.locate(fromMs);
    // business days count from the day before the first window's: that day is 1
    const bizBase = first < this.n ? this.bizCount[this.winDay[first] - this.d0] - 1 : 0;
    for (let i = first; i < this.n && this.starts[i] < toMs; i++) {
      const s = Math.max(this.starts[i], fromMs);
      const e = Math.min(this.ends[i], toMs);
      const day = this.winDay[i];
      if (e > s) out.push({ start: s, end: e, cumMinutes: (this.cum[i] + (s - this.starts[i]) - base) / MS_PER_MINUTE, day, businessDay: this.bizCount[day - this.d0] - bizBase });
    }
    return out;
  }
}
