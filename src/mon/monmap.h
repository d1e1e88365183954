/* The monitor map (MonMap) and the MMonMap message that carries it:
 * decoded from Ceph's wire encoding into a plain struct, monitors in rank order. */
#ifndef SIPHON_MON_MONMAP_H
#define SIPHON_MON_MONMAP_H

#include <stdint.h>

#include "encoding/dec.h"
#include "encoding/entity.h"

/* mon_feature_t bits (ceph::features::mon) */
#define CEPH_MON_FEATURE_KRAKEN		(1ULL << 0)
#define CEPH_MON_FEATURE_LUMINOUS	(1ULL << 1)
#define CEPH_MON_FEATURE_MIMIC		(1ULL << 2)
#define CEPH_MON_FEATURE_OSDMAP_PRUNE	(1ULL << 3)
#define CEPH_MON_FEATURE_NAUTILUS	(1ULL << 4)
#define CEPH_MON_FEATURE_OCTOPUS	(1ULL << 5)
#define CEPH_MON_FEATURE_PACIFIC	(1ULL << 6)
#define CEPH_MON_FEATURE_PINGING	(1ULL << 7)

/* A sanity limit on the number of monitors in one map; Ceph has none,
 * real clusters run 1 to 9 (the kernel client stops at 31). */
#define MONMAP_MAX_MONS 256

struct mon_info {
	char *name;			/* "a", without the "mon." */
	struct entity_addrvec addrs;	/* public_addrs */
	uint16_t priority;
	uint16_t weight;
};

struct monmap {
	uint8_t fsid[16];
	uint32_t epoch;
	struct sp_time last_changed;
	struct sp_time created;
	uint64_t persistent_features;	/* CEPH_MON_FEATURE_* */
	uint64_t optional_features;
	uint8_t min_mon_release;	/* 16 = pacific; inferred when not encoded */
	uint8_t election_strategy;	/* 1 classic, 2 disallow, 3 connectivity */
	uint8_t stretch_mode;
	uint8_t struct_v;		/* encoding version the map came in */
	uint32_t num_mons;
	struct mon_info *mons;		/* index = rank */
};

/* Decodes an encoded MonMap (what `ceph mon getmap` writes): Pacific's v9
 * and every older form (v1/v2 with a u16 version, v3-v5 with a
 * map<name, entity_addr_t>). 0, -EBADMSG, -ENOTSUP or -ENOMEM. */
int monmap_decode(const uint8_t *p, size_t n, struct monmap **out);
/* The same from a cursor, which ends up after the map. */
int monmap_decode_dec(struct dec *d, struct monmap **out);

/* The front of an MMonMap message (CEPH_MSG_MON_MAP, type 4): a
 * bufferlist holding the encoded map. */
int mmonmap_decode(const uint8_t *front, size_t n, struct monmap **out);

void monmap_free(struct monmap *m);

static inline uint32_t monmap_epoch(const struct monmap *m)
{
	return m->epoch;
}

static inline int monmap_num_mons(const struct monmap *m)
{
	return (int)m->num_mons;
}

/* The addresses of the monitor of that rank; rank must be valid. */
static inline const struct entity_addrvec *
monmap_mon_addrs(const struct monmap *m, int rank)
{
	return &m->mons[rank].addrs;
}

/* The rank of the monitor with this name, or -ENOENT. */
int monmap_rank_by_name(const struct monmap *m, const char *name);

#endif
