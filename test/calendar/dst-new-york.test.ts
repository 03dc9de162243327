import { describe, expect, test } from 'vitest';
import { at, cfg, fmt } from '../helpers/index.js';

// America/New_York: spring forward 2026-03-08 02:00 EST → 03:00 EDT (a Sunday);
// fall back 2026-11-01 02:00 EDT → 01:00 EST (a Sunday).
const config = cfg(`
timezone: America/New_York
calendars:
  office:
    hours:
      daily: [09:00-17:00]
  overnight:
    hours:
      daily: [00:00-04:00]
policies:
  - name: p
    calendar: office
    targets: { resolution: { default: 1h } }
`);
const Z = 'America/New_York';
const office = config.calendars.get('office')!;
const overnight = config.calendars.get('overnight')!;
const h24 = config.calendars.get('24x7')!;
const t = (s: string) => at(s, Z);
const min = (ms: number) => ms / 60_000;

describe('09:00-17:00 stays 09:00-17:00 local on both sides of a change', () => {
  test.each([
    ['2026-03-07T09:00', '2026-03-09T09:00', 960, 'Sat 8h (EST) + Sun 8h (EDT)'],
    ['2026-10-31T09:00', '2026-11-02T09:00', 960, 'Sat 8h (EDT) + Sun 8h (EST)'],
    ['2026-03-08T16:00', '2026-03-09T10:00', 120, 'Sun 16-17 + Mon 09-10'],
  ])('%s → %s = %i', (a, b, expected) => {
    expect(min(office.elapsed(t(a), t(b)))).toBe(expected);
  });

  test('a due time across spring-forward lands on local 10:00', () => {
    expect(fmt(office.dueAfter(t('2026-03-07T16:00'), 3 * 60 * 60_000), Z)).toBe('2026-03-08T11:00'); // 1h Sat + 2h Sun
  });
});

describe('windows that contain the change itself', () => {
  test('spring forward: 00:00-04:00 on 2026-03-08 is only 3 real hours', () => {
    expect(min(overnight.elapsed(t('2026-03-08T00:00'), t('2026-03-08T05:00')))).toBe(180);
  });
  test('fall back: 00:00-04:00 on 2026-11-01 is 5 real hours', () => {
    expect(min(overnight.elapsed(t('2026-11-01T00:00'), t('2026-11-01T05:00')))).toBe(300);
  });
  test('24x7 counts real time across both changes', () => {
    expect(min(h24.elapsed(t('2026-03-08T00:00'), t('2026-03-09T00:00')))).toBe(23 * 60);
    expect(min(h24.elapsed(t('2026-11-01T00:00'), t('2026-11-02T00:00')))).toBe(25 * 60);
    // 2h of real time from 01:30 EDT on fall-back day is 02:30 EST... minus the repeated hour: 02:30 local
    expect(h24.dueAfter(t('2026-11-01T01:30'), 2 * 3600_000) - t('2026-11-01T01:30')).toBe(2 * 3600_000);
  });
});

describe('naive wall times that do not exist or happen twice', () => {
  const zone = config.zone;
  const wall = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi);
  test('02:30 on spring-forward day moves forward by the gap to 03:30 EDT', () => {
    expect(zone.format(zone.wallToInstant(wall(2026, 3, 8, 2, 30)))).toBe('2026-03-08T03:30:00-04:00');
  });
  test('01:30 on fall-back day takes the earlier instant (EDT)', () => {
    expect(zone.format(zone.wallToInstant(wall(2026, 11, 1, 1, 30)))).toBe('2026-11-01T01:30:00-04:00');
  });
  test('ordinary times on change days', () => {
    expect(zone.format(zone.wallToInstant(wall(2026, 3, 8, 1, 59)))).toBe('2026-03-08T01:59:00-05:00');
    expect(zone.format(zone.wallToInstant(wall(2026, 3, 8, 3, 0)))).toBe('2026-03-08T03:00:00-04:00');
    expect(zone.format(zone.wallToInstant(wall(2026, 11, 1, 2, 0)))).toBe('2026-11-01T02:00:00-05:00');
    expect(zone.format(zone.wallToInstant(wall(2026, 11, 1, 0, 59)))).toBe('2026-11-01T00:59:00-04:00');
  });
});
