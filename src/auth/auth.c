/* Auth protocol selection and the AUTH_NONE protocol. With AUTH_NONE the
 * monitor's reply alone authenticates us, and the authorizer shown to a
 * service just states who we are. */
#include "auth.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "encoding/entity.h"

struct auth_client {
	struct auth_entity name;
	uint32_t protocol;	/* chosen by the monitor; 0 before */
	uint64_t global_id;
};

int auth_entity_parse(const char *s, struct auth_entity *e)
{
	static const struct {
		const char *name;
		uint32_t type;
	} types[] = {
		{ "client", CEPH_ENTITY_TYPE_CLIENT },
		{ "mon", CEPH_ENTITY_TYPE_MON },
		{ "mds", CEPH_ENTITY_TYPE_MDS },
		{ "osd", CEPH_ENTITY_TYPE_OSD },
		{ "mgr", CEPH_ENTITY_TYPE_MGR },
	};
	const char *dot = strchr(s, '.');

	if (!dot || !dot[1] || strlen(dot + 1) >= AUTH_ID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i].name);

		if ((size_t)(dot - s) == n && !strncmp(s, types[i].name, n)) {
			e->type = types[i].type;
			strcpy(e->id, dot + 1);
			return 0;
		}
	}
	return -EINVAL;
}

struct auth_client *auth_client_create(const struct auth_entity *name)
{
	struct auth_client *a = calloc(1, sizeof(*a));

	if (a)
		a->name = *name;
	return a;
}

void auth_client_destroy(struct auth_client *a)
{
	free(a);
}

static void put_entity_name(struct buf *b, const struct auth_entity *e)
{
	buf_put_u32(b, e->type);
	buf_put_str(b, e->id);
}

void auth_build_hello(struct auth_client *a, struct buf *b)
{
	buf_put_u8(b, 1);		/* struct_v */
	buf_put_u32(b, 1);		/* protocols we accept: */
	buf_put_u32(b, CEPH_AUTH_NONE);
	put_entity_name(b, &a->name);
	buf_put_u64(b, a->global_id);
}

int auth_handle_reply(struct auth_client *a, uint32_t protocol,
		      int32_t result, uint64_t global_id,
		      const uint8_t *payload, size_t len, struct buf *more)
{
	(void)payload;
	(void)len;
	(void)more;
	if (result < 0) {
		dout(LOG_AUTH, 0, "monitor refused authentication: %s",
		     strerror(-result));
		return result == -EACCES || result == -EPERM ? -EACCES : result;
	}
	if (protocol != CEPH_AUTH_NONE) {
		dout(LOG_AUTH, 0, "monitor chose auth protocol %u, we offered none",
		     protocol);
		return -EPROTONOSUPPORT;
	}
	a->protocol = protocol;
	a->global_id = global_id;
	dout(LOG_AUTH, 1, "authenticated with auth none, global_id %llu",
	     (unsigned long long)global_id);
	return 0;
}

uint32_t auth_protocol(const struct auth_client *a)
{
	return a->protocol;
}

uint64_t auth_global_id(const struct auth_client *a)
{
	return a->global_id;
}

int auth_build_authorizer(struct auth_client *a, uint32_t service_type,
			  uint32_t *protocol, struct buf *out)
{
	(void)service_type;
	if (a->protocol != CEPH_AUTH_NONE)
		return -ENOTCONN;
	*protocol = CEPH_AUTH_NONE;
	buf_put_u8(out, 1);		/* struct_v */
	put_entity_name(out, &a->name);
	buf_put_u64(out, a->global_id);
	return buf_error(out);
}

void auth_reset(struct auth_client *a)
{
	a->protocol = 0;
}
