/* `siphon status` and `siphon df`: the cluster as this client sees it,
 * from the maps it holds, in plain text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "commands.h"
#include "json.h"
#include "mds/fsmap.h"
#include "mds/mdsmap.h"
#include "mon/monmap.h"
#include "osd/osdmap.h"
#include "siphon/siphon.h"

int parse_format_only(const char *cmd, int argc, char **argv,
		      enum output_format *fmt)
{
	*fmt = FORMAT_PLAIN;
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) {
			if (++i >= argc)
				goto bad;
			v = argv[i];
		} else if (!strncmp(argv[i], "--format=", 9)) {
			v = argv[i] + 9;
		} else {
			fprintf(stderr, "siphon %s: unexpected argument '%s'\n",
				cmd, argv[i]);
			return -1;
		}
		if (!strcmp(v, "plain"))
			*fmt = FORMAT_PLAIN;
		else if (!strcmp(v, "json"))
			*fmt = FORMAT_JSON;
		else if (!strcmp(v, "json-pretty"))
			*fmt = FORMAT_JSON_PRETTY;
		else
			goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "siphon %s: --format takes plain, json or json-pretty\n",
		cmd);
	return -1;
}

int connect_or_complain(struct siphon_client *c)
{
	int r = siphon_connect(c);

	if (r)
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
	return r;
}

static void format_uuid(const uint8_t u[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int o = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

/* "[v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0]" as `ceph mon dump` writes */
static void format_addrvec(const struct entity_addrvec *av, char *out,
			   size_t cap)
{
	size_t len = (size_t)snprintf(out, cap, "[");

	for (uint32_t i = 0; i < av->n && len < cap; i++) {
		char a[80];

		entity_addr_format(&av->v[i], a, sizeof(a));
		len += (size_t)snprintf(out + len, cap - len, "%s%s",
					i ? "," : "", a);
	}
	if (len < cap)
		snprintf(out + len, cap - len, "]");
}

static const char *pool_type_name(uint8_t t)
{
	return t == CEPH_POOL_TYPE_REP ? "replicated" :
	       t == CEPH_POOL_TYPE_ERASURE ? "erasure" : "unknown";
}

