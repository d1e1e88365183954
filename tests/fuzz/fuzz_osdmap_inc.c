/* Fuzz target: OSDMap incrementals, applied to a fixed base map built
 * from the input's own first part. Input: u32 base length, base full map,
 * then the incremental. */
#include <stddef.h>
#include <stdint.h>

#include "osd/osdmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osdmap *base, *next;
	uint32_t n;

	if (size < 4)
		return 0;
	n = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
	    (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
	if (n > size - 4)
		return 0;
	if (osdmap_decode_flags(data + 4, n, OSDMAP_DECODE_NO_CRC, &base))
		return 0;
	/* any epoch goes: the fuzzer should not have to guess base + 1.
	 * The epoch follows the wrapper (6 bytes), the client block's
	 * header (6) and the fsid (16). */
	if (size - 4 - n >= 32) {
		const uint8_t *p = data + 4 + n + 28;

		base->epoch = ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24) - 1;
	}
	if (osdmap_apply_incremental_flags(base, data + 4 + n, size - 4 - n,
					   OSDMAP_DECODE_NO_CRC, &next) == 0)
		osdmap_free(next);
	osdmap_free(base);
	return 0;
}
