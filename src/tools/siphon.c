/* The siphon command: a CephFS client on the command line. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "siphon/siphon.h"

static const struct command commands[] = {
	{ "status", "[--format plain|json|json-pretty]",
	  "show the cluster as this client sees it", cmd_status },
	{ "df", "[--format plain|json|json-pretty]",
	  "show cluster usage", cmd_df },
	{ "ls", "[-l] [-a] [-d] [PATH...]", "list directories", cmd_ls },
	{ "stat", "PATH...", "show inode details", cmd_stat },
	{ "tree", "[PATH]", "show a directory tree", cmd_tree },
	{ "mkdir", "[-p] [-m MODE] PATH...", "make directories", cmd_mkdir },
	{ "rmdir", "PATH...", "remove empty directories", cmd_rmdir },
	{ "rm", "[-r] [-f] PATH...", "remove files or trees", cmd_rm },
	{ "mv", "SOURCE DEST", "rename or move", cmd_mv },
	{ "ln", "[-s] TARGET LINK", "make hard or symbolic links", cmd_ln },
	{ "touch", "PATH...", "create files or update their times", cmd_touch },
	{ "readlink", "PATH", "print a symbolic link's target", cmd_readlink },
	{ "chmod", "OCTAL-MODE PATH...", "change permissions", cmd_chmod },
	{ "chown", "OWNER[:GROUP] PATH...", "change ownership", cmd_chown },
	{ "xattr", "get|set|ls|rm PATH [NAME [VALUE]]",
	  "extended attributes, ceph.* included", cmd_xattr },
	{ "put", "[-f] LOCAL REMOTE", "copy a local file (- for stdin) in", cmd_put },
	{ "get", "[-f] REMOTE LOCAL", "copy a file out (- for stdout)", cmd_get },
	{ "cat", "REMOTE...", "print files", cmd_cat },
	{ "truncate", "[-c] -s [+|-]SIZE REMOTE...", "shrink or extend files",
	  cmd_truncate },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: siphon [-c CONF] [-m MONADDR] [-n TYPE.ID | --id ID] [--keyring FILE]\n"
		"              [--timeout SECONDS] [--debug_SUBSYS LEVEL] COMMAND [ARGS]\n"
		"\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %-36s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f,
		"\nCeph's usual options work too (--conf, --name, --mon_host, --log_file,\n"
		"--client_mount_timeout, ...); the config file is found as every Ceph tool\n"
		"finds it: -c, then $CEPH_CONF, then /etc/ceph/ceph.conf.\n"
		"\nput and get refuse to replace an existing file unless -f is given; a\n"
		"directory as the destination receives the file under its own name. SIZE\n"
		"takes K, M, G, T (powers of 1024) or KB, MB, ... (powers of 1000).\n");
}

/* Takes --timeout N out of argv (siphon's own name for
 * client_mount_timeout). Returns -1 on a bad value. */
static int take_timeout(struct siphon_client *c, int *argc, char **argv)
{
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--timeout")) {
			if (i + 1 >= *argc)
				return -1;
			v = argv[++i];
		} else if (!strncmp(argv[i], "--timeout=", 10)) {
			v = argv[i] + 10;
		} else {
			argv[o++] = argv[i];
			continue;
		}
		char *end;
		double t = strtod(v, &end);

		if (*v == '\0' || *end != '\0' || t <= 0 || t > 86400)
			return -1;
		siphon_conf_set(c, "client_mount_timeout", v);
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* Where the command word is: global options (Ceph's, which may take a
 * value) come before it, the command's own options after it, so that
 * `siphon rm -r DIR` is not read as Ceph's -r MOUNTPOINT. */
static int command_index(int argc, char **argv)
{
	static const char *const with_value[] = {
		"-c", "--conf", "-m", "--mon_host", "--mon-host", "-n", "--name",
		"-i", "--id", "--user", "-k", "--keyring", "-K", "--keyfile",
		"--cluster", "-r", "--client_mountpoint", "--client-mountpoint",
		"--timeout", NULL,
	};
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool takes = false;

		if (a[0] != '-' || !strcmp(a, "-") || !strcmp(a, "--"))
			break;
		if (strchr(a, '='))
			continue;
		for (int k = 0; with_value[k]; k++)
			if (!strcmp(a, with_value[k]))
				takes = true;
		/* --debug_ms 5 and the like: a value unless it is a command */
		if (!takes && !strncmp(a, "--", 2) && i + 1 < argc &&
		    argv[i + 1][0] != '-' && !find_command(argv[i + 1]) &&
		    strncmp(a, "--no-", 5) && strcmp(a, "--help"))
			takes = true;
		if (takes)
			i++;
	}
	return i;
}

int main(int argc, char **argv)
{
	int ncmd, gargc;
	struct siphon_client *c;
	const struct command *cmd = NULL;
	int r;

	r = siphon_create(&c, NULL);
	if (r) {
		fprintf(stderr, "siphon: %s\n", strerror(-r));
		return 1;
	}
	/* global options are argv[1..ncmd), the command argv[ncmd...] */
	ncmd = command_index(argc, argv);
	gargc = ncmd;
	{
		char *saved = argv[ncmd < argc ? ncmd : argc];

		argv[gargc] = NULL;
		if (take_timeout(c, &gargc, argv)) {
			fprintf(stderr, "siphon: --timeout takes a number of seconds\n");
			siphon_release(c);
			return 2;
		}
		r = siphon_conf_parse_argv(c, &gargc, argv);
		argv[ncmd < argc ? ncmd : argc] = saved;
	}
	if (r) {
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
		siphon_release(c);
		return 2;
	}
	if (gargc > 1) {
		fprintf(stderr, "siphon: unknown option '%s'\n", argv[1]);
		usage(stderr);
		siphon_release(c);
		return 2;
	}
	argc -= ncmd - 1;
	argv += ncmd - 1;
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		siphon_release(c);
		return argc < 2 ? 2 : 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "siphon: unknown command '%s'\n", argv[1]);
		usage(stderr);
		siphon_release(c);
		return 2;
	}
	r = siphon_conf_read_file(c, NULL);
	if (r) {
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
		siphon_release(c);
		return 1;
	}
	r = cmd->run(c, argc - 1, argv + 1);
	siphon_release(c);
	return r;
}
