/* Base64 decoding and encoding for keyring secrets. */
#include "base64.h"

#include <errno.h>

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The 6-bit value of c, -1 for '=', -2 for whitespace, -3 otherwise. */
static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '=')
		return -1;
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		return -2;
	return -3;
}

long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t n = 0, pad = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		int v = b64_value(in[i]);

		if (v == -2)
			continue;
		if (v == -3)
			return -EINVAL;
		if (v == -1) {
			pad++;
			continue;
		}
		if (pad)
			return -EINVAL;	/* data after padding */
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -ENOSPC;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero and fewer than a byte; padding, when
	 * present, must complete the last group of four. */
	if (bits >= 6 || (acc & ((1u << bits) - 1)))
		return -EINVAL;
	if (pad && (pad > 2 || pad != (size_t)(bits / 2)))
		return -EINVAL;
	return (long)n;
}

long base64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = (len + 2) / 3 * 4 + 1, o = 0;

	if (cap < need)
		return -ENOSPC;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = len - i < 3 ? len - i : 3;

		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = k > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
		out[o++] = k > 2 ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return (long)o;
}
