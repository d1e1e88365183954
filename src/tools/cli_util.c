/* Small helpers shared by the siphon command's subcommands. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_util.h"

int complain(const char *path, int r)
{
	fprintf(stderr, "siphon: %s: %s\n", path, strerror(-r));
	return 1;
}

int opts(int argc, char **argv, const char *spec, const char *usage,
	 int (*take)(int opt, const char *arg, void *ctx), void *ctx)
{
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt(argc, argv, spec)) != -1) {
		if (o == '?' || o == ':' || take(o, optarg, ctx)) {
			fprintf(stderr, "usage: siphon %s %s\n", argv[0], usage);
			return -1;
		}
	}
	return optind;
}
