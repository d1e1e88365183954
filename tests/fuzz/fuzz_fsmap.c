/* Fuzz target: FSMap, MFSMap and MFSMapUser decoding. */
#include <stdint.h>
#include <stdlib.h>

#include "mds/fsmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsmap_user *u;
	struct fsmap *m;
	int32_t id;

	if (fsmap_decode(data, size, &m) == 0) {
		for (uint32_t i = 0; i < m->num_fs; i++)
			(void)fsmap_fs_by_name(m, m->fs[i].map->fs_name);
		fsmap_free(m);
	}
	if (mfsmap_decode(data, size, &m) == 0)
		fsmap_free(m);
	if (mfsmapuser_decode(data, size, &u) == 0) {
		(void)fsmap_user_fscid(u, "cephfs", &id);
		fsmap_user_free(u);
	}
	return 0;
}
