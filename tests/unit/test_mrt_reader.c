/* The streaming MRT reader: hostile records built here, and the real
 * files of ../shared/data, whose route elements must match bgpdump's line
 * counts (the .bgpdump-m.txt files beside them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/memsrc.h"
#include "util/zstream.h"
#include "wire/mrt.h"

static ssize_t
zs_read(void *arg, void *buf, size_t n)
{
	return zstream_read(arg, buf, n);
}

struct counts {
	unsigned long	n[4];
	unsigned long	with_path_id;
	unsigned long	problems[3];	/* by enum mrt_problem_kind */
	uint64_t	last_offset;	/* of the last problem's record */
};

static void
count_problem(const struct mrt_problem *p, void *arg)
{
	struct counts *c = arg;

	assert_true(p->kind <= MRT_PROB_BGP);
	assert_true((p->kind == MRT_PROB_BGP) == (p->bgp != NULL));
	assert_true((p->kind == MRT_PROB_BGP) == (p->what == NULL));
	c->problems[p->kind]++;
	c->last_offset = p->offset;
}

static int
count_elem(const struct mrt_elem *e, void *arg)
{
	struct counts *c = arg;

	c->n[e->type]++;
	c->with_path_id += e->prefix.has_path_id;
	return 0;
}

static enum mrt_status
run_mem(const char *hex, struct counts *c, struct mrt_stats *stats,
    char *err, size_t errlen)
{
	static uint8_t buf[4096];
	struct memsrc m = { buf, 0, 0 };
	struct mrt_reader *r = mrt_reader_new(memsrc_read, &m);
	enum mrt_status st;

	m.len = tu_hex(hex, buf, sizeof(buf));
	memset(c, 0, sizeof(*c));
	mrt_reader_on_problem(r, count_problem, c);
	st = mrt_reader_run(r, count_elem, c);
	*stats = *mrt_reader_stats(r);
	/* every problem counted is also reported, one call each */
	assert_int_equal(c->problems[MRT_PROB_UNKNOWN], stats->unknown);
	assert_int_equal(c->problems[MRT_PROB_MALFORMED], stats->malformed);
	assert_int_equal(c->problems[MRT_PROB_BGP], stats->bgp_problems);
	snprintf(err, errlen, "%s", mrt_reader_error(r));
	mrt_reader_free(r);
	return st;
}

/* PEER_INDEX_TABLE: collector 10.0.0.1, no view name, two peers: IPv4
 * 192.0.2.1 AS 65001 (2-octet), IPv6 2001:db8::1 AS 4200000001. */
#define PEER_INDEX \
	"00000000" "000d" "0001" "0000002c" \
	"0a000001" "0000" "0002" \
	"00" "c0000201" "c0000201" "fde9" \
	"03" "c0000202" "20010db8000000000000000000000001" "fa56ea01"
/* RIB_IPV4_UNICAST 203.0.113.0/24, one entry for peer `idx`. */
#define RIB_V4(idx) \
	"00000000" "000d" "0002" "00000026" \
	"00000001" "18cb0071" "0001" \
	idx "00000000" "0014" "40010100" "40020602010000fde9" "400304c0000201"

static void
rib_and_peer_index(void **state)
{
	struct counts c;
	struct mrt_stats s;
	char err[256];

	(void)state;
	assert_int_equal(run_mem(PEER_INDEX RIB_V4("0001"), &c, &s, err,
	    sizeof(err)), MRT_END);
	assert_int_equal(c.n[MRT_ELEM_RIB], 1);
	assert_int_equal(s.records, 2);
	assert_int_equal(s.malformed, 0);
}

static void
peer_index_out_of_range(void **state)
{
	struct counts c;
	struct mrt_stats s;
	char err[256];

	(void)state;
	assert_int_equal(run_mem(PEER_INDEX RIB_V4("0002"), &c, &s, err,
	    sizeof(err)), MRT_END);
	assert_int_equal(c.n[MRT_ELEM_RIB], 0);
	assert_int_equal(s.malformed, 1);
	/* and without any PEER_INDEX_TABLE at all */
	assert_int_equal(run_mem(RIB_V4("0000"), &c, &s, err, sizeof(err)),
	    MRT_END);
	assert_int_equal(c.n[MRT_ELEM_RIB], 0);
	assert_int_equal(s.malformed, 1);
}

static void
length_past_end(void **state)
{
	struct counts c;
	struct mrt_stats s;
	char err[256];

	(void)state;
	/* a good record, then one whose length runs past the input */
	assert_int_equal(run_mem(PEER_INDEX RIB_V4("0000")
	    "00000000" "000d" "0002" "00000100" "0000", &c, &s, err,
	    sizeof(err)), MRT_TRUNCATED);
	assert_int_equal(c.n[MRT_ELEM_RIB], 1);	/* delivered before */
	assert_string_equal(err, "truncated record at byte offset 106");
	/* a cut header */
	assert_int_equal(run_mem("00000000000d", &c, &s, err, sizeof(err)),
	    MRT_TRUNCATED);
	assert_string_equal(err, "truncated record header at byte offset 0");
}

static void
zero_length_and_unknown_records(void **state)
{
	struct counts c;
	struct mrt_stats s;
	char err[256];

	(void)state;
	assert_int_equal(run_mem(
	    "00000000" "000d" "0002" "00000000"		/* RIB, empty */
	    "00000000" "0010" "0001" "00000000"		/* BGP4MP, empty */
	    "00000000" "0011" "0001" "00000000"		/* BGP4MP_ET, empty */
	    "00000000" "0063" "0001" "00000002" "abcd"	/* unknown type */
	    "00000000" "000d" "0063" "00000000",	/* unknown subtype */
	    &c, &s, err, sizeof(err)), MRT_END);
	assert_int_equal(s.records, 5);
	assert_int_equal(s.malformed, 3);
	assert_int_equal(s.unknown, 2);
	assert_int_equal(c.n[0] + c.n[1] + c.n[2] + c.n[3], 0);
	assert_int_equal(c.last_offset, 12 * 3 + 14);	/* the fifth record */
}

