import { describe, expect, it } from 'vitest';
import { SampleRing } from './sparkline';

describe('SampleRing', () => {
  it('keeps samples oldest first', () => {
    const r = new SampleRing(4);
    expect(r.size).toBe(0);
    expect(r.last()).toBeUndefined();
    r.push(1, 1501);
    r.push(2, 98);
    expect(r.data()).toEqual([[1, 2], [1501, 98]]);
    expect(r.last()).toBe(98);
  });
  it('drops the oldest when full', () => {
    const r = new SampleRing(3);
    for (let t = 1; t <= 7; t++) r.push(t, t * 10);
    expect(r.size).toBe(3);
    expect(r.data()).toEqual([[5, 6, 7], [50, 60, 70]]);
    expect(r.max()).toBe(70);
  });
  it('replaces a sample at the same or an earlier time', () => {
    const r = new SampleRing(3);
    r.push(10, 1);
    r.push(10, 2);
    r.push(9, 3);
    expect(r.data()).toEqual([[10], [3]]);
  });
  it('trims by time, then fills again', () => {
    const r = new SampleRing(120);
    for (let t = 0; t < 200; t++) r.push(t, t);
    expect(r.size).toBe(120);
    r.trimBefore(150);
    expect(r.size).toBe(50);
    expect(r.data()[0][0]).toBe(150);
    r.push(200, 1);
    expect(r.size).toBe(51);
    r.clear();
    expect(r.size).toBe(0);
    expect(r.max()).toBe(0);
  });
  it('refuses a bad capacity', () => {
    expect(() => new SampleRing(0)).toThrow(RangeError);
  });
});
