/**
 * Europe/London, 25 October 2026: 02:00 BST becomes 01:00 GMT at 01:00Z, so 01:00-02:00 happens at
 * 00:00-01:00Z and again at 01:00-02:00Z. The calendar's windows 00:00-01:30 and 01:45-06:00 are
 * 23:00-00:30Z + 01:00-01:30Z and 00:45-01:00Z + 01:45-06:00Z. The second window's first pass
 * (00:45-01:00Z) starts before the first window's second pass: it used to be dropped, in the engine
 * and in the spine the SQL engines read.
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const DIR = 'fixtures/calendar/fall-back-repeated-hour';
const check = ['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2026-10-26', '-f', 'csv'];

const EXPECTED = [
  'ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at',
  // L1 created 23:00Z (00:00 BST). First reply 23:10Z: 10 min; due 23:20Z (00:20 BST).
  'L1,Night,,first_response,met,20,10,2026-10-25T00:20:00+01:00,2026-10-25T00:10:00+01:00',
  // resolved 01:00Z: 23:00-00:30Z (90) + 00:45-01:00Z (15) = 105 > 100: breached (before the fix: 90, met).
  // Due: 90 in the first window, 10 more from 00:45Z = 00:55Z (01:55 BST; before the fix 01:10Z).
  'L1,Night,,resolution,breached,100,105,2026-10-25T01:55:00+01:00,2026-10-25T01:00:00+00:00',
  // L2 created 00:50Z (01:50 BST, inside 01:45-06:00's first pass). Reply 01:05Z: 00:50-01:00Z (10) +
  // 01:00-01:05Z (5, the repeated 01:00-01:05 GMT inside 00:00-01:30) = 15. Due: 10 + 10 = 01:10Z.
  'L2,Night,,first_response,met,20,15,2026-10-25T01:10:00+00:00,2026-10-25T01:05:00+00:00',
  // resolved 01:20Z: 10 + 20 = 30. Due: 10 + 30 (01:00-01:30Z) + 60 from 01:45Z = 02:45Z.
  'L2,Night,,resolution,met,100,30,2026-10-25T02:45:00+00:00,2026-10-25T01:20:00+00:00',
  // L3 created 00:40Z (01:40 BST, between the windows): the clock starts at 00:45Z. Reply 01:10Z: 15 + 10
  // = 25 > 20: breached; due 00:45Z + 15 = 01:00Z, then 5 of 01:00-01:30Z = 01:05Z.
  'L3,Night,,first_response,breached,20,25,2026-10-25T01:05:00+00:00,2026-10-25T01:10:00+00:00',
  // resolved 02:00Z: 15 + 30 + 15 (01:45-02:00Z) = 60. Due: 15 + 30 + 55 from 01:45Z = 02:40Z.
  'L3,Night,,resolution,met,100,60,2026-10-25T02:40:00+00:00,2026-10-25T02:00:00+00:00',
];

describe('a window starting inside the repeated hour after an earlier window of the same day', () => {
  test('the streaming engine counts both passes', async () => {
    const r = await cli(check);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trimEnd().split('\n')).toEqual(EXPECTED);
  });

  test('--engine duckdb gives the same rows (its spine comes from the same calendar)', async () => {
    const streaming = await cli(check);
    const duckdb = await cli([...check, '--engine', 'duckdb']);
    expect(duckdb.stderr).not.toContain('note:');
    expect(duckdb.stdout).toBe(streaming.stdout);
  });

  test('calendar -f csv, the spine SQL loads, lists all four passes in time order', async () => {
    const r = await cli(['calendar', 'night-desk', '-c', `${DIR}/sla.yaml`, '--from', '2026-10-25', '--to', '2026-10-26', '-f', 'csv']);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'calendar,window_start_utc,window_end_utc,business_minutes_before,local_date,business_day',
      // 00:00-01:30, first pass (BST): 90 minutes
      'night-desk,2026-10-24T23:00:00Z,2026-10-25T00:30:00Z,0,2026-10-25,1',
      // 01:45-02:00 BST
      'night-desk,2026-10-25T00:45:00Z,2026-10-25T01:00:00Z,90,2026-10-25,1',
      // 01:00-01:30 GMT: the first window's second pass
      'night-desk,2026-10-25T01:00:00Z,2026-10-25T01:30:00Z,105,2026-10-25,1',
      'night-desk,2026-10-25T01:45:00Z,2026-10-25T06:00:00Z,135,2026-10-25,1',
    ]);
    // 390 business minutes that day: 135 + 255
  });
});
