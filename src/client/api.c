/* The public API's handle: configuration, connecting, cluster stats. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aio.h"
#include "client.h"
#include "common/log.h"
#include "encoding/entity.h"
#include "osd/osdc.h"
#include "siphon/siphon.h"

#define DEFAULT_MOUNT_TIMEOUT_S 10.0

/* The words of the last failure, one slot per thread, as errno: the
 * threads sharing a client would overwrite, and tear, one slot per
 * client. */
static __thread struct {
	const struct siphon_client *c;
	char msg[512];
} last_err;

int client_fail(struct siphon_client *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err.msg, sizeof(last_err.msg), fmt, ap);
	va_end(ap);
	last_err.c = c;
	return err;
}

SIPHON_API int siphon_create(struct siphon_client **out, const char *id)
{
	struct siphon_client *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->cfg = config_create();
	if (!c->cfg) {
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->teardown_lock, NULL);
	pthread_mutex_init(&c->wblock, NULL);
	client_inodes_init(c);
	pthread_cond_init(&c->cond, NULL);
	c->fscid = -1;
	if (aio_ctx_init(c)) {
		siphon_release(c);
		return -ENOMEM;
	}
	if (id && config_set_id(c->cfg, id)) {
		int r = -EINVAL;

		siphon_release(c);
		return r;
	}
	*out = c;
	return 0;
}

SIPHON_API void siphon_release(struct siphon_client *c)
{
	if (!c)
		return;
	if (c->mounted)
		siphon_unmount(c);
	{
		/* no map handler may reach it once it is going */
		struct osdc *oc;

		pthread_mutex_lock(&c->teardown_lock);
		pthread_mutex_lock(&c->lock);
		oc = c->osdc;
		c->osdc = NULL;
		pthread_mutex_unlock(&c->lock);
		pthread_mutex_unlock(&c->teardown_lock);
		osdc_destroy(oc);
	}
	monc_destroy(c->monc);
	messenger_destroy(c->msgr);
	auth_client_destroy(c->auth);
	client_maps_free(c);
	client_inodes_free(c);
	aio_ctx_free(c);
	free(c->user_cb);
	while (c->old_cbs) {
		struct siphon_callbacks *cb = c->old_cbs;

		c->old_cbs = cb->arg;
		free(cb);
	}
	pthread_mutex_destroy(&c->wblock);
	config_destroy(c->cfg);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->teardown_lock);
	pthread_cond_destroy(&c->cond);
	if (last_err.c == c)
		last_err.c = NULL;	/* a later client may get its address */
	free(c);
}

SIPHON_API const char *siphon_errstr(const struct siphon_client *c)
{
	return c && last_err.c == c && last_err.msg[0] ? last_err.msg :
							  "no error";
}

SIPHON_API int siphon_conf_read_file(struct siphon_client *c, const char *path)
{
	int r = path ? config_read_file(c->cfg, path) : config_read_files(c->cfg);

	if (r)
		return client_fail(c, r, "%s", config_error(c->cfg));
	return 0;
}

SIPHON_API int siphon_conf_set(struct siphon_client *c, const char *option,
			       const char *value)
{
	int r = config_set(c->cfg, option, value);

	if (r)
		return client_fail(c, r, "%s", config_error(c->cfg));
	return 0;
}

SIPHON_API int siphon_conf_parse_argv(struct siphon_client *c, int *argc,
				      char **argv)
{
	int r = config_parse_argv(c->cfg, argc, argv, NULL, 0);

	if (r)
		return client_fail(c, r, "%s", config_error(c->cfg));
	return 0;
}

/* "127.0.0.1:6789, 127.0.0.2:6789" for messages */
static void format_mons(const struct entity_addrvec *mons, int n, char *out,
			size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n && len < cap; i++)
		for (uint32_t k = 0; k < mons[i].n && len < cap; k++) {
			char a[80];

			entity_addr_format(&mons[i].v[k], a, sizeof(a));
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
						len ? ", " : "", a);
		}
}

