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
  private readonly wallDay = new Float64Array(SLOTS).fill(NaN);
  private readonly wallOffset = new Float64Array(SLOTS);

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

  // a direct-mapped cache in front of the per-day map: the hot path touches only typed arrays
  private readonly tagDay = new Float64Array(SLOTS).fill(NaN);
  private readonly tagStart = new Float64Array(SLOTS);
  private readonly tagAt = new Float64Array(SLOTS);
  private readonly tagEnd = new Float64Array(SLOTS);

  /** UTC offset in ms at an instant. */
  offsetAt(ms: number): number {
    if (this.fixed !== undefined) return this.fixed;
    const day = Math.floor(ms / MS_PER_DAY);
    const slot = day & (SLOTS - 1);
    if (this.tagDay[slot] !== day) {
      let e = this.cache.get(day);
      if (!e) {
        e = this.scanDay(day);
        this.cache.set(day, e);
      }
      this.tagDay[slot] = day;
      this.tagStart[slot] = e.start;
      this.tagAt[slot] = e.at;
      this.tagEnd[slot] = e.end;
    }
    return ms < this.tagAt[slot] ? this.tagStart[slot] : this.tagEnd[slot];
  }

  private raw(ms: number): number {
    // whole milliseconds: local mean time offsets such as +08:05:43 come as fractional minutes
    return Math.round(this.luxon.offset(ms) * MS_PER_MINUTE);
  }

  /** True when the offset changes within a day either side of this wall-clock day. */
  private changesAround(day: number): boolean {
    for (let d = day - 2; d <= day + 2; d++) {
      this.offsetAt(d * MS_PER_DAY);
      if (Number.isFinite(this.cache.get(d)!.at)) return true;
    }
    return false;
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
    // a wall-clock day whose whole neighbourhood has one offset converts by subtraction (cached)
    const day = Math.floor(wall / MS_PER_DAY);
    const slot = day & (SLOTS - 1);
    if (this.wallDay[slot] === day) return wall - this.wallOffset[slot];
    const before = this.offsetAt(wall - MS_PER_DAY);
    const after = this.offsetAt(wall + MS_PER_DAY);
    if (before === after && this.offsetAt(wall - before) === before) {
      if (!this.changesAround(day)) {
        this.wallDay[slot] = day;
        this.wallOffset[slot] = before;
      }
      return wall - before;
    }
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
   * The one offset of every UTC day that [lo, hi) touches, when none of them has a change of offset
   * and all start with the same one (under a day): NaN otherwise. Then a wall range inside
   * [lo + 2 days, hi - 2 days) is one range of instants, that offset earlier: the pieces the
   * general walk below cuts at each UTC day's midnight, joined again.
   */
  private constantOffset(lo: number, hi: number): number {
    let off = NaN;
    for (let day = Math.floor(lo / MS_PER_DAY); day * MS_PER_DAY < hi; day++) {
      this.offsetAt(day * MS_PER_DAY); // fills the day's slot of the direct-mapped cache
      const slot = day & (SLOTS - 1);
      if (this.tagAt[slot] !== Infinity) return NaN;
      if (Number.isNaN(off)) off = this.tagStart[slot];
      else if (this.tagStart[slot] !== off || this.tagEnd[slot] !== off) return NaN;
    }
    return Math.abs(off) < MS_PER_DAY ? off : NaN;
  }

  /**
   * The instants whose wall-clock time lies in [wallStart, wallEnd): one range normally; over a
   * spring-forward gap the skipped part simply has no instants; over a fall-back the repeated wall
   * times occur twice, so a window may come back as two ranges. Computed per constant-offset segment.
   * The ranges of one window are in time order, but those of two windows of the same day can
   * interleave: on 2026-10-25 in London, 00:00-01:30 is 23:00-00:30Z and 01:00-01:30Z, and
   * 01:45-06:00 starts at 00:45Z, between them. A caller laying out several windows sorts them.
   */
  wallRangeToInstants(wallStart: number, wallEnd: number): [number, number][] {
    if (this.fixed !== undefined) return [[wallStart - this.fixed, wallEnd - this.fixed]];
    const lo = wallStart - 2 * MS_PER_DAY;
    const hi = wallEnd + 2 * MS_PER_DAY;
    const off = this.constantOffset(lo, hi);
    if (!Number.isNaN(off)) return wallStart < wallEnd ? [[wallStart - off, wallEnd - off]] : [];
    const out: [number, number][] = [];
    for (let day = Math.floor(lo / MS_PER_DAY); day * MS_PER_DAY < hi; day++) {
      this.offsetAt(day * MS_PER_DAY); // fills the cache entry
      const e = this.cache.get(day)!;
      const d0 = day * MS_PER_DAY;
      const d1 = d0 + MS_PER_DAY;
      const parts: [number, number, number][] = Number.isFinite(e.at)
        ? [[d0, e.at, e.start], [e.at, d1, e.end]]
        : [[d0, d1, e.start]];
      for (const [a, b, off] of parts) {
        const s = Math.max(a, wallStart - off);
        const t = Math.min(b, wallEnd - off);
        if (s >= t) continue;
        const last = out[out.length - 1];
        if (last && last[1] === s) last[1] = t;
        else out.push([s, t]);
      }
    }
    return out;
  }

  instantToWall(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** Local day number (days since 1970-01-01 in this zone) of an instant. */
  localDay(ms: number): number {
    return Math.floor(this.instantToWall(ms) / MS_PER_DAY);
  }

  /**
   * RFC 3339 with this zone's offset, 2026-03-02T09:00:00+08:00, with milliseconds when there are
   * any (2026-03-02T10:30:30.500+08:00). RFC 3339 offsets are whole minutes; an instant whose offset
   * is not (a zone's local mean time before standard time, such as Shanghai's +08:05:43 before
   * 1901) is written in UTC: 1899-12-31T15:54:17Z. A non-finite value has no time to write: callers
   * write their own "none" (an empty cell, null, "–"), and passing one is a bug that throws here.
   */
  format(ms: number): string {
    const t = instant(ms);
    const off = this.offsetAt(t);
    if (off % MS_PER_MINUTE !== 0) return `${stamp(t)}Z`;
    const aoff = Math.abs(off) / MS_PER_MINUTE;
    return `${stamp(t + off)}${off < 0 ? '-' : '+'}${p2(Math.floor(aoff / 60))}:${p2(aoff % 60)}`;
  }

  /** "2026-03-02 09:00", the wall clock in this zone to the minute, for people. */
  formatShort(ms: number): string {
    const t = instant(ms);
    return stamp(t + this.offsetAt(t)).slice(0, 16).replace('T', ' ');
  }
}

function instant(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  return Math.floor(ms);
}

/** "2026-03-02T09:00:00" (".500" added when there are milliseconds) of a wall time in ms. */
function stamp(wall: number): string {
  const day = Math.floor(wall / MS_PER_DAY);
  const { y, m, d } = civilFromDays(day);
  const msOfDay = wall - day * MS_PER_DAY;
  const sod = Math.floor(msOfDay / 1000);
  const frac = msOfDay % 1000;
  const hh = Math.floor(sod / 3600), mm = Math.floor((sod % 3600) / 60), ss = sod % 60;
  return `${y}-${p2(m)}-${p2(d)}T${p2(hh)}:${p2(mm)}:${p2(ss)}${frac ? `.${String(frac).padStart(3, '0')}` : ''}`;
}

const zones = new Map<string, Zone>();
const SLOTS = 4096;
const p2 = (n: number) => (n < 10 ? '0' : '') + n;
