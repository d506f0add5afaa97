/* bgpsentry mrt dump: route elements of MRT files, as JSON or in
 * bgpdump's one-line formats, with filters. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/arena.h"
#include "util/bwriter.h"
#include "util/readahead.h"
#include "util/zsink.h"
#include "util/json_out.h"
#include "util/strbuf.h"
#include "util/zstream.h"
#include "wire/mrt.h"

enum pfx_match { PFX_ANY, PFX_EXACT, PFX_MORE, PFX_LESS };

struct dump {
	enum mrt_format		 fmt;
	enum pfx_match		 match;
	struct bgp_prefix	 pfx;
	long long		 peer_asn;	/* -1: any */
	long long		 origin_asn;
	int			 type;		/* -1: any, else mrt_elem_type */
	struct strbuf		 out;
	FILE			*f;
	unsigned long long	 printed;
	bool			 quiet;		/* no line per problem */
	const char		*path;		/* the file being read */
	struct mrt_bgpdump_cache cache;		/* -m/-M columns per UPDATE */
	unsigned long		 problems;	/* reported in this file */
};

/* Problem lines per file; the rest are only counted in the summary. */
#define DUMP_PROBLEM_LINES	10

static void
mrt_usage(FILE *f)
{
	fprintf(f,
	    "usage: bgpsentry mrt dump [-m | -M | --json] [FILTERS] FILE...\n"
	    "       bgpsentry mrt convert [--et] IN OUT\n"
	    "Prints the route elements of MRT files (plain, gzip, bzip2, xz\n"
	    "or zstd; '-' reads stdin).\n"
	    "  -m                 one line per element, as bgpdump -m\n"
	    "  -M                 one line per element, as bgpdump -M\n"
	    "  --json             one JSON object per element (default)\n"
	    "filters:\n"
	    "  --prefix P         only this prefix (exact), or with\n"
	    "    --more-specifics / --less-specifics  P and what it covers /\n"
	    "                     what covers P\n"
	    "  --peer-asn N       only elements from this peer AS\n"
	    "  --origin-asn N     only routes originated by this AS\n"
	    "  --type T           announce, withdraw, rib or state\n"
	    "  -q, --quiet        no line on stderr per skipped record or\n"
	    "                     BGP message with RFC 7606 problems (the\n"
	    "                     count per file is still printed)\n"
	    "Exit status: 0, 1 if a file is truncated or corrupt (everything\n"
	    "before the damage is printed), 2 usage or open error.\n");
}

