/* Client-side authentication: the handshake carried in MAuth messages to
 * the monitor, and the authorizers shown to MDSs and OSDs on connect.
 * Each protocol (AUTH_NONE now, cephx later) is a struct auth_proto. */
#ifndef SIPHON_AUTH_AUTH_H
#define SIPHON_AUTH_AUTH_H

#include <stdint.h>

#include "encoding/buf.h"

#define CEPH_AUTH_UNKNOWN 0x0
#define CEPH_AUTH_NONE    0x1
#define CEPH_AUTH_CEPHX   0x2

#define AUTH_ID_MAX 128

/* An entity name as auth sees it: "client.admin" is {CLIENT, "admin"}. */
struct auth_entity {
	uint32_t type;
	char id[AUTH_ID_MAX];
};

struct auth_client;

/* Parses "client.admin"; -EINVAL if the type is unknown or id empty. */
int auth_entity_parse(const char *s, struct auth_entity *e);

struct auth_client *auth_client_create(const struct auth_entity *name);
void auth_client_destroy(struct auth_client *a);

/* The first MAuth payload (protocol 0): the protocols we accept, our
 * name and the global_id we had before (0 the first time). */
void auth_build_hello(struct auth_client *a, struct buf *b);

/* Takes the monitor's MAuthReply. Returns 0 when authenticated, 1 when
 * the protocol wants another round (next request payload in *more),
 * or a negative errno (-EACCES when refused, -EPROTONOSUPPORT when the
 * monitor picked a protocol we did not offer). */
int auth_handle_reply(struct auth_client *a, uint32_t protocol,
		      int32_t result, uint64_t global_id,
		      const uint8_t *payload, size_t len, struct buf *more);

uint32_t auth_protocol(const struct auth_client *a);	/* chosen one */
uint64_t auth_global_id(const struct auth_client *a);

/* The authorizer for a connection to a service (an MDS or OSD). */
int auth_build_authorizer(struct auth_client *a, uint32_t service_type,
			  uint32_t *protocol, struct buf *out);

/* Forget the session (a new monitor session starts over, keeping the
 * global_id to present again). */
void auth_reset(struct auth_client *a);

#endif
