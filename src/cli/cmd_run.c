/* bgpsentry run: the monitoring daemon. Sources, detectors and the API
 * arrive with their own modules; until then the embedded default
 * configuration has no source, and run says so. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"

/* The embedded default: monitor nothing until sources are configured. */
static const char default_config[] =
    "# bgpsentry embedded default configuration\n"
    "sources: []\n";

static void
run_usage(FILE *f)
{
	fprintf(f, "usage: bgpsentry run [--log-level LEVEL]\n"
	    "Starts monitoring with the embedded default configuration.\n");
}

int
cmd_run(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			run_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc) {
			int l = log_level_parse(argv[++i]);

			if (l < 0) {
				fprintf(stderr, "bgpsentry run: --log-level: "
				    "expected error, warn, info or debug, got"
				    " '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
			log_set_level((enum log_level)l);
			continue;
		}
		fprintf(stderr, "bgpsentry run: unknown argument '%s'\n",
		    argv[i]);
		run_usage(stderr);
		return EXIT_USAGE;
	}
	log_info("bgpsentry run: using the embedded default configuration");
	log_debug("configuration:\n%s", default_config);
	log_warn("no source is configured: there is nothing to monitor. "
	    "This version has no sources yet (BGP, BMP, RIS Live, MRT and "
	    "RPKI come next); it decodes BGP messages: see "
	    "'bgpsentry help decode'.");
	return 0;
}
