/* Indexes the RIB keeps beside the routes: which prefixes each AS
 * originates (with a route count), and the AS links in stored paths
 * (with a path count). Private to rib/. */
#ifndef BGPS_RIB_RIB_INDEX_H
#define BGPS_RIB_RIB_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rib/trie.h"

struct rib_origin_index;
struct rib_links;

struct rib_origin_index *origin_index_new(void);
void		 origin_index_free(struct rib_origin_index *x);
/* delta +1 / -1 routes of the prefix in trie node `node` (of family v6)
 * originated by asn. */
bool		 origin_index_add(struct rib_origin_index *x, uint32_t asn,
		    uint32_t node, uint8_t v6, int delta);
typedef int	(*origin_index_fn)(uint32_t node, uint8_t v6, uint32_t routes,
		    void *arg);
int		 origin_index_walk(const struct rib_origin_index *x,
		    uint32_t asn, origin_index_fn fn, void *arg);
size_t		 origin_index_bytes(const struct rib_origin_index *x);

struct rib_links *links_new(void);
void		 links_free(struct rib_links *l);
/* A path (as the paths store keeps it) stored (+1) or gone (-1). */
void		 links_path(struct rib_links *l, const uint8_t *path,
		    uint16_t len, int delta);
typedef void	(*links_fn)(uint32_t left, uint32_t right, uint32_t paths,
		    void *arg);
/* Every link with asn on either side. */
void		 links_walk(const struct rib_links *l, uint32_t asn,
		    links_fn fn, void *arg);
size_t		 links_bytes(const struct rib_links *l);

#endif
