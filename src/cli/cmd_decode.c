/* bgpsentry decode: one whole BGP message (marker, length and type
 * included) as hex, on the command line or on stdin, rendered as text or
 * JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/hex.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "wire/bgp.h"

static void
decode_usage(FILE *f)
{
	fprintf(f,
	    "usage: bgpsentry decode [--json] [--as2] [--no-ext-msg]\n"
	    "                        [--addpath FAMILY[,FAMILY...]]"
	    " [--check-roundtrip] HEX|-\n"
	    "Decodes one whole BGP message (marker, length and type"
	    " included),\n"
	    "given as hex on the command line or on stdin ('-').\n"
	    "  --json             print JSON instead of text\n"
	    "  --as2              the session did not negotiate 4-octet AS"
	    " numbers\n"
	    "  --no-ext-msg       the session did not negotiate extended"
	    " messages (max 4096)\n"
	    "  --addpath LIST     NLRI of these families carry path ids:\n"
	    "                     ipv4-unicast, ipv4-multicast, ipv6-unicast,"
	    " ipv6-multicast, all\n"
	    "  --check-roundtrip  re-encode and compare with the input"
	    " bytes\n"
	    "  --reasons          list every malformation with its outcome"
	    " and RFC section\n"
	    "Exit status: 0 well-formed, 1 malformed message (the reason is"
	    " printed),\n"
	    "2 usage or hex error, 3 re-encoding differs.\n");
}

static int
parse_addpath(const char *list, uint8_t *out)
{
	static const char *const names[BGP_FAM_COUNT] = { "ipv4-unicast",
	    "ipv4-multicast", "ipv6-unicast", "ipv6-multicast" };
	char *dup = strdup(list), *save = NULL, *tok;
	int rc = 0;

	if (dup == NULL)
		return -1;
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int fam = -1;

		if (strcmp(tok, "all") == 0) {
			*out = BGP_ADDPATH_ALL;
			continue;
		}
		for (int i = 0; i < BGP_FAM_COUNT; i++)
			if (strcmp(tok, names[i]) == 0)
				fam = i;
		if (fam < 0) {
			fprintf(stderr, "bgpsentry decode: --addpath: unknown "
			    "family '%s'\n", tok);
			rc = -1;
			break;
		}
		*out |= (uint8_t)(1u << fam);
	}
	free(dup);
	return rc;
}

/* The reason table, one per line: name, outcome, NOTIFICATION code and
 * subcode we would send, RFC section, text. */
static int
list_reasons(void)
{
	for (int r = 1; r < BGP_R_COUNT; r++) {
		const struct bgp_reason_info *ri = bgp_reason_info(r);

		printf("%s\t%s\t%u/%u\t%s\t%s\n", ri->name,
		    bgp_action_name((enum bgp_action)ri->action), ri->code,
		    ri->subcode, ri->rfc, ri->text);
	}
	return 0;
}

static char *
read_stdin(void)
{
	struct strbuf b;
	char chunk[4096];
	size_t n;

	sb_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		sb_putn(&b, chunk, n);
	if (b.oom) {
		sb_free(&b);
		return NULL;
	}
	if (b.s == NULL)
		return strdup("");
	return b.s;
}

static void
report_problems(const struct bgp_msg *m)
{
	for (unsigned i = 0; i < m->prob.n; i++) {
		const struct bgp_problem *p = &m->prob.p[i];
		const struct bgp_reason_info *ri = bgp_reason_info(p->reason);

		fprintf(stderr, "bgpsentry decode: malformed message: %s "
		    "(offset %u; %s; %s)\n", ri->text, p->offset,
		    bgp_action_name((enum bgp_action)p->action), ri->rfc);
	}
}

int
cmd_decode(int argc, char **argv)
{
	struct bgp_session sess = { .as4 = true, .ext_msg = true };
	const char *arg = NULL;
	bool json = false, roundtrip = false;
	char *text = NULL;
	uint8_t *buf = NULL;
	size_t cap, bad = 0;
	long n;
	int rc = 0;
	struct arena a;
	struct bgp_msg m;
	struct strbuf out;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			decode_usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--reasons") == 0) {
			return list_reasons();
		} else if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--as2") == 0) {
			sess.as4 = false;
		} else if (strcmp(argv[i], "--no-ext-msg") == 0) {
			sess.ext_msg = false;
		} else if (strcmp(argv[i], "--check-roundtrip") == 0) {
			roundtrip = true;
		} else if (strcmp(argv[i], "--addpath") == 0 && i + 1 < argc) {
			if (parse_addpath(argv[++i], &sess.addpath_rx) < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "bgpsentry decode: unknown option "
			    "'%s'\n", argv[i]);
			decode_usage(stderr);
			return EXIT_USAGE;
		} else if (arg == NULL) {
			arg = argv[i];
		} else {
			fprintf(stderr, "bgpsentry decode: one message at a "
			    "time (extra argument '%s')\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (arg == NULL) {
		decode_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(arg, "-") == 0) {
		text = read_stdin();
		if (text == NULL) {
			fprintf(stderr, "bgpsentry decode: out of memory\n");
			return EXIT_USAGE;
		}
	} else {
		text = strdup(arg);
	}
	cap = strlen(text) / 2 + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		free(text);
		return EXIT_USAGE;
	}
	n = hex_decode(text, buf, cap, &bad);
	if (n < 0) {
		fprintf(stderr, "bgpsentry decode: not hex at character %zu "
		    "(or an odd number of digits)\n", bad + 1);
		free(text);
		free(buf);
		return EXIT_USAGE;
	}
	if (n == 0) {
		fprintf(stderr, "bgpsentry decode: no bytes given\n");
		free(text);
		free(buf);
		return EXIT_USAGE;
	}

	arena_init(&a, 0);
	sb_init(&out);
	bgp_msg_decode(buf, (size_t)n, &sess, &a, &m);
	if (json) {
		struct jw j;

		jw_init(&j, &out);
		bgp_msg_json(&m, &j);
		sb_putc(&out, '\n');
	} else {
		bgp_msg_print(&m, &out);
	}
	fputs(sb_str(&out), stdout);
	if (m.prob.total > 0) {
		report_problems(&m);
		rc = EXIT_BAD_INPUT;
	}
	if (roundtrip && m.prob.action != BGP_ACT_SESSION_RESET) {
		struct bwriter w;

		bw_init(&w);
		if (!bgp_msg_encode(&m, &sess, &w) || w.len != (size_t)n ||
		    memcmp(w.buf, buf, (size_t)n) != 0) {
			fprintf(stderr, "bgpsentry decode: re-encoding differs"
			    " from the input (%zu bytes vs %ld)\n", w.len, n);
			rc = 3;
		}
		bw_free(&w);
	}
	sb_free(&out);
	arena_free(&a);
	free(text);
	free(buf);
	return rc;
}
