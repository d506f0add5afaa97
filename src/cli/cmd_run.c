/* bgpsentry run: the monitoring daemon (src/daemon). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "util/log.h"

static void
run_usage(FILE *f)
{
	fprintf(f, "usage: bgpsentry run [-c FILE] [--data-dir DIR] "
	    "[--log-level LEVEL]\n"
	    "Runs the daemon: the sources of the configuration FILE (docs/"
	    "configuration.md),\nthe RIB and the HTTP API. Without -c, the "
	    "embedded default: no source yet,\ndata under ./var, the API on "
	    "127.0.0.1:8179. SIGHUP reloads FILE; SIGTERM stops.\n");
}

int
cmd_run(int argc, char **argv)
{
	const char *file = NULL, *data_dir = NULL;
	char err[CFG_ERR_MAX];
	struct config c;
	struct daemon d;
	int level = -1, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			run_usage(stdout);
			return 0;
		}
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
			data_dir = argv[++i];
		} else if (strcmp(argv[i], "--log-level") == 0 &&
		    i + 1 < argc) {
			if ((level = log_level_parse(argv[++i])) < 0) {
				fprintf(stderr, "bgpsentry run: --log-level: "
				    "expected error, warn, info or debug, got"
				    " '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
		} else {
			fprintf(stderr, "bgpsentry run: unknown argument "
			    "'%s'\n", argv[i]);
			run_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (file != NULL ? !config_load(file, &c, err, sizeof(err)) :
	    !config_default(&c)) {
		fprintf(stderr, "bgpsentry run: %s\n", file != NULL ? err :
		    "out of memory");
		return EXIT_BAD_INPUT;
	}
	if (daemon_init(&d, &c, data_dir, level) != 0) {
		config_free(&c);
		daemon_free(&d);
		return EXIT_USAGE;
	}
	rc = daemon_run(&d);
	daemon_free(&d);
	return rc;
}
