/* Integration check for monitor hunting: connect, kill the monitor the
 * session is with, and check that the client finds another one, keeps
 * its subscriptions (a new OSD map arrives) and answers statfs.
 * usage: monc_hunt CONF CLUSTER_SCRIPT CLUSTER_DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "mon/monmap.h"
#include "osd/osdmap.h"
#include "siphon/siphon.h"

static int mon_name_of(struct siphon_client *c, const struct entity_addr *a,
		       char *name, size_t cap)
{
	struct monmap *mm = monc_copy_monmap(c->monc);
	int r = -ENOENT;

	if (!mm)
		return -ENOENT;
	for (uint32_t i = 0; i < mm->num_mons; i++)
		for (uint32_t k = 0; k < mm->mons[i].addrs.n; k++)
			if (entity_addr_port(&mm->mons[i].addrs.v[k]) ==
			    entity_addr_port(a)) {
				snprintf(name, cap, "%s", mm->mons[i].name);
				r = 0;
			}
	monmap_free(mm);
	return r;
}

static uint32_t osdmap_epoch_now(struct siphon_client *c)
{
	uint32_t e;

	pthread_mutex_lock(&c->lock);
	e = c->osdmap ? c->osdmap->epoch : 0;
	pthread_mutex_unlock(&c->lock);
	return e;
}

int main(int argc, char **argv)
{
	struct siphon_client *c;
	struct siphon_cluster_stat st;
	struct entity_addr a;
	char before[64], after[64], cmd[1024];
	uint32_t epoch;
	uint64_t t0, t1;
	int i;

	if (argc != 4) {
		fprintf(stderr, "usage: %s CONF CLUSTER_SCRIPT CLUSTER_DIR\n", argv[0]);
		return 2;
	}
	if (siphon_create(&c, NULL) || siphon_conf_read_file(c, argv[1]) ||
	    siphon_connect(c)) {
		fprintf(stderr, "connect: %s\n", siphon_errstr(c));
		return 1;
	}
	if (monc_current_mon(c->monc, &a) || mon_name_of(c, &a, before, sizeof(before))) {
		fprintf(stderr, "cannot tell which monitor we talk to\n");
		return 1;
	}
	printf("session with mon.%s; killing it\n", before);
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "%s kill --dir %s mon.%s", argv[2], argv[3], before);
	t0 = loop_now_ms();
	if (system(cmd) != 0) {
		fprintf(stderr, "%s failed\n", cmd);
		return 1;
	}
	for (i = 0; i < 300; i++) {
		if (monc_hunt_count(c->monc) > 0 && !monc_current_mon(c->monc, &a) &&
		    !mon_name_of(c, &a, after, sizeof(after)) && strcmp(after, before))
			break;
		usleep(100000);
	}
	t1 = loop_now_ms();
	if (i == 300) {
		fprintf(stderr, "no new monitor session within 30 s\n");
		return 1;
	}
	printf("hunted to mon.%s in %llu ms\n", after, (unsigned long long)(t1 - t0));
	if (siphon_cluster_stat(c, &st)) {
		fprintf(stderr, "statfs after hunting: %s\n", siphon_errstr(c));
		return 1;
	}
	printf("statfs after hunting: %llu kB total\n", (unsigned long long)st.kb);

	/* the subscription goes on: a new pool makes a new OSD map */
	epoch = osdmap_epoch_now(c);
	snprintf(cmd, sizeof(cmd),
		 "timeout 60 ceph -c %s osd pool create hunt-test 8 >/dev/null 2>&1",
		 argv[1]);
	if (system(cmd) != 0) {
		fprintf(stderr, "pool create failed\n");
		return 1;
	}
	for (i = 0; i < 300 && osdmap_epoch_now(c) <= epoch; i++)
		usleep(100000);
	if (osdmap_epoch_now(c) <= epoch) {
		fprintf(stderr, "no new OSD map after hunting (still e%u)\n", epoch);
		return 1;
	}
	printf("osdmap e%u -> e%u after hunting\n", epoch, osdmap_epoch_now(c));
	siphon_release(c);
	return 0;
}
