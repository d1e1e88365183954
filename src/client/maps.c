/* Following the cluster maps the monitor pushes: OSD maps (full and
 * incremental) and the FS map. Handlers run on the loop thread. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "common/deadline.h"
#include "common/log.h"
#include "mds/fsmap.h"
#include "mds/mdsc.h"
#include "osd/osdc.h"
#include "osd/osdmap.h"

/* Brings *cur forward with what one MOSDMap carries: incrementals that
 * follow our epoch, else the newest full map. Returns the new map (or
 * NULL if nothing applied). The OSD client sees every epoch on the way,
 * as a PG can change and change back between the first and the last. */
static struct osdmap *osdmap_advance(struct siphon_client *c,
				     const struct osdmap *cur,
				     const struct mosdmap *mm, int *err)
{
	struct osdmap *map = NULL, *next;
	const struct osdmap *base = cur;
	int r;

	if (cur) {
		for (uint32_t i = 0; i < mm->num_incs; i++) {
			const struct mosdmap_entry *e = &mm->incs[i];

			if (e->epoch != base->epoch + 1)
				continue;
			r = osdmap_apply_incremental(base, e->p, e->len, &next);
			if (r) {
				dout(LOG_CLIENT, 0,
				     "osdmap incremental e%u: %s", e->epoch,
				     strerror(-r));
				*err = r;
				break;
			}
			if (c->osdc)
				osdc_update_map(c->osdc, next);
			osdmap_free(map);
			map = next;
			base = map;
		}
	}
	if (mm->num_fulls) {
		const struct mosdmap_entry *e = &mm->fulls[mm->num_fulls - 1];

		if (!base || e->epoch > base->epoch) {
			r = osdmap_decode(e->p, e->len, &next);
			if (r) {
				dout(LOG_CLIENT, 0, "osdmap e%u: %s", e->epoch,
				     strerror(-r));
				*err = r;
			} else {
				if (c->osdc)
					osdc_update_map(c->osdc, next);
				osdmap_free(map);
				map = next;
			}
		}
	}
	return map;
}

static void handle_osd_map(void *arg, struct msg *m)
{
	struct siphon_client *c = arg;
	struct osdmap *map, *old = NULL;
	struct mosdmap mm;
	struct entity_addr me;
	uint32_t epoch = 0, have = 0, offered = 0;
	bool listed = false, changed = false;
	int r;

	r = mosdmap_decode(m->front.data, m->front.len, &mm);
	if (r) {
		dout(LOG_CLIENT, 0, "bad osd_map message: %s", strerror(-r));
		msg_free(m);
		return;
	}
	messenger_my_addr(c->msgr, &me);
	pthread_mutex_lock(&c->lock);
	map = osdmap_advance(c, c->osdmap, &mm, &c->osdmap_err);
	if (map) {
		old = c->osdmap;
		c->osdmap = map;
		epoch = map->epoch;
		/* evicted: as ceph-fuse, learn it from the map rather than
		 * wait for an MDS that no longer answers us */
		listed = osdmap_is_blocklisted(map, &me);
		changed = listed != c->blocklisted;
		c->blocklisted = listed;
		pthread_cond_broadcast(&c->cond);
	}
	have = c->osdmap ? c->osdmap->epoch : 0;
	pthread_mutex_unlock(&c->lock);
	if (mm.num_incs)
		offered = mm.incs[mm.num_incs - 1].epoch;
	if (mm.num_fulls && mm.fulls[mm.num_fulls - 1].epoch > offered)
		offered = mm.fulls[mm.num_fulls - 1].epoch;
	mosdmap_release(&mm);
	msg_free(m);
	if (have && offered > have) {
		/* a gap (an OSD shared maps from beyond our epoch): the
		 * monitor fills it */
		dout(LOG_CLIENT, 1, "osdmap e%u offered, have e%u: asking the monitor",
		     offered, have);
		monc_want(c->monc, "osdmap", have + 1, false);
	}
	if (map) {
		dout(LOG_CLIENT, 1, "osdmap now e%u", epoch);
		monc_got(c->monc, "osdmap", epoch);
		osdmap_free(old);
	}
	if (changed)
		client_blocklist_changed(c, listed);
}

static void handle_fs_map(void *arg, struct msg *m)
{
	struct siphon_client *c = arg;
	struct fsmap *map, *old;
	uint32_t epoch;
	int r;

	r = mfsmap_decode(m->front.data, m->front.len, &map);
	msg_free(m);
	if (r) {
		dout(LOG_CLIENT, 0, "bad fs_map message: %s", strerror(-r));
		pthread_mutex_lock(&c->lock);
		c->fsmap_err = r;
		pthread_mutex_unlock(&c->lock);
		return;
	}
	epoch = map->epoch;
	pthread_mutex_lock(&c->lock);
	old = c->fsmap;
	if (old && old->epoch >= epoch) {
		pthread_mutex_unlock(&c->lock);
		fsmap_free(map);
		return;
	}
	c->fsmap = map;
	client_feed_mdsmap_locked(c);
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	fsmap_free(old);
	dout(LOG_CLIENT, 1, "fsmap now e%u", epoch);
	monc_got(c->monc, "fsmap", epoch);
}

void client_maps_init(struct siphon_client *c)
{
	monc_set_handler(c->monc, CEPH_MSG_OSD_MAP, handle_osd_map, c);
	monc_set_handler(c->monc, CEPH_MSG_FS_MAP, handle_fs_map, c);
	if (c->osdc)
		osdc_set_map_handler(c->osdc, handle_osd_map, c);
	monc_want(c->monc, "osdmap", 0, false);
	monc_want(c->monc, "fsmap", 0, false);
}

int client_wait_maps_locked(struct siphon_client *c, unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);

	while (!c->osdmap || !c->fsmap)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &dl) == ETIMEDOUT)
			return (!c->osdmap && c->osdmap_err) ? c->osdmap_err :
			       (!c->fsmap && c->fsmap_err) ? c->fsmap_err :
			       -ETIMEDOUT;
	return 0;
}

int client_wait_osdmap(struct siphon_client *c, uint32_t epoch,
		       unsigned timeout_ms)
{
	struct timespec dl = deadline_after(timeout_ms);
	int r = 0;

	pthread_mutex_lock(&c->lock);
	if (c->osdmap && c->osdmap->epoch < epoch)
		monc_want(c->monc, "osdmap", c->osdmap->epoch + 1, false);
	while (!c->osdmap || c->osdmap->epoch < epoch)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &dl) == ETIMEDOUT) {
			r = -ETIMEDOUT;
			break;
		}
	pthread_mutex_unlock(&c->lock);
	return r;
}

void client_maps_free(struct siphon_client *c)
{
	osdmap_free(c->osdmap);
	fsmap_free(c->fsmap);
	c->osdmap = NULL;
	c->fsmap = NULL;
}

void client_feed_mdsmap_locked(struct siphon_client *c)
{
	const struct fsmap_fs *fs;

	if (!c->mdsc || !c->fsmap || c->fscid < 0)
		return;
	fs = fsmap_fs_by_id(c->fsmap, c->fscid);
	if (fs)
		mdsc_update_mdsmap(c->mdsc, fs->map);
}
