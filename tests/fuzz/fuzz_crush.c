/* Fuzz target: CRUSH map decoding and the lookups a mapper makes. */
#include <stddef.h>
#include <stdint.h>

#include "osd/crush.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crush_map *c;
	volatile uint32_t sink = 0;

	if (crush_decode(data, size, &c))
		return 0;
	/* touch every array the decoder promises to size correctly */
	for (int32_t i = 0; i < c->max_buckets; i++) {
		const struct crush_bucket *b = crush_bucket_by_id(c, -1 - i);

		for (uint32_t j = 0; b && j < b->size; j++) {
			sink += (uint32_t)b->items[j];
			if (b->item_weights)
				sink += b->item_weights[j];
			if (b->sum_weights)
				sink += b->sum_weights[j];
			if (b->straws)
				sink += b->straws[j];
		}
		for (uint32_t j = 0; b && j < b->num_nodes; j++)
			sink += b->node_weights[j];
	}
	for (uint32_t i = 0; i < c->num_choose_args; i++) {
		const struct crush_choose_arg_map *m = &c->choose_args[i];

		for (uint32_t j = 0; j < m->num_args; j++) {
			const struct crush_choose_arg *a = &m->args[j];
			const struct crush_bucket *b =
				crush_bucket_by_id(c, -1 - (int32_t)a->bucket_index);

			for (uint32_t k = 0; k < a->weight_set_positions; k++)
				for (uint32_t l = 0; l < b->size; l++)
					sink += a->weight_set[k].weights[l];
			for (uint32_t l = 0; l < a->ids_size; l++)
				sink += (uint32_t)a->ids[l];
		}
	}
	(void)crush_item_name(c, 0);
	(void)crushmap_find_rule(c, 0, 1, 3);
	crush_free(c);
	(void)sink;
	return 0;
}
