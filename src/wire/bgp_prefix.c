/* NLRI prefixes: RFC 4271 4.3, RFC 4760 5, RFC 7911 3. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/bwriter.h"
#include "util/cursor.h"
#include "wire/bgp.h"
#include "wire/bgp_private.h"

static unsigned
afi_bits(uint16_t afi)
{
	return afi == BGP_AFI_IPV6 ? 128 : 32;
}

/* Walks the list once; returns how many prefixes parse, and sets *bad on
 * a syntax error. The walk stops at the first one, except that a salvage
 * walk takes a length over maxbits (up to 255) as bgpdump does, and goes
 * on as long as each prefix is within the data. */
static long
prefixes_count(const uint8_t *p, size_t len, unsigned maxbits, bool addpath,
    bool salvage, bool *bad)
{
	struct cursor c = cur_make(p, len);
	long n = 0;
	uint8_t plen;

	*bad = false;
	while (cur_left(&c) > 0) {
		if ((addpath && !cur_skip(&c, 4)) || !cur_get_u8(&c, &plen) ||
		    !cur_skip(&c, (plen + 7u) / 8u)) {
			*bad = true;
			break;
		}
		if (plen > maxbits) {
			*bad = true;
			if (!salvage)
				break;
		}
		n++;
	}
	return n;
}

enum bgp_reason
bgp_prefixes_parse(const uint8_t *p, size_t len, uint16_t afi, bool addpath,
    bool salvage, struct arena *a, struct bgp_prefix **out, uint32_t *n,
    enum bgp_reason syntax)
{
	struct cursor c = cur_make(p, len);
	struct bgp_prefix *v;
	long cnt;
	bool bad;

	*out = NULL;
	*n = 0;
	cnt = prefixes_count(p, len, afi_bits(afi), addpath, salvage, &bad);
	if (bad && !salvage)
		return syntax;
	if (cnt == 0)
		return bad ? syntax : BGP_R_NONE;
	v = arena_alloc(a, (size_t)cnt * sizeof(*v));
	if (v == NULL)
		return BGP_R_OUT_OF_MEMORY;
	for (long i = 0; i < cnt; i++) {
		struct bgp_prefix *x = &v[i];
		uint8_t plen = 0, over[16];
		size_t nbytes;

		x->path_id = 0;
		x->has_path_id = addpath;
		if (addpath)
			cur_get_u32(&c, &x->path_id);
		cur_get_u8(&c, &plen);
		x->afi = (uint8_t)afi;
		x->len = plen;
		x->pad_ = 0;
		memset(x->addr, 0, sizeof(x->addr));
		nbytes = (plen + 7u) / 8u;
		if (nbytes <= sizeof(x->addr)) {
			cur_get_bytes(&c, x->addr, nbytes);
			continue;
		}
		/* Only in a salvage read: more than 16 bytes. bgpdump reads
		 * them into its 16-byte address and on over the length byte
		 * that follows it, so the 17th byte becomes the length (which
		 * may again exceed the family's bits; nothing here relies on
		 * it being in range). */
		cur_get_bytes(&c, x->addr, sizeof(x->addr));
		cur_get_bytes(&c, over, nbytes - sizeof(x->addr));
		x->len = over[0];
	}
	*out = v;
	*n = (uint32_t)cnt;
	return bad ? syntax : BGP_R_NONE;
}

bool
bgp_prefixes_encode(const struct bgp_prefix *v, uint32_t n, bool addpath,
    struct bwriter *w)
{
	for (uint32_t i = 0; i < n; i++) {
		size_t nbytes = (v[i].len + 7u) / 8u;

		if (addpath)
			bw_put_u32(w, v[i].path_id);
		/* a salvaged over-long prefix (see above) keeps 16 bytes */
		if (nbytes > sizeof(v[i].addr))
			nbytes = sizeof(v[i].addr);
		bw_put_u8(w, v[i].len);
		bw_put_bytes(w, v[i].addr, nbytes);
	}
	return bw_ok(w);
}

uint16_t
bgp_nexthop_addrs(const uint8_t *nh, uint8_t nh_len, const uint8_t **addr,
    const uint8_t **ll)
{
	*addr = NULL;
	*ll = NULL;
	switch (nh_len) {
	case 4:
	case 12:
		*addr = nh + nh_len - 4;
		return BGP_AFI_IPV4;
	case 16:
	case 24:
		*addr = nh + nh_len - 16;
		return BGP_AFI_IPV6;
	case 32:
		*addr = nh;
		*ll = nh + 16;
		return BGP_AFI_IPV6;
	case 48:
		*addr = nh + 8;
		*ll = nh + 32;
		return BGP_AFI_IPV6;
	}
	return 0;
}

char *
bgp_prefix_str(const struct bgp_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->addr, addr,
	    sizeof(addr));
	if (p->has_path_id)
		snprintf(buf, len, "%s/%u id %u", addr, p->len, p->path_id);
	else
		snprintf(buf, len, "%s/%u", addr, p->len);
	return buf;
}

bool
bgp_prefix_mask(struct bgp_prefix *p)
{
	unsigned bits = afi_bits(p->afi), full = p->len / 8u, i;
	bool changed = false;

	for (i = full; i < bits / 8u; i++) {
		uint8_t keep = 0;

		if (i == full && (p->len & 7u))
			keep = (uint8_t)(0xffu << (8u - (p->len & 7u)));
		if (p->addr[i] & (uint8_t)~keep) {
			changed = true;
			p->addr[i] &= keep;
		}
	}
	return changed;
}

/* "A.B.C.D/LEN" the quick way (RIS Live writes every prefix as text):
 * what inet_pton accepts (no leading zeros) and a plain decimal length;
 * false for anything else, which the general way then reads. */
static bool
prefix_parse_v4(const char *s, struct bgp_prefix *p, bool *host_bits)
{
	unsigned v, len, digits;

	for (int i = 0; i < 4; i++) {
		v = digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (digits > 0 && v == 0)
				return false;		/* a leading zero */
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return false;
		}
		if (digits == 0 || *s++ != (i < 3 ? '.' : '/'))
			return false;
		p->addr[i] = (uint8_t)v;
	}
	len = digits = 0;
	while (*s >= '0' && *s <= '9' && digits < 2) {
		len = len * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || *s != '\0' || len > 32)
		return false;
	p->afi = BGP_AFI_IPV4;
	p->len = (uint8_t)len;
	*host_bits = bgp_prefix_mask(p);
	return true;
}

static bool
prefix_parse(const char *s, struct bgp_prefix *p, bool *host_bits)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long len;

	memset(p, 0, sizeof(*p));
	if (prefix_parse_v4(s, p, host_bits))
		return true;
	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL || slash[1] == '\0')
		return false;
	*slash = '\0';
	len = strtol(slash + 1, &end, 10);
	if (*end != '\0' || len < 0)
		return false;
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->afi = BGP_AFI_IPV4;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->afi = BGP_AFI_IPV6;
	else
		return false;
	if (len > afi_bits(p->afi))
		return false;
	p->len = (uint8_t)len;
	*host_bits = bgp_prefix_mask(p);
	return true;
}

bool
bgp_prefix_parse(const char *s, struct bgp_prefix *p)
{
	bool host_bits;

	return prefix_parse(s, p, &host_bits);
}

bool
bgp_prefix_parse_exact(const char *s, struct bgp_prefix *p)
{
	bool host_bits;

	return prefix_parse(s, p, &host_bits) && !host_bits;
}
