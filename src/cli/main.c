/* bgpsentry: one binary, subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "wire/rislive.h"

#ifndef BGPS_VERSION
#define BGPS_VERSION "0.0.0"
#endif

struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, "the daemon: sources, RIB and HTTP API (-c FILE)" },
	{ "decode", cmd_decode, "decode one BGP message given as hex" },
	{ "bmp", cmd_bmp, "bmp dump: the messages of raw BMP streams" },
	{ "mrt", cmd_mrt, "mrt dump: route elements of MRT files" },
	{ "replay", cmd_replay, "MRT files into BGP sessions (--bgp HOST:PORT)" },
	{ "rib", cmd_rib, "rib load: MRT files into the RIB, and queries" },
	{ "stats", cmd_stats, "the daemon's RIB size and memory (or MRT files')" },
	{ "config", cmd_config, "config check FILE: check a configuration" },
	{ "lg", cmd_client, "a prefix's routes in every source (running daemon)" },
	{ "asn", cmd_client, "what an AS originates, its neighbours (daemon)" },
	{ "compare", cmd_client, "where two sources' views of a prefix differ" },
	{ "sources", cmd_client, "the daemon's sources and their state" },
	{ "vps", cmd_client, "the daemon's vantage points" },
	{ "peers", cmd_client, "the daemon's BGP peers; peers refresh ADDRESS" },
	{ "rislive", cmd_client, "the daemon's RIS Live clients and their gaps" },
	{ "events", cmd_client, "the daemon's recent source events" },
	{ "rpki", cmd_client, "ROV and ASPA: validate, status, diff, changes" },
	{ "reload", cmd_client, "make the daemon re-read its configuration" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: bgpsentry COMMAND [ARGS]\n"
	    "       bgpsentry --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f, "  %-8s %s\n", "help", "show this text, or a command's"
	    " (help COMMAND)");
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	rislive_init();		/* before any thread */
	if (cmd == NULL) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("bgpsentry %s\n", BGPS_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		if (argc > 2) {
			for (size_t i = 0; i < sizeof(commands) /
			    sizeof(commands[0]); i++)
				if (strcmp(argv[2], commands[i].name) == 0) {
					char *hargv[] = { argv[2], "--help",
					    NULL };

					return commands[i].fn(2, hargv);
				}
			fprintf(stderr, "bgpsentry: no command '%s'\n",
			    argv[2]);
			return EXIT_USAGE;
		}
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "bgpsentry: unknown command '%s'\n", cmd);
	usage(stderr);
	return EXIT_USAGE;
}