/* Everything status shows, copied out under the client's lock. */
static void status_json(struct siphon_client *c, const struct monmap *mm,
			bool pretty)
{
	struct json j;
	char s[512];

	json_init(&j, stdout, pretty);
	json_obj_open(&j, NULL);
	format_uuid(mm->fsid, s);
	json_str(&j, "fsid", s);
	json_uint(&j, "global_id", siphon_global_id(c));
	json_obj_open(&j, "monmap");
	json_uint(&j, "epoch", mm->epoch);
	json_arr_open(&j, "mons");
	for (uint32_t i = 0; i < mm->num_mons; i++) {
		json_obj_open(&j, NULL);
		json_int(&j, "rank", i);
		json_str(&j, "name", mm->mons[i].name);
		format_addrvec(&mm->mons[i].addrs, s, sizeof(s));
		json_str(&j, "public_addrs", s);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);

	pthread_mutex_lock(&c->lock);
	json_obj_open(&j, "osdmap");
	json_uint(&j, "epoch", c->osdmap->epoch);
	json_uint(&j, "num_osds", c->osdmap->num_exists);
	json_uint(&j, "num_up_osds", osdmap_num_up(c->osdmap));
	json_uint(&j, "num_in_osds", osdmap_num_in(c->osdmap));
	json_arr_open(&j, "pools");
	for (uint32_t i = 0; i < c->osdmap->num_pools; i++) {
		const struct pg_pool *p = &c->osdmap->pools[i];

		json_obj_open(&j, NULL);
		json_int(&j, "id", p->id);
		json_str(&j, "name", p->name);
		json_str(&j, "type", pool_type_name(p->type));
		json_uint(&j, "size", p->size);
		json_uint(&j, "pg_num", p->pg_num);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);

	json_obj_open(&j, "fsmap");
	json_uint(&j, "epoch", c->fsmap->epoch);
	json_obj_close(&j);
	json_arr_open(&j, "filesystems");
	for (uint32_t i = 0; i < c->fsmap->num_fs; i++) {
		const struct mdsmap *md = c->fsmap->fs[i].map;

		json_obj_open(&j, NULL);
		json_str(&j, "name", md->fs_name);
		json_int(&j, "id", c->fsmap->fs[i].fscid);
		json_uint(&j, "max_mds", md->max_mds);
		json_arr_open(&j, "mds");
		for (uint32_t k = 0; k < md->num_infos; k++) {
			const struct mds_info *mi = &md->infos[k];

			json_obj_open(&j, NULL);
			json_int(&j, "rank", mi->rank);
			json_str(&j, "name", mi->name);
			json_str(&j, "state", mds_state_name(mi->state));
			json_uint(&j, "gid", mi->gid);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "standbys");
	for (uint32_t k = 0; k < c->fsmap->num_standbys; k++) {
		const struct mds_info *mi = &c->fsmap->standbys[k];

		json_obj_open(&j, NULL);
		json_str(&j, "name", mi->name);
		json_str(&j, "state", mds_state_name(mi->state));
		json_uint(&j, "gid", mi->gid);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	pthread_mutex_unlock(&c->lock);
	json_obj_close(&j);
	json_end(&j);
}

static void status_plain(struct siphon_client *c, const struct monmap *mm)
{
	char s[512];

	format_uuid(mm->fsid, s);
	printf("cluster:\n    id:       %s\n    client:   global_id %llu\n",
	       s, (unsigned long long)siphon_global_id(c));
	printf("\nmonmap e%u: %u monitor%s\n", mm->epoch, mm->num_mons,
	       mm->num_mons == 1 ? "" : "s");
	for (uint32_t i = 0; i < mm->num_mons; i++) {
		format_addrvec(&mm->mons[i].addrs, s, sizeof(s));
		printf("    %u: mon.%s %s\n", i, mm->mons[i].name, s);
	}

	pthread_mutex_lock(&c->lock);
	printf("\nosdmap e%u: %u osds: %u up, %u in\n", c->osdmap->epoch,
	       c->osdmap->num_exists, osdmap_num_up(c->osdmap),
	       osdmap_num_in(c->osdmap));
	for (uint32_t i = 0; i < c->osdmap->num_pools; i++) {
		const struct pg_pool *p = &c->osdmap->pools[i];

		printf("    pool %lld '%s' %s size %u pg_num %u\n",
		       (long long)p->id, p->name, pool_type_name(p->type),
		       p->size, p->pg_num);
	}

	printf("\nfsmap e%u: %u file system%s, %u standby\n", c->fsmap->epoch,
	       c->fsmap->num_fs,
	       c->fsmap->num_fs == 1 ? "" : "s",
	       c->fsmap->num_standbys);
	for (uint32_t i = 0; i < c->fsmap->num_fs; i++) {
		const struct mdsmap *md = c->fsmap->fs[i].map;

		printf("    %s (id %d), max_mds %u\n", md->fs_name,
		       c->fsmap->fs[i].fscid, md->max_mds);
		for (uint32_t k = 0; k < md->num_infos; k++) {
			const struct mds_info *mi = &md->infos[k];

			printf("        rank %d: mds.%s %s\n", mi->rank,
			       mi->name, mds_state_name(mi->state));
		}
	}
	for (uint32_t k = 0; k < c->fsmap->num_standbys; k++)
		printf("    standby: mds.%s %s\n", c->fsmap->standbys[k].name,
		       mds_state_name(c->fsmap->standbys[k].state));
	pthread_mutex_unlock(&c->lock);
}

int cmd_status(struct siphon_client *c, int argc, char **argv)
{
	enum output_format fmt;
	struct monmap *mm;

	if (parse_format_only("status", argc, argv, &fmt))
		return 2;
	if (connect_or_complain(c))
		return 1;
	mm = monc_copy_monmap(c->monc);
	if (!mm) {
		fprintf(stderr, "siphon: no monitor map\n");
		return 1;
	}
	if (fmt == FORMAT_PLAIN)
		status_plain(c, mm);
	else
		status_json(c, mm, fmt == FORMAT_JSON_PRETTY);
	monmap_free(mm);
	return 0;
}

/* 1.5 GiB style, as `ceph df` prints sizes */
static void human_bytes(uint64_t bytes, char *out, size_t cap)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, cap, "%llu %s", (unsigned long long)bytes, units[u]);
	else
		snprintf(out, cap, "%.1f %s", v, units[u]);
}

int cmd_df(struct siphon_client *c, int argc, char **argv)
{
	struct siphon_cluster_stat st;
	enum output_format fmt;
	char a[32], b[32], d[32];
	int r;

	if (parse_format_only("df", argc, argv, &fmt))
		return 2;
	if (connect_or_complain(c))
		return 1;
	r = siphon_cluster_stat(c, &st);
	if (r) {
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
		return 1;
	}
	if (fmt != FORMAT_PLAIN) {
		struct json j;

		json_init(&j, stdout, fmt == FORMAT_JSON_PRETTY);
		json_obj_open(&j, NULL);
		json_obj_open(&j, "stats");
		json_uint(&j, "total_bytes", st.kb * 1024);
		json_uint(&j, "total_used_raw_bytes", st.kb_used * 1024);
		json_uint(&j, "total_avail_bytes", st.kb_avail * 1024);
		json_uint(&j, "num_objects", st.num_objects);
		json_obj_close(&j);
		json_obj_close(&j);
		json_end(&j);
		return 0;
	}
	human_bytes(st.kb * 1024, a, sizeof(a));
	human_bytes(st.kb_avail * 1024, b, sizeof(b));
	human_bytes(st.kb_used * 1024, d, sizeof(d));
	printf("--- RAW STORAGE ---\n");
	printf("%-10s %10s %10s %10s %8s\n", "CLASS", "SIZE", "AVAIL", "USED",
	       "%USED");
	printf("%-10s %10s %10s %10s %7.2f%%\n", "TOTAL", a, b, d,
	       st.kb ? 100.0 * (double)st.kb_used / (double)st.kb : 0.0);
	printf("\n%llu objects\n", (unsigned long long)st.num_objects);
	return 0;
}