/* True if the first `bits` bits of a and b are the same. */
static bool
same_bits(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool
prefix_matches(const struct dump *d, const struct bgp_prefix *p)
{
	if (d->match == PFX_ANY)
		return true;
	if (p->afi != d->pfx.afi)
		return false;
	switch (d->match) {
	case PFX_EXACT:
		return p->len == d->pfx.len && same_bits(p->addr, d->pfx.addr,
		    p->len);
	case PFX_MORE:
		return p->len >= d->pfx.len && same_bits(p->addr, d->pfx.addr,
		    d->pfx.len);
	case PFX_LESS:
		return p->len <= d->pfx.len && same_bits(p->addr, d->pfx.addr,
		    p->len);
	case PFX_ANY:
		break;
	}
	return true;
}

/* The origin ASes: the last AS of a trailing AS_SEQUENCE, or the
 * members of a trailing AS_SET. */
static bool
origin_is(const struct bgp_attrs *a, uint32_t asn)
{
	const struct bgp_aspath *p = &a->path;
	const struct bgp_asseg *last;

	if (p->nsegs == 0)
		return false;
	last = &p->segs[p->nsegs - 1];
	if (last->type == BGP_AS_SEQUENCE)
		return last->asn[last->count - 1] == asn;
	for (unsigned i = 0; i < last->count; i++)
		if (last->asn[i] == asn)
			return true;
	return false;
}

static bool
elem_wanted(const struct dump *d, const struct mrt_elem *e)
{
	if (d->type >= 0 && e->type != d->type)
		return false;
	if (d->peer_asn >= 0 && e->peer->asn != (uint32_t)d->peer_asn)
		return false;
	if (d->match != PFX_ANY && (e->type == MRT_ELEM_STATE ||
	    !prefix_matches(d, &e->prefix)))
		return false;
	if (d->origin_asn >= 0 && (e->attrs == NULL ||
	    !origin_is(e->attrs, (uint32_t)d->origin_asn)))
		return false;
	return true;
}

static void
dump_flush(struct dump *d)
{
	if (d->out.len > 0)
		fwrite(d->out.s, 1, d->out.len, d->f);
	sb_reset(&d->out);
}

static int
on_elem(const struct mrt_elem *e, void *arg)
{
	struct dump *d = arg;

	if (!elem_wanted(d, e))
		return 0;
	if (d->fmt == MRT_FMT_JSON)
		mrt_elem_json(e, &d->out);
	else
		mrt_elem_bgpdump_cached(e, d->fmt, &d->out, &d->cache);
	d->printed++;
	/* lines go out in 64 KiB writes, not one call each */
	if (d->out.len >= 65536)
		dump_flush(d);
	return 0;
}

/* One line on stderr for what the reader skipped or repaired: file, byte
 * offset of the record, the VP, and why. */
static void
on_problem(const struct mrt_problem *p, void *arg)
{
	struct dump *d = arg;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (d->quiet || d->problems++ >= DUMP_PROBLEM_LINES)
		return;
	fprintf(stderr, "bgpsentry mrt dump: %s: record at byte offset %llu "
	    "(type %u subtype %u)", d->path, (unsigned long long)p->offset,
	    p->mrt_type, p->mrt_subtype);
	if (p->peer != NULL) {
		inet_ntop(p->peer->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
		    p->peer->ip, ip, sizeof(ip));
		fprintf(stderr, ", peer %s AS%u", ip, p->peer->asn);
	}
	if (p->kind != MRT_PROB_BGP) {
		fprintf(stderr, ": %s; skipped\n", p->what);
		return;
	}
	fprintf(stderr, ": RFC 7606 %s:", bgp_action_name(p->bgp->action));
	for (unsigned i = 0; i < p->bgp->n; i++)
		fprintf(stderr, " %s", bgp_reason_info(p->bgp->p[i].reason)->name);
	if (p->bgp->total > p->bgp->n)
		fprintf(stderr, " (and %u more)", p->bgp->total - p->bgp->n);
	fprintf(stderr, "%s\n", p->bgp->action != BGP_ACT_SESSION_RESET ? "" :
	    p->used ? "; read on as bgpdump does" :
	    "; not used");
}

/* After a file: how much was skipped or repaired, if anything. */
static void
problem_summary(const struct dump *d, const struct mrt_stats *st)
{
	if (st->unknown + st->malformed + st->bgp_problems == 0)
		return;
	fprintf(stderr, "bgpsentry mrt dump: %s: %llu records, %llu elements; "
	    "skipped %llu records of types not read and %llu that do not "
	    "parse; %llu BGP messages or RIB entries with RFC 7606 problems",
	    d->path, (unsigned long long)st->records,
	    (unsigned long long)st->elems, (unsigned long long)st->unknown,
	    (unsigned long long)st->malformed,
	    (unsigned long long)st->bgp_problems);
	if (!d->quiet && d->problems > DUMP_PROBLEM_LINES)
		fprintf(stderr, " (%lu not shown)",
		    d->problems - DUMP_PROBLEM_LINES);
	fputc('\n', stderr);
}

static ssize_t
zs_read(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

static int
dump_file(struct dump *d, const char *path)
{
	char err[512];
	struct zstream *z = zstream_open(path, err, sizeof(err));
	struct readahead *ra;
	struct mrt_reader *r;
	enum mrt_status st;
	int rc = 0;

	if (z == NULL) {
		fprintf(stderr, "bgpsentry mrt dump: %s\n", err);
		return EXIT_USAGE;
	}
	/* decompress in a second thread while this one decodes */
	ra = ra_start(zs_read, z);
	r = ra != NULL ? mrt_reader_new(ra_read, ra) :
	    mrt_reader_new(zs_read, z);
	if (r == NULL) {
		ra_stop(ra);
		zstream_close(z);
		fprintf(stderr, "bgpsentry mrt dump: out of memory\n");
		return EXIT_USAGE;
	}
	/* the bgpdump formats promise bgpdump's reading too */
	mrt_reader_bgpdump_compat(r, d->fmt != MRT_FMT_JSON);
	d->path = path;
	d->problems = 0;
	d->cache.valid = false;		/* offsets start again per file */
	mrt_reader_on_problem(r, on_problem, d);
	st = mrt_reader_run(r, on_elem, d);
	dump_flush(d);
	fflush(d->f);
	problem_summary(d, mrt_reader_stats(r));
	if (st != MRT_END) {
		const char *zerr = zstream_error(z);

		fprintf(stderr, "bgpsentry mrt dump: %s: %s%s%s\n", path,
		    mrt_reader_error(r), *zerr ? ": " : "", zerr);
		rc = EXIT_BAD_INPUT;
	}
	mrt_reader_free(r);
	ra_stop(ra);
	zstream_close(z);
	return rc;
}

static int
cmd_mrt_dump(int argc, char **argv)
{
	struct dump d = { .fmt = MRT_FMT_JSON, .match = PFX_ANY,
	    .peer_asn = -1, .origin_asn = -1, .type = -1 };
	bool more = false, less = false, have_pfx = false;
	int nfiles = 0, rc = 0;
	char **files = calloc((size_t)argc + 1, sizeof(*files));

	if (files == NULL)
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0) {
			mrt_usage(stdout);
			free(files);
			return 0;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			d.quiet = true;
		} else if (strcmp(a, "-m") == 0) {
			d.fmt = MRT_FMT_M;
		} else if (strcmp(a, "-M") == 0) {
			d.fmt = MRT_FMT_BIG_M;
		} else if (strcmp(a, "--json") == 0) {
			d.fmt = MRT_FMT_JSON;
		} else if (strcmp(a, "--more-specifics") == 0) {
			more = true;
		} else if (strcmp(a, "--less-specifics") == 0) {
			less = true;
		} else if (strcmp(a, "--prefix") == 0 && v != NULL) {
			if (!bgp_prefix_parse(v, &d.pfx)) {
				fprintf(stderr, "bgpsentry mrt dump: --prefix: "
				    "'%s' is not a prefix (ADDRESS/LENGTH)\n", v);
				free(files);
				return EXIT_USAGE;
			}
			have_pfx = true;
			i++;
		} else if ((strcmp(a, "--peer-asn") == 0 ||
		    strcmp(a, "--origin-asn") == 0) && v != NULL) {
			char *end;
			unsigned long long n = strtoull(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n > 4294967295ULL) {
				fprintf(stderr, "bgpsentry mrt dump: %s: '%s' "
				    "is not an AS number\n", a, v);
				free(files);
				return EXIT_USAGE;
			}
			if (a[2] == 'p')
				d.peer_asn = (long long)n;
			else
				d.origin_asn = (long long)n;
			i++;
		} else if (strcmp(a, "--type") == 0 && v != NULL) {
			static const char *const names[] = { "rib", "announce",
			    "withdraw", "state" };

			d.type = -1;
			for (int k = 0; k < 4; k++)
				if (strcmp(v, names[k]) == 0)
					d.type = k;
			if (d.type < 0) {
				fprintf(stderr, "bgpsentry mrt dump: --type: "
				    "expected announce, withdraw, rib or state, "
				    "got '%s'\n", v);
				free(files);
				return EXIT_USAGE;
			}
			i++;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "bgpsentry mrt dump: unknown option "
			    "'%s'\n", a);
			mrt_usage(stderr);
			free(files);
			return EXIT_USAGE;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (nfiles == 0 || (more && less) || ((more || less) && !have_pfx)) {
		mrt_usage(stderr);
		free(files);
		return EXIT_USAGE;
	}
	if (have_pfx)
		d.match = more ? PFX_MORE : less ? PFX_LESS : PFX_EXACT;
	sb_init(&d.out);
	d.f = stdout;
	for (int i = 0; i < nfiles; i++) {
		int r = dump_file(&d, files[i]);

		if (r > rc)
			rc = r;
	}
	sb_free(&d.out);
	mrt_bgpdump_cache_free(&d.cache);
	free(files);
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}

/* --- mrt convert ------------------------------------------------------------ */

/* The entries of one RIB record, gathered from its elements. */
struct rib_acc {
	struct bwriter		 attrs;		/* every entry's attributes */
	struct mrt_rib_entry	*e;
	size_t			*off;		/* of each entry's attributes */
	uint16_t		 n;
	uint16_t		 cap;
	struct bgp_prefix	 prefix;
	uint8_t			 safi;
	bool			 failed;
};

static int
rib_collect(const struct mrt_elem *e, void *arg)
{
	struct rib_acc *acc = arg;
	size_t start = acc->attrs.len;

	if (e->type != MRT_ELEM_RIB || e->mrt_type != MRT_TABLE_DUMP_V2)
		return 0;
	if (acc->n == acc->cap) {
		uint16_t ncap = acc->cap ? (uint16_t)(acc->cap * 2) : 64;
		struct mrt_rib_entry *ne;
		size_t *no;

		if (ncap < acc->cap) {
			acc->failed = true;
			return 1;
		}
		ne = realloc(acc->e, ncap * sizeof(*ne));
		no = realloc(acc->off, ncap * sizeof(*no));
		if (ne != NULL)
			acc->e = ne;
		if (no != NULL)
			acc->off = no;
		if (ne == NULL || no == NULL) {
			acc->failed = true;
			return 1;
		}
		acc->cap = ncap;
	}
	acc->prefix = e->prefix;
	acc->safi = e->mrt_subtype == MRT_V2_RIB_IPV4_MULTICAST ||
	    e->mrt_subtype == MRT_V2_RIB_IPV6_MULTICAST ||
	    e->mrt_subtype == MRT_V2_RIB_IPV4_MULTICAST_ADDPATH ||
	    e->mrt_subtype == MRT_V2_RIB_IPV6_MULTICAST_ADDPATH ?
	    BGP_SAFI_MULTICAST : BGP_SAFI_UNICAST;
	if (!mrt_rib_attrs_encode(e->attrs, &acc->attrs) ||
	    acc->attrs.len - start > 0xffff) {
		acc->failed = true;
		return 1;
	}
	acc->e[acc->n].peer_index = e->peer_index;
	acc->e[acc->n].originated = e->originated;
	acc->e[acc->n].path_id = e->prefix.path_id;
	acc->e[acc->n].attrs_len = (uint16_t)(acc->attrs.len - start);
	acc->off[acc->n] = start;
	acc->n++;
	return 0;
}

/* One record of the input, written again from what was decoded. */
static bool
convert_record(struct mrt_reader *r, const struct mrt_record *rec, bool et,
    struct rib_acc *acc, struct arena *a, struct bwriter *out, uint32_t *seq,
    unsigned long *skipped)
{
	struct mrt_bgp4mp b;

	if (rec->type == MRT_TABLE_DUMP_V2 &&
	    rec->subtype == MRT_V2_PEER_INDEX_TABLE) {
		uint32_t n, collector;
		const struct mrt_peer *peers;

		mrt_reader_elems(r, rec, rib_collect, acc);
		peers = mrt_reader_peers(r, &n, &collector);
		return mrt_write_peer_index(out, rec->ts, collector, NULL, peers,
		    (uint16_t)n);
	}
	if (rec->type == MRT_TABLE_DUMP_V2 &&
	    rec->subtype != MRT_V2_RIB_GENERIC &&
	    rec->subtype != MRT_V2_RIB_GENERIC_ADDPATH) {
		bw_reset(&acc->attrs);
		acc->n = 0;
		mrt_reader_elems(r, rec, rib_collect, acc);
		if (acc->failed)
			return false;
		for (unsigned i = 0; i < acc->n; i++)
			acc->e[i].attrs = acc->attrs.buf + acc->off[i];
		if (acc->n == 0) {
			(*skipped)++;	/* no usable entry, or not a RIB */
			return true;
		}
		return mrt_write_rib(out, rec->ts, (*seq)++, &acc->prefix,
		    acc->safi, rec->subtype >= MRT_V2_RIB_IPV4_UNICAST_ADDPATH,
		    acc->e, acc->n);
	}
	if ((rec->type == MRT_BGP4MP || rec->type == MRT_BGP4MP_ET ||
	    rec->type == MRT_BGP) && mrt_bgp4mp_parse(rec, &b) == MRT_OK) {
		static uint8_t scratch[BGP_MAX_EXT_MSG_LEN];
		struct bwriter m;
		struct bgp_msg msg;
		const uint8_t *raw = NULL;
		size_t len = 0;
		bool ok;

		if (!b.is_state_change &&
		    (raw = mrt_bgp4mp_message(&b, scratch, &len)) == NULL)
			return true;
		/* the message is encoded again from its decoded form; one that
		 * does not decode is copied as it is */
		bw_init(&m);
		arena_reset(a);
		if (raw != NULL && bgp_msg_decode(raw, len, &b.session, a, &msg) !=
		    BGP_ACT_SESSION_RESET && bgp_msg_encode(&msg, &b.session, &m)) {
			raw = m.buf;
			len = m.len;
		}
		ok = mrt_write_bgp4mp(out, rec->ts, et || rec->type ==
		    MRT_BGP4MP_ET, rec->usec, &b, raw, len);
		bw_free(&m);
		return ok;
	}
	(*skipped)++;	/* TABLE_DUMP v1, RIB_GENERIC, other types */
	return true;
}

static int
cmd_mrt_convert(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL;
	bool et = false;
	char err[512];
	struct zstream *z;
	struct zsink *zk;
	struct mrt_reader *r;
	struct mrt_record rec;
	enum mrt_status st;
	struct rib_acc acc;
	struct arena a;
	struct bwriter out;
	uint32_t seq = 0;
	unsigned long skipped = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--et") == 0)
			et = true;
		else if (in == NULL)
			in = argv[i];
		else if (outpath == NULL)
			outpath = argv[i];
		else
			in = NULL, outpath = NULL, i = argc;
	}
	if (in == NULL || outpath == NULL) {
		fprintf(stderr, "usage: bgpsentry mrt convert [--et] IN OUT\n"
		    "Reads IN and writes what it decoded to OUT, compressed as "
		    "its name says\n(.gz, .bz2, .xz, .zst); --et writes updates "
		    "as BGP4MP_ET. TABLE_DUMP_V2\nand BGP4MP records are written "
		    "(the deprecated BGP type as BGP4MP).\n");
		return EXIT_USAGE;
	}
	if ((z = zstream_open(in, err, sizeof(err))) == NULL ||
	    (zk = zsink_open(outpath, zsink_format_for(outpath), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "bgpsentry mrt convert: %s\n", err);
		zstream_close(z);
		return EXIT_USAGE;
	}
	r = mrt_reader_new(zs_read, z);
	memset(&acc, 0, sizeof(acc));
	bw_init(&acc.attrs);
	bw_init(&out);
	arena_init(&a, 0);
	while ((st = mrt_reader_next(r, &rec)) == MRT_OK) {
		bw_reset(&out);
		if (!convert_record(r, &rec, et, &acc, &a, &out, &seq,
		    &skipped) ||
		    !zsink_write(zk, out.buf, out.len)) {
			fprintf(stderr, "bgpsentry mrt convert: cannot write the "
			    "record at byte offset %zu of %s\n", rec.offset, in);
			rc = EXIT_USAGE;
			break;
		}
	}
	if (rc == 0 && st != MRT_END) {
		fprintf(stderr, "bgpsentry mrt convert: %s: %s\n", in,
		    mrt_reader_error(r));
		rc = EXIT_BAD_INPUT;
	}
	if (skipped > 0)
		fprintf(stderr, "bgpsentry mrt convert: %s: %lu records not "
		    "written (TABLE_DUMP v1, RIB_GENERIC, other types, or RIB "
		    "records without a usable entry: only TABLE_DUMP_V2 and "
		    "BGP4MP are written)\n", in, skipped);
	if (!zsink_close(zk, err, sizeof(err))) {
		fprintf(stderr, "bgpsentry mrt convert: %s: %s\n", outpath, err);
		rc = EXIT_USAGE;
	}
	mrt_reader_free(r);
	zstream_close(z);
	bw_free(&acc.attrs);
	bw_free(&out);
	free(acc.e);
	free(acc.off);
	arena_free(&a);
	return rc;
}

int
cmd_mrt(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "dump") == 0)
		return cmd_mrt_dump(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "convert") == 0)
		return cmd_mrt_convert(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		mrt_usage(stdout);
		return 0;
	}
	mrt_usage(stderr);
	return EXIT_USAGE;
}
