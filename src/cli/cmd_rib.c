/* bgpsentry rib load: MRT files into the RIB (through the MRT source,
 * as the daemon does), then the looking-glass answers and memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "feed/feed.h"
#include "rib/rib.h"
#include "rib/rib_query.h"
#include "util/strbuf.h"

static void
rib_usage(FILE *f)
{
	fprintf(f,
	    "usage: bgpsentry rib load [OPTIONS] FILE...\n"
	    "Loads MRT files (RIB dumps first, then update files in time\n"
	    "order; each MRT peer is a vantage point) and answers:\n"
	    "  --query PREFIX       every route for PREFIX across the VPs,\n"
	    "                       with visibility, origins and upstreams\n"
	    "    --more-specifics   PREFIX and the prefixes inside it\n"
	    "    --less-specifics   PREFIX and the prefixes covering it\n"
	    "  --asn N              what AS N originates, its neighbours\n"
	    "  --vps                the vantage points and their tables\n"
	    "  --stats              load figures and memory per subsystem\n"
	    "  --json               JSON instead of text\n"
	    "Exit status: 0; 1 if a file was truncated or unreadable (what\n"
	    "came before is loaded); 2 usage errors.\n");
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool
parse_asn(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (strncmp(s, "AS", 2) == 0 || strncmp(s, "as", 2) == 0)
		s += 2;
	if (*s < '0' || *s > '9')
		return false;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

struct load_opts {
	const char	**files;
	size_t		  nfiles;
	const char	 *query;
	enum rib_match	  match;
	bool		  have_asn;
	uint32_t	  asn;
	bool		  vps;
	bool		  stats;
	bool		  json;
};

static int
parse_args(int argc, char **argv, struct load_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0) {
			rib_usage(stdout);
			return 1;
		} else if (strcmp(a, "--query") == 0 && i + 1 < argc) {
			o->query = argv[++i];
		} else if (strcmp(a, "--more-specifics") == 0) {
			o->match = RIB_MATCH_MORE;
		} else if (strcmp(a, "--less-specifics") == 0) {
			o->match = RIB_MATCH_LESS;
		} else if (strcmp(a, "--asn") == 0 && i + 1 < argc) {
			if (!parse_asn(argv[++i], &o->asn)) {
				fprintf(stderr, "bgpsentry rib load: --asn: '%s' "
				    "is not an AS number\n", argv[i]);
				return -1;
			}
			o->have_asn = true;
		} else if (strcmp(a, "--vps") == 0) {
			o->vps = true;
		} else if (strcmp(a, "--stats") == 0) {
			o->stats = true;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "bgpsentry rib load: unknown option or "
			    "missing value: %s\n", a);
			rib_usage(stderr);
			return -1;
		} else {
			o->files[o->nfiles++] = a;
		}
	}
	if (o->nfiles == 0) {
		rib_usage(stderr);
		return -1;
	}
	return 0;
}

/* Load figures: the RIB dumps' routes and the updates after them, each
 * with its time and rate (the MRT source returns between the two). */
static void
print_stats(struct rib *r, const struct feed_source *src,
    const struct feed_apply *fa, double secs, double rib_secs,
    uint64_t rib_routes, bool json, struct strbuf *out)
{
	const struct feed_counters *c = &src->counters;
	uint64_t upd = c->announcements + c->withdrawals - rib_routes;
	double upd_secs = secs - rib_secs;
	double rib_rate = rib_secs > 0 ? (double)rib_routes / rib_secs : 0;
	double upd_rate = upd_secs > 0 ? (double)upd / upd_secs : 0;

	if (json) {
		sb_printf(out, "{\"seconds\":%.3f,\"rib_seconds\":%.3f,"
		    "\"rib_routes\":%llu,\"rib_routes_per_s\":%.0f,"
		    "\"update_seconds\":%.3f,\"updates\":%llu,"
		    "\"updates_per_s\":%.0f,\"announcements\":%llu,"
		    "\"withdrawals\":%llu,\"route_changes\":%llu,"
		    "\"failed\":%llu,\"malformed\":%llu,\"routes\":%llu,"
		    "\"vps\":%u,\"memory\":", secs, rib_secs,
		    (unsigned long long)rib_routes, rib_rate, upd_secs,
		    (unsigned long long)upd, upd_rate,
		    (unsigned long long)c->announcements,
		    (unsigned long long)c->withdrawals,
		    (unsigned long long)fa->changes,
		    (unsigned long long)fa->failed,
		    (unsigned long long)c->malformed,
		    (unsigned long long)r->routes, r->nvps);
		rib_query_mem(r, true, out);
		out->s[--out->len] = '\0';	/* the object's newline */
		sb_puts(out, "}\n");
		return;
	}
	sb_printf(out, "RIB dumps: %llu routes in %.3f s (%.0f/s); updates: "
	    "%llu in %.3f s (%.0f/s)\n", (unsigned long long)rib_routes,
	    rib_secs, rib_rate, (unsigned long long)upd, upd_secs, upd_rate);
	sb_printf(out, "%llu routes from %u VPs; %llu skipped or malformed\n",
	    (unsigned long long)r->routes, r->nvps,
	    (unsigned long long)c->malformed);
	rib_query_mem(r, false, out);
}

