/* Fuzz target: MMDSMap front and bare MDSMap decoding, plus the lookups. */
#include <stdint.h>
#include <stdlib.h>

#include "mds/mdsmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void poke(const struct mdsmap *m)
{
	for (uint32_t i = 0; i < m->num_in; i++) {
		(void)mdsmap_rank_state(m, m->in[i]);
		(void)mdsmap_is_failed(m, m->in[i]);
	}
	(void)mdsmap_availability(m);
	(void)mdsmap_requires_feature(m, 9);
	(void)mds_state_name(m->num_infos ? m->infos[0].state : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmdsmap mm;
	struct mdsmap *m;
	struct dec d;

	if (mmdsmap_decode(data, size, &mm) == 0) {
		poke(mm.map);
		mmdsmap_clear(&mm);
	}
	dec_init(&d, data, size);
	if (mdsmap_decode(&d, &m) == 0) {
		poke(m);
		mdsmap_free(m);
	}
	return 0;
}
