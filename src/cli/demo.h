/* `bgpsentry run --demo`: real RIS data shipped with bgpsentry, written
 * under DATA_DIR/demo, and a configuration that replays it. */
#ifndef BGPS_CLI_DEMO_H
#define BGPS_CLI_DEMO_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the demo's MRT files under data_dir/demo (once) and returns the
 * demo's configuration as YAML text (free it), or NULL with err set.
 * listen: the API's ADDRESS:PORT; speed: the replay's multiple of real
 * time. */
char	*demo_config(const char *data_dir, const char *listen, double speed,
	    char *err, size_t errlen);

#endif
