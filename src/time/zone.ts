import { IANAZone, FixedOffsetZone } from 'luxon';
import { MS_PER_DAY, MS_PER_MINUTE, civilFromDays } from './civil.js';

/**
 * A time zone with cached UTC offsets. Luxon answers "what is the offset at instant t"; we ask it
 * at most a few times per UTC day (and search the minute of a transition once), then every
 * conversion is arithmetic. Wall-clock times are "wall ms": the epoch ms the wall time would have in UTC.
 */
export class Zone {
  private readonly cache = new Map<number, { start: number; at: number; end: number }>();
  private readonly fixed: number | undefined;

  private constructor(
    readonly name: string,
    private readonly luxon: IANAZone | FixedOffsetZone,
  ) {
    this.fixed = luxon.isUniversal ? luxon.offset(0) * MS_PER_MINUTE : undefined;
  }

  static isValid(name: string): boolean {
    return name === 'UTC' || IANAZone.isValidZone(name);
  }

  static of(name: string): Zone {
    const cached = zones.get(name);
    if (cached) return cached;
    const z = new Zone(name, name === 'UTC' ? FixedOffsetZone.utcInstance : IANAZone.create(name));
    zones.set(name, z);
    return z;
  }

  /** UTC offset in ms at an instant. */
  offsetAt(ms: number): number {
    if (this.fixed !== undefined) return this.fixed;
    const day = Math.floor(ms / MS_PER_DAY);
    let e = this.cache.get(day);
    if (!e) {
      e = this.scanDay(day);
      this.cache.set(day, e);
    }
    return ms < e.at ? e.start : e.end;
  }

  private raw(ms: number): number {
    return this.luxon.offset(ms) * MS_PER_MINUTE;
  }

  /** Offsets at both ends of one UTC day, and the minute the offset changes if it does. */
  private scanDay(day: number) {
    const lo0 = day * MS_PER_DAY;
    const start = this.raw(lo0);
    const end = this.raw(lo0 + MS_PER_DAY - 1);
    if (start === end) return { start, at: Infinity, end };
    let lo = lo0;
    let hi = lo0 + MS_PER_DAY;
    while (hi - lo > MS_PER_MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
      if (this.raw(mid) === start) lo = mid;
      else hi = mid;
    }
    return { start, at: hi, end };
  }

  /**
   * The instant of a wall-clock time. A time skipped by a spring-forward gap moves forward by the
   * gap; a time that occurs twice (fall-back) takes the earlier instant.
   */
  wallToInstant(wall: number): number {
    if (this.fixed !== undefined) return wall - this.fixed;
    const before = this.offsetAt(wall - MS_PER_DAY);
    const after = this.offsetAt(wall + MS_PER_DAY);
    if (before === after && this.offsetAt(wall - before) === before) return wall - before;
    const i1 = wall - before;
    const i2 = wall - after;
    const ok1 = this.offsetAt(i1) === before;
    const ok2 = this.offsetAt(i2) === after;
    if (ok1 && ok2) return Math.min(i1, i2);
    if (ok1) return i1;
    if (ok2) return i2;
    return i1; // in the gap: the pre-transition offset moves it forward by the gap
  }

  /**
   * The first instant at which the wall clock reads `wall` or later: for a calendar window
   * boundary. Same as wallToInstant except in a spring-forward gap, where it is the transition
   * itself (a window "from 02:30" opens when the clock jumps to 03:00).
   */
  boundaryInstant(wall: number): number {
    const t = this.wallToInstant(wall);
    if (this.fixed !== undefined || this.instantToWall(t) === wall) return t;
    // in a gap: the transition lies in (wall - offsetAfter, t]
    const e = this.cache.get(Math.floor(t / MS_PER_DAY));
    if (e && e.at <= t && e.at > t - MS_PER_DAY) return e.at;
    const prev = this.cache.get(Math.floor(t / MS_PER_DAY) - 1);
    if (prev && prev.at <= t) return prev.at;
    return t;
  }

  instantToWall(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** Local day number (days since 1970-01-01 in this zone) of an instant. */
  localDay(ms: number): number {
    return Math.floor(this.instantToWall(ms) / MS_PER_DAY);
  }

  /** ISO 8601 with this zone's offset, to the second: 2026-03-02T09:00:00+08:00. */
  format(ms: number): string {
    const off = this.offsetAt(ms);
    const wall = ms + off;
    const day = Math.floor(wall / MS_PER_DAY);
    const { y, m, d } = civilFromDays(day);
    const sod = Math.floor((wall - day * MS_PER_DAY) / 1000);
    const hh = Math.floor(sod / 3600), mm = Math.floor((sod % 3600) / 60), ss = sod % 60;
    const sign = off < 0 ? '-' : '+';
    const aoff = Math.abs(off) / MS_PER_MINUTE;
    return `${y}-${p2(m)}-${p2(d)}T${p2(hh)}:${p2(mm)}:${p2(ss)}${sign}${p2(Math.floor(aoff / 60))}:${p2(aoff % 60)}`;
  }

  /** "2026-03-02 09:00" in this zone, for people. */
  formatShort(ms: number): string {
    return this.format(ms).slice(0, 16).replace('T', ' ');
  }
}

const zones = new Map<string, Zone>();
const p2 = (n: number) => (n < 10 ? '0' : '') + n;
