/* The siphon command: a CephFS client on the command line. */
#include <errno.h>
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
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: siphon [-c CONF] [-m MONADDR] [-n TYPE.ID | --id ID] [--keyring FILE]\n"
		"              [--timeout SECONDS] [--debug_SUBSYS LEVEL] COMMAND [ARGS]\n"
		"\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-6s %-36s %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f,
		"\nCeph's usual options work too (--conf, --name, --mon_host, --log_file,\n"
		"--client_mount_timeout, ...); the config file is found as every Ceph tool\n"
		"finds it: -c, then $CEPH_CONF, then /etc/ceph/ceph.conf.\n");
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

int main(int argc, char **argv)
{
	struct siphon_client *c;
	const struct command *cmd = NULL;
	int r;

	r = siphon_create(&c, NULL);
	if (r) {
		fprintf(stderr, "siphon: %s\n", strerror(-r));
		return 1;
	}
	if (take_timeout(c, &argc, argv)) {
		fprintf(stderr, "siphon: --timeout takes a number of seconds\n");
		siphon_release(c);
		return 2;
	}
	r = siphon_conf_parse_argv(c, &argc, argv);
	if (r) {
		fprintf(stderr, "siphon: %s\n", siphon_errstr(c));
		siphon_release(c);
		return 2;
	}
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		siphon_release(c);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			cmd = &commands[i];
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
