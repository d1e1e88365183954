/* Fuzz target: the CRUSH mapper on decoded (hostile) maps. Every rule
 * runs for a few inputs and result sizes, with weights derived from the
 * input; results must stay within result_max and name devices the map
 * has, CRUSH_ITEM_NONE, or (for rules that emit a TAKE) a bucket. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "osd/crush.h"
#include "osd/crush_mapper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int sizes[] = { 1, 3, SCRUSH_MAX_RESULT };
	struct crush_map *c;
	uint32_t weights[64];
	int32_t out[SCRUSH_MAX_RESULT];

	if (crush_decode(data, size, &c))
		return 0;
	/* devices 0..63: mostly in, some out, some partly in */
	for (int i = 0; i < 64; i++) {
		uint8_t b = size ? data[(size_t)i % size] : 0;

		weights[i] = b < 32 ? 0 : b < 64 ? (uint32_t)b << 10 : 0x10000;
	}
	for (uint32_t rule = 0; rule < c->max_rules && rule < 16; rule++) {
		for (int32_t x = 0; x < 3; x++) {
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				const struct crush_choose_arg_map *ca =
					scrush_choose_args_for(c, x - 1);
				/* a small budget: hostile maps fail fast */
				int n = scrush_do_rule_budget(c, (int)rule, x * 7919,
							      out, sizes[s], weights,
							      64, ca, 1u << 16);

				if (n < 0)
					continue;
				if (n > sizes[s])
					abort();
				for (int i = 0; i < n; i++)
					if (out[i] != CRUSH_ITEM_NONE &&
					    (out[i] >= c->max_devices ||
					     out[i] < -c->max_buckets))
						abort();
			}
		}
	}
	crush_free(c);
	return 0;
}
