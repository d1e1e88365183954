/* The OSD map's blocklist: the client addresses the cluster refuses (an
 * evicted client's, until the entry expires or is removed). A client
 * finds out it was evicted by seeing its own address here, as ceph-fuse
 * does, rather than waiting for an MDS to refuse it. */
#ifndef SIPHON_OSD_BLOCKLIST_H
#define SIPHON_OSD_BLOCKLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "encoding/dec.h"
#include "encoding/entity.h"

/* One address, compact and comparable with memcmp (the address type is
 * left out: Ceph matches entries whatever the type). */
struct blocklist_addr {
	uint16_t family;	/* AF_INET or AF_INET6 (0: none) */
	uint16_t port;		/* host order */
	uint32_t nonce;
	uint8_t ip[16];		/* IPv4 in the first 4 bytes */
};

/* Sorted, without duplicates. */
struct blocklist {
	struct blocklist_addr *v;
	uint32_t n;
};

void blocklist_addr_from(struct blocklist_addr *k, const struct entity_addr *a);

/* map<entity_addr_t, utime_t> (the full map's blocklist and an
 * incremental's new entries) and vector<entity_addr_t> (an incremental's
 * removed ones). Entries add to *bl. 0, -EBADMSG or -ENOMEM. */
int blocklist_decode_map(struct dec *d, struct blocklist *bl);
int blocklist_decode_vec(struct dec *d, struct blocklist *bl);

/* The OSD-only section of a full map (struct version v, its body d):
 * the blocklist, skipping what comes before it. */
int blocklist_decode_full_osd_only(struct dec *d, uint8_t v,
				   struct blocklist *bl);
/* The OSD-only section of an incremental: its new and removed entries. */
int blocklist_decode_inc_osd_only(struct dec *d, uint8_t v,
				  struct blocklist *added,
				  struct blocklist *removed);

int blocklist_copy(struct blocklist *dst, const struct blocklist *src);
/* Adds `added`, then takes out `removed` (as OSDMap applies them). */
int blocklist_apply(struct blocklist *bl, const struct blocklist *added,
		    const struct blocklist *removed);
void blocklist_release(struct blocklist *bl);

/* Ceph's rule: the exact address (nonce included), or its IP with port
 * and nonce 0 (a whole host blocklisted). */
bool blocklist_contains(const struct blocklist *bl,
			const struct entity_addr *a);

#endif