SIPHON_API int siphon_connect(struct siphon_client *c)
{
	struct entity_addrvec *mons = NULL;
	struct monc_config mcfg = { 0 };
	struct auth_entity who;
	char host[64] = "", list[256];
	double timeout_s = DEFAULT_MOUNT_TIMEOUT_S;
	uint64_t start;
	unsigned timeout_ms, left;
	int n = 0, r;

	if (c->connected)
		return 0;
	r = config_apply_logging(c->cfg);
	if (r)
		return client_fail(c, r, "%s", config_error(c->cfg));
	r = config_get_seconds(c->cfg, "client_mount_timeout", &timeout_s);
	if (r && r != -ENOENT)
		return client_fail(c, r, "%s", config_error(c->cfg));
	if (timeout_s <= 0 || timeout_s > 86400)
		timeout_s = DEFAULT_MOUNT_TIMEOUT_S;
	timeout_ms = (unsigned)(timeout_s * 1000);

	r = config_mon_addrs(c->cfg, &mons, &n);
	if (r || n == 0) {
		const char *conf = config_conf_path(c->cfg);

		free(mons);
		if (r && r != -ENOENT)
			return client_fail(c, r, "%s", config_error(c->cfg));
		return client_fail(c, -EINVAL,
				   "no monitors given: set 'mon host' in %s or pass -m",
				   conf ? conf : "a ceph.conf (-c FILE)");
	}
	if (auth_entity_parse(config_name(c->cfg), &who)) {
		free(mons);
		return client_fail(c, -EINVAL, "bad entity name '%s'",
				   config_name(c->cfg));
	}
	format_mons(mons, n, list, sizeof(list));

	gethostname(host, sizeof(host) - 1);
	c->auth = auth_client_create(&who);
	c->msgr = messenger_create(CEPH_ENTITY_TYPE_CLIENT);
	mcfg.mons = mons;
	mcfg.num_mons = n;
	mcfg.auth = c->auth;
	mcfg.hostname = host;
	if (n > 1)
		mcfg.hunt_interval_ms = timeout_ms / 4 < 3000 ? timeout_ms / 4 : 3000;
	c->monc = c->auth && c->msgr ? monc_create(c->msgr, &mcfg) : NULL;
	free(mons);
	if (c->monc)
		c->osdc = osdc_create(c->msgr, c->auth, c->monc);
	if (!c->monc || !c->osdc)
		return client_fail(c, -ENOMEM, "out of memory");

	start = loop_now_ms();
	client_maps_init(c);
	monc_open(c->monc);
	r = monc_wait_session(c->monc, timeout_ms);
	if (r == -ETIMEDOUT)
		return client_fail(c, r, "no monitor answered within %.0f s (tried %s)",
				   timeout_s, list);
	if (r == -EACCES)
		return client_fail(c, r, "the monitors refused %s: permission denied",
				   config_name(c->cfg));
	if (r)
		return client_fail(c, r, "monitor session failed: %s", strerror(-r));
	left = timeout_ms - (unsigned)(loop_now_ms() - start);
	if ((int)left < 1000)
		left = 1000;
	pthread_mutex_lock(&c->lock);
	r = client_wait_maps_locked(c, left);
	pthread_mutex_unlock(&c->lock);
	if (r == -ETIMEDOUT)
		return client_fail(c, r, "the monitor sent no %s within %.0f s",
				   c->osdmap ? "FS map" : "OSD map", timeout_s);
	if (r)
		return client_fail(c, r, "the %s from the monitor could not be decoded: %s",
				   c->osdmap ? "FS map" : "OSD map", strerror(-r));
	c->connected = true;
	return 0;
}

SIPHON_API int siphon_cluster_stat(struct siphon_client *c,
				   struct siphon_cluster_stat *st)
{
	struct ceph_statfs s;
	int r;

	if (!c->connected)
		return client_fail(c, -ENOTCONN, "not connected");
	r = monc_statfs(c->monc, -1, 10000, &s);
	if (r)
		return client_fail(c, r, "statfs: %s", strerror(-r));
	st->kb = s.kb;
	st->kb_used = s.kb_used;
	st->kb_avail = s.kb_avail;
	st->num_objects = s.num_objects;
	return 0;
}

SIPHON_API uint64_t siphon_global_id(struct siphon_client *c)
{
	return c->monc ? monc_global_id(c->monc) : 0;
}
