/* VRPs and ASPAs from JSON as rpki-client, Routinator and StayRTR write
 * them:
 *
 *   {"metadata": {...},
 *    "roas":  [{"prefix": "192.0.2.0/24", "maxLength": 24,
 *               "asn": 64496 or "AS64496", ...}, ...],
 *    "aspas": [{"customer_asid": 64496 (or "customer": "AS64496"),
 *               "providers": [64497, "AS64498",
 *                             {"provider_asid": 64499}, ...]}, ...]}
 *
 * Other members are skipped. The text is read as it comes (a file or an
 * HTTP body, in pieces of any size) with yajl's event parser: nothing
 * of it is kept but the VRPs and pairs. The first wrong entry stops the
 * load with an error naming it ("roas[12]: maxLength 33 is more than
 * 32"): a set with a hole would make routes invalid that are not. */
#ifndef BGPS_RPKI_RPKI_JSON_H
#define BGPS_RPKI_RPKI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpki/aspa.h"
#include "rpki/vrp.h"

#define RPKI_JSON_ERR_MAX	256
/* What one file may hold: 20 times today's global counts. */
#define RPKI_VRPS_MAX		(16u << 20)
#define RPKI_ASPA_PAIRS_MAX	(4u << 20)
/* Providers in one ASPA (FORT's default limit is 4,000). */
#define RPKI_ASPA_PROVIDERS_MAX	10000
#define RPKI_JSON_TIME_MAX	40	/* metadata's build time as given */

struct rpki_json;

/* A reader whose VRPs and pairs carry the source bit src. */
struct rpki_json *rpki_json_new(uint32_t src);
/* The next piece; false once the text is wrong (rpki_json_error). */
bool		  rpki_json_feed(struct rpki_json *j, const void *buf,
		    size_t len);
/* The end of the text: false if it is wrong or incomplete. */
bool		  rpki_json_end(struct rpki_json *j);
const char	 *rpki_json_error(const struct rpki_json *j);
/* What was read (after a true rpki_json_end): the arrays are handed
 * over (the caller frees them, e.g. through vrp_table_build). */
void		  rpki_json_take(struct rpki_json *j, struct vrp **v,
		    size_t *nv, struct aspa_pair **p, size_t *np);
/* The metadata's build time ("buildtime", or "generatedTime"), "" if
 * none; entries seen of each kind. */
const char	 *rpki_json_time(const struct rpki_json *j);
size_t		  rpki_json_roas(const struct rpki_json *j);
size_t		  rpki_json_aspas(const struct rpki_json *j);
void		  rpki_json_free(struct rpki_json *j);

/* The whole of a file (compressed or not, as util/zstream reads it):
 * true with the tables' inputs, or false with err. */
bool		  rpki_json_load_file(const char *path, uint32_t src,
		    struct vrp **v, size_t *nv, struct aspa_pair **p,
		    size_t *np, char *err, size_t errlen);

#endif
