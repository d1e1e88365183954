/* Metadata operations on inode handles (aio_ll.c), for the asynchronous
 * calls and the blocking ones built on them (ll.c). */
#ifndef SIPHON_CLIENT_AIO_LL_H
#define SIPHON_CLIENT_AIO_LL_H

#include <stdint.h>

#include "siphon/siphon.h"

enum ll_kind {
	LL_LOOKUP, LL_GETATTR, LL_SETATTR, LL_MKDIR, LL_CREATE, LL_UNLINK,
	LL_RMDIR, LL_RENAME,
};

struct llop;

/* A new operation on the inode in (a directory for the calls with a
 * name, which is checked and copied); NULL with errno set (the handle's
 * error text too) when it cannot be made. */
struct llop *llop_new(struct siphon_client *c, enum ll_kind kind,
		      struct siphon_inode *in, const char *name);
/* A lookup ("." and ".." of the root are the directory's getattr). */
struct llop *llop_lookup(struct siphon_client *c, struct siphon_inode *dir,
			 const char *name, struct siphon_inode **out,
			 struct siphon_stat *st);
/* Where the results go (each may be NULL). */
void llop_set_out(struct llop *o, struct siphon_inode **out,
		  struct siphon_stat *st, struct siphon_file **fh);
void llop_set_args(struct llop *o, uint32_t mode, int flags,
		   const struct siphon_setattr *sa);
/* The destination of a rename; on failure o is freed. */
int llop_set_rename(struct llop *o, struct siphon_inode *newdir,
		    const char *newname, unsigned flags);
/* Runs o and waits for it; frees it. */
int64_t llop_run(struct llop *o);

#endif
