/* Configuration as every Ceph tool reads it: ceph.conf (ini sections with
 * [client.X] > [client] > [global] precedence), $CEPH_ARGS and argv. */
#ifndef SIPHON_COMMON_CONFIG_H
#define SIPHON_COMMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding/entity.h"

/*
 * A configuration holds, from lowest to highest priority:
 *   - one parsed file (ceph.conf), looked up in the sections [TYPE.ID],
 *     [TYPE] and [global] in that order, for the configured entity name;
 *   - values from the environment ($CEPH_ARGS, $CEPH_KEYRING);
 *   - values from the command line (config_parse_argv);
 *   - values set through the API (config_set).
 * Option names are normalised: surrounding blanks dropped, and blanks and
 * dashes inside become '_' ("mon host", "mon-host", "mon_host" are one).
 * Values go through Ceph's $variable expansion when read ($cluster, $name,
 * $type, $id, $num, $host, $pid, $home, ${x}, or any other option's name).
 *
 * Every fallible function returns 0 or a negative errno and leaves a
 * message in config_error(), naming the file and line where it applies:
 * "/etc/ceph/ceph.conf:12: expected 'key = value'". Not thread-safe.
 */
struct sp_config;

/* Flags for config_set_flags(). */
#define CONFIG_F_NO_DNS     0x1	/* mon host: IP addresses only */
#define CONFIG_F_DASH_I     0x2	/* argv: "-i ID" is --id (daemons' habit) */
#define CONFIG_F_NO_ENV     0x4	/* argv: ignore $CEPH_ARGS/$CEPH_KEYRING */

struct sp_config *config_create(void);	/* NULL when out of memory */
void config_destroy(struct sp_config *cfg);
const char *config_error(const struct sp_config *cfg);
void config_set_flags(struct sp_config *cfg, unsigned flags);

/* Entity name: "client.admin" by default. config_set_name() takes
 * TYPE.ID with TYPE one of auth, mon, osd, mds, mgr, client;
 * config_set_id() keeps the type. */
int config_set_name(struct sp_config *cfg, const char *name);
int config_set_id(struct sp_config *cfg, const char *id);
const char *config_name(const struct sp_config *cfg);	/* "client.admin" */
const char *config_id(const struct sp_config *cfg);	/* "admin" */
uint8_t config_entity_type(const struct sp_config *cfg);	/* CEPH_ENTITY_TYPE_* */

/* Cluster name for $cluster: --cluster, else the basename of the -c file
 * before ".conf", else "ceph". */
int config_set_cluster(struct sp_config *cfg, const char *cluster);
const char *config_cluster(const struct sp_config *cfg);

/* Parses an ini buffer; on success it replaces the file parsed before.
 * name is used in messages. A pure function of the bytes: no I/O. The
 * message also goes to err (errlen bytes) when err is not NULL. */
int config_parse_buffer(struct sp_config *cfg, const char *name,
			const void *data, size_t len, char *err, size_t errlen);
/* Reads and parses one file. */
int config_read_file(struct sp_config *cfg, const char *path);
/*
 * Finds the config file the way Ceph 16 does: the -c list if one was given
 * (an error if none of it exists), else $CEPH_CONF, else
 * /etc/ceph/$cluster.conf, ~/.ceph/$cluster.conf, ./$cluster.conf. Lists
 * are separated by commas, semicolons or blanks; the first file that
 * exists is read. No file at all (without -c) is not an error: Ceph then
 * runs on defaults, and config_conf_path() returns NULL.
 */
int config_read_files(struct sp_config *cfg);
const char *config_conf_path(const struct sp_config *cfg);

/* Sets an override (highest priority); val NULL removes it. */
int config_set(struct sp_config *cfg, const char *key, const char *val);

/*
 * The effective, expanded value of key, or NULL (config_error() then says
 * why: not set, or out of memory). The string stays valid until
 * config_destroy().
 */
const char *config_get(struct sp_config *cfg, const char *key);
/* Expands $variables in any string (used for file search lists). The
 * result stays valid until config_destroy(); NULL when out of memory. */
