/* siphon-fuse: mounts a CephFS with FUSE, siphon as the client.
 *
 *   siphon-fuse [-c CONF] [-n NAME | --id ID] [-r REMOTE_ROOT] MOUNTPOINT
 *               [-f] [-d] [-s] [-o OPTS]
 *
 * Start-up order matters. siphon starts threads when it connects, and a
 * process must not fork once it has threads, so the daemon forks first:
 * the parent only waits on a pipe while the child mounts siphon and then
 * FUSE. The child still has the terminal as stderr, so it reports a
 * failure itself and exits non-zero; the parent, seeing the pipe close
 * without a word, exits with the child's status. Once both mounts are up
 * the child says so on the pipe, the parent exits 0, and the child
 * detaches (new session, stdio to /dev/null, cwd /) and serves requests.
 *
 * Unmounting: fusermount3 -u (the kernel ends the session) or SIGTERM,
 * SIGINT, SIGHUP (libfuse's handlers end the loop). Then FUSE is
 * unmounted, the handles the kernel still held are given back, and siphon
 * flushes and closes its MDS sessions (siphon_unmount). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/client.h"
#include "common/config.h"
#include "common/log.h"
#include "sfuse.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: siphon-fuse [-c CONF] [-m MONADDR] [-n TYPE.ID | --id ID] [-r REMOTE_ROOT]\n"
		"                   MOUNTPOINT [-f] [-d] [-s] [-o OPT[,OPT...]]\n"
		"\n"
		"Mounts a CephFS file system at MOUNTPOINT with siphon as its client.\n"
		"\n"
		"  -c CONF          Ceph config file (else $CEPH_CONF, /etc/ceph/ceph.conf)\n"
		"  -m MONADDR       monitor address(es), instead of 'mon host'\n"
		"  -n TYPE.ID, --id ID   the client's name (client.admin)\n"
		"  -r REMOTE_ROOT   mount this directory of the file system (client_mountpoint)\n"
		"  --client_fs NAME which file system, when the cluster has several\n"
		"  -f               stay in the foreground (log to stderr unless --log_file)\n"
		"  -d               foreground with FUSE's debug output\n"
		"  -s               one thread only\n"
		"  -o OPTS          FUSE mount options (ro, allow_other, fsname=, ...) and\n"
		"                   max_write=N, max_readahead=N, max_background=N, ...\n"
		"\n"
		"Runs as a daemon unless -f or -d; it exits 0 once the file system is mounted\n"
		"and non-zero, with a message, if it cannot be (no monitor, no such file\n"
		"system, no such root). The daemon logs to --log_file, by default\n"
		"/var/log/ceph/siphon-fuse.$name.$pid.log (or /tmp/... when /var/log/ceph is\n"
		"not writable); --debug_fuse N, --debug_mdsc N etc. add detail.\n"
		"Permissions are checked by the kernel (default_permissions); as root,\n"
		"allow_other is on and the mount's read-ahead is raised to 1 MiB (unless\n"
		"-o max_readahead=N). flock and POSIX locks are held at the MDS, so they\n"
		"hold against every client; a waiting one needs the default multi-threaded\n"
		"loop (with -s it fails with EDEADLK). Unmount with `fusermount3 -u\n"
		"MOUNTPOINT` or by sending SIGTERM or SIGINT to the daemon.\n");
}

/* libfuse's own messages go to our log once stderr is gone */
static bool detached;

static void fuse_log_to_siphon(enum fuse_log_level level, const char *fmt,
			       va_list ap)
{
	char line[1024];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (!detached)
		fprintf(stderr, "%s\n", line);
	if (level <= FUSE_LOG_ERR)
		dout(LOG_FUSE, 0, "libfuse: %s", line);
	else
		dout(LOG_FUSE, level <= FUSE_LOG_NOTICE ? 1 : 20, "libfuse: %s", line);
}

static int has_mount_opt(const struct fuse_args *args, const char *opt)
{
	size_t n = strlen(opt);

	for (int i = 0; i < args->argc; i++) {
		const char *a = args->argv[i];

		if (!strncmp(a, "-o", 2)) {
			a += 2;
			if (!*a && i + 1 < args->argc)
				a = args->argv[i + 1];
		}
		for (const char *p = a; (p = strstr(p, opt)); p += n)
			if ((p == a || p[-1] == ',') &&
			    (p[n] == '\0' || p[n] == ',' || p[n] == '='))
				return 1;
	}
	return 0;
}

