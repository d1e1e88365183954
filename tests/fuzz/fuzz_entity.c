/* Fuzz target: entity_addr / entity_addrvec wire decoding and the text
 * parser used for 'mon host', with a re-encode round trip. */
#include <stdlib.h>
#include <string.h>

#include "encoding/entity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct entity_addrvec av, av2;
	struct buf b = BUF_INIT;
	struct dec d;
	char *s;

	dec_init(&d, data, size);
	if (entity_addrvec_decode(&d, &av) == 0 && av.n) {
		entity_addrvec_encode(&b, &av);
		dec_init(&d, b.data, b.len);
		if (entity_addrvec_decode(&d, &av2) || av2.n != av.n)
			abort();
		for (uint32_t i = 0; i < av.n; i++) {
			char t[128];

			entity_addr_format(&av.v[i], t, sizeof(t));
		}
	}
	buf_free(&b);
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	entity_addrvec_parse(s, &av);
	free(s);
	return 0;
}
