/* Prints CRUSH and OSDMap placements in the formats of Ceph's tools, so
 * test_placement.sh can diff siphon against them:
 *
 *   placement_check crush MAP [--rule R] [--num-rep N] [--min-x A]
 *       [--max-x B] [--pool-id P] [--choose-args I]
 *     = crushtool -i MAP --test --show-mappings ... (the "CRUSH rule" lines)
 *   placement_check osdmap MAP --test-map-object NAME [--pool P]
 *     = osdmaptool MAP --test-map-object NAME --pool P
 *   placement_check osdmap MAP --test-map-objects FILE [--pool P]
 *     the same for each line of FILE (one name a line)
 *   placement_check osdmap MAP --test-map-pgs-dump | --test-map-pgs-dump-all
 *     = osdmaptool's per-PG lines (not its statistics)
 *   placement_check hash NAME NAMESPACE|-
 *     = the object hash in `ceph osd map`'s raw_pgid (rjenkins pools)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/crush.h"
#include "osd/crush_mapper.h"
#include "osd/osdmap.h"
#include "osd/placement.h"

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t k;

		if (n == cap) {
			uint8_t *q = realloc(p, cap ? cap * 2 : 65536);

			if (!q) {
				free(p);
				fclose(f);
				return NULL;
			}
			p = q;
			cap = cap ? cap * 2 : 65536;
		}
		k = fread(p + n, 1, cap - n, f);
		if (k == 0)
			break;
		n += k;
	}
	fclose(f);
	*len = n;
	return p;
}

static void print_vec(const int32_t *v, int n)
{
	putchar('[');
	for (int i = 0; i < n; i++)
		printf(i ? ",%d" : "%d", v[i]);
	putchar(']');
}

static int usage(void)
{
	fprintf(stderr, "usage: placement_check crush MAP [--rule R] [--num-rep N] "
		"[--min-x A] [--max-x B] [--pool-id P] [--choose-args I]\n"
		"       placement_check osdmap MAP (--test-map-object NAME | "
		"--test-map-objects FILE) [--pool P]\n"
		"       placement_check osdmap MAP --test-map-pgs-dump[-all]\n");
	return 2;
}

/* Whether a device sits in some bucket (CrushWrapper::check_item_present). */
static int device_present(const struct crush_map *c, int32_t dev)
{
	for (int32_t b = 0; b < c->max_buckets; b++) {
		const struct crush_bucket *bk = c->buckets[b];

		for (uint32_t i = 0; bk && i < bk->size; i++)
			if (bk->items[i] == dev)
				return 1;
	}
	return 0;
}

static int run_crush(const char *path, int argc, char **argv)
{
	long rule = -1, numrep = -1, min_x = 0, max_x = 1023, pool_id = -1;
	long long cargs_index = 0;
	struct crush_map *c;
	uint32_t *weights;
	uint64_t total = 0;
	uint8_t *buf;
	size_t len;
	int r;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return usage();
		if (!strcmp(a, "--rule"))
			rule = atol(v);
		else if (!strcmp(a, "--num-rep"))
			numrep = atol(v);
		else if (!strcmp(a, "--min-x"))
			min_x = atol(v);
		else if (!strcmp(a, "--max-x"))
			max_x = atol(v);
		else if (!strcmp(a, "--pool-id"))
			pool_id = atol(v);
		else if (!strcmp(a, "--choose-args"))
			cargs_index = atoll(v);
		else
			return usage();
		i++;
	}
	buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	r = crush_decode(buf, len, &c);
	free(buf);
	if (r) {
		fprintf(stderr, "%s: decode failed: %d\n", path, r);
		return 1;
	}
	weights = calloc((size_t)c->max_devices + 1, sizeof(*weights));
	if (!weights)
		return 1;
	for (int32_t d = 0; d < c->max_devices; d++) {
		weights[d] = device_present(c, d) ? 0x10000 : 0;
		total += weights[d];
	}
	for (uint32_t ru = 0; ru < c->max_rules; ru++) {
		const struct crush_rule *cr = c->rules[ru];
		long lo = numrep, hi = numrep;

		if (!cr || (rule >= 0 && ru != (uint32_t)rule))
			continue;
		if (numrep < 0) {
			lo = cr->min_size;
			hi = cr->max_size;
		}
		if (total == 0)
			continue;
		for (long nr = lo; nr <= hi; nr++) {
			for (long x = min_x; x <= max_x; x++) {
				int32_t out[SCRUSH_MAX_RESULT];
				uint32_t rx = (uint32_t)x;
				int n;

				if (pool_id != -1)
					rx = scrush_hash32_2(CRUSH_HASH_RJENKINS1,
							     (uint32_t)x,
							     (uint32_t)pool_id);
				n = scrush_do_rule(c, (int)ru, (int32_t)rx, out,
						   (int)nr, weights, c->max_devices,
						   scrush_choose_args_for(c, cargs_index));
				if (n < 0)
					n = 0;
				printf("CRUSH rule %u x %ld ", ru, x);
				print_vec(out, n);
				putchar('\n');
			}
		}
	}
	free(weights);
	crush_free(c);
	return 0;
}

