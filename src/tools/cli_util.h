/* Small helpers shared by the siphon command's subcommands. */
#ifndef SIPHON_TOOLS_CLI_UTIL_H
#define SIPHON_TOOLS_CLI_UTIL_H

/* Prints "siphon: PATH: <strerror(-r)>" and returns 1 (the exit code). */
int complain(const char *path, int r);

/* getopt over argv[0..argc) where argv[0] is the command name; take() is
 * called for each option and returns non-zero to reject it. Prints
 * "usage: siphon CMD USAGE" and returns -1 on a bad option, else the
 * index of the first operand. */
int opts(int argc, char **argv, const char *spec, const char *usage,
	 int (*take)(int opt, const char *arg, void *ctx), void *ctx);

#endif
