/* The siphon command's subcommands. Each returns the process exit code
 * (0 ok, 1 failure, 2 usage) and prints its own errors. */
#ifndef SIPHON_TOOLS_COMMANDS_H
#define SIPHON_TOOLS_COMMANDS_H

struct siphon_client;

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct siphon_client *c, int argc, char **argv);
};

enum output_format {
	FORMAT_PLAIN,
	FORMAT_JSON,
	FORMAT_JSON_PRETTY,
};

/* Parses "--format X" / "-f X" / "--format=X" among argv[1..]; other
 * arguments are an error. Returns -1 (after a message) on bad usage. */
int parse_format_only(const char *cmd, int argc, char **argv,
		      enum output_format *fmt);
/* Connects, printing "siphon: ..." on failure. */
int connect_or_complain(struct siphon_client *c);

/* Mounts, printing "siphon: ..." on failure. */
int mount_or_complain(struct siphon_client *c);

int cmd_status(struct siphon_client *c, int argc, char **argv);
int cmd_df(struct siphon_client *c, int argc, char **argv);
int cmd_ls(struct siphon_client *c, int argc, char **argv);
int cmd_stat(struct siphon_client *c, int argc, char **argv);
int cmd_mkdir(struct siphon_client *c, int argc, char **argv);
int cmd_rmdir(struct siphon_client *c, int argc, char **argv);
int cmd_rm(struct siphon_client *c, int argc, char **argv);
int cmd_mv(struct siphon_client *c, int argc, char **argv);
int cmd_ln(struct siphon_client *c, int argc, char **argv);
int cmd_touch(struct siphon_client *c, int argc, char **argv);
int cmd_readlink(struct siphon_client *c, int argc, char **argv);
int cmd_chmod(struct siphon_client *c, int argc, char **argv);
int cmd_chown(struct siphon_client *c, int argc, char **argv);
int cmd_xattr(struct siphon_client *c, int argc, char **argv);
int cmd_tree(struct siphon_client *c, int argc, char **argv);
int cmd_put(struct siphon_client *c, int argc, char **argv);
int cmd_get(struct siphon_client *c, int argc, char **argv);
int cmd_cat(struct siphon_client *c, int argc, char **argv);
int cmd_truncate(struct siphon_client *c, int argc, char **argv);

#endif
