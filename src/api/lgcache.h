/* Looking-glass answers kept on the API thread, so that a prefix asked
 * for again and again costs the daemon's loop nothing while its routes
 * stay the same. An answer is kept with the routes it printed (a
 * rib_lg) and the RIB's watch of its prefix (rib_watch): it is served
 * while the watch is current, printed again from the kept routes when
 * the second (routes' ages) has moved on or a VP went up or down
 * (rib_lg_refresh), and forgotten, least recently used first, past the
 * cache's size. API thread only. */
#ifndef BGPS_API_LGCACHE_H
#define BGPS_API_LGCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "rib/rib.h"
#include "rib/rib_query.h"

struct lgcache;

/* max_bytes 0: nothing is kept. */
struct lgcache	*lgcache_new(size_t max_bytes);
void		 lgcache_free(struct lgcache *c);

/* The answer kept for key (the request: path, arguments, credentials),
 * if the RIB has not changed it since, printed for now, and its content
 * type: its bytes stay valid until the next call. NULL: none. */
const struct strbuf *lgcache_get(struct lgcache *c, const struct rib *r,
		    const char *key, uint32_t now, const char **ctype);
/* Keeps lg (the cache's from now on, freed here when not kept) and its
 * answer (len bytes at body, of type ctype, a string that lives on)
 * printed at now, under key. */
void		 lgcache_put(struct lgcache *c, const char *key,
		    struct rib_lg *lg, const struct rib_watch *w,
		    const char *ctype, const char *body, size_t len,
		    uint32_t now);

struct lgcache_stats {
	uint64_t	hits;
	uint64_t	misses;
	uint64_t	entries;
	uint64_t	bytes;
};
void		 lgcache_stats(const struct lgcache *c,
		    struct lgcache_stats *s);

#endif
