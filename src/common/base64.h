/* Base64 (RFC 4648, standard alphabet) as Ceph armors keys in keyrings:
 * whitespace between groups is skipped and '=' padding is optional. */
#ifndef SIPHON_COMMON_BASE64_H
#define SIPHON_COMMON_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Decodes len chars of in into out (cap bytes). Returns the decoded length,
 * -EINVAL on a bad character or padding, -ENOSPC if out is too small. */
long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* Encodes len bytes with padding into out, NUL-terminated. Returns the
 * text length or -ENOSPC if cap < 4 * ceil(len / 3) + 1. */
long base64_encode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
