/* Shared only by the files of the BGP codec. */
#ifndef BGPS_WIRE_BGP_PRIVATE_H
#define BGPS_WIRE_BGP_PRIVATE_H

#include "util/cursor.h"
#include "wire/bgp.h"

/* Records a problem; the action comes from the reason's table entry.
 * Returns the action so callers can `return bgp_problem_add(...)`. */
enum bgp_action	bgp_problem_add(struct bgp_problems *pr, enum bgp_reason r,
		    uint8_t attr_type, uint32_t offset);

/* Parses a list of prefixes of one family (RFC 4271 4.3, RFC 4760 5,
 * RFC 7911 3). Two passes: count and check, then fill, so the array is
 * allocated once at its exact size. Returns BGP_R_NONE, `syntax` for a
 * syntax error (length over the family's bits, or a prefix that
 * overruns), or BGP_R_OUT_OF_MEMORY. With salvage, a syntax error still
 * leaves the prefixes before it in *out. */
enum bgp_reason	bgp_prefixes_parse(const uint8_t *p, size_t len, uint16_t afi,
		    bool addpath, bool salvage, struct arena *a,
		    struct bgp_prefix **out, uint32_t *n, enum bgp_reason syntax);
bool		bgp_prefixes_encode(const struct bgp_prefix *v, uint32_t n,
		    bool addpath, struct bwriter *w);

/* Message header: marker, length placeholder, type. Returns the offset of
 * the message start; bgp_msg_finish patches the length and checks it. */
size_t		bgp_msg_start(struct bwriter *w, uint8_t type);
bool		bgp_msg_finish(struct bwriter *w, size_t start,
		    const struct bgp_session *s);

enum bgp_action	bgp_open_decode(struct cursor *c, struct arena *a,
		    struct bgp_open *o, struct bgp_problems *pr);
bool		bgp_open_encode(const struct bgp_open *o, struct bwriter *w);
enum bgp_action	bgp_update_decode(struct cursor *c, const struct bgp_session *s,
		    struct arena *a, struct bgp_update *u,
		    struct bgp_problems *pr);
bool		bgp_update_encode(const struct bgp_update *u,
		    const struct bgp_session *s, struct bwriter *w);

#endif
