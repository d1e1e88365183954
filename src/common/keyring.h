/* Ceph keyrings: the plain-text form ceph-authtool writes ([client.admin]
 * with key = BASE64 and caps lines) and the CryptoKey inside each key. */
#ifndef SIPHON_COMMON_KEYRING_H
#define SIPHON_COMMON_KEYRING_H

#include <stddef.h>
#include <stdint.h>

struct sp_config;
struct sp_keyring;

#define CEPH_CRYPTO_NONE 0
#define CEPH_CRYPTO_AES  1
#define KEYRING_SECRET_MAX 64

/* A CryptoKey as its base64 text decodes: u16 type, utime created (u32
 * seconds, u32 nanoseconds), u16 length, then the secret (16 bytes for
 * AES), all little-endian. */
struct keyring_key {
	uint16_t type;
	uint32_t created_sec, created_nsec;
	uint16_t len;
	uint8_t secret[KEYRING_SECRET_MAX];
};

/* Decodes the base64 text of a key (as in "key = AQ...=="); -EINVAL with
 * a reason in err when it is not a valid CryptoKey. */
int keyring_decode_key(const char *b64, struct keyring_key *key,
		       char *err, size_t errlen);

/* Parses keyring text; name is used in messages ("PATH:LINE: ..."). */
int keyring_parse_buffer(struct sp_keyring **out, const char *name,
			 const void *data, size_t len, char *err, size_t errlen);
int keyring_read_file(struct sp_keyring **out, const char *path,
		      char *err, size_t errlen);
/*
 * The keyring for cfg, as Ceph finds it: the first existing file of the
 * 'keyring' option (default /etc/ceph/$cluster.$name.keyring,
 * /etc/ceph/$cluster.keyring, /etc/ceph/keyring, /etc/ceph/keyring.bin),
 * plus the 'key' option (base64) and the 'keyfile' option (a file holding
 * the base64 key) for the configured name. -ENOENT when none of them is
 * there.
 */
int keyring_load(struct sp_keyring **out, struct sp_config *cfg,
		 char *err, size_t errlen);
void keyring_destroy(struct sp_keyring *kr);

/* The file the keyring came from, or NULL. */
const char *keyring_path(const struct sp_keyring *kr);
int keyring_count(const struct sp_keyring *kr);
const char *keyring_entity(const struct sp_keyring *kr, int i);

/* The CryptoKey of entity ("client.admin"), or NULL. */
const struct keyring_key *keyring_find(const struct sp_keyring *kr,
				       const char *entity);
/* Copies the secret of entity into secret (*len bytes of room; set to the
 * secret's length). -ENOENT if the entity or its key is absent, -ENOSPC if
 * the room is too small. */
int keyring_get_key(const struct sp_keyring *kr, const char *entity,
		    uint8_t *secret, size_t *len);
/* "allow *" for keyring_get_caps(kr, "client.admin", "mon"), or NULL. */
const char *keyring_get_caps(const struct sp_keyring *kr, const char *entity,
			     const char *service);

#endif
