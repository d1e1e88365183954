/* Keyring files: ini sections per entity, parsed with the config parser,
 * and the decoding of the base64 CryptoKey of each one. */
#include "keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "config.h"

#define KEYRING_DEFAULT \
	"/etc/ceph/$cluster.$name.keyring,/etc/ceph/$cluster.keyring," \
	"/etc/ceph/keyring,/etc/ceph/keyring.bin"
#define KEYRING_AES_LEN 16

struct kr_caps {
	char *service;
	char *caps;
};

struct kr_entry {
	char *entity;
	bool has_key;
	struct keyring_key key;
	struct kr_caps *caps;
	size_t ncaps;
};

struct sp_keyring {
	char *path;
	struct kr_entry *v;
	int n, cap;
};

static int kr_fail(char *err, size_t errlen, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int kr_fail(char *err, size_t errlen, int r, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return r;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int keyring_decode_key(const char *b64, struct keyring_key *key,
		       char *err, size_t errlen)
{
	uint8_t raw[12 + KEYRING_SECRET_MAX];
	long n = base64_decode(b64, strlen(b64), raw, sizeof(raw));

	memset(key, 0, sizeof(*key));
	if (n == -ENOSPC)
		return kr_fail(err, errlen, -EINVAL, "key is too long");
	if (n < 0)
		return kr_fail(err, errlen, -EINVAL, "key is not valid base64");
	if (n < 12)
		return kr_fail(err, errlen, -EINVAL, "key is too short");
	key->type = le16(raw);
	key->created_sec = le32(raw + 2);
	key->created_nsec = le32(raw + 6);
	key->len = le16(raw + 10);
	if (key->type != CEPH_CRYPTO_NONE && key->type != CEPH_CRYPTO_AES)
		return kr_fail(err, errlen, -EINVAL, "unknown key type %u",
			       key->type);
	if (key->len > n - 12)
		return kr_fail(err, errlen, -EINVAL,
			       "key says %u secret bytes but has %ld",
			       key->len, n - 12);
	if (key->type == CEPH_CRYPTO_AES && key->len < KEYRING_AES_LEN)
		return kr_fail(err, errlen, -EINVAL,
			       "AES key has %u bytes, needs %d", key->len,
			       KEYRING_AES_LEN);
	memcpy(key->secret, raw + 12, key->len);
	return 0;
}

void keyring_destroy(struct sp_keyring *kr)
{
	if (!kr)
		return;
	for (int i = 0; i < kr->n; i++) {
		for (size_t j = 0; j < kr->v[i].ncaps; j++) {
			free(kr->v[i].caps[j].service);
			free(kr->v[i].caps[j].caps);
		}
		free(kr->v[i].caps);
		free(kr->v[i].entity);
	}
	free(kr->v);
	free(kr->path);
	free(kr);
}

static struct kr_entry *kr_lookup(const struct sp_keyring *kr,
				  const char *entity)
{
	for (int i = 0; i < kr->n; i++)
		if (!strcmp(kr->v[i].entity, entity))
			return &kr->v[i];
	return NULL;
}

/* The entry for entity, added if new; NULL when out of memory. */
static struct kr_entry *kr_get(struct sp_keyring *kr, const char *entity)
{
	struct kr_entry *e = kr_lookup(kr, entity);

	if (e)
		return e;
	if (kr->n == kr->cap) {
		int cap = kr->cap ? 2 * kr->cap : 4;
		struct kr_entry *v = realloc(kr->v, (size_t)cap * sizeof(*v));

		if (!v)
			return NULL;
		kr->v = v;
		kr->cap = cap;
	}
	e = &kr->v[kr->n];
	memset(e, 0, sizeof(*e));
	e->entity = strdup(entity);
	if (!e->entity)
		return NULL;
	kr->n++;
	return e;
}

static int kr_add_caps(struct kr_entry *e, const char *service,
		       const char *caps)
{
	struct kr_caps *v = realloc(e->caps, (e->ncaps + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	e->caps = v;
	v[e->ncaps].service = strdup(service);
	v[e->ncaps].caps = strdup(caps);
	if (!v[e->ncaps].service || !v[e->ncaps].caps) {
		free(v[e->ncaps].service);
		free(v[e->ncaps].caps);
		return -ENOMEM;
	}
	e->ncaps++;
	return 0;
}

/* TYPE.ID with one of Ceph's entity types (the ID may be empty: "mon."). */
static bool entity_name_ok(const char *s)
{
	static const char *const types[] = {
		"auth.", "mon.", "osd.", "mds.", "mgr.", "client.",
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strncmp(s, types[i], strlen(types[i])))
			return true;
	return false;
}

/* One entry of section i: the key, a caps line, or something ignored. */
static int kr_entry_line(struct kr_entry *e, const char *name, const char *k,
			 const char *v, unsigned line, char *err, size_t errlen)
{
	char why[128];

	if (!strcmp(k, "key")) {
		if (keyring_decode_key(v, &e->key, why, sizeof(why)))
			return kr_fail(err, errlen, -EINVAL, "%s:%u: [%s]: %s",
				       name, line, e->entity, why);
		e->has_key = true;
		return 0;
	}
	if (!strncmp(k, "caps_", 5) && k[5])
		return kr_add_caps(e, k + 5, v) ?
		       kr_fail(err, errlen, -ENOMEM, "out of memory") : 0;
	return 0;	/* auid and the like */
}

static int kr_section(struct sp_keyring *kr, const struct sp_config *cfg,
		      size_t i, const char *name, char *err, size_t errlen)
{
	const char *sec = config_section_name(cfg, i), *k, *v;
	struct kr_entry *e;
	unsigned line;
	int r = 0;

	if (!entity_name_ok(sec))
		return kr_fail(err, errlen, -EINVAL,
			       "%s:%u: [%s] is not an entity name (TYPE.ID)",
			       name, config_section_line(cfg, i), sec);
	e = kr_get(kr, sec);
	if (!e)
		return kr_fail(err, errlen, -ENOMEM, "out of memory");
	for (size_t j = 0; !r && !config_section_entry(cfg, i, j, &k, &v, &line); j++)
		r = kr_entry_line(e, name, k, v, line, err, errlen);
	return r;
}

int keyring_parse_buffer(struct sp_keyring **out, const char *name,
			 const void *data, size_t len, char *err, size_t errlen)
{
	struct sp_config *cfg = config_create();
	struct sp_keyring *kr = calloc(1, sizeof(*kr));
	int r = 0;

	if (!name)
		name = "(keyring)";
	if (!cfg || !kr || !(kr->path = strdup(name)))
		r = kr_fail(err, errlen, -ENOMEM, "out of memory");
	if (!r)
		r = config_parse_buffer(cfg, name, data, len, err, errlen);
	for (size_t i = 0; !r && i < config_section_count(cfg); i++)
		r = kr_section(kr, cfg, i, name, err, errlen);
	config_destroy(cfg);
	if (r) {
		keyring_destroy(kr);
		return r;
	}
	*out = kr;
	return 0;
}

/* Reads a whole (small) file; *len bytes in malloc'd *data. */
static int read_small_file(const char *path, char **data, size_t *len,
			   char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return kr_fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			char *b = cap > (1u << 22) ? NULL : realloc(buf, cap ? 2 * cap : 4096);

			if (!b) {
				free(buf);
				fclose(f);
				return kr_fail(err, errlen, -EFBIG, "%s: %s", path,
					       strerror(EFBIG));
			}
			buf = b;
			cap = cap ? 2 * cap : 4096;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		free(buf);
		fclose(f);
		return kr_fail(err, errlen, -e, "%s: %s", path, strerror(e));
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

int keyring_read_file(struct sp_keyring **out, const char *path,
		      char *err, size_t errlen)
{
	char *data;
	size_t len;
	int r = read_small_file(path, &data, &len, err, errlen);

	if (r)
		return r;
	r = keyring_parse_buffer(out, path, data, len, err, errlen);
	free(data);
	return r;
}

const char *keyring_path(const struct sp_keyring *kr)
{
	return kr->path;
}

int keyring_count(const struct sp_keyring *kr)
{
	return kr->n;
}

const char *keyring_entity(const struct sp_keyring *kr, int i)
{
	return i >= 0 && i < kr->n ? kr->v[i].entity : NULL;
}

const struct keyring_key *keyring_find(const struct sp_keyring *kr,
				       const char *entity)
{
	const struct kr_entry *e = kr_lookup(kr, entity);

	return e && e->has_key ? &e->key : NULL;
}

int keyring_get_key(const struct sp_keyring *kr, const char *entity,
		    uint8_t *secret, size_t *len)
{
	const struct keyring_key *k = keyring_find(kr, entity);

	if (!k)
		return -ENOENT;
	if (*len < k->len)
		return -ENOSPC;
	memcpy(secret, k->secret, k->len);
	*len = k->len;
	return 0;
}

const char *keyring_get_caps(const struct sp_keyring *kr, const char *entity,
			     const char *service)
{
	const struct kr_entry *e = kr_lookup(kr, entity);

	for (size_t i = 0; e && i < e->ncaps; i++)
		if (!strcmp(e->caps[i].service, service))
			return e->caps[i].caps;
	return NULL;
}

/* Adds the base64 key b64 for entity; where names its source. */
static int kr_add_key(struct sp_keyring *kr, const char *entity,
		      const char *b64, const char *where, char *err,
		      size_t errlen)
{
	struct keyring_key key;
	struct kr_entry *e;
	char why[128];

	if (keyring_decode_key(b64, &key, why, sizeof(why)))
		return kr_fail(err, errlen, -EINVAL, "%s: %s", where, why);
	e = kr_get(kr, entity);
	if (!e)
		return kr_fail(err, errlen, -ENOMEM, "out of memory");
	e->key = key;
	e->has_key = true;
	return 0;
}

static int kr_add_keyfile(struct sp_keyring *kr, const char *entity,
			  const char *path, char *err, size_t errlen)
{
	char *data, *text;
	size_t len;
	int r = read_small_file(path, &data, &len, err, errlen);

	if (r)
		return r;
	text = strndup(data, len);
	free(data);
	if (!text)
		return kr_fail(err, errlen, -ENOMEM, "out of memory");
	r = kr_add_key(kr, entity, text, path, err, errlen);
	free(text);
	return r;
}

/* The first file of list that can be opened, copied into out. */
static bool kr_search(const char *list, char *out, size_t cap)
{
	char *copy = strdup(list), *save = NULL, *tok;
	bool found = false;

	for (tok = copy ? strtok_r(copy, ",; \t=", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, ",; \t=", &save)) {
		int fd = open(tok, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			snprintf(out, cap, "%s", tok);
			found = strlen(tok) < cap;
		}
	}
	free(copy);
	return found;
}

static int kr_extras(struct sp_keyring *kr, struct sp_config *cfg,
		     const char *key, const char *keyfile, char *err,
		     size_t errlen)
{
	int r = 0;

	if (key && *key)
		r = kr_add_key(kr, config_name(cfg), key, "option 'key'", err,
			       errlen);
	if (!r && keyfile && *keyfile)
		r = kr_add_keyfile(kr, config_name(cfg), keyfile, err, errlen);
	return r;
}

int keyring_load(struct sp_keyring **out, struct sp_config *cfg,
		 char *err, size_t errlen)
{
	const char *list = config_get(cfg, "keyring");
	const char *key = config_get(cfg, "key");
	const char *keyfile = config_get(cfg, "keyfile");
	struct sp_keyring *kr = NULL;
	char path[4096];
	int r = 0;

	list = config_expand(cfg, list ? list : KEYRING_DEFAULT);
	if (!list)
		return kr_fail(err, errlen, -ENOMEM, "out of memory");
	if (kr_search(list, path, sizeof(path)))
		r = keyring_read_file(&kr, path, err, errlen);
	else if ((!key || !*key) && (!keyfile || !*keyfile))
		return kr_fail(err, errlen, -ENOENT,
			       "unable to find a keyring on %s: %s", list,
			       strerror(ENOENT));
	else if (!(kr = calloc(1, sizeof(*kr))))
		r = kr_fail(err, errlen, -ENOMEM, "out of memory");
	if (!r)
		r = kr_extras(kr, cfg, key, keyfile, err, errlen);
	if (r) {
		keyring_destroy(kr);
		return r;
	}
	*out = kr;
	return 0;
}
