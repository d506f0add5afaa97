#include "util/hex.h"

#include <ctype.h>

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
hex_decode(const char *s, uint8_t *out, size_t cap, size_t *bad_pos)
{
	size_t i, n = 0;
	int hi = -1;

	for (i = 0; s[i] != '\0'; i++) {
		int c = (unsigned char)s[i], v;

		if (isspace(c) || c == ':')
			continue;
		if (c == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && hi < 0) {
			i++;
			continue;
		}
		v = hexval(c);
		if (v < 0 || (hi < 0 && n >= cap)) {
			if (bad_pos != NULL)
				*bad_pos = i;
			return -1;
		}
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		if (bad_pos != NULL)
			*bad_pos = i;
		return -1;
	}
	return (long)n;
}
