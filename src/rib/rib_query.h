/* The looking-glass answers the CLI and the HTTP API give, rendered as
 * JSON or as text for people: routes of a prefix (exact, more- or
 * less-specifics) across every VP with a summary, what an AS originates
 * and who it neighbours, the VPs, and memory. */
#ifndef BGPS_RIB_RIB_QUERY_H
#define BGPS_RIB_RIB_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "rib/rib.h"
#include "util/strbuf.h"

enum rib_match { RIB_MATCH_EXACT, RIB_MATCH_MORE, RIB_MATCH_LESS };

/* now: the time routes' ages are counted from (Unix seconds). */
void	rib_query_prefix(struct rib *r, const struct trie_key *k,
	    enum rib_match match, uint32_t now, bool json, struct strbuf *out);

/* Which VPs a query takes: those of one source (by name; NULL: all) that
 * have one of the tags (0: any); and whether JSON answers carry a
 * summary per source besides the overall one (text always groups by
 * source, each under its summary). */
struct rib_view {
	const char	*source;
	uint16_t	 tags;
	bool		 per_source;
};
void	rib_query_prefix_in(struct rib *r, const struct trie_key *k,
	    enum rib_match match, uint32_t now, bool json,
	    const struct rib_view *view, struct strbuf *out);
/* The same in two steps: collected from the RIB (the routes with
 * copies of everything printing them needs; NULL when memory runs out),
 * then printed without the RIB, e.g. on another thread while the RIB
 * changes. json: the answer is to be JSON (else text). */
struct rib_lg;
struct rib_lg *rib_lg_collect(struct rib *r, const struct trie_key *k,
	    enum rib_match match, bool json, const struct rib_view *view);
/* An answer stops at RIB_LG_MAX_ROUTES routes (0.0.0.0/0 and its
 * more-specifics would hold all the RIB): it is then only the error
 * saying so. The answer's HTTP status: 200, 413 (too large) or 500 (no
 * memory; lg may be NULL). */
#define RIB_LG_MAX_ROUTES	250000
unsigned rib_lg_status(const struct rib_lg *lg);
/* Prints lg (which it leaves as it is: it may be printed again). */
void	rib_lg_render(struct rib_lg *lg, uint32_t now, struct strbuf *out);
/* A kept lg, its VPs counted again if any went up or down since
 * (rib_vps_gen; from any thread): 0 unchanged, 1 changed (to print
 * again), -1 when they could not be read still (lg is then to be made
 * anew; it may have route states of a moment after the others). */
int	rib_lg_refresh(struct rib_lg *lg, const struct rib *r);
/* Gives back what lg holds beyond what printing it needs (to keep it). */
void	rib_lg_shrink(struct rib_lg *lg);
/* The memory lg holds. */
size_t	rib_lg_bytes(const struct rib_lg *lg);
void	rib_lg_free(struct rib_lg *lg);

/* Where two views (named na and nb in the answer) differ for the
 * prefix (and its more- or less-specifics): present in one only, origins
 * and upstreams of the origin in one only (a prefix "differs" for
 * these), and the AS paths each has that the other lacks. */
void	rib_query_compare(struct rib *r, const struct trie_key *k,
	    enum rib_match match, const struct rib_view *va, const char *na,
	    const struct rib_view *vb, const char *nb, bool json,
	    struct strbuf *out);
void	rib_query_asn(struct rib *r, uint32_t asn, bool json,
	    struct strbuf *out);
void	rib_query_vps(struct rib *r, bool json, struct strbuf *out);
/* The routes of one VP in prefix order (IPv4 first): at most limit of
 * them, from the first prefix after `after` (NULL: from the start), as
 * {"vp", "routes": [...], "next"}: next is the prefix to ask after for
 * more, or null at the end. */
void	rib_query_vp_routes(struct rib *r, uint32_t vp,
	    const struct trie_key *after, uint32_t limit, uint32_t now,
	    struct strbuf *out);
void	rib_query_mem(struct rib *r, bool json, struct strbuf *out);

/* One prefix's summary: VPs that see it of the VPs up that carry its
 * family, its origins and their upstreams. vps_stale: VPs with a route
 * to it kept, stale, and none current (their feed stopped: a gap, a
 * session or router down with its routes kept; or it is back and has
 * not sent the route again): what they see now is unknown, so they are
 * not in vps_seeing (nor in vps_up while the feed is down). */
#define RIB_SUMMARY_MAX	64
struct rib_summary {
	uint32_t	vps_seeing;
	uint32_t	vps_stale;
	uint32_t	vps_up;
	uint32_t	routes;
	uint32_t	norigins;
	uint32_t	origins[RIB_SUMMARY_MAX];
	uint32_t	nupstreams;
	uint32_t	upstreams[RIB_SUMMARY_MAX];
};
void	rib_prefix_summary(struct rib *r, const struct trie_key *k,
	    struct rib_summary *s);

#endif
