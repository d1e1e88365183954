/* Fuzz target for the config parser, option lookups, monitor parsing (no
 * DNS), the keyring parser and the argv parser. The first byte picks one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "common/keyring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void query(struct sp_config *cfg)
{
	static const char *const keys[] = {
		"mon host", "keyring", "log_file", "a", "debug_ms", "x",
	};
	struct config_mon *mons;
	uint64_t z;
	int64_t i;
	double d;
	bool b;
	int n;

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		config_get(cfg, keys[k]);
		config_origin(cfg, keys[k]);
		config_get_int(cfg, keys[k], &i);
		config_get_bool(cfg, keys[k], &b);
		config_get_seconds(cfg, keys[k], &d);
		config_get_size(cfg, keys[k], &z);
	}
	if (config_mons(cfg, &mons, &n) == 0)
		free(mons);
	config_set_id(cfg, "x");
	config_get(cfg, "a");
}

static void fuzz_ini(const uint8_t *data, size_t size)
{
	struct sp_config *cfg = config_create();

	if (!cfg)
		return;
	config_set_flags(cfg, CONFIG_F_NO_DNS | CONFIG_F_NO_ENV);
	if (config_parse_buffer(cfg, "fuzz", data, size, NULL, 0) == 0)
		query(cfg);
	config_destroy(cfg);
}

static void fuzz_keyring(const uint8_t *data, size_t size)
{
	struct sp_keyring *kr;
	uint8_t secret[KEYRING_SECRET_MAX];
	char err[256];

	if (keyring_parse_buffer(&kr, "fuzz", data, size, err, sizeof(err)))
		return;
	for (int i = 0; i < keyring_count(kr); i++) {
		size_t len = sizeof(secret);

		keyring_get_key(kr, keyring_entity(kr, i), secret, &len);
		keyring_get_caps(kr, keyring_entity(kr, i), "mon");
	}
	keyring_destroy(kr);
}

/* NUL-separated arguments, then lookups of what they set. */
static void fuzz_argv(const uint8_t *data, size_t size)
{
	struct sp_config *cfg = config_create();
	char *copy = malloc(size + 1), *argv[65];
	int argc = 1;

	if (!cfg || !copy)
		goto out;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "fuzz";
	for (size_t i = 0; i < size && argc < 64; i += strlen(copy + i) + 1)
		argv[argc++] = copy + i;
	argv[argc] = NULL;
	config_set_flags(cfg, CONFIG_F_NO_DNS | CONFIG_F_NO_ENV | CONFIG_F_DASH_I);
	if (config_parse_argv(cfg, &argc, argv, NULL, 0) == 0)
		query(cfg);
out:
	config_destroy(cfg);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_ini(data + 1, size - 1);
		break;
	case 1:
		fuzz_keyring(data + 1, size - 1);
		break;
	default:
		fuzz_argv(data + 1, size - 1);
	}
	return 0;
}
