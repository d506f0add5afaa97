// Parsing of the looking glass search box: a prefix, an address or an ASN.

export type Query =
  | { kind: 'prefix'; prefix: string; family: 4 | 6 }
  | { kind: 'asn'; asn: number }
  | { kind: 'error'; error: string };

/** Parses dotted-quad IPv4; returns the 32-bit value or null. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

function ipv4ToString(v: number): string {
  return [24, 16, 8, 0].map((sh) => Math.floor(v / 2 ** sh) % 256).join('.');
}

/** Parses IPv6 text (with ::, and an embedded IPv4 tail) into 8 16-bit groups. */
export function parseIPv6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIPv4(it);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  let groups: number[];
  if (dbl !== -1) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (!head || !tail) return null;
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    const g = parseGroups(s);
    if (!g) return null;
    groups = g;
  }
  return groups.length === 8 ? groups : null;
}

/** RFC 5952 text form of 8 groups: lower case, longest zero run (>= 2) as "::". */
export function ipv6ToString(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

const ASN_MAX = 4294967295;

/**
 * Parses what was typed in the search box. Prefixes are kept as typed apart
 * from normalising the address text (lower case, compressed IPv6); host bits
 * are left for the daemon to judge. A bare address becomes a /32 or /128.
 */
export function parseQuery(input: string): Query {
  const s = input.trim();
  if (s === '') return { kind: 'error', error: 'Enter a prefix (1.0.4.0/24, 2001:db8::/32), an address or an AS number (AS8342).' };
  const asm = /^(?:as)?\s*(\d+)$/i.exec(s);
  if (asm) {
    const n = Number(asm[1]);
    if (!Number.isSafeInteger(n) || n > ASN_MAX) return { kind: 'error', error: `'${s}' is not an AS number (0 to ${ASN_MAX})` };
    return { kind: 'asn', asn: n };
  }
  const slash = s.indexOf('/');
  const addr = slash === -1 ? s : s.slice(0, slash);
  const lenText = slash === -1 ? null : s.slice(slash + 1);
  if (lenText !== null && !/^\d{1,3}$/.test(lenText)) {
    return { kind: 'error', error: `'${s}' is not a prefix: bad length '${lenText}'` };
  }
  const v4 = parseIPv4(addr);
  if (v4 !== null) {
    const len = lenText === null ? 32 : Number(lenText);
    if (len > 32) return { kind: 'error', error: `'${s}' is not a prefix: an IPv4 length is 0 to 32` };
    return { kind: 'prefix', prefix: `${ipv4ToString(v4)}/${len}`, family: 4 };
  }
  if (addr.includes(':')) {
    const v6 = parseIPv6(addr);
    if (v6 !== null) {
      const len = lenText === null ? 128 : Number(lenText);
      if (len > 128) return { kind: 'error', error: `'${s}' is not a prefix: an IPv6 length is 0 to 128` };
      return { kind: 'prefix', prefix: `${ipv6ToString(v6)}/${len}`, family: 6 };
    }
  }
  return { kind: 'error', error: `'${s}' is neither a prefix, an address nor an AS number` };
}

/** The canonical text of a query, as put in the URL ("AS8342" or the prefix). */
export function queryText(q: Query): string {
  if (q.kind === 'asn') return `AS${q.asn}`;
  if (q.kind === 'prefix') return q.prefix;
  return '';
}
