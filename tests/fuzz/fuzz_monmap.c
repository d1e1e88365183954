/* Fuzz target: MonMap and MMonMap front decoding. */
#include <stdint.h>
#include <stdlib.h>

#include "mon/monmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct monmap *m;

	if (monmap_decode(data, size, &m) == 0) {
		for (int i = 0; i < monmap_num_mons(m); i++)
			(void)monmap_rank_by_name(m, m->mons[i].name);
		monmap_free(m);
	}
	if (mmonmap_decode(data, size, &m) == 0)
		monmap_free(m);
	return 0;
}
