/* Shared by bench_json.c and bench_json_jsonc.c: json-c sits in a file of
 * its own because its header and jansson's both declare json_object_get
 * (two different functions; the shared libraries version them apart). */
#ifndef BGPS_BENCH_JSON_H
#define BGPS_BENCH_JSON_H

#include <stddef.h>
#include <stdint.h>

struct line {
	const char	*s;		/* NUL-terminated */
	size_t		 len;
};

/* What the walk of one message adds up. */
struct sum {
	uint64_t	ck;
	uint64_t	bad;		/* lines that are not JSON */
	uint64_t	prefixes;
};

static inline void
ck_int(struct sum *s, int64_t v)
{
	s->ck = s->ck * 31 + (uint64_t)v;
}

static inline void
ck_str(struct sum *s, const char *p, size_t len)
{
	ck_int(s, (int64_t)len);
	if (len > 0)
		ck_int(s, (unsigned char)p[0]);
}

/* Timestamps to 1/100 s, as RIS Live writes them. */
static inline void
ck_time(struct sum *s, double t)
{
	ck_int(s, (int64_t)(t * 100.0 + 0.5));
}

/* Members in the order the walk reads them: top-level type, then data. */
static const char *const data_strs[] = { "type", "peer", "peer_asn", "host" };
static const char *const data_ints[] = { "path", "community",
    "large_community" };
static const char *const data_tail[] = { "origin", "aggregator" };

int	jsonc_one(const struct line *, struct sum *);
int	jsonc_init(void);
void	jsonc_free(void);
const char *jsonc_version(void);

#endif
