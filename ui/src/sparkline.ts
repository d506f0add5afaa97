// A bounded ring of (time, value) samples for the live rate sparkline.

export class SampleRing {
  private readonly ts: number[];
  private readonly vs: number[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.ts = new Array<number>(capacity).fill(0);
    this.vs = new Array<number>(capacity).fill(0);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a sample; a time not after the last one replaces it (no going back). */
  push(t: number, v: number): void {
    if (this.count > 0) {
      const last = (this.start + this.count - 1) % this.capacity;
      if (t <= this.ts[last]) {
        this.vs[last] = v;
        return;
      }
    }
    if (this.count < this.capacity) {
      const i = (this.start + this.count) % this.capacity;
      this.ts[i] = t;
      this.vs[i] = v;
      this.count++;
    } else {
      this.ts[this.start] = t;
      this.vs[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Drops samples older than minT. */
  trimBefore(minT: number): void {
    while (this.count > 0 && this.ts[this.start] < minT) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Oldest first, as uPlot's data: [times, values]. */
  data(): [number[], number[]] {
    const t: number[] = [];
    const v: number[] = [];
    for (let k = 0; k < this.count; k++) {
      const i = (this.start + k) % this.capacity;
      t.push(this.ts[i]);
      v.push(this.vs[i]);
    }
    return [t, v];
  }

  last(): number | undefined {
    if (this.count === 0) return undefined;
    return this.vs[(this.start + this.count - 1) % this.capacity];
  }

  max(): number {
    let m = 0;
    for (const v of this.data()[1]) m = Math.max(m, v);
    return m;
  }
}
