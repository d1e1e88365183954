/* CRUSH mapping: the rjenkins1 hashes, the fixed-point log used by straw2,
 * and the rule interpreter that turns an input x into a list of devices.
 * Pure computation over a decoded map (crush.h): no I/O, no allocation,
 * no global state, safe on hostile maps (bounded work, checked ids). */
#ifndef SIPHON_OSD_CRUSH_MAPPER_H
#define SIPHON_OSD_CRUSH_MAPPER_H

#include <stdint.h>

#include "osd/crush.h"

/* The largest result_max scrush_do_rule accepts. */
#define SCRUSH_MAX_RESULT 64

/* Work budget of one scrush_do_rule call, in hashes drawn (a draw from a
 * bucket costs its size). A sane map needs well under a million even with
 * many devices out; the budget only stops hostile maps (loops between
 * buckets, huge buckets, billions of tries). */
#define SCRUSH_WORK_BUDGET (1u << 24)

/* A descent deeper than this many buckets is treated as a bad item (a
 * loop in the map); real hierarchies have about ten levels. */
#define SCRUSH_MAX_DEPTH 128

/* Ceph's rjenkins1 hashes of 1..5 32-bit words (CRUSH_HASH_RJENKINS1).
 * An unknown hash type yields 0, as in Ceph. */
uint32_t scrush_hash32(int type, uint32_t a);
uint32_t scrush_hash32_2(int type, uint32_t a, uint32_t b);
uint32_t scrush_hash32_3(int type, uint32_t a, uint32_t b, uint32_t c);
uint32_t scrush_hash32_4(int type, uint32_t a, uint32_t b, uint32_t c,
			 uint32_t d);
uint32_t scrush_hash32_5(int type, uint32_t a, uint32_t b, uint32_t c,
			 uint32_t d, uint32_t e);

/* 2^44 * log2(x + 1) in fixed point, for x in [0, 0xffff] (higher bits
 * of x are ignored): the table-driven log straw2 draws with. */
uint64_t scrush_ln(uint32_t x);

/* The lookup tables behind scrush_ln, exposed for their unit test:
 * rh_lh[2k] ~ 2^48 / (1 + k/128), rh_lh[2k+1] ~ 2^48 * log2(1 + k/128)
 * (k = 0..128), ll[k] ~ 2^48 * log2(1 + k/2^15) (k = 0..255). */
extern const uint64_t scrush_rh_lh_table[258];
extern const uint64_t scrush_ll_table[256];

/* The choose_args set Ceph's CrushWrapper uses for `index` (a pool id):
 * that index's set, else the compat set (-1), else NULL. */
const struct crush_choose_arg_map *
scrush_choose_args_for(const struct crush_map *map, int64_t index);

/* Runs rule `ruleno` on input x, as Ceph's crush_do_rule: fills
 * result[0..n) and returns n (0 <= n <= result_max). Firstn steps give a
 * compact list; indep steps keep positions and mark holes with
 * CRUSH_ITEM_NONE.
 *
 * weights[i] is the 16.16 "in" weight of device i (the OSDMap's
 * osd_weight): 0x10000 always in, 0 always out, in between in for that
 * fraction of inputs; devices at or past weight_max are out.
 * choose_args: NULL, or the alternative straw2 weights and ids to draw
 * with (see scrush_choose_args_for).
 *
 * Returns -EINVAL for a missing rule or a result_max outside
 * 1..SCRUSH_MAX_RESULT, -ELOOP if the map needed more than
 * SCRUSH_WORK_BUDGET steps (a hostile map). Bad item ids, missing
 * buckets and loops are skipped like Ceph skips bad items. */
int scrush_do_rule(const struct crush_map *map, int ruleno, int32_t x,
		   int32_t *result, int result_max, const uint32_t *weights,
		   int weight_max, const struct crush_choose_arg_map *choose_args);

/* The same with another work budget (the fuzz target uses a small one so
 * that hostile maps fail fast). */
int scrush_do_rule_budget(const struct crush_map *map, int ruleno, int32_t x,
			  int32_t *result, int result_max,
			  const uint32_t *weights, int weight_max,
			  const struct crush_choose_arg_map *choose_args,
			  uint32_t budget);

#endif
