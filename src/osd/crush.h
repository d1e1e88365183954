/* The CRUSH map: structures shaped for the mapping algorithm, and a
 * decoder for the encoding Ceph (CrushWrapper) puts inside an OSDMap. */
#ifndef SIPHON_OSD_CRUSH_H
#define SIPHON_OSD_CRUSH_H

#include <stddef.h>
#include <stdint.h>

#define CRUSH_MAGIC 0x00010000u

#define CRUSH_ITEM_UNDEF 0x7ffffffe	/* undefined result (internal) */
#define CRUSH_ITEM_NONE  0x7fffffff	/* no result */

#define CRUSH_HASH_RJENKINS1 0

/* Bucket algorithms. */
#define CRUSH_BUCKET_UNIFORM 1
#define CRUSH_BUCKET_LIST    2
#define CRUSH_BUCKET_TREE    3
#define CRUSH_BUCKET_STRAW   4
#define CRUSH_BUCKET_STRAW2  5

#define CRUSH_LEGACY_ALLOWED_BUCKET_ALGS \
	((1u << CRUSH_BUCKET_UNIFORM) | (1u << CRUSH_BUCKET_LIST) | \
	 (1u << CRUSH_BUCKET_STRAW))

/* Rule step opcodes. */
#define CRUSH_RULE_NOOP                            0
#define CRUSH_RULE_TAKE                            1
#define CRUSH_RULE_CHOOSE_FIRSTN                   2
#define CRUSH_RULE_CHOOSE_INDEP                    3
#define CRUSH_RULE_EMIT                            4
#define CRUSH_RULE_CHOOSELEAF_FIRSTN               6
#define CRUSH_RULE_CHOOSELEAF_INDEP                7
#define CRUSH_RULE_SET_CHOOSE_TRIES                8
#define CRUSH_RULE_SET_CHOOSELEAF_TRIES            9
#define CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES          10
#define CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES 11
#define CRUSH_RULE_SET_CHOOSELEAF_VARY_R           12
#define CRUSH_RULE_SET_CHOOSELEAF_STABLE           13

/* Rule types (the mask's `type`). */
#define CRUSH_RULE_TYPE_REPLICATED 1
#define CRUSH_RULE_TYPE_ERASURE    3

struct crush_rule_step {
	uint32_t op;
	int32_t arg1;
	int32_t arg2;
};

struct crush_rule {
	uint8_t ruleset;	/* legacy mask; equals the rule id since luminous */
	uint8_t type;
	uint8_t min_size;
	uint8_t max_size;
	uint32_t len;
	struct crush_rule_step steps[];
};

/* One bucket. The per-algorithm arrays that an algorithm does not use
 * are NULL. Every array holds `size` entries except node_weights, which
 * holds num_nodes. */
struct crush_bucket {
	int32_t id;		/* negative; buckets[-1 - id] is this bucket */
	uint16_t type;		/* type id (see type names); 0 is a device */
	uint8_t alg;		/* CRUSH_BUCKET_* */
	uint8_t hash;		/* CRUSH_HASH_* */
	uint32_t weight;	/* 16.16 fixed point */
	uint32_t size;		/* number of items */
	int32_t *items;

	uint32_t item_weight;	/* uniform: every item's weight */
	uint32_t *item_weights;	/* list, straw, straw2 */
	uint32_t *sum_weights;	/* list: sum of item_weights[0..i] */
	uint32_t *straws;	/* straw: precomputed straw lengths */
	uint32_t num_nodes;	/* tree (a u8 on the wire) */
	uint32_t *node_weights;	/* tree: binary tree of weights */
};

/* choose_args: alternative weights (one set per replica position) and
 * alternative ids for straw2 draws, per bucket. */
struct crush_weight_set {
	uint32_t size;		/* == bucket size */
	uint32_t *weights;
};

struct crush_choose_arg {
	uint32_t bucket_index;	/* -1 - bucket id */
	uint32_t ids_size;	/* 0 or the bucket's size */
	int32_t *ids;
	uint32_t weight_set_positions;
	struct crush_weight_set *weight_set;
};

/* Kept sparse (sorted by bucket_index) rather than one slot per bucket:
 * a dense array per map would let a small hostile input demand
 * (number of maps) x (max_buckets) slots. */