static int
cmd_rib_load(int argc, char **argv)
{
	struct load_opts o = { .match = RIB_MATCH_EXACT };
	struct feed_mrt_config cfg = { .name = "mrt" };
	struct feed_source *src;
	struct feed_apply fa;
	struct trie_key qk;
	struct strbuf out;
	struct rib *r;
	uint64_t t0, t1, t_upd, rib_routes = 0;
	int rc;

	o.files = calloc((size_t)argc + 1, sizeof(*o.files));
	if (o.files == NULL)
		return EXIT_USAGE;
	if ((rc = parse_args(argc, argv, &o)) != 0) {
		free(o.files);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	if (o.query != NULL && !trie_key_parse(o.query, &qk)) {
		fprintf(stderr, "bgpsentry rib load: --query: '%s' is not a "
		    "prefix\n", o.query);
		free(o.files);
		return EXIT_USAGE;
	}
	r = rib_new();
	if (r == NULL) {
		fprintf(stderr, "bgpsentry rib load: out of memory\n");
		free(o.files);
		return EXIT_USAGE;
	}
	feed_apply_init(&fa, r);
	cfg.files = o.files;
	cfg.nfiles = o.nfiles;
	src = feed_mrt_new(r, &cfg, feed_apply_sink, &fa);
	t0 = now_us();
	if (src == NULL) {
		fprintf(stderr, "bgpsentry rib load: out of memory\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (src->ops->start(src) != 0) {
		/* no file could be read (each one was logged) */
		rc = src->id != UINT32_MAX ? EXIT_BAD_INPUT : EXIT_USAGE;
		goto out;
	}
	t_upd = 0;
	while (src->ops->poll(src, now_us()) != UINT64_MAX)
		if (t_upd == 0 && feed_mrt_in_updates(src)) {
			t_upd = now_us();
			rib_routes = src->counters.announcements;
		}
	t1 = now_us();
	if (t_upd == 0) {
		t_upd = t1;
		rib_routes = src->counters.announcements;
	}
	feed_apply_done(&fa);
	sb_init(&out);
	if (o.stats)
		print_stats(r, src, &fa, (double)(t1 - t0) / 1e6,
		    (double)(t_upd - t0) / 1e6, rib_routes, o.json, &out);
	if (o.vps)
		rib_query_vps(r, o.json, &out);
	if (o.query != NULL)
		rib_query_prefix(r, &qk, o.match, feed_mrt_position(src),
		    o.json, &out);
	if (o.have_asn)
		rib_query_asn(r, o.asn, o.json, &out);
	fwrite(sb_str(&out), 1, out.len, stdout);
	sb_free(&out);
	rc = r->sources[src->id].last_error[0] != '\0' ? EXIT_BAD_INPUT : 0;
	if (fa.failed > 0) {
		fprintf(stderr, "bgpsentry rib load: %llu changes failed (out of "
		    "memory)\n", (unsigned long long)fa.failed);
		rc = EXIT_BAD_INPUT;
	}
out:
	if (src != NULL)
		src->ops->free(src);
	feed_apply_done(&fa);
	rib_free(r);
	free(o.files);
	return rc;
}

/* bgpsentry stats [--json] FILE...: the memory accounting of a RIB
 * loaded from MRT files (the daemon will answer it for its own RIB). */
int
cmd_stats(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int rc;

	bool files = false;

	if (args == NULL)
		return EXIT_USAGE;
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("usage: bgpsentry stats [--json] [CONNECTION]\n"
		    "       bgpsentry stats [--json] FILE...\n"
		    "The running daemon's RIB: routes, VPs and memory per "
		    "subsystem (CONNECTION\nas for bgpsentry lg). With MRT "
		    "files: loads them into a RIB of its own and\nprints the "
		    "load figures and the memory (as rib load --stats).\n");
		free(args);
		return 0;
	}
	/* files given: offline; none: ask the daemon */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--api") == 0 ||
		    strcmp(argv[i], "--token") == 0 ||
		    strcmp(argv[i], "--cacert") == 0 ||
		    strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0)
			i++;
		else if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
			files = true;
	}
	if (!files) {
		free(args);
		return cmd_client(argc, argv);
	}
	args[0] = (char *)"load";
	args[1] = (char *)"--stats";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	rc = cmd_rib_load(argc + 1, args);
	free(args);
	return rc;
}

int
cmd_rib(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return cmd_rib_load(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		rib_usage(stdout);
		return 0;
	}
	rib_usage(stderr);
	return EXIT_USAGE;
}
