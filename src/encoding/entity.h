/* Entity names (mon.a, client.4123) and entity addresses (entity_addr_t,
 * entity_addrvec_t) with their wire encodings and text forms. */
#ifndef SIPHON_ENCODING_ENTITY_H
#define SIPHON_ENCODING_ENTITY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "dec.h"

/* Entity types, as Ceph numbers them (CEPH_ENTITY_TYPE_*). */
#define CEPH_ENTITY_TYPE_MON    0x01
#define CEPH_ENTITY_TYPE_MDS    0x02
#define CEPH_ENTITY_TYPE_OSD    0x04
#define CEPH_ENTITY_TYPE_CLIENT 0x08
#define CEPH_ENTITY_TYPE_MGR    0x10
#define CEPH_ENTITY_TYPE_AUTH   0x20

/* entity_addr_t types */
#define CEPH_ENTITY_ADDR_TYPE_NONE   0
#define CEPH_ENTITY_ADDR_TYPE_LEGACY 1	/* messenger v1 */
#define CEPH_ENTITY_ADDR_TYPE_MSGR2  2
#define CEPH_ENTITY_ADDR_TYPE_ANY    3

#define ENTITY_ADDR_LEGACY_LEN 136	/* u32 type, u32 nonce, sockaddr_storage */
#define ENTITY_ADDRVEC_MAX 8

struct entity_name {
	uint8_t type;
	uint64_t num;
};

struct entity_addr {
	uint32_t type;
	uint32_t nonce;
	struct sockaddr_storage ss;	/* AF_INET, AF_INET6 or AF_UNSPEC */
};

struct entity_addrvec {
	uint32_t n;
	struct entity_addr v[ENTITY_ADDRVEC_MAX];
};

const char *entity_type_name(uint8_t type);	/* "mon", "osd", ... */

/* "[v1:]IP:PORT[/NONCE]" with IPv6 in brackets, e.g. "v1:127.0.0.1:6789/0". */
int entity_addr_format(const struct entity_addr *a, char *out, size_t cap);
bool entity_addr_equal(const struct entity_addr *a, const struct entity_addr *b);
uint16_t entity_addr_port(const struct entity_addr *a);
void entity_addr_set_port(struct entity_addr *a, uint16_t port);
socklen_t entity_addr_socklen(const struct entity_addr *a);

/* Parses one address: "IP", "IP:PORT", "[IPv6]:PORT", optionally prefixed
 * with "v1:" or "v2:" and followed by "/NONCE". A missing port is 0 and a
 * missing prefix gives type ANY. -EINVAL on anything else. */
int entity_addr_parse(const char *s, struct entity_addr *a);

/* Parses "ADDR" or "[ADDR,ADDR,...]" (the ceph.conf and `ceph` forms of
 * an addrvec). */
int entity_addrvec_parse(const char *s, struct entity_addrvec *av);

/* The first address of the given type in av, or NULL. */
const struct entity_addr *entity_addrvec_find(const struct entity_addrvec *av,
					      uint32_t type);

/* Wire forms. The legacy form is 136 bytes with a big-endian family; the
 * current one is marker 1 + a versioned struct with a little-endian
 * family. entity_addr_decode() accepts either (marker 0 or 1). */
int entity_addr_decode(struct dec *d, struct entity_addr *a);
int entity_addr_decode_legacy(struct dec *d, struct entity_addr *a);
void entity_addr_encode(struct buf *b, const struct entity_addr *a);
void entity_addr_encode_legacy(struct buf *b, const struct entity_addr *a);

/* An addrvec: marker 2 + count + addrs, or (older encoders) a single
 * entity_addr in either form. Extra entries beyond ENTITY_ADDRVEC_MAX are
 * decoded and dropped. */
int entity_addrvec_decode(struct dec *d, struct entity_addrvec *av);
void entity_addrvec_encode(struct buf *b, const struct entity_addrvec *av);

#endif
