/* CRC32C (Castagnoli) as Ceph uses it: the raw register update with no
 * pre- or post-inversion. Messenger v1 seeds it with 0, v2 with ~0; the
 * common "iSCSI" CRC32C of data is ~crc32c(~0, data, len). */
#ifndef SIPHON_ENCODING_CRC32C_H
#define SIPHON_ENCODING_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t seed, const void *data, size_t len);

/* The portable implementation alone, for tests that compare the two. */
uint32_t crc32c_portable(uint32_t seed, const void *data, size_t len);

/* 1 if the SSE4.2 instruction is in use. */
int crc32c_hw_available(void);

#endif
