/* Validated ROA Payloads and route origin validation (RFC 6811).
 *
 * A VRP table is built once from a list of VRPs (sorted, duplicates
 * merged, the sources that gave each kept as bits) and never changes: a
 * change of the VRPs is a new table, and the two are compared
 * (vrp_table_diff) to find the prefixes whose routes may validate
 * differently. Lookups need no lock and allocate nothing.
 *
 * For each family the table holds the VRPs' distinct prefixes ("nodes",
 * each with its covering node) and the address space cut into intervals
 * by where the deepest prefix covering an address changes. The VRPs
 * covering a route's prefix are then those of the deepest node of the
 * interval holding the prefix's first address, and of its covering
 * nodes, that are no longer than the route's prefix: one bucketed
 * binary search and a short walk up. */
#ifndef BGPS_RPKI_VRP_H
#define BGPS_RPKI_VRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib/trie.h"

/* RPKI sources (JSON files, URLs, RTR groups) a VRP or an ASPA may come
 * from: one bit each. */
#define RPKI_SOURCES_MAX	32

struct vrp {
	uint64_t	hi;		/* the prefix as a trie_key's */
	uint64_t	lo;
	uint32_t	asn;
	uint32_t	src;		/* bit per source that has it */
	uint8_t		len;
	uint8_t		maxlen;
	uint8_t		v6;
	uint8_t		pad_;
};

/* The prefix of a VRP as a trie key, and back. */
void	vrp_key(const struct vrp *v, struct trie_key *k);
void	vrp_set_key(struct vrp *v, const struct trie_key *k);
/* "192.0.2.0/24-24 AS65000" */
#define VRP_STRLEN	80
char	*vrp_str(const struct vrp *v, char *buf, size_t len);
/* Orders by family, prefix, length, ASN, max length (not sources). */
int	 vrp_cmp(const struct vrp *a, const struct vrp *b);

/* Sorts v[0..n) by vrp_cmp and merges the same VRP given more than once
 * (their source bits or'ed); returns how many remain. */
size_t	 vrp_sort_unique(struct vrp *v, size_t n);

struct vrp_table;

/* A table of the n VRPs in v (taken over, freed with the table; any
 * order; the same VRP from several sources is one, with their bits).
 * Each VRP must be sound (a prefix with no bits past its length, len <=
 * maxlen <= 32 or 128): loaders check that. NULL when memory runs out (v
 * is freed). */
struct vrp_table *vrp_table_build(struct vrp *v, size_t n);
/* An empty table. */
struct vrp_table *vrp_table_empty(void);
void		  vrp_table_free(struct vrp_table *t);
/* Its VRPs, sorted by vrp_cmp, distinct. */
const struct vrp *vrp_table_vrps(const struct vrp_table *t, size_t *n);
size_t		  vrp_table_count(const struct vrp_table *t, int v6);
size_t		  vrp_table_bytes(const struct vrp_table *t);

/* RFC 6811 section 2: a route is "not found" when no VRP covers its
 * prefix; "valid" when one covering VRP has its origin AS and a max
 * length at least its length; otherwise "invalid", which we tell apart:
 * "length" when a covering VRP has the origin AS but a shorter max
 * length, else "origin". A route without one origin AS (a final AS_SET)
 * matches no VRP, nor does origin AS 0. */
enum rov_state {
	ROV_NOT_FOUND,
	ROV_VALID,
	ROV_INVALID_ORIGIN,
	ROV_INVALID_LENGTH,
	ROV_STATES
};
#define ROV_NO_ORIGIN	(-1)	/* origin argument: none (a final AS_SET) */

/* "not-found", "valid", "invalid-origin", "invalid-length" */
const char	*rov_state_name(enum rov_state s);
/* The RFC's three: "not-found", "valid", "invalid" */
const char	*rov_state_rfc(enum rov_state s);

enum rov_state	 rov_validate(const struct vrp_table *t,
		    const struct trie_key *k, int64_t origin);
/* The same, telling fn each VRP that covers the prefix (the deepest
 * prefixes first). */
typedef void	(*vrp_fn)(const struct vrp *v, void *arg);
enum rov_state	 rov_validate_why(const struct vrp_table *t,
		    const struct trie_key *k, int64_t origin, vrp_fn fn,
		    void *arg);

/* The VRPs in one table and not in the other (sources aside): fn for
 * each, with added true for those only in b. Returns how many. */
typedef void	(*vrp_diff_fn)(const struct vrp *v, bool added, void *arg);
size_t		 vrp_table_diff(const struct vrp_table *a,
		    const struct vrp_table *b, vrp_diff_fn fn, void *arg);

/* Prefixes reduced to the outermost ones: sorts k[0..n) and drops every
 * key another of them covers (or equals). Returns how many remain. */
size_t		 vrp_keys_outermost(struct trie_key *k, size_t n);

#endif
