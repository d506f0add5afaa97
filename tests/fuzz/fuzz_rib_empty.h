/* Shared by the targets that feed a RIB: once every VP is down and the
 * interning cache cleared, nothing may be left (no route, prefix, trie
 * node, attribute set or member, VP slot); aborts otherwise. */
#ifndef BGPS_FUZZ_RIB_EMPTY_H
#define BGPS_FUZZ_RIB_EMPTY_H

#include <stdlib.h>

#include "rib/rib.h"

static inline void
fuzz_rib_check(bool ok)
{
	if (!ok)
		abort();
}

static inline void
fuzz_rib_must_empty(struct rib *r)
{
	for (uint32_t i = 0; i < r->nvps; i++)
		rib_vp_down(r, i, false, 0);
	attr_cache_clear(&r->attrs);
	fuzz_rib_check(r->routes == 0);
	fuzz_rib_check(r->trie.count[0] + r->trie.count[1] == 0);
	fuzz_rib_check(r->trie.nodes.live == 0);
	fuzz_rib_check(r->attrs.count == 0 && r->attrs.sets.live == 0);
	fuzz_rib_check(r->attrs.paths.count == 0 && r->attrs.comms.count == 0 &&
	    r->attrs.lcomms.count == 0 && r->attrs.nexthops.count == 0 &&
	    r->attrs.rest.count == 0);
	fuzz_rib_check(r->slot_count == 0);
}

#endif