/* The daemon's side of the start-up pipe. */
static int ready_fd = -1;

static void tell_parent(char what)
{
	if (ready_fd < 0)
		return;
	if (write(ready_fd, &what, 1) != 1) {
		/* the parent is gone; nothing to tell */
	}
	close(ready_fd);
	ready_fd = -1;
}

/* Forks; the parent waits for the child's word and exits with it. */
static void daemon_fork(void)
{
	int p[2];
	pid_t pid;
	char c;
	ssize_t n;
	int status;

	if (pipe(p)) {
		perror("siphon-fuse: pipe");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("siphon-fuse: fork");
		exit(1);
	}
	if (pid == 0) {
		close(p[0]);
		ready_fd = p[1];
		setsid();
		return;
	}
	close(p[1]);
	do
		n = read(p[0], &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1 && c == 'y')
		_exit(0);
	/* the child said why on stderr and exits */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
	fprintf(stderr, "siphon-fuse: the daemon died (signal %d) before mounting\n",
		WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	_exit(1);
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (chdir("/")) {
		/* stay where we are */
	}
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	detached = true;
}

/* The kernel's read-ahead for the mount: at most what it offers in FUSE's
 * INIT (128 KiB, its default for a new device), since INIT can only lower
 * it. The device's read_ahead_kb in sysfs can raise it (as root), once
 * the kernel has taken our INIT reply: at the first open. */
#define READAHEAD_KB 1024

/* The "major:minor" of the file system mounted at mnt, from
 * /proc/self/mountinfo (a stat would ask our own, not yet running, FUSE
 * loop); "" if not found. */
static void mount_device(const char *mnt, char *out, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[8192], dev[32], point[4096];

	*out = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = point;

		/* id parent major:minor root mount-point ... */
		if (sscanf(line, "%*u %*u %31s %*s %4095s", dev, point) != 2)
			continue;
		/* mountinfo writes space, tab, newline and \ as octal */
		for (const char *q = point; *q; p++) {
			if (q[0] == '\\' && q[1] >= '0' && q[1] <= '3' &&
			    q[2] >= '0' && q[2] <= '7' && q[3] >= '0' && q[3] <= '7') {
				*p = (char)((q[1] - '0') * 64 + (q[2] - '0') * 8 + q[3] - '0');
				q += 4;
			} else {
				*p = *q++;
			}
		}
		*p = '\0';
		if (!strcmp(point, mnt))
			snprintf(out, n, "%s", dev);	/* the last one is on top */
	}
	fclose(f);
}

void sf_raise_readahead(struct sf *s)
{
	char path[96];
	bool ok = false;
	FILE *f;

	if (!s->ra_kb || !s->bdi[0] ||
	    __atomic_exchange_n(&s->ra_done, true, __ATOMIC_ACQ_REL))
		return;
	snprintf(path, sizeof(path), "/sys/class/bdi/%s/read_ahead_kb", s->bdi);
	f = fopen(path, "w");
	if (f) {
		ok = fprintf(f, "%u\n", s->ra_kb) > 0;
		ok = !fclose(f) && ok;	/* the write happens at the close */
	}
	if (!ok) {
		dout(LOG_FUSE, 1, "read-ahead stays at the kernel's: %s: %s", path,
		     strerror(errno));
		return;
	}
	dout(LOG_FUSE, 1, "read-ahead %u KiB (%s)", s->ra_kb, path);
}

/* A log file for the daemon when the configuration names none. */
static int default_log_file(struct siphon_client *c)
{
	const char *dir = "/var/log/ceph";
	char path[PATH_MAX];

	if (config_get(c->cfg, "log_file"))
		return 0;
	if (access(dir, W_OK))
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/siphon-fuse.$name.$pid.log", dir);
	return siphon_conf_set(c, "log_file", path);
}

