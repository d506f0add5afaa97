/* bgpsentry config check FILE: reads and checks a configuration the way
 * the daemon does, without starting anything. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"

static void
config_usage(FILE *f)
{
	fprintf(f, "usage: bgpsentry config check FILE\n"
	    "Checks a configuration file (docs/configuration.md): prints "
	    "what it sets\nup, or the first error with its file, line and "
	    "key. Exit status 1 when\nthe file is wrong.\n");
}

int
cmd_config(int argc, char **argv)
{
	char err[CFG_ERR_MAX];
	struct config c;
	size_t enabled = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		config_usage(stdout);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0) {
		config_usage(stderr);
		return EXIT_USAGE;
	}
	if (!config_load(argv[2], &c, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < c.nsources; i++)
		enabled += c.sources[i].enabled;
	printf("%s: ok: %zu source%s (%zu enabled), API on %s%s%s:%u%s, "
	    "data in %s\n", argv[2], c.nsources, c.nsources == 1 ? "" : "s",
	    enabled, strchr(c.api.host, ':') ? "[" : "", c.api.host,
	    strchr(c.api.host, ':') ? "]" : "", c.api.port,
	    c.api.tls_cert != NULL ? " (TLS)" : "", c.data_dir);
	config_free(&c);
	return 0;
}
