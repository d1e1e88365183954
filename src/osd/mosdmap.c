/* The front of MOSDMap (CEPH_MSG_OSD_MAP): the maps a monitor or OSD
 * sends, kept as views into the message. */
#include <stdlib.h>
#include <string.h>

#include "osd/osdmap.h"

/* map<epoch_t, bufferlist> */
static int entries_decode(struct dec *d, struct mosdmap_entry **out,
			  uint32_t *nout)
{
	struct mosdmap_entry *v;
	uint32_t n;

	if (dec_count(d, 8, &n))
		return -EBADMSG;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (dec_u32(d, &v[i].epoch) || dec_u32(d, &v[i].len) ||
		    dec_view(d, v[i].len, &v[i].p) ||
		    (i && v[i].epoch <= v[i - 1].epoch)) {
			free(v);
			return -EBADMSG;
		}
	}
	*out = v;
	*nout = n;
	return 0;
}

int mosdmap_decode(const uint8_t *p, size_t n, struct mosdmap *out)
{
	struct dec d;
	int r;

	memset(out, 0, sizeof(*out));
	dec_init(&d, p, n);
	r = dec_uuid(&d, out->fsid);
	if (!r)
		r = entries_decode(&d, &out->incs, &out->num_incs);
	if (!r)
		r = entries_decode(&d, &out->fulls, &out->num_fulls);
	/* oldest/newest came with v2; v4 appends gap_removed_snaps, which
	 * a client does not use */
	if (!r && dec_left(&d) &&
	    (dec_u32(&d, &out->oldest) || dec_u32(&d, &out->newest)))
		r = -EBADMSG;
	if (r)
		mosdmap_release(out);
	return r;
}

void mosdmap_release(struct mosdmap *m)
{
	free(m->incs);
	free(m->fulls);
	m->incs = m->fulls = NULL;
	m->num_incs = m->num_fulls = 0;
}