int main(int argc, char **argv)
{
	struct fuse_args args;
	struct fuse_cmdline_opts opts;
	struct fuse_loop_config *lcfg = NULL;
	struct sf s;
	char mnt[PATH_MAX];
	struct stat mst;
	sigset_t block, old;
	int r, ret = 1;

	memset(&s, 0, sizeof(s));
	memset(&opts, 0, sizeof(opts));
	if (siphon_create(&s.c, NULL)) {
		fprintf(stderr, "siphon-fuse: out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			printf("\nFUSE options:\n");
			fuse_cmdline_help();
			fuse_lowlevel_help();
			siphon_release(s.c);
			return 0;
		}
	if (siphon_conf_parse_argv(s.c, &argc, argv) ||
	    siphon_conf_read_file(s.c, NULL)) {
		fprintf(stderr, "siphon-fuse: %s\n", siphon_errstr(s.c));
		siphon_release(s.c);
		return 1;
	}

	args = (struct fuse_args)FUSE_ARGS_INIT(argc, argv);
	if (fuse_parse_cmdline(&args, &opts))	/* libfuse said why */
		goto out_args;
	if (opts.show_version) {
		printf("siphon-fuse 0.1.0, libfuse %s\n", fuse_pkgversion());
		ret = 0;
		goto out_opts;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "siphon-fuse: no mount point given\n");
		usage(stderr);
		goto out_opts;
	}
	if (!realpath(opts.mountpoint, mnt) || stat(mnt, &mst)) {
		fprintf(stderr, "siphon-fuse: %s: %s\n", opts.mountpoint, strerror(errno));
		goto out_opts;
	}
	if (!S_ISDIR(mst.st_mode)) {
		fprintf(stderr, "siphon-fuse: %s: %s\n", opts.mountpoint, strerror(ENOTDIR));
		goto out_opts;
	}
	s.conn_opts = fuse_parse_conn_info_opts(&args);
	if (!s.conn_opts)
		goto out_opts;
	/* our defaults for the mount; the user's -o come after and win */
	{
		char o[PATH_MAX + 256];
		const char *fsname = config_get(s.c->cfg, "client_fs");

		snprintf(o, sizeof(o), "-ofsname=siphon:%s%s%s",
			 fsname ? fsname : "", fsname ? ":" : "",
			 config_get(s.c->cfg, "client_mountpoint") ?: "/");
		if (!has_mount_opt(&args, "fsname") && fuse_opt_insert_arg(&args, 1, o))
			goto out_opts;
		if (!has_mount_opt(&args, "max_read") &&
		    fuse_opt_insert_arg(&args, 1, "-omax_read=1048576"))
			goto out_opts;
		if (fuse_opt_insert_arg(&args, 1, "-odefault_permissions"))
			goto out_opts;
		if (geteuid() == 0 && fuse_opt_insert_arg(&args, 1, "-oallow_other"))
			goto out_opts;
	}
	if (config_get(s.c->cfg, "debug_fuse") == NULL &&
	    siphon_conf_set(s.c, "debug_fuse", opts.foreground ? "0" : "1"))
		goto out_opts;
	/* the daemon's log tells of failovers, lost sessions and
	 * evictions (level 0) unless told otherwise */
	{
		static const char *const subsys[] = {
			"debug_ms", "debug_monc", "debug_osdc", "debug_mdsc",
			"debug_client",
		};

		for (size_t i = 0; i < sizeof(subsys) / sizeof(subsys[0]); i++)
			if (config_get(s.c->cfg, subsys[i]) == NULL &&
			    siphon_conf_set(s.c, subsys[i], "0"))
				goto out_opts;
	}
	if (!opts.foreground && default_log_file(s.c)) {
		fprintf(stderr, "siphon-fuse: %s\n", siphon_errstr(s.c));
		goto out_opts;
	}
	fuse_set_log_func(fuse_log_to_siphon);
	if (sf_nodes_init(&s)) {
		fprintf(stderr, "siphon-fuse: out of memory\n");
		goto out_opts;
	}
	sf_locks_init(&s);
	s.single = opts.singlethread;
	/* -o max_readahead=N is the user's: not raised then */
	s.ra_kb = has_mount_opt(&args, "max_readahead") || geteuid() ? 0 :
		  READAHEAD_KB;
	s.euid = geteuid();
	s.egid = getegid();

	/* No thread exists yet: fork now, or never. */
	if (!opts.foreground)
		daemon_fork();

	/* siphon's threads must not take the signals that end the loop:
	 * they inherit this mask, the FUSE workers the main thread's */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);

	r = siphon_mount(s.c, NULL);
	if (r) {
		fprintf(stderr, "siphon-fuse: mount failed: %s\n", siphon_errstr(s.c));
		dout(LOG_FUSE, 0, "mount failed: %s", siphon_errstr(s.c));
		goto out_nodes;
	}
	r = siphon_ll_root(s.c, &s.root);
	if (r) {
		fprintf(stderr, "siphon-fuse: %s\n", siphon_errstr(s.c));
		goto out_unmount;
	}
	s.root_ino = siphon_ll_ino(s.root);

	s.se = fuse_session_new(&args, &sf_ops, sizeof(sf_ops), &s);
	if (!s.se)
		goto out_root;
	if (fuse_set_signal_handlers(s.se))
		goto out_session;
	/* after libfuse's, in front of them; its thread is born with the
	 * stop signals blocked */
	if (sf_shutdown_watch_start(&s)) {
		fprintf(stderr, "siphon-fuse: cannot start a thread\n");
		goto out_signals;
	}
	if (fuse_session_mount(s.se, mnt)) {
		fprintf(stderr, "siphon-fuse: cannot mount FUSE at %s\n", mnt);
		goto out_signals;
	}
	mount_device(mnt, s.bdi, sizeof(s.bdi));
	if (sf_notify_start(&s)) {
		fprintf(stderr, "siphon-fuse: cannot start a thread\n");
		goto out_fuse;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	dout(LOG_FUSE, 1, "mounted %s at %s (root inode %#llx), pid %d",
	     config_get(s.c->cfg, "client_mountpoint") ?: "/", mnt,
	     (unsigned long long)s.root_ino, (int)getpid());
	if (!opts.foreground) {
		detach_stdio();
		tell_parent('y');
	}

	if (opts.singlethread) {
		r = fuse_session_loop(s.se);
	} else {
		lcfg = fuse_loop_cfg_create();
		if (!lcfg) {
			r = -ENOMEM;
		} else {
			fuse_loop_cfg_set_clone_fd(lcfg, (unsigned)opts.clone_fd);
			/* UINT_MAX: not given, libfuse's defaults */
			if (opts.max_idle_threads != UINT_MAX)
				fuse_loop_cfg_set_idle_threads(lcfg, opts.max_idle_threads);
			if (opts.max_threads && opts.max_threads != UINT_MAX)
				fuse_loop_cfg_set_max_threads(lcfg, opts.max_threads);
			r = fuse_session_loop_mt(s.se, lcfg);
			fuse_loop_cfg_destroy(lcfg);
		}
	}
	ret = r < 0 ? 1 : 0;	/* a signal's number is a clean end */
	dout(LOG_FUSE, 1, "session loop ended (%d); unmounting", r);
	pthread_mutex_lock(&s.slock);
	dout(LOG_FUSE, 1, "requests: %llu reads of %llu bytes (largest %llu), "
	     "%llu writes of %llu bytes (largest %llu)",
	     (unsigned long long)s.stats.reads, (unsigned long long)s.stats.read_bytes,
	     (unsigned long long)s.stats.read_max, (unsigned long long)s.stats.writes,
	     (unsigned long long)s.stats.write_bytes,
	     (unsigned long long)s.stats.write_max);
	pthread_mutex_unlock(&s.slock);

	sf_notify_stop(&s);
out_fuse:
	fuse_session_unmount(s.se);
out_signals:
	fuse_remove_signal_handlers(s.se);
out_session:
	fuse_session_destroy(s.se);
out_root:
	sf_handles_close(&s);
	sf_nodes_free(&s);
	siphon_ll_put(s.c, s.root, 1);
out_unmount:
	r = siphon_unmount(s.c);
	if (r)
		dout(LOG_FUSE, 0, "unmount: %s", siphon_errstr(s.c));
	else
		dout(LOG_FUSE, 1, "unmounted");
	sf_shutdown_watch_stop();
out_nodes:
	if (s.ntab)
		sf_nodes_free(&s);
	pthread_mutex_destroy(&s.nlock);
	pthread_mutex_destroy(&s.qlock);
	pthread_cond_destroy(&s.qcond);
	pthread_mutex_destroy(&s.slock);
	pthread_mutex_destroy(&s.hlock);
	sf_locks_free(&s);
	free(s.conn_opts);
out_opts:
	free(opts.mountpoint);
out_args:
	fuse_opt_free_args(&args);
	siphon_release(s.c);
	return ret;
}