struct crush_choose_arg_map {
	int64_t index;			/* pool id, or -1 for the compat set */
	uint32_t num_args;
	struct crush_choose_arg *args;	/* sorted by bucket_index */
};

/* An id -> name pair of the type, item and rule name maps. */
struct crush_name {
	int32_t id;
	char *name;
};

/* class_bucket: the shadow bucket holding only `class_id` devices of
 * `bucket`. */
struct crush_class_bucket {
	int32_t bucket;
	int32_t class_id;
	int32_t shadow;
};

struct crush_class_item {
	int32_t item;
	int32_t class_id;
};

struct crush_map {
	int refs;			/* see crush_get()/crush_put() */

	struct crush_bucket **buckets;	/* max_buckets slots, NULL if empty */
	int32_t max_buckets;
	struct crush_rule **rules;	/* max_rules slots, NULL if empty */
	uint32_t max_rules;
	int32_t max_devices;		/* 1 + the largest device in a bucket,
					 * recomputed as Ceph does */

	/* tunables */
	uint32_t choose_local_tries;
	uint32_t choose_local_fallback_tries;
	uint32_t choose_total_tries;
	uint32_t chooseleaf_descend_once;
	uint8_t chooseleaf_vary_r;
	uint8_t chooseleaf_stable;
	uint8_t straw_calc_version;
	uint32_t allowed_bucket_algs;

	/* names, each sorted by id */
	struct crush_name *type_names;
	uint32_t num_type_names;
	struct crush_name *item_names;
	uint32_t num_item_names;
	struct crush_name *rule_names;
	uint32_t num_rule_names;

	/* device classes, each sorted by its first field */
	struct crush_class_item *class_map;
	uint32_t num_class_map;
	struct crush_name *class_names;
	uint32_t num_class_names;
	struct crush_class_bucket *class_buckets;
	uint32_t num_class_buckets;

	/* sorted by index */
	struct crush_choose_arg_map *choose_args;
	uint32_t num_choose_args;
};

/* Decodes a whole encoded CRUSH map (as `crushtool -c` writes it and as it
 * sits inside an OSDMap). Fields a map lacks take Ceph's legacy defaults.
 * Guarantees for the mapper: each bucket sits at buckets[-1 - id]; every
 * per-item array has `size` entries; a choose_arg's ids and weight sets
 * have the bucket's size and refer to an existing bucket. Item ids inside
 * buckets and rule arguments are NOT checked: the mapper must check
 * them. Returns 0, -EBADMSG, -ENOTSUP (bad magic) or -ENOMEM. */
int crush_decode(const uint8_t *p, size_t n, struct crush_map **out);

/* Reference counting, so several OSDMap epochs can share one CRUSH map.
 * A decoded map starts with one reference; crush_free() is crush_put(). */
struct crush_map *crush_get(struct crush_map *c);
void crush_put(struct crush_map *c);
void crush_free(struct crush_map *c);

/* Lookups; NULL when absent. */
const struct crush_bucket *crush_bucket_by_id(const struct crush_map *c,
					      int32_t id);
const struct crush_rule *crush_rule_by_id(const struct crush_map *c,
					  uint32_t ruleno);
/* The rule with this ruleset and type whose size range holds `size`;
 * returns its index or -ENOENT. */
int crushmap_find_rule(const struct crush_map *c, int ruleset, int type,
		    int size);
const char *crush_type_name(const struct crush_map *c, int32_t type);
const char *crush_item_name(const struct crush_map *c, int32_t id);
const char *crush_rule_name(const struct crush_map *c, int32_t ruleno);
const char *crush_class_name(const struct crush_map *c, int32_t class_id);
/* The class id of a device (or bucket), or -ENOENT. */
int crush_item_class(const struct crush_map *c, int32_t item);
/* The shadow bucket of `bucket` for a class, or 0 if none. */
int32_t crush_class_shadow(const struct crush_map *c, int32_t bucket,
			   int32_t class_id);
/* Finds the bucket or device called `name`: 0 and *id, or -ENOENT. */
int crush_item_by_name(const struct crush_map *c, const char *name,
		       int32_t *id);
const struct crush_choose_arg_map *
crush_choose_args_find(const struct crush_map *c, int64_t index);
/* The choose_arg of one bucket in a choose_args map, or NULL. */
const struct crush_choose_arg *
crush_choose_arg_for(const struct crush_choose_arg_map *m, int32_t bucket_id);

#endif
