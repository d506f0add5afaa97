/* Path-compressed binary trie of IPv4 and IPv6 prefixes (one root per
 * family), each prefix with a value: exact lookup, longest match,
 * covering prefixes, more-specifics and an ordered walk. Nodes live in a
 * pool, so values' slots do not move while the prefix stays. */
#ifndef BGPS_RIB_TRIE_H
#define BGPS_RIB_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/htab.h"
#include "util/pool.h"

struct bgp_prefix;

/* A prefix as the trie sees it: its bits left-aligned in 128 (IPv4 in
 * the top 32 bits of hi), the bits past len zero. */
struct trie_key {
	uint64_t	hi;
	uint64_t	lo;
	uint8_t		len;
	uint8_t		v6;		/* 0: IPv4, 1: IPv6 */
};

struct trie {
	struct pool	nodes;
	uint32_t	root[2];
	size_t		count[2];	/* prefixes (nodes with a value) */
	/* Every prefix's node by its key, for exact lookups in one probe
	 * rather than a walk of twenty-odd nodes; the node handle, with
	 * the IPv6 bit on top. */
	struct htab	index;
};

void	 trie_init(struct trie *t);
void	 trie_destroy(struct trie *t);

/* From a BGP prefix; bits past the length are cleared. False if the
 * length is over the family's bits. */
bool	 trie_key_from_prefix(const struct bgp_prefix *p, struct trie_key *k);
void	 trie_key_to_prefix(const struct trie_key *k, struct bgp_prefix *p);
/* "192.0.2.0/24" / "2001:db8::/32" into buf (at least 50 bytes). */
char	*trie_key_str(const struct trie_key *k, char *buf, size_t len);
/* Parses that text; false if it is not a prefix. */
bool	 trie_key_parse(const char *s, struct trie_key *k);
bool	 trie_key_covers(const struct trie_key *outer,
	    const struct trie_key *inner);
/* The walks' order: IPv4 first, then address, then length (qsort). */
int	 trie_key_cmp(const void *a, const void *b);

/* The value slot of prefix k, or NULL if k is not in the trie. */
void	**trie_get(const struct trie *t, const struct trie_key *k);
/* The value slot of k, created (holding NULL) if k is new; NULL when
 * memory runs out. Store a non-NULL value: a NULL value means absent. */
void	**trie_insert(struct trie *t, const struct trie_key *k);

/* The same by node handle: a prefix's node keeps its handle for as long
 * as the prefix is in the trie, so indexes can name prefixes in 4 bytes.
 * 0 means none. */
uint32_t trie_get_node(const struct trie *t, const struct trie_key *k);
uint32_t trie_insert_node(struct trie *t, const struct trie_key *k);
void	**trie_node_val(const struct trie *t, uint32_t node);
void	 trie_node_key(const struct trie *t, uint32_t node, int v6,
	    struct trie_key *k);
/* Removes k (the caller has released its value). */
void	 trie_remove(struct trie *t, const struct trie_key *k);
/* The longest prefix in the trie that covers k (k itself included):
 * its slot, with its key in *found; NULL if none. */
void	**trie_longest(const struct trie *t, const struct trie_key *k,
	    struct trie_key *found);

/* Callbacks return 0 to go on; anything else stops the walk and is
 * returned. A callback must not change the trie. */
typedef int	(*trie_fn)(const struct trie_key *k, void *val, void *arg);
/* Every prefix covering k, k included, shortest first. */
int	 trie_walk_covering(const struct trie *t, const struct trie_key *k,
	    trie_fn fn, void *arg);
/* k and every prefix inside it, in order (address, then length). */
int	 trie_walk_more(const struct trie *t, const struct trie_key *k,
	    trie_fn fn, void *arg);
/* Every prefix of a family (v6 0 or 1), in order. */
int	 trie_walk(const struct trie *t, int v6, trie_fn fn, void *arg);

/* As trie_walk, with the value's slot: the callback may change the value
 * (not the trie), and set it to NULL to drop the prefix; trie_prune then
 * takes the prefixes left with NULL values out. */
typedef int	(*trie_slot_fn)(const struct trie_key *k, uint32_t node,
		    void **val, void *arg);
int	 trie_walk_slots(struct trie *t, int v6, trie_slot_fn fn, void *arg);
void	 trie_prune(struct trie *t);

size_t	 trie_bytes(const struct trie *t);

#endif
