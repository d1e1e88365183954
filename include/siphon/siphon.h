/* siphon: a CephFS client library that speaks Ceph's wire protocol.
 *
 * One opaque handle per client. Every call returns 0 (or a count) on
 * success and a negative errno on failure; siphon_errstr() says more in
 * words about the last failure on that handle. Handles are thread-safe.
 *
 * The sequence is: siphon_create(), configure (siphon_conf_read_file,
 * siphon_conf_set, siphon_conf_parse_argv), siphon_connect() for the
 * monitor session and cluster maps, ..., siphon_release(). */
#ifndef SIPHON_SIPHON_H
#define SIPHON_SIPHON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIPHON_API __attribute__((visibility("default")))

struct siphon_client;

/* Creates a client for entity client.ID (ID NULL: "admin", or what the
 * configuration names later). */
SIPHON_API int siphon_create(struct siphon_client **out, const char *id);
SIPHON_API void siphon_release(struct siphon_client *c);
SIPHON_API const char *siphon_errstr(const struct siphon_client *c);

/* path NULL: $CEPH_CONF, then the standard places, like every Ceph tool. */
SIPHON_API int siphon_conf_read_file(struct siphon_client *c, const char *path);
SIPHON_API int siphon_conf_set(struct siphon_client *c, const char *option,
			       const char *value);
/* Consumes Ceph's common options (-c, -m, -n/--name, --id, --keyring,
 * --OPTION=VALUE) from argv and compacts it; *argc is updated. */
SIPHON_API int siphon_conf_parse_argv(struct siphon_client *c, int *argc,
				      char **argv);

/* Opens the monitor session and waits for the monitor, OSD and FS maps;
 * gives up after the client_mount_timeout option (seconds, default 10). */
SIPHON_API int siphon_connect(struct siphon_client *c);

struct siphon_cluster_stat {
	uint64_t kb;
	uint64_t kb_used;
	uint64_t kb_avail;
	uint64_t num_objects;
};

/* Cluster-wide usage as the monitors report it (what `ceph df` shows). */
SIPHON_API int siphon_cluster_stat(struct siphon_client *c,
				   struct siphon_cluster_stat *st);

/* This client's global id, assigned by the monitor (0 before connect). */
SIPHON_API uint64_t siphon_global_id(struct siphon_client *c);

#ifdef __cplusplus
}
#endif

#endif
