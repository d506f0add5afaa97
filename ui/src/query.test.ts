import { describe, expect, it } from 'vitest';
import { ipv6ToString, parseIPv4, parseIPv6, parseQuery, queryText } from './query';

describe('parseQuery: prefixes', () => {
  it('accepts IPv4 prefixes', () => {
    expect(parseQuery('1.0.4.0/24')).toEqual({ kind: 'prefix', prefix: '1.0.4.0/24', family: 4 });
    expect(parseQuery('  195.128.159.0/24 ')).toEqual({ kind: 'prefix', prefix: '195.128.159.0/24', family: 4 });
    expect(parseQuery('0.0.0.0/0')).toEqual({ kind: 'prefix', prefix: '0.0.0.0/0', family: 4 });
  });
  it('turns a bare address into a host prefix', () => {
    expect(parseQuery('193.203.0.1')).toEqual({ kind: 'prefix', prefix: '193.203.0.1/32', family: 4 });
    expect(parseQuery('2001:DB8::1')).toEqual({ kind: 'prefix', prefix: '2001:db8::1/128', family: 6 });
  });
  it('accepts and normalises IPv6 prefixes', () => {
    expect(parseQuery('2001:db8::/32')).toEqual({ kind: 'prefix', prefix: '2001:db8::/32', family: 6 });
    expect(parseQuery('2001:0DB8:0000:0000:0000:0000:0000:0000/32').kind).toBe('prefix');
    expect(queryText(parseQuery('2001:0DB8:0000:0000:0000:0000:0000:0000/32'))).toBe('2001:db8::/32');
    expect(queryText(parseQuery('::/0'))).toBe('::/0');
    expect(queryText(parseQuery('::ffff:192.0.2.1'))).toBe('::ffff:c000:201/128');
    expect(queryText(parseQuery('2a00:1450:4001:0:0:0:0:0/48'))).toBe('2a00:1450:4001::/48');
  });
  it('rejects bad prefixes with a message', () => {
    for (const bad of ['10.0.0.0/33', '256.1.1.1', '1.2.3/24', '1.2.3.4/', '1.2.3.4/x', '2001:db8::/129',
      '2001:db8:::/32', '1::2::3', 'example.com', '10.0.0.0/24/1', '1.2.3.4.5']) {
      const q = parseQuery(bad);
      expect(q.kind, bad).toBe('error');
    }
    const q = parseQuery('10.0.0.0/33');
    expect(q.kind === 'error' && q.error).toContain('0 to 32');
  });
  it('rejects an empty query', () => {
    expect(parseQuery('   ').kind).toBe('error');
  });
});

describe('parseQuery: ASNs', () => {
  it('accepts AS8342, as8342 and 8342', () => {
    for (const s of ['AS8342', 'as8342', '8342', ' As8342 ', 'AS 8342']) {
      expect(parseQuery(s)).toEqual({ kind: 'asn', asn: 8342 });
    }
    expect(queryText(parseQuery('as56636'))).toBe('AS56636');
  });
  it('accepts 32-bit ASNs and rejects larger ones', () => {
    expect(parseQuery('4294967295')).toEqual({ kind: 'asn', asn: 4294967295 });
    expect(parseQuery('AS4294967296').kind).toBe('error');
    expect(parseQuery('AS-1').kind).toBe('error');
  });
});

describe('address helpers', () => {
  it('parses IPv4', () => {
    expect(parseIPv4('1.0.4.0')).toBe(0x01000400);
    expect(parseIPv4('1.0.4')).toBeNull();
    expect(parseIPv4('01.0.4.0')).toBe(0x01000400);
    expect(parseIPv4('1.0.4.256')).toBeNull();
  });
  it('parses and prints IPv6', () => {
    expect(parseIPv6('2001:db8::')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
    expect(ipv6ToString([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1])).toBe('2001:db8:0:1::1');
    expect(ipv6ToString([1, 0, 2, 0, 3, 0, 4, 0])).toBe('1:0:2:0:3:0:4:0');
  });
});