const char *config_expand(struct sp_config *cfg, const char *in);
/* Where the effective value of key comes from: "/etc/ceph/ceph.conf:7",
 * "command line", "CEPH_ARGS", "config_set" or NULL. */
const char *config_origin(struct sp_config *cfg, const char *key);

/* Typed getters: -ENOENT when not set, -EINVAL (with the file and line in
 * config_error()) when the value does not parse, -ERANGE out of range. */
int config_get_int(struct sp_config *cfg, const char *key, int64_t *out);
/* true/false, yes/no, on/off, 1/0 in any case. */
int config_get_bool(struct sp_config *cfg, const char *key, bool *out);
int config_get_double(struct sp_config *cfg, const char *key, double *out);
/* A time span in seconds: "30", "1.5", "500ms", "30s", "5m", "2h", "1d",
 * "1w", or sums of them such as "1h 30m". */
int config_get_seconds(struct sp_config *cfg, const char *key, double *out);
/* A byte count with an optional binary suffix: "4096", "64K", "64KiB",
 * "1M", "2G", "1T", "4B". */
int config_get_size(struct sp_config *cfg, const char *key, uint64_t *out);

/* The sections of the parsed file, in file order, and raw (unexpanded)
 * reads from one section. Used for keyrings and [mon.X]. */
size_t config_section_count(const struct sp_config *cfg);
const char *config_section_name(const struct sp_config *cfg, size_t i);
const char *config_section_get(const struct sp_config *cfg,
			       const char *section, const char *key);
/* Key, raw value and line of entry j of section i, in file order;
 * -ENOENT past the end. line may be NULL. */
int config_section_entry(const struct sp_config *cfg, size_t i, size_t j,
			 const char **key, const char **val, unsigned *line);
unsigned config_section_line(const struct sp_config *cfg, size_t i);

/* The initial monitors, as Ceph's MonMap::build_initial() finds them. */
struct config_mon {
	char name[32];			/* "noname-a", or X of [mon.X] */
	struct entity_addrvec addrs;	/* v2 first, then v1 */
};

/*
 * From 'mon host' (or -m): entries separated by blanks, ';' or ',', each
 * "IP", "IP:PORT", "[IPv6]:PORT", "v1:..."/"v2:...", a bracketed addrvec
 * "[v2:IP:3300,v1:IP:6789]", or a host name resolved with getaddrinfo
 * (one monitor per address it resolves to). An address without a type
 * and port becomes v2 on 3300 plus v1 on 6789; port 6789 alone means v1,
 * 3300 alone v2, any other port both types on that port. Without 'mon
 * host', [mon.X] sections with 'mon addr' (a v1 address, port 6789 by
 * default) give the monitors. *out is malloc'd; free() it.
 */
int config_mons(struct sp_config *cfg, struct config_mon **out, int *n);
/* The same, addresses only. */
int config_mon_addrs(struct sp_config *cfg, struct entity_addrvec **out, int *n);

/*
 * Consumes Ceph's common options from argv and leaves the rest in order
 * (argv[0] stays, argv[*argc] is NULL): -c/--conf FILE, --no-config-file,
 * --cluster NAME, -n/--name TYPE.ID, --id/--user ID, -m/--mon_host ADDRS,
 * -k/--keyring PATH, -K/--keyfile PATH, -r/--client_mountpoint PATH, and
 * "--opt=value", "--opt value", "--opt" (= true), "--no-opt" (= false) for
 * options with the prefixes Ceph clients use (debug_, log_, mon_, ms_,
 * auth_, client_, fuse_, ...). Dashes and underscores are equivalent in
 * names; "--" ends the options and is left in place. $CEPH_ARGS is parsed
 * first, with lower priority (unless CONFIG_F_NO_ENV). Messages go to
 * config_error() and to err when it is not NULL.
 */
int config_parse_argv(struct sp_config *cfg, int *argc, char **argv,
		      char *err, size_t errlen);

/* Applies debug_<subsys> ("N" or "N/M") and log_file to the log. */
int config_apply_logging(struct sp_config *cfg);

#endif
