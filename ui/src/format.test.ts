import { describe, expect, it } from 'vitest';
import {
  formatAge, formatAgoUs, formatAsn, formatBytes, formatDuration, formatNumber,
  formatRate, formatTimeUs, percent, secondsSinceUs,
} from './format';

describe('formatNumber', () => {
  it('adds thousands separators', () => {
    expect(formatNumber(115521)).toBe('115,521');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1234567890)).toBe('1,234,567,890');
  });
  it('rounds and handles missing values', () => {
    expect(formatNumber(1501.6)).toBe('1,502');
    expect(formatNumber(undefined)).toBe('–');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(NaN)).toBe('–');
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(27004132)).toBe('25.8 MB');
    expect(formatBytes(9340928)).toBe('8.91 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GB');
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MB');
  });
  it('rejects bad values', () => {
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(undefined)).toBe('–');
  });
});

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(725)).toBe('12m 5s');
    expect(formatDuration(720)).toBe('12m');
    expect(formatDuration(7380)).toBe('2h 3m');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe('3d 4h');
    expect(formatDuration(2 * 86400)).toBe('2d');
  });
  it('floors fractions and clamps negatives', () => {
    expect(formatDuration(59.99)).toBe('59s');
    expect(formatDuration(-5)).toBe('0s');
    expect(formatAge(84581)).toBe('23h 29m');
    expect(formatDuration(undefined)).toBe('–');
  });
});

describe('formatRate', () => {
  it('formats events per second', () => {
    expect(formatRate(1501)).toBe('1,501/s');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(2.25)).toBe('2.3/s');
    expect(formatRate(12345.4)).toBe('12,345/s');
    expect(formatRate(undefined)).toBe('–');
  });
});

describe('times', () => {
  it('formats microsecond timestamps in UTC', () => {
    expect(formatTimeUs(1795821038292429)).toBe('2026-11-27 23:10:38 UTC');
    expect(formatTimeUs(0)).toBe('–');
  });
  it('computes elapsed time from microseconds', () => {
    const nowMs = 1795821038292 + 725_000;
    expect(secondsSinceUs(1795821038292000, nowMs)).toBeCloseTo(725, 3);
    expect(formatAgoUs(1795821038292000, nowMs)).toBe('12m 5s ago');
    expect(formatAgoUs(0, nowMs)).toBe('–');
    // a timestamp in the future (clock skew) counts as now
    expect(secondsSinceUs(1795821038292000, 1795821038000)).toBe(0);
  });
});

describe('misc', () => {
  it('formats ASNs and percentages', () => {
    expect(formatAsn(8342)).toBe('AS8342');
    expect(percent(8, 53)).toBeCloseTo(15.09, 2);
    expect(percent(1, 0)).toBe(0);
    expect(percent(5, 4)).toBe(100);
  });
});
