/* ASPA: AS provider authorizations, and the verification of a route's
 * AS_PATH against them (draft-ietf-sidrops-aspa-verification).
 *
 * An ASPA says which ASes a customer AS has as providers; a provider set
 * of only AS 0 says it has none (AS 0 beside others changes nothing). Like a VRP table, an ASPA table is built
 * once and never changes; lookups need no lock. */
#ifndef BGPS_RPKI_ASPA_H
#define BGPS_RPKI_ASPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One customer-provider pair, as loaders give them: a customer's ASPA is
 * all its pairs (of every source: their union). */
struct aspa_pair {
	uint32_t	customer;
	uint32_t	provider;
	uint32_t	src;		/* bit per source that has it */
};

struct aspa_table;

/* A table of the n pairs in p (taken over and freed; any order). NULL
 * when memory runs out (p is freed). */
struct aspa_table *aspa_table_build(struct aspa_pair *p, size_t n);
struct aspa_table *aspa_table_empty(void);
void		   aspa_table_free(struct aspa_table *t);
/* Its pairs, sorted by customer then provider, distinct. */
const struct aspa_pair *aspa_table_pairs(const struct aspa_table *t,
		    size_t *n);
/* Customers (ASPAs) it holds. */
size_t		   aspa_table_customers(const struct aspa_table *t);
size_t		   aspa_table_bytes(const struct aspa_table *t);
/* The providers of customer (sorted), or NULL when it has no ASPA. */
const uint32_t	  *aspa_providers(const struct aspa_table *t,
		    uint32_t customer, size_t *n);

/* The draft's authorized(a, b): is b an attested provider of a. */
enum aspa_hop { ASPA_NO_ATTESTATION, ASPA_PROVIDER, ASPA_NOT_PROVIDER };
enum aspa_hop	   aspa_hop(const struct aspa_table *t, uint32_t a,
		    uint32_t b);

enum aspa_state { ASPA_UNKNOWN, ASPA_VALID, ASPA_INVALID, ASPA_STATES };
const char	  *aspa_state_name(enum aspa_state s);

/* Which procedure: upstream for a route received from a customer, a
 * lateral peer, a route server or its client; downstream for one
 * received from a provider, or where the relation is not known
 * (section 6.4 of the draft: it avoids false invalids). */
enum aspa_dir { ASPA_UPSTREAM, ASPA_DOWNSTREAM };
const char	  *aspa_dir_name(enum aspa_dir d);

/* The AS_PATH of a route, flattened: path[0] the AS that sent it (the
 * most recent), path[n - 1] the origin; confederation segments left
 * out. has_set: it holds an AS_SET. */
struct aspa_path {
	const uint32_t	*as;
	size_t		 n;
	bool		 has_set;
};

/* The verification (draft -27, sections 5.3 to 5.5). An empty path and
 * one with an AS_SET are invalid; prepends count once. The neighbor AS
 * check (step 2) is left to the routers: see aspa.c. */
enum aspa_state	   aspa_verify(const struct aspa_table *t,
		    const struct aspa_path *p, enum aspa_dir dir);

/* The pairs in one table and not in the other (sources aside): fn for
 * each, added true for those only in b. Returns how many. */
typedef void	(*aspa_diff_fn)(const struct aspa_pair *p, bool added,
		    void *arg);
size_t		   aspa_table_diff(const struct aspa_table *a,
		    const struct aspa_table *b, aspa_diff_fn fn, void *arg);

#endif
