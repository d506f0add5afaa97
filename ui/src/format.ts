// Pure formatting helpers: every number shown in the UI goes through here.

const nf = new Intl.NumberFormat('en-US');

/** 115521 -> "115,521"; non-finite -> "–". */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return nf.format(Math.round(n));
}

/** Bytes with binary units: 512 B, 1.5 KB, 25.8 MB, 1.02 GB. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${Math.round(v)} B`;
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${units[i]}`;
}

/**
 * A duration in seconds, as its two largest units:
 * 0 -> "0s", 45 -> "45s", 725 -> "12m 5s", 7380 -> "2h 3m", 273600 -> "3d 4h".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  let s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/** An age in seconds ("12m 5s"); negative ages (clock skew) count as 0. */
export function formatAge(seconds: number | null | undefined): string {
  return formatDuration(seconds);
}

/** Events per second: integers with separators, small rates with one decimal. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '–';
  if (perSecond > 0 && perSecond < 10 && !Number.isInteger(perSecond)) {
    return `${perSecond.toFixed(1)}/s`;
  }
  return `${formatNumber(perSecond)}/s`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Microseconds since the epoch -> "2026-11-27 10:23:45 UTC"; 0 -> "–". */
export function formatTimeUs(us: number | null | undefined): string {
  if (!us || !Number.isFinite(us)) return '–';
  const d = new Date(Math.floor(us / 1000));
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** Seconds elapsed between a microsecond timestamp and now (ms, as Date.now()). */
export function secondsSinceUs(us: number, nowMs: number): number {
  if (!us) return 0;
  return Math.max(0, (nowMs * 1000 - us) / 1e6);
}

/** "Ago" form of a microsecond timestamp: "12m 5s ago", or "–" for 0. */
export function formatAgoUs(us: number | null | undefined, nowMs: number): string {
  if (!us) return '–';
  return `${formatDuration(secondsSinceUs(us, nowMs))} ago`;
}

/** AS number as shown: "AS8342". */
export function formatAsn(asn: number): string {
  return `AS${asn}`;
}

/** Percentage of part in whole, 0..100, 0 when whole is 0. */
export function percent(part: number, whole: number): number {
  if (!whole || whole <= 0) return 0;
  return Math.max(0, Math.min(100, (part / whole) * 100));
}
