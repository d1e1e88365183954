/* File striping: how a byte range of a file maps onto RADOS objects under
 * the file's layout (stripe unit, stripe count, object size), and how the
 * objects are named. Pure arithmetic, no I/O.
 *
 * A file is cut into stripe units dealt round-robin across stripe_count
 * objects; once each object of that set holds object_size bytes the next
 * set of stripe_count objects begins. One read or write of a range thus
 * touches several objects, and with stripe_count > 1 one object receives
 * several pieces of the range that are adjacent inside the object but not
 * in the file: they are merged into one extent with a list of pieces, so
 * each object gets one OSD op. */
#ifndef SIPHON_OSD_STRIPER_H
#define SIPHON_OSD_STRIPER_H

#include <stddef.h>
#include <stdint.h>

struct stripe_layout {
	uint32_t stripe_unit;
	uint32_t stripe_count;
	uint32_t object_size;
};

/* A piece of the caller's range: `len` bytes at `buf_off` from the start
 * of the range. */
struct stripe_piece {
	uint64_t buf_off;
	uint64_t len;
};

/* One object's share of a range: [off, off + len) inside object objno,
 * made of pieces of the range in object order. */
struct stripe_extent {
	uint64_t objno;
	uint64_t off, len;
	uint32_t first_piece, num_pieces;	/* into the pieces array */
};

struct stripe_map {
	struct stripe_extent *ext;
	uint32_t num_ext;
	struct stripe_piece *pieces;
	uint32_t num_pieces;
};

/* Is the layout usable: every number non-zero, object_size a multiple of
 * stripe_unit, stripe_unit a multiple of 64 KiB as Ceph requires? */
int stripe_layout_valid(const struct stripe_layout *l);

/* Maps [off, off + len) to object extents. At most max_objects distinct
 * objects are taken; *covered says how many bytes from off they hold (the
 * caller issues the rest later). Returns 0, -EINVAL (bad layout) or
 * -ENOMEM. Free with stripe_map_release(). */
int stripe_map_range(const struct stripe_layout *l, uint64_t off, uint64_t len,
		     uint32_t max_objects, struct stripe_map *out,
		     uint64_t *covered);
void stripe_map_release(struct stripe_map *m);

/* The object holding file offset off, and the offset inside it. */
void stripe_locate(const struct stripe_layout *l, uint64_t off,
		   uint64_t *objno, uint64_t *obj_off);

/* A file's truncate_size as object objno must be told it: how many of
 * the object's bytes lie below file offset trunc_size. The OSD compares
 * it with the object's own size, so sending the file's size instead
 * leaves bytes past a truncation in place (or reads them back). */
uint64_t stripe_object_truncate_size(const struct stripe_layout *l,
				     uint64_t objno, uint64_t trunc_size);

/* Ceph's data object name for an inode: "<ino hex>.<objno as 8 hex>". */
int stripe_object_name(uint64_t ino, uint64_t objno, char *buf, size_t n);

#endif
