/* The configuration loader on arbitrary text: it either builds a config
 * or returns an error that names the file; it never crashes or leaks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CFG_ERR_MAX];
	struct config c;

	if (config_parse("fuzz.yaml", (const char *)data, size, &c, err,
	    sizeof(err))) {
		/* what it accepted holds together */
		if (c.api.host == NULL || c.data_dir == NULL || c.api.port == 0)
			__builtin_trap();
		for (size_t i = 0; i < c.nsources; i++)
			if (c.sources[i].name == NULL ||
			    (c.sources[i].kind == CFG_SRC_MRT &&
			    c.sources[i].nfiles == 0) ||
			    (c.sources[i].kind == CFG_SRC_RISLIVE &&
			    c.sources[i].url == NULL) ||
			    !cfg_source_same(&c.sources[i], &c.sources[i]))
				__builtin_trap();
		config_free(&c);
	} else if (strncmp(err, "fuzz.yaml", 9) != 0) {
		__builtin_trap();	/* an error that does not say where */
	}
	return 0;
}
