/* Helpers for the cmocka unit tests. Include after cmocka.h. */
#ifndef BGPS_TESTUTIL_H
#define BGPS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"

#define TU_SKIP	77	/* ctest SKIP_RETURN_CODE */

/* ../shared/data, or NULL when it is not there. */
const char	*tu_data_dir(void);
/* Hex to bytes; fails the test on bad hex. */
size_t		 tu_hex(const char *hex, uint8_t *out, size_t cap);

/* Wraps a body in a BGP header (marker, length, type). */
size_t		 tu_msg(uint8_t type, const uint8_t *body, size_t blen,
		    uint8_t *out);
/* An UPDATE from its three parts (each may be NULL/0). */
size_t		 tu_update(const uint8_t *wd, size_t wlen, const uint8_t *attrs,
		    size_t alen, const uint8_t *nlri, size_t nlen, uint8_t *out);

/* Decodes, checks the strongest action, and returns the decoded message
 * (valid until the next call). */
const struct bgp_msg *tu_decode(const uint8_t *buf, size_t len,
		    const struct bgp_session *s, enum bgp_action want);
/* True if the last tu_decode recorded this reason. */
bool		 tu_has_reason(const struct bgp_msg *m, enum bgp_reason r);
/* Re-encodes m and checks the bytes equal buf[0..len). */
void		 tu_roundtrip(const struct bgp_msg *m, const struct bgp_session *s,
		    const uint8_t *buf, size_t len);

/* Byte-array literal helper: B(0x40, 0x01, 0x01, 0x00). */
#define B(...)	((const uint8_t[]){ __VA_ARGS__ })
#define BL(...)	B(__VA_ARGS__), sizeof((const uint8_t[]){ __VA_ARGS__ })

/* The three mandatory attributes: ORIGIN IGP, AS_PATH 65001 (4-octet),
 * NEXT_HOP 192.0.2.1. */
#define TU_MANDATORY \
	0x40, 0x01, 0x01, 0x00, \
	0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfd, 0xe9, \
	0x40, 0x03, 0x04, 0xc0, 0x00, 0x02, 0x01

#endif
