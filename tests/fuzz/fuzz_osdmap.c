/* Fuzz target: full OSDMap and MOSDMap decoding. */
#include <stddef.h>
#include <stdint.h>

#include "osd/osdmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osdmap *m;
	struct mosdmap mm;

	/* the crc would stop nearly every mutation at the end: skip it,
	 * but keep one path that checks it */
	if (osdmap_decode_flags(data, size, OSDMAP_DECODE_NO_CRC, &m) == 0)
		osdmap_free(m);
	if (osdmap_decode(data, size, &m) == 0)
		osdmap_free(m);
	if (mosdmap_decode(data, size, &mm) == 0)
		mosdmap_release(&mm);
	return 0;
}