static void print_pgid(struct pg_id pg)
{
	printf("%" PRIu64 ".%" PRIx32, pg.pool, pg.seed);
}

static int map_object(const struct osdmap *m, long long pool, const char *name)
{
	struct placement_target t;
	int r = placement_object_target(m, pool, NULL, 0, name, strlen(name), &t);

	if (r) {
		fprintf(stderr, "There is no pool %lld\n", pool);
		return 1;
	}
	printf(" object '%s' -> ", name);
	print_pgid(t.pg);
	printf(" -> ");
	print_vec(t.acting.osds, t.acting.n);
	putchar('\n');
	return 0;
}

static int run_osdmap(const char *path, int argc, char **argv)
{
	const char *object = NULL, *objects = NULL;
	int dump = 0, dump_all = 0, rc = 0;
	long long pool = -1;
	struct osdmap *m;
	uint8_t *buf;
	size_t len;
	int r;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--test-map-pgs-dump")) {
			dump = 1;
			continue;
		}
		if (!strcmp(a, "--test-map-pgs-dump-all")) {
			dump_all = 1;
			continue;
		}
		if (!v)
			return usage();
		if (!strcmp(a, "--test-map-object"))
			object = v;
		else if (!strcmp(a, "--test-map-objects"))
			objects = v;
		else if (!strcmp(a, "--pool"))
			pool = atoll(v);
		else
			return usage();
		i++;
	}
	buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	r = osdmap_decode(buf, len, &m);
	free(buf);
	if (r) {
		fprintf(stderr, "%s: decode failed: %d\n", path, r);
		return 1;
	}
	if (pool < 0 && (object || objects))
		pool = 1;
	if (object)
		rc |= map_object(m, pool, object);
	if (objects) {
		FILE *f = fopen(objects, "r");
		char line[4096];

		if (!f) {
			fprintf(stderr, "%s: cannot open\n", objects);
			rc = 1;
		}
		while (f && fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			rc |= map_object(m, pool, line);
		}
		if (f)
			fclose(f);
	}
	for (uint32_t i = 0; (dump || dump_all) && i < m->num_pools; i++) {
		const struct pg_pool *p = &m->pools[i];

		printf("pool %" PRId64 " pg_num %u\n", p->id, p->pg_num);
		for (uint32_t s = 0; s < p->pg_num; s++) {
			struct pg_id pg = { (uint64_t)p->id, s };
			struct osd_set raw, up, acting;

			placement_pg_to_up_acting(m, pg, &up, &acting);
			print_pgid(pg);
			if (dump) {
				putchar('\t');
				print_vec(acting.osds, acting.n);
				printf("\t%d\n", acting.primary);
				continue;
			}
			placement_pg_to_raw(m, pg, &raw);
			printf(" raw (");
			print_vec(raw.osds, raw.n);
			printf(", p%d) up (", raw.primary);
			print_vec(up.osds, up.n);
			printf(", p%d) acting (", up.primary);
			print_vec(acting.osds, acting.n);
			printf(", p%d)\n", acting.primary);
		}
	}
	osdmap_free(m);
	return rc;
}

/* The rjenkins hash Ceph gives an object name in a namespace ("-" for
 * none), as `ceph osd map` shows it in raw_pgid. */
static int run_hash(const char *name, const char *ns)
{
	struct pg_pool pool;
	struct osdmap m;
	struct pg_id raw;

	memset(&m, 0, sizeof(m));
	memset(&pool, 0, sizeof(pool));
	pool.object_hash = CEPH_STR_HASH_RJENKINS;
	m.pools = &pool;
	m.num_pools = 1;
	if (!strcmp(ns, "-"))
		ns = "";
	if (placement_object_to_pg(&m, 0, ns, strlen(ns), name, strlen(name), &raw))
		return 1;
	printf("%x\n", raw.seed);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hash"))
		return run_hash(argv[2], argv[3]);
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "crush"))
		return run_crush(argv[2], argc - 3, argv + 3);
	if (!strcmp(argv[1], "osdmap"))
		return run_osdmap(argv[2], argc - 3, argv + 3);
	return usage();
}
