/* bgpsentry run: the monitoring daemon (src/daemon). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "util/log.h"

static void
run_usage(FILE *f)
{
	fprintf(f, "usage: bgpsentry run [-c FILE | --demo [--speed X] "
	    "[--listen ADDRESS:PORT]]\n"
	    "                     [--data-dir DIR] [--log-level LEVEL]\n"
	    "Runs the daemon: the sources of the configuration FILE (docs/"
	    "configuration.md),\nthe RIB and the HTTP API. Without -c, the "
	    "embedded default: no source yet,\ndata under ./var, the API on "
	    "127.0.0.1:8179. SIGHUP reloads FILE; SIGTERM stops.\n"
	    "--demo replays real RIS data built into bgpsentry (a RIB dump, "
	    "and update\nfiles looping at X times real time, 10 by default),"
	    " with the API on\n127.0.0.1:8179 (or --listen): a live system "
	    "with no network.\n");
}

static int
run_demo(const char *data_dir, const char *listen, double speed, int level)
{
	char err[CFG_ERR_MAX];
	struct config c;
	struct daemon d;
	char *text;
	int rc;

	if ((text = demo_config(data_dir, listen, speed, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "bgpsentry run: --demo: %s\n", err);
		return EXIT_BAD_INPUT;
	}
	if (!config_parse("(demo)", text, strlen(text), &c, err,
	    sizeof(err))) {
		fprintf(stderr, "bgpsentry run: --demo: %s\n", err);
		free(text);
		return EXIT_BAD_INPUT;
	}
	free(text);
	c.embedded = true;	/* nothing to re-read on SIGHUP */
	if (daemon_init(&d, &c, NULL, level) != 0) {
		config_free(&c);
		daemon_free(&d);
		return EXIT_USAGE;
	}
	log_info("demo: real RIS data from %s/demo: a RIB dump of rrc00 "
	    "(2002) and update files of 2010 and 2016 looping at %g times "
	    "real time; try: bgpsentry sources; bgpsentry vps; bgpsentry "
	    "lg 195.128.159.0/24", data_dir, speed);
	rc = daemon_run(&d);
	daemon_free(&d);
	return rc;
}

int
cmd_run(int argc, char **argv)
{
	const char *file = NULL, *data_dir = NULL;
	char err[CFG_ERR_MAX];
	struct config c;
	struct daemon d;
	int level = -1, rc;
	bool demo = false;
	double speed = 10;
	const char *listen = "127.0.0.1:8179";
	bool demo_only = false;		/* --speed or --listen given */

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			run_usage(stdout);
			return 0;
		}
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(argv[i], "--demo") == 0) {
			demo = true;
		} else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			listen = argv[++i];
			demo_only = true;
		} else if (strcmp(argv[i], "--speed") == 0 && i + 1 < argc) {
			char *end;

			demo_only = true;
			speed = strtod(argv[++i], &end);
			if (*end != '\0' || !(speed > 0 && speed <= 1e6)) {
				fprintf(stderr, "bgpsentry run: --speed: "
				    "expected a number above 0 up to 1e6, "
				    "got '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
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
	if (demo && file != NULL) {
		fprintf(stderr, "bgpsentry run: --demo has its own "
		    "configuration; -c cannot go with it\n");
		return EXIT_USAGE;
	}
	if (!demo && demo_only) {
		fprintf(stderr, "bgpsentry run: --speed and --listen go with "
		    "--demo (a configuration file says both)\n");
		return EXIT_USAGE;
	}
	if (demo)
		return run_demo(data_dir != NULL ? data_dir : "./var", listen,
		    speed, level);
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