static void
wrong_afi(void **state)
{
	struct counts c;
	struct mrt_stats s;
	char err[256];

	(void)state;
	/* TABLE_DUMP v1 with subtype (AFI) 3; BGP4MP with AFI 7 */
	assert_int_equal(run_mem(
	    "00000000" "000c" "0003" "00000004" "00000000"
	    "00000000" "0010" "0004" "0000000c" "0000fde9" "0000fde8" "0000"
	    "0007",
	    &c, &s, err, sizeof(err)), MRT_END);
	assert_int_equal(s.malformed, 2);
}

/* Counts of bgpdump -m lines by kind in an oracle file. */
static void
oracle_counts(const char *path, unsigned long want[4])
{
	char line[65536];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	memset(want, 0, 4 * sizeof(want[0]));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "|B|") != NULL)
			want[MRT_ELEM_RIB]++;
		else if (strstr(line, "|A|") != NULL)
			want[MRT_ELEM_ANNOUNCE]++;
		else if (strstr(line, "|W|") != NULL)
			want[MRT_ELEM_WITHDRAW]++;
		else if (strstr(line, "|STATE|") != NULL)
			want[MRT_ELEM_STATE]++;
	}
	fclose(f);
}

static enum mrt_status
run_file(const char *path, struct counts *c, char *err, size_t errlen)
{
	char e[256];
	struct zstream *z = zstream_open(path, e, sizeof(e));
	struct mrt_reader *r;
	enum mrt_status st;

	assert_non_null(z);
	r = mrt_reader_new(zs_read, z);
	memset(c, 0, sizeof(*c));
	st = mrt_reader_run(r, count_elem, c);
	snprintf(err, errlen, "%s", mrt_reader_error(r));
	mrt_reader_free(r);
	zstream_close(z);
	return st;
}

/* Files where bgpdump reads every record as the RFCs say. (bgpdump reads
 * BIRD's ADD-PATH updates without path ids, prints a prefix with junk
 * after it, and prints corrupt Zebra STATE records: those files differ on
 * purpose.) */
static void
real_files_match_bgpdump(void **state)
{
	static const char *const files[] = {
		"mrt/bgpdump-test/bview.64k_stream_overflow.gz",
		"mrt/bgpdump-test/bview.ipv4_unicast_add_path.gz",
		"mrt/bgpdump-test/updates.long_withdrawal.gz",
		"mrt/daemons/mrtparse.openbgpd_bgp",
		"mrt/daemons/mrtparse.openbgpd_rib_table-v2",
		"mrt/daemons/mrtparse.quagga_bgp",
		"mrt/daemons/mrtparse.quagga_rib",
		"mrt/misc/bgpkit-example.updates.bz2",
		"mrt/ris/rrc06.updates.1427846400.gz",
	};
	char path[4096], oracle[4200], err[256];
	unsigned long want[4];
	struct counts c;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tu_data_dir(), files[i]);
		snprintf(oracle, sizeof(oracle), "%s.bgpdump-m.txt", path);
		oracle_counts(oracle, want);
		assert_int_equal(run_file(path, &c, err, sizeof(err)), MRT_END);
		for (int k = 0; k < 4; k++)
			if (c.n[k] != want[k])
				fail_msg("%s: %lu elements of kind %d, bgpdump "
				    "printed %lu", files[i], c.n[k], k, want[k]);
	}
	/* RFC 8050 path ids reach the elements */
	snprintf(path, sizeof(path), "%s/%s", tu_data_dir(),
	    "mrt/bgpdump-test/bview.ipv4_unicast_add_path.gz");
	run_file(path, &c, err, sizeof(err));
	assert_int_equal(c.with_path_id, 62);
}

/* A truncated compressed file: everything before the cut, then an error
 * with the offset of the cut record. */
static void
truncated_file_delivers_the_prefix(void **state)
{
	char path[4096], err[256];
	struct counts c;

	(void)state;
	snprintf(path, sizeof(path), "%s/%s", tu_data_dir(),
	    "mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2");
	assert_int_equal(run_file(path, &c, err, sizeof(err)), MRT_TRUNCATED);
	/* bgpdump -m prints 270,005 lines for this file */
	assert_int_equal(c.n[MRT_ELEM_RIB], 270005);
	assert_string_equal(err, "read error in the record at byte offset "
	    "15273283");
}

int
main(void)
{
	const struct CMUnitTest hostile[] = {
		cmocka_unit_test(rib_and_peer_index),
		cmocka_unit_test(peer_index_out_of_range),
		cmocka_unit_test(length_past_end),
		cmocka_unit_test(zero_length_and_unknown_records),
		cmocka_unit_test(wrong_afi),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test(real_files_match_bgpdump),
		cmocka_unit_test(truncated_file_delivers_the_prefix),
	};
	int rc = cmocka_run_group_tests(hostile, NULL, NULL);

	if (tu_data_dir() == NULL) {
		fprintf(stderr, "real-file tests skipped: BGPS_SHARED_DATA not "
		    "found\n");
		return rc;
	}
	return rc | cmocka_run_group_tests(real, NULL, NULL);
}
