/* Hostile VRP and ASPA JSON: read in one piece and in two (the same
 * outcome: the reader keeps no state across pieces it should not), then
 * the tables built from what was read must hold what they were given:
 * each VRP validates its own prefix for its AS, matches a naive scan for
 * other origins and prefixes, and each pair is a provider hop. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../rpki_ref.h"
#include "rpki/aspa.h"
#include "rpki/rpki_json.h"
#include "rpki/vrp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct read {
	bool		 ok;
	struct vrp	*v;
	size_t		 nv;
	struct aspa_pair *p;
	size_t		 np;
	char		 err[RPKI_JSON_ERR_MAX];
};

static void
read_json(const uint8_t *data, size_t size, size_t cut, struct read *r)
{
	struct rpki_json *j = rpki_json_new(1);

	memset(r, 0, sizeof(*r));
	if (j == NULL)
		abort();
	r->ok = (cut == 0 || rpki_json_feed(j, data, cut)) &&
	    (cut == size || rpki_json_feed(j, data + cut, size - cut)) &&
	    rpki_json_end(j);
	if (r->ok)
		rpki_json_take(j, &r->v, &r->nv, &r->p, &r->np);
	else
		memcpy(r->err, rpki_json_error(j), sizeof(r->err));
	rpki_json_free(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct read a, b;
	struct vrp_table *t;
	struct aspa_table *at;
	struct vrp *copy;

	read_json(data, size, size, &a);
	read_json(data, size, size / 2, &b);
	/* where the text is cut changes nothing (but the byte an error
	 * is found at, which counts from the start either way) */
	if (a.ok != b.ok || a.nv != b.nv || a.np != b.np ||
	    (a.ok && ((a.nv > 0 && memcmp(a.v, b.v, a.nv * sizeof(*a.v))) ||
	    (a.np > 0 && memcmp(a.p, b.p, a.np * sizeof(*a.p))))))
		abort();
	free(b.v);
	free(b.p);
	if (!a.ok)
		return 0;
	copy = malloc((a.nv + 1) * sizeof(*copy));
	if (copy == NULL)
		abort();
	if (a.nv > 0)
		memcpy(copy, a.v, a.nv * sizeof(*copy));
	if ((t = vrp_table_build(a.v, a.nv)) == NULL ||
	    (at = aspa_table_build(a.p, a.np)) == NULL)
		abort();
	for (size_t i = 0; i < a.nv && i < 256; i++) {
		struct trie_key k;

		vrp_key(&copy[i], &k);
		if (copy[i].asn != 0 && rov_validate(t, &k, copy[i].asn) !=
		    ROV_VALID)
			abort();
		for (int64_t o = -1; o < 3; o++)
			if (rov_validate(t, &k, o) != ref_naive_rov(copy,
			    a.nv, &k, o, NULL))
				abort();
		if (copy[i].maxlen < (k.v6 ? 128 : 32)) {
			k.len = (uint8_t)(copy[i].maxlen + 1);
			if (rov_validate(t, &k, copy[i].asn) !=
			    ref_naive_rov(copy, a.nv, &k, copy[i].asn, NULL))
				abort();
		}
	}
	{
		const struct aspa_pair *p;
		uint32_t path[8];
		size_t np;

		p = aspa_table_pairs(at, &np);
		for (size_t i = 0; i < np && i < 256; i++) {
			struct aspa_path ap = { path, 0, false };

			if (aspa_hop(at, p[i].customer, p[i].provider) !=
			    ASPA_PROVIDER)
				abort();
			/* a path from the customer up to its provider */
			path[ap.n++] = p[i].provider;
			path[ap.n++] = p[i].customer;
			if (p[i].provider != 0 && aspa_verify(at, &ap,
			    ASPA_UPSTREAM) == ASPA_INVALID)
				abort();
			aspa_verify(at, &ap, ASPA_DOWNSTREAM);
		}
	}
	vrp_table_free(t);
	aspa_table_free(at);
	free(copy);
	return 0;
}
