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
void	rib_query_asn(struct rib *r, uint32_t asn, bool json,
	    struct strbuf *out);
void	rib_query_vps(struct rib *r, bool json, struct strbuf *out);
void	rib_query_mem(struct rib *r, bool json, struct strbuf *out);

/* One prefix's summary: VPs that see it of the VPs up that carry its
 * family, its origins and their upstreams. */
#define RIB_SUMMARY_MAX	64
struct rib_summary {
	uint32_t	vps_seeing;
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
