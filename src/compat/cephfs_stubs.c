/* libcephfs compatibility: the calls siphon cannot honour, or has nothing
 * to do for. Each says why. */
#include <errno.h>
#include <stdlib.h>

#include "compat.h"

/* OSD placement and addresses come from the OSDMap and CRUSH, which
 * siphon's public API does not expose. */
int ceph_get_file_stripe_address(struct ceph_mount_info *cm, int fd, int64_t offset,
				 struct sockaddr_storage *addr, int naddr)
{
	return -EOPNOTSUPP;
}

int ceph_get_file_extent_osds(struct ceph_mount_info *cm, int fd, int64_t offset,
			      int64_t *length, int *osds, int nosds)
{
	return -EOPNOTSUPP;
}

int ceph_get_osd_crush_location(struct ceph_mount_info *cm, int osd, char *path, size_t len)
{
	return -EOPNOTSUPP;
}

int ceph_get_osd_addr(struct ceph_mount_info *cm, int osd, struct sockaddr_storage *addr)
{
	return -EOPNOTSUPP;
}

/* Client-side default layouts are gone from Ceph; layouts are set with
 * the ceph.dir.layout / ceph.file.layout attributes instead. */
int ceph_set_default_file_stripe_unit(struct ceph_mount_info *cm, int stripe)
{
	return -EOPNOTSUPP;
}

int ceph_set_default_file_stripe_count(struct ceph_mount_info *cm, int count)
{
	return -EOPNOTSUPP;
}

int ceph_set_default_object_size(struct ceph_mount_info *cm, int size)
{
	return -EOPNOTSUPP;
}

int ceph_set_default_preferred_pg(struct ceph_mount_info *cm, int osd)
{
	return -EOPNOTSUPP;
}

int ceph_set_default_file_replication(struct ceph_mount_info *cm, int replication)
{
	return -EOPNOTSUPP;
}

/* The caps siphon holds are internal to its core. */
int ceph_debug_get_fd_caps(struct ceph_mount_info *cm, int fd)
{
	return -EOPNOTSUPP;
}

int ceph_debug_get_file_caps(struct ceph_mount_info *cm, const char *path)
{
	return -EOPNOTSUPP;
}

/* Delegations and session reclaim (for NFS servers) are not implemented;
 * a uuid or session timeout is only meaningful with them. */
uint32_t ceph_get_cap_return_timeout(struct ceph_mount_info *cm)
{
	return 0;
}

int ceph_set_deleg_timeout(struct ceph_mount_info *cm, uint32_t timeout)
{
	return -EOPNOTSUPP;
}

void ceph_set_uuid(struct ceph_mount_info *cm, const char *uuid)
{
}

void ceph_set_session_timeout(struct ceph_mount_info *cm, unsigned timeout)
{
}

int ceph_start_reclaim(struct ceph_mount_info *cm, const char *uuid, unsigned flags)
{
	return -EOPNOTSUPP;
}

void ceph_finish_reclaim(struct ceph_mount_info *cm)
{
}

/* Snapshots are not in siphon's public API. */
int ceph_get_snap_info(struct ceph_mount_info *cm, const char *path,
		       struct snap_info *snap_info)
{
	return -EOPNOTSUPP;
}

void ceph_free_snap_info_buffer(struct snap_info *snap_info)
{
	if (!snap_info)
		return;
	free(snap_info->snap_metadata);
	snap_info->snap_metadata = NULL;
	snap_info->nr_snap_metadata = 0;
}
