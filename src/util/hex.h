/* Hex text to bytes. */
#ifndef BGPS_UTIL_HEX_H
#define BGPS_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Parses hex digits from s (whitespace, ':' and a leading "0x" are
 * ignored) into out (cap bytes). Returns the byte count, or -1 on a
 * non-hex character, an odd digit count or overflow; *bad_pos is then the
 * offending character's offset in s. */
long	hex_decode(const char *s, uint8_t *out, size_t cap, size_t *bad_pos);

#endif
