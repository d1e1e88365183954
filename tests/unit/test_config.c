/* Configuration: ceph.conf parsing, precedence, expansion, monitors,
 * command line, keyrings, base64; the API's error words per thread. */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/base64.h"
#include "common/config.h"
#include "common/keyring.h"
#include "common/log.h"
#include "siphon/siphon.h"

static struct sp_config *cfg_from(const char *text)
{
	struct sp_config *cfg = config_create();
	char err[256] = "";

	config_set_flags(cfg, CONFIG_F_NO_ENV);
	if (config_parse_buffer(cfg, "t.conf", text, strlen(text), err,
				sizeof(err))) {
		fprintf(stderr, "parse failed: %s\n", err);
		test_failures++;
	}
	return cfg;
}

/* Parses text expecting a failure; returns the message. */
static const char *parse_err(struct sp_config *cfg, const char *text, int *r)
{
	*r = config_parse_buffer(cfg, "bad.conf", text, strlen(text), NULL, 0);
	return config_error(cfg);
}

static const char *data_path(const char *name, char *buf, size_t cap)
{
	const char *dir = getenv("SIPHON_TEST_DATA");

	snprintf(buf, cap, "%s/%s", dir ? dir : "tests/data", name);
	return buf;
}

static const char *addr_str(const struct entity_addr *a, char *buf, size_t cap)
{
	entity_addr_format(a, buf, cap);
	return buf;
}

TEST(config_comments_and_blank_lines)
{
	struct sp_config *cfg = cfg_from(
		"# comment\n"
		"; another\n"
		"\n"
		"   \t\n"
		"[global]   # after heading\n"
		"a = 1 # trailing\n"
		"b = 2; trailing\n"
		"c = x\\#y\n"
		"  d=4\n"
		"\te =\n"
		"\t; indented comment\n");

	CHECK_STR(config_get(cfg, "a"), "1");
	CHECK_STR(config_get(cfg, "b"), "2");
	CHECK_STR(config_get(cfg, "c"), "x#y");
	CHECK_STR(config_get(cfg, "d"), "4");
	CHECK_STR(config_get(cfg, "e"), "");
	CHECK(config_get(cfg, "f") == NULL);
	CHECK(strstr(config_error(cfg), "'f' is not set") != NULL);
	config_destroy(cfg);
}

TEST(config_continuation_and_line_endings)
{
	struct sp_config *cfg = cfg_from(
		"[global]\r\n"
		"mon host = 1.2.3.4,\\\n"
		"           5.6.7.8\r\n"
		"x = a\\\r\nb\n"
		"y = last-no-newline");

	CHECK_STR(config_get(cfg, "mon host"), "1.2.3.4,           5.6.7.8");
	CHECK_STR(config_get(cfg, "x"), "ab");
	CHECK_STR(config_get(cfg, "y"), "last-no-newline");
	config_destroy(cfg);
}

TEST(config_quoted_values)
{
	struct sp_config *cfg = cfg_from(
		"[global]\n"
		"a = \"hello world\"\n"
		"b = 'single # quoted'   # comment after\n"
		"c = \"esc \\\" quote\"\n"
		"d = \"  trimmed like ceph  \"\n"
		"e = \"\"\n");
	int r;

	CHECK_STR(config_get(cfg, "a"), "hello world");
	CHECK_STR(config_get(cfg, "b"), "single # quoted");
	CHECK_STR(config_get(cfg, "c"), "esc \" quote");
	CHECK_STR(config_get(cfg, "d"), "trimmed like ceph");
	CHECK_STR(config_get(cfg, "e"), "");
	CHECK(strstr(parse_err(cfg, "[g]\na = \"open\n", &r),
		     "bad.conf:2: missing closing") != NULL);
	CHECK_EQ(r, -EINVAL);
	CHECK(strstr(parse_err(cfg, "[g]\n\na = \"x\" y\n", &r),
		     "bad.conf:3: unexpected text after the quoted value") != NULL);
	/* A failed parse leaves the earlier file in place. */
	CHECK_STR(config_get(cfg, "a"), "hello world");
	config_destroy(cfg);
}

TEST(config_section_precedence)
{
	struct sp_config *cfg = cfg_from(
		"[global]\n x = global\n y = global\n z = global\n"
		"[client]\n x = client\n y = client\n"
		"[client.admin]\n x = admin\n"
		"[client.fuse]\n x = fuse\n"
		"[osd]\n x = osd\n z = osd\n"
		"[client]\n w = merged\n");

	CHECK_STR(config_name(cfg), "client.admin");
	CHECK_STR(config_get(cfg, "x"), "admin");
	CHECK_STR(config_get(cfg, "y"), "client");
	CHECK_STR(config_get(cfg, "z"), "global");
	CHECK_STR(config_get(cfg, "w"), "merged");
	CHECK_EQ(config_set_id(cfg, "fuse"), 0);
	CHECK_STR(config_get(cfg, "x"), "fuse");
	CHECK_EQ(config_set_id(cfg, "other"), 0);
	CHECK_STR(config_get(cfg, "x"), "client");
	CHECK_EQ(config_set_name(cfg, "osd.3"), 0);
	CHECK_STR(config_get(cfg, "x"), "osd");
	CHECK_STR(config_get(cfg, "z"), "osd");
	CHECK_STR(config_get(cfg, "y"), "global");
	/* Overrides beat every section; removing one uncovers the file. */
	CHECK_EQ(config_set(cfg, "x", "api"), 0);
	CHECK_STR(config_get(cfg, "x"), "api");
	CHECK_STR(config_origin(cfg, "x"), "config_set");
	CHECK_EQ(config_set(cfg, "x", NULL), 0);
	CHECK_STR(config_get(cfg, "x"), "osd");
	CHECK_STR(config_origin(cfg, "x"), "t.conf:13");
	CHECK_EQ(config_section_count(cfg), 5);
	CHECK_STR(config_section_name(cfg, 4), "osd");
	config_destroy(cfg);
}

TEST(config_key_spellings)
{
	struct sp_config *cfg = cfg_from(
		"[global]\n"
		"mon host = 1.1.1.1\n"
		"  client   cache-size   = 5\n"
		"a_b = first\n"
		"a b = second\n");

	CHECK_STR(config_get(cfg, "mon host"), "1.1.1.1");
	CHECK_STR(config_get(cfg, "mon_host"), "1.1.1.1");
	CHECK_STR(config_get(cfg, "mon-host"), "1.1.1.1");
	CHECK_STR(config_get(cfg, "  mon   host "), "1.1.1.1");
	CHECK_STR(config_get(cfg, "client_cache_size"), "5");
	CHECK_STR(config_get(cfg, "client-cache-size"), "5");
	/* Spellings of one name share an entry: the last line wins. */
	CHECK_STR(config_get(cfg, "a_b"), "second");
	CHECK_EQ(config_set(cfg, "mon-host", "2.2.2.2"), 0);
	CHECK_STR(config_get(cfg, "mon host"), "2.2.2.2");
	config_destroy(cfg);
}

TEST(config_meta_expansion)
{
	struct sp_config *cfg = cfg_from(
		"[global]\n"
		"log file = /var/log/ceph/$cluster-$name.log\n"
		"run dir = /run/$cluster\n"
		"admin socket = $run_dir/$type.$id.asok\n"
		"braced = x${cluster}y\n"
		"unknown = $nosuch and $ alone and $Upper\n"
		"loop_a = <$loop_b>\n"
		"loop_b = [$loop_a]\n"
		"self = $self\n"
		"host = $host\n"
		"home = $home/.ceph\n"
		"num = $num\n");
	char host[256] = "", want[300];
	const char *home = getenv("HOME");

	CHECK_STR(config_get(cfg, "log file"), "/var/log/ceph/ceph-client.admin.log");
	CHECK_STR(config_get(cfg, "admin socket"), "/run/ceph/client.admin.asok");
	CHECK_STR(config_get(cfg, "braced"), "xcephy");
	CHECK_STR(config_get(cfg, "unknown"), "$nosuch and $ alone and $Upper");
	CHECK_STR(config_get(cfg, "loop_a"), "<[$loop_a]>");
	CHECK_STR(config_get(cfg, "self"), "$self");
	CHECK_STR(config_get(cfg, "num"), "admin");
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = '\0';
	CHECK_STR(config_get(cfg, "host"), host);
	snprintf(want, sizeof(want), "%s/.ceph", home ? home : "");
	CHECK_STR(config_get(cfg, "home"), want);
	CHECK_EQ(config_set_cluster(cfg, "prod"), 0);
	CHECK_EQ(config_set_name(cfg, "mds.a"), 0);
	CHECK_STR(config_get(cfg, "log_file"), "/var/log/ceph/prod-mds.a.log");
	CHECK_STR(config_get(cfg, "admin_socket"), "/run/prod/mds.a.asok");
	CHECK_STR(config_expand(cfg, "/etc/ceph/$cluster.$name.keyring"),
		  "/etc/ceph/prod.mds.a.keyring");
	config_destroy(cfg);

	/* Doubling at each level would need 2^16 copies: refused. */
	{
		struct sb { char t[2048]; size_t n; } b = { .n = 0 };

		b.n += (size_t)snprintf(b.t, sizeof(b.t), "[global]\nva = %0200d\n", 0);
		for (int i = 1; i < 16; i++)
			b.n += (size_t)snprintf(b.t + b.n, sizeof(b.t) - b.n,
					       "v%c = $v%c$v%c\n", 'a' + i, 'a' + i - 1,
					       'a' + i - 1);
		cfg = cfg_from(b.t);
		CHECK_EQ(strlen(config_get(cfg, "vk")), 200 << 10);
		CHECK(config_get(cfg, "vp") == NULL);
		CHECK_STR(config_error(cfg),
			  "'vp' is longer than 1048576 bytes after $ expansion");
		config_set_flags(cfg, CONFIG_F_NO_DNS);
		CHECK_EQ(config_set(cfg, "mon_host", "$vo"), 0);
		{
			struct config_mon *m;
			int n;

			CHECK_EQ(config_mons(cfg, &m, &n), -E2BIG);
		}
		config_destroy(cfg);
	}
}

TEST(config_parse_errors_name_file_and_line)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "[global]\nmon host\n", "bad.conf:2: expected 'key = value'" },
		{ "[global\n", "bad.conf:1: expected ']' after the section name" },
		{ "\n\n[]\n", "bad.conf:3: empty section name" },
		{ "[a] b\n", "bad.conf:1: unexpected text after the section name" },
		{ "[a]\n = v\n", "bad.conf:2: missing key before '='" },
		{ "[a]\nk [x] = v\n", "bad.conf:2: expected 'key = value'" },
		{ "[a]\nx = 1,\\\n 2\nbroken\n", "bad.conf:4: expected 'key = value'" },
		{ "[a]\nk = \xff\n", "bad.conf:2: invalid UTF-8" },
		{ "[a]\nk = \xc0\xaf\n", "bad.conf:2: invalid UTF-8" },
	};
	struct sp_config *cfg = config_create();
	char err[128];
	int r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *m = parse_err(cfg, cases[i].text, &r);

		CHECK_EQ(r, -EINVAL);
		if (strcmp(m, cases[i].msg)) {
			fprintf(stderr, "case %zu: got '%s'\n", i, m);
			test_failures++;
		}
	}
	CHECK_EQ(config_parse_buffer(cfg, "nul.conf", "[a]\nk = \0\n", 9, err,
				     sizeof(err)), -EINVAL);
	CHECK_STR(err, "nul.conf:2: NUL byte in file");
	/* UTF-8 text is fine; so are keys before any section ([global]). */
	CHECK_EQ(config_parse_buffer(cfg, "u.conf", "k = caf\xc3\xa9\n", 10,
				     NULL, 0), 0);
	CHECK_STR(config_get(cfg, "k"), "caf\xc3\xa9");
	CHECK_STR(config_section_name(cfg, 0), "global");
	CHECK_EQ(config_parse_buffer(cfg, "empty", "", 0, NULL, 0), 0);
	CHECK_EQ(config_section_count(cfg), 0);
	config_destroy(cfg);
}

TEST(config_files_and_search_order)
{
	struct sp_config *cfg = config_create();
	char path[512], bad[512], dir[600];
	const char *saved = getenv("CEPH_CONF");

	CHECK_EQ(config_read_file(cfg, "/nonexistent/ceph.conf"), -ENOENT);
	CHECK_STR(config_error(cfg), "/nonexistent/ceph.conf: No such file or directory");
	data_path("config-bad.conf", bad, sizeof(bad));
	CHECK_EQ(config_read_file(cfg, bad), -EINVAL);
	snprintf(dir, sizeof(dir), "%s:4: expected 'key = value'", bad);
	CHECK_STR(config_error(cfg), dir);
	data_path("", dir, sizeof(dir));
	CHECK_EQ(config_read_file(cfg, dir), -EISDIR);

	/* -c: the first existing file of the list; none is an error. */
	data_path("config-ceph.conf", path, sizeof(path));
	snprintf(dir, sizeof(dir), "/nonexistent/a.conf, %s", path);
	CHECK_EQ(config_set(cfg, "x", "y"), 0);
	{
		char *argv[] = { "prog", "-c", dir, NULL };
		int argc = 3;

		config_set_flags(cfg, CONFIG_F_NO_ENV);
		CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), 0);
		CHECK_EQ(argc, 1);
	}
	CHECK_EQ(config_read_files(cfg), 0);
	CHECK_STR(config_conf_path(cfg), path);
	/* The cluster name comes from "config-ceph.conf". */
	CHECK_STR(config_cluster(cfg), "config-ceph");
	config_destroy(cfg);

	cfg = config_create();
	{
		char *argv[] = { "prog", "--conf=/nonexistent/x.conf", NULL };
		int argc = 2;

		config_set_flags(cfg, CONFIG_F_NO_ENV);
		CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), 0);
	}
	CHECK_EQ(config_read_files(cfg), -ENOENT);
	CHECK_STR(config_error(cfg), "/nonexistent/x.conf: No such file or directory");
	config_destroy(cfg);

	/* $CEPH_CONF when there is no -c; a missing one is not an error. */
	cfg = config_create();
	setenv("CEPH_CONF", path, 1);
	CHECK_EQ(config_read_files(cfg), 0);
	CHECK_STR(config_conf_path(cfg), path);
	CHECK_STR(config_cluster(cfg), "ceph");
	config_destroy(cfg);
	cfg = config_create();
	setenv("CEPH_CONF", "/nonexistent/1.conf,/nonexistent/2.conf", 1);
	CHECK_EQ(config_read_files(cfg), 0);
	CHECK(config_conf_path(cfg) == NULL);
	config_set_flags(cfg, CONFIG_F_NO_DNS);
	{
		struct config_mon *m;
		int n;

		CHECK_EQ(config_mons(cfg, &m, &n), -ENOENT);
		CHECK_STR(config_error(cfg),
			  "no monitors given: no config file found (tried /nonexistent/1.conf,/nonexistent/2.conf); create one with 'mon host' or pass -m");
	}
	config_destroy(cfg);
	if (saved)
		setenv("CEPH_CONF", saved, 1);
	else
		unsetenv("CEPH_CONF");
}

TEST(config_realistic_file)
{
	struct sp_config *cfg = config_create();
	char path[512];
	uint64_t size;
	double secs;
	int64_t i;
	bool b;

	data_path("config-ceph.conf", path, sizeof(path));
	CHECK_EQ(config_read_file(cfg, path), 0);
	CHECK_STR(config_get(cfg, "auth cluster required"), "none");
	CHECK_STR(config_get(cfg, "keyring"), "/etc/ceph/ceph.client.admin.keyring");
	CHECK_STR(config_get(cfg, "long value"), "first part, \t             second part");
	CHECK_STR(config_get(cfg, "quoted"), "# not a comment");
	CHECK_STR(config_get(cfg, "debug_ms"), "1");
	CHECK_EQ(config_get_int(cfg, "client_cache_size", &i), 0);
	CHECK_EQ(i, 8192);
	CHECK_EQ(config_get_seconds(cfg, "client_mount_timeout", &secs), 0);
	CHECK(secs == 300);
	CHECK_EQ(config_get_size(cfg, "client_oc_size", &size), 0);
	CHECK_EQ(size, 200ull << 20);
	CHECK_EQ(config_get_bool(cfg, "fuse_default_permissions", &b), 0);
	CHECK(!b);
	CHECK_EQ(config_set_id(cfg, "other"), 0);
	CHECK_STR(config_get(cfg, "debug ms"), "0");
	config_destroy(cfg);
}

TEST(config_typed_getters)
{
	struct sp_config *cfg = cfg_from(
		"[global]\n"
		"i1 = 42\ni2 = -7\ni3 = 12abc\ni4 = 99999999999999999999\n"
		"b1 = true\nb2 = No\nb3 = on\nb4 = 0\nb5 = maybe\n"
		"d1 = 0.5\nd2 = 1e3\nd3 = x\n"
		"s1 = 30\ns2 = 1.5\ns3 = 500ms\ns4 = 1h 30m\ns5 = 2d\ns6 = 1w\n"
		"s7 = 10 parsecs\ns8 = 10s5\n"
		"z1 = 4096\nz2 = 64K\nz3 = 64KiB\nz4 = 1M\nz5 = 2G\nz6 = 3 T\n"
		"z7 = 8B\nz8 = 1Q\nz9 = 20000000E\nz10 = -1\n");
	uint64_t z;
	double d;
	int64_t i;
	bool b;

	CHECK_EQ(config_get_int(cfg, "i1", &i), 0);
	CHECK_EQ(i, 42);
	CHECK_EQ(config_get_int(cfg, "i2", &i), 0);
	CHECK_EQ(i, -7);
	CHECK_EQ(config_get_int(cfg, "i3", &i), -EINVAL);
	CHECK_STR(config_error(cfg), "t.conf:4: i3 = '12abc': expected an integer");
	CHECK_EQ(config_get_int(cfg, "i4", &i), -ERANGE);
	CHECK_EQ(config_get_int(cfg, "nope", &i), -ENOENT);
	CHECK_EQ(config_get_bool(cfg, "b1", &b), 0);
	CHECK(b);
	CHECK_EQ(config_get_bool(cfg, "b2", &b), 0);
	CHECK(!b);
	CHECK_EQ(config_get_bool(cfg, "b3", &b), 0);
	CHECK(b);
	CHECK_EQ(config_get_bool(cfg, "b4", &b), 0);
	CHECK(!b);
	CHECK_EQ(config_get_bool(cfg, "b5", &b), -EINVAL);
	CHECK_EQ(config_get_double(cfg, "d1", &d), 0);
	CHECK(d == 0.5);
	CHECK_EQ(config_get_double(cfg, "d2", &d), 0);
	CHECK(d == 1000);
	CHECK_EQ(config_get_double(cfg, "d3", &d), -EINVAL);
	CHECK_EQ(config_get_seconds(cfg, "s1", &d), 0);
	CHECK(d == 30);
	CHECK_EQ(config_get_seconds(cfg, "s2", &d), 0);
	CHECK(d == 1.5);
	CHECK_EQ(config_get_seconds(cfg, "s3", &d), 0);
	CHECK(d == 0.5);
	CHECK_EQ(config_get_seconds(cfg, "s4", &d), 0);
	CHECK(d == 5400);
	CHECK_EQ(config_get_seconds(cfg, "s5", &d), 0);
	CHECK(d == 172800);
	CHECK_EQ(config_get_seconds(cfg, "s6", &d), 0);
	CHECK(d == 604800);
	CHECK_EQ(config_get_seconds(cfg, "s7", &d), -EINVAL);
	CHECK_EQ(config_get_seconds(cfg, "s8", &d), 0);	/* 10s + 5s */
	CHECK(d == 15);
	CHECK_EQ(config_get_size(cfg, "z1", &z), 0);
	CHECK_EQ(z, 4096);
	CHECK_EQ(config_get_size(cfg, "z2", &z), 0);
	CHECK_EQ(z, 65536);
	CHECK_EQ(config_get_size(cfg, "z3", &z), 0);
	CHECK_EQ(z, 65536);
	CHECK_EQ(config_get_size(cfg, "z4", &z), 0);
	CHECK_EQ(z, 1 << 20);
	CHECK_EQ(config_get_size(cfg, "z5", &z), 0);
	CHECK_EQ(z, 2ull << 30);
	CHECK_EQ(config_get_size(cfg, "z6", &z), 0);
	CHECK_EQ(z, 3ull << 40);
	CHECK_EQ(config_get_size(cfg, "z7", &z), 0);
	CHECK_EQ(z, 8);
	CHECK_EQ(config_get_size(cfg, "z8", &z), -EINVAL);
	CHECK(strstr(config_error(cfg), "t.conf:") != NULL);
	CHECK_EQ(config_get_size(cfg, "z9", &z), -ERANGE);
	CHECK_EQ(config_get_size(cfg, "z10", &z), -EINVAL);
	config_destroy(cfg);
}

/* Parses "mon host = VALUE" (no DNS) and formats the result as
 * "name=addr,addr name=addr". */
static int mons_of(const char *value, bool dns, char *out, size_t cap)
{
	char text[512];
	struct sp_config *cfg;
	struct config_mon *m;
	size_t o = 0;
	int n, r;

	snprintf(text, sizeof(text), "[global]\nmon host = %s\n", value);
	cfg = cfg_from(text);
	config_set_flags(cfg, dns ? 0 : CONFIG_F_NO_DNS);
	r = config_mons(cfg, &m, &n);
	out[0] = '\0';
	if (r) {
		snprintf(out, cap, "%s", config_error(cfg));
		config_destroy(cfg);
		return r;
	}
	for (int i = 0; i < n; i++) {
		o += (size_t)snprintf(out + o, cap - o, "%s%s=", i ? " " : "",
				      m[i].name);
		for (uint32_t j = 0; j < m[i].addrs.n; j++) {
			char a[64];

			o += (size_t)snprintf(out + o, cap - o, "%s%s", j ? "," : "",
					      addr_str(&m[i].addrs.v[j], a, sizeof(a)));
		}
	}
	free(m);
	config_destroy(cfg);
	return 0;
}

#define CHECK_MONS(value, want)                                           \
	do {                                                              \
		char _got[1024];                                          \
		CHECK_EQ(mons_of(value, false, _got, sizeof(_got)), 0);   \
		CHECK_STR(_got, want);                                    \
	} while (0)

TEST(config_mon_host_forms)
{
	/* No type, no port: both v2:3300 and v1:6789. */
	CHECK_MONS("127.0.0.1", "noname-a=v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0");
	/* The port tells the type; another port gets both types. */
	CHECK_MONS("127.0.0.1:6789", "noname-a=v1:127.0.0.1:6789/0");
	CHECK_MONS("127.0.0.1:3300", "noname-a=v2:127.0.0.1:3300/0");
	CHECK_MONS("127.0.0.1:40000",
		   "noname-a=v2:127.0.0.1:40000/0,v1:127.0.0.1:40000/0");
	/* A type without a port gets that type's default port. */
	CHECK_MONS("v1:10.0.0.1", "noname-a=v1:10.0.0.1:6789/0");
	CHECK_MONS("v2:10.0.0.1", "noname-a=v2:10.0.0.1:3300/0");
	CHECK_MONS("v1:10.0.0.1:7000", "noname-a=v1:10.0.0.1:7000/0");
	/* Bracketed addrvecs, as 'ceph config generate-minimal-conf' writes. */
	CHECK_MONS("[v2:127.0.0.1:3300,v1:127.0.0.1:6789]",
		   "noname-a=v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0");
	CHECK_MONS("[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0] [v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0]",
		   "noname-a=v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0 "
		   "noname-b=v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0");
	CHECK_MONS("[v1:10.0.0.9:6789]", "noname-a=v1:10.0.0.9:6789/0");
	/* Several monitors: commas, blanks, semicolons, mixed. */
	CHECK_MONS("10.0.0.1:6789,10.0.0.2:6789, 10.0.0.3:6789",
		   "noname-a=v1:10.0.0.1:6789/0 noname-b=v1:10.0.0.2:6789/0 "
		   "noname-c=v1:10.0.0.3:6789/0");
	/* ';' starts a comment in a file: escape it (or use -m). */
	CHECK_MONS("10.0.0.1:3300\\;10.0.0.2:3300 \\; 10.0.0.3:3300",
		   "noname-a=v2:10.0.0.1:3300/0 noname-b=v2:10.0.0.2:3300/0 "
		   "noname-c=v2:10.0.0.3:3300/0");
	CHECK_MONS("[v2:10.0.0.1:3300,v1:10.0.0.1:6789],10.0.0.2",
		   "noname-a=v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0 "
		   "noname-b=v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0");
	/* IPv6: bare, bracketed with a port, typed, in an addrvec. */
	CHECK_MONS("::1", "noname-a=v2:[::1]:3300/0,v1:[::1]:6789/0");
	CHECK_MONS("[::1]:6789", "noname-a=v1:[::1]:6789/0");
	CHECK_MONS("[fe80::1]:3300,[fe80::2]:6789",
		   "noname-a=v2:[fe80::1]:3300/0 noname-b=v1:[fe80::2]:6789/0");
	CHECK_MONS("v2:[2001:db8::5]:3300", "noname-a=v2:[2001:db8::5]:3300/0");
	CHECK_MONS("[v2:[2001:db8::5]:3300,v1:[2001:db8::5]:6789]",
		   "noname-a=v2:[2001:db8::5]:3300/0,v1:[2001:db8::5]:6789/0");
	/* The same address twice is one monitor. */
	CHECK_MONS("10.0.0.1:6789 10.0.0.1:6789 10.0.0.2",
		   "noname-a=v1:10.0.0.1:6789/0 "
		   "noname-c=v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0");
}

TEST(config_mon_host_names_and_errors)
{
	char got[1024];

	/* localhost resolves (127.0.0.1 and perhaps ::1). */
	CHECK_EQ(mons_of("localhost", true, got, sizeof(got)), 0);
	CHECK(strstr(got, "noname-a=v2:127.0.0.1:3300/0,v1:127.0.0.1:6789/0") ||
	      strstr(got, "v2:[::1]:3300/0,v1:[::1]:6789/0"));
	CHECK_EQ(mons_of("localhost:6789", true, got, sizeof(got)), 0);
	CHECK(strstr(got, "=v1:127.0.0.1:6789/0") || strstr(got, "=v1:[::1]:6789/0"));
	CHECK(strstr(got, "v2:") == NULL);
	CHECK_EQ(mons_of("v2:localhost", true, got, sizeof(got)), 0);
	CHECK(strstr(got, "v1:") == NULL);
	CHECK_EQ(mons_of("10.0.0.1,localhost:3300", true, got, sizeof(got)), 0);
	CHECK(strstr(got, "noname-a=v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0 noname-b=v2:") == got);
	CHECK(strstr(got, ":3300/0 ") || !strcmp(got + strlen(got) - 7, ":3300/0"));
	CHECK(strstr(got, "noname-b") && !strstr(strstr(got, "noname-b"), "v1:"));
	CHECK_EQ(mons_of("no-such-host.invalid", true, got, sizeof(got)),
		 -EHOSTUNREACH);
	CHECK(strstr(got, "t.conf:2: mon host: cannot resolve 'no-such-host.invalid': ") == got);
	CHECK_EQ(mons_of("localhost", false, got, sizeof(got)), -EINVAL);
	CHECK_STR(got, "t.conf:2: mon host: 'localhost' is not an address");
	CHECK_EQ(mons_of("10.0.0.1:99999", true, got, sizeof(got)), -EINVAL);
	CHECK_EQ(mons_of("[v2:10.0.0.1:3300,bogus]", true, got, sizeof(got)), -EINVAL);
	CHECK_STR(got, "t.conf:2: mon host: cannot parse '[v2:10.0.0.1:3300,bogus]'");
	CHECK_EQ(mons_of("bad!host", true, got, sizeof(got)), -EINVAL);
	/* An empty 'mon host' is no monitors at all. */
	CHECK_EQ(mons_of("", true, got, sizeof(got)), -ENOENT);
	CHECK_STR(got, "no monitors given: set 'mon host' in t.conf or pass -m");
}

TEST(config_mon_sections_and_override)
{
	struct sp_config *cfg = config_create();
	struct entity_addrvec *av;
	struct config_mon *m;
	char path[512], a[64];
	int n;

	config_set_flags(cfg, CONFIG_F_NO_DNS);
	data_path("config-mon-sections.conf", path, sizeof(path));
	CHECK_EQ(config_read_file(cfg, path), 0);
	CHECK_EQ(config_mons(cfg, &m, &n), 0);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_STR(m[0].name, "a");
		CHECK_STR(addr_str(&m[0].addrs.v[0], a, sizeof(a)), "v1:10.0.0.1:6790/0");
		CHECK_STR(m[1].name, "b");
		CHECK_STR(addr_str(&m[1].addrs.v[0], a, sizeof(a)), "v1:10.0.0.2:6789/0");
		CHECK_STR(m[2].name, "c");
		CHECK_STR(addr_str(&m[2].addrs.v[0], a, sizeof(a)), "v2:10.0.0.3:3300/0");
		CHECK_EQ(m[0].addrs.n, 1);
	}
	free(m);
	/* -m wins over the file. */
	{
		char *argv[] = { "prog", "-m", "[v2:1.2.3.4:3300,v1:1.2.3.4:6789]",
				 "x", NULL };
		int argc = 4;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), 0);
		CHECK_EQ(argc, 2);
		CHECK_STR(argv[1], "x");
	}
	CHECK_EQ(config_mon_addrs(cfg, &av, &n), 0);
	CHECK_EQ(n, 1);
	if (n == 1) {
		CHECK_EQ(av[0].n, 2);
		CHECK_STR(addr_str(&av[0].v[1], a, sizeof(a)), "v1:1.2.3.4:6789/0");
	}
	free(av);
	config_destroy(cfg);

	cfg = cfg_from("[mon.a]\nmon addr = 10.0.0.300\n");
	config_set_flags(cfg, CONFIG_F_NO_DNS);
	CHECK_EQ(config_mons(cfg, &m, &n), -EINVAL);
	CHECK_STR(config_error(cfg), "t.conf:2: [mon.a] mon addr: cannot parse '10.0.0.300'");
	config_destroy(cfg);
}

TEST(config_argv)
{
	struct sp_config *cfg = config_create();
	char *argv[] = {
		"siphon-fuse", "--id", "fuse", "/mnt", "-k", "/tmp/kr",
		"--debug-ms=5", "--debug_monc", "10", "--client_mountpoint=/sub",
		"-f", "--log-file", "/tmp/log", "--no-fuse-default-permissions",
		"--fuse_allow_other", "/mnt2", "--cluster", "prod", "--foo",
		"-m", "1.2.3.4", "--", "--debug_ms=9", NULL,
	};
	int argc = 23;

	config_set_flags(cfg, CONFIG_F_NO_ENV);
	CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), 0);
	CHECK_EQ(argc, 7);
	CHECK_STR(argv[0], "siphon-fuse");
	CHECK_STR(argv[1], "/mnt");
	CHECK_STR(argv[2], "-f");
	CHECK_STR(argv[3], "/mnt2");
	CHECK_STR(argv[4], "--foo");
	CHECK_STR(argv[5], "--");
	CHECK_STR(argv[6], "--debug_ms=9");
	CHECK(argv[7] == NULL);
	CHECK_STR(config_name(cfg), "client.fuse");
	CHECK_STR(config_cluster(cfg), "prod");
	CHECK_STR(config_get(cfg, "keyring"), "/tmp/kr");
	CHECK_STR(config_get(cfg, "debug ms"), "5");
	CHECK_STR(config_get(cfg, "debug_monc"), "10");
	CHECK_STR(config_get(cfg, "client_mountpoint"), "/sub");
	CHECK_STR(config_get(cfg, "log_file"), "/tmp/log");
	CHECK_STR(config_get(cfg, "fuse_default_permissions"), "false");
	CHECK_STR(config_get(cfg, "fuse_allow_other"), "true");
	CHECK_STR(config_get(cfg, "mon_host"), "1.2.3.4");
	CHECK_STR(config_origin(cfg, "mon_host"), "command line");
	config_destroy(cfg);
}

TEST(config_argv_names_and_errors)
{
	struct sp_config *cfg = config_create();
	char err[256];

	config_set_flags(cfg, CONFIG_F_NO_ENV);
	{
		char *argv[] = { "p", "-n", "mds.b", NULL };
		int argc = 3;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), 0);
		CHECK_STR(config_name(cfg), "mds.b");
		CHECK_EQ(config_entity_type(cfg), CEPH_ENTITY_TYPE_MDS);
	}
	{
		char *argv[] = { "p", "--name=client.x", "--user", "y", NULL };
		int argc = 4;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), 0);
		CHECK_STR(config_name(cfg), "client.y");
		CHECK_STR(config_id(cfg), "y");
	}
	{
		char *argv[] = { "p", "--name", "bogus.x", NULL };
		int argc = 3;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, "error parsing 'bogus.x'") != NULL);
		CHECK_STR(config_name(cfg), "client.y");
	}
	{
		char *argv[] = { "p", "--name", "noperiod", NULL };
		int argc = 3;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), -EINVAL);
	}
	{
		char *argv[] = { "p", "-m", NULL };
		int argc = 2;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), -EINVAL);
		CHECK_STR(err, "option -m requires an argument");
	}
	{
		/* -i is an input file for clients unless asked for. */
		char *argv[] = { "p", "-i", "z", NULL };
		int argc = 3;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), 0);
		CHECK_EQ(argc, 3);
		config_set_flags(cfg, CONFIG_F_NO_ENV | CONFIG_F_DASH_I);
		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), 0);
		CHECK_EQ(argc, 1);
		CHECK_STR(config_name(cfg), "client.z");
	}
	{
		char *argv[] = { "p", "--no-config-file", NULL };
		int argc = 2;

		CHECK_EQ(config_parse_argv(cfg, &argc, argv, err, sizeof(err)), 0);
		CHECK_EQ(config_read_files(cfg), 0);
		CHECK(config_conf_path(cfg) == NULL);
	}
	config_destroy(cfg);
}

TEST(config_ceph_args_env)
{
	struct sp_config *cfg = cfg_from("[global]\ndebug ms = 1\nlog file = /f\n");
	char *argv[] = { "p", "--debug_ms", "3", NULL };
	int argc = 3;

	config_set_flags(cfg, 0);
	setenv("CEPH_ARGS", "--id env --debug_ms 2 --log-file=/env -m 9.9.9.9 leftover", 1);
	setenv("CEPH_KEYRING", "/env/keyring", 1);
	CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), 0);
	unsetenv("CEPH_ARGS");
	unsetenv("CEPH_KEYRING");
	CHECK_EQ(argc, 1);
	CHECK_STR(config_name(cfg), "client.env");
	CHECK_STR(config_get(cfg, "debug ms"), "3");
	CHECK_STR(config_get(cfg, "log file"), "/env");
	CHECK_STR(config_origin(cfg, "log file"), "CEPH_ARGS");
	CHECK_STR(config_get(cfg, "keyring"), "/env/keyring");
	CHECK_STR(config_get(cfg, "mon host"), "9.9.9.9");
	setenv("CEPH_ARGS", "--name", 1);
	CHECK_EQ(config_parse_argv(cfg, &argc, argv, NULL, 0), -EINVAL);
	CHECK_STR(config_error(cfg), "CEPH_ARGS: option --name requires an argument");
	unsetenv("CEPH_ARGS");
	config_destroy(cfg);
}

TEST(config_logging)
{
	struct sp_config *cfg = cfg_from(
		"[global]\ndebug ms = 1/5\ndebug mds = 20\ndebug auth = 3\n"
		"[client]\ndebug monc = 7\n"
		"[client.admin]\ndebug auth = 4\n");
	char path[] = "/tmp/siphon-test-config-log-XXXXXX";
	int fd = mkstemp(path);

	CHECK_EQ(config_set(cfg, "debug_osdc", "2"), 0);
	CHECK_EQ(config_set(cfg, "log_file", path), 0);
	CHECK_EQ(config_apply_logging(cfg), 0);
	CHECK_EQ(log_levels[LOG_MS], 1);
	CHECK_EQ(log_levels[LOG_MONC], 7);
	CHECK_EQ(log_levels[LOG_AUTH], 4);
	CHECK_EQ(log_levels[LOG_OSDC], 2);
	CHECK_EQ(config_set(cfg, "debug_ms", "lots"), 0);
	CHECK_EQ(config_apply_logging(cfg), -EINVAL);
	CHECK_STR(config_error(cfg),
		  "config_set: debug_ms = 'lots': expected N or N/M with N from 0 to 99");
	CHECK_EQ(config_set(cfg, "debug_ms", "0"), 0);
	CHECK_EQ(config_set(cfg, "log_file", "/nonexistent/dir/log"), 0);
	CHECK_EQ(config_apply_logging(cfg), -ENOENT);
	for (int i = 0; i < LOG_SUBSYS_MAX; i++)
		log_levels[i] = 0;
	log_set_file(NULL);
	close(fd);
	unlink(path);
	config_destroy(cfg);
}

TEST(config_base64)
{
	uint8_t out[64], in[40];
	char text[80];
	long n;

	for (size_t len = 0; len < sizeof(in); len++) {
		for (size_t i = 0; i < len; i++)
			in[i] = (uint8_t)(i * 37 + len);
		n = base64_encode(in, len, text, sizeof(text));
		CHECK_EQ(n, (long)((len + 2) / 3 * 4));
		n = base64_decode(text, strlen(text), out, sizeof(out));
		CHECK_EQ(n, (long)len);
		CHECK(!memcmp(in, out, len));
	}
	CHECK_EQ(base64_decode("Zm9vYmFy", 8, out, sizeof(out)), 6);
	CHECK(!memcmp(out, "foobar", 6));
	CHECK_EQ(base64_decode("Zm9v\nYg==", 9, out, sizeof(out)), 4);
	CHECK_EQ(base64_decode("Zm9vYg", 6, out, sizeof(out)), 4);
	CHECK_EQ(base64_decode("Zm9vY", 5, out, sizeof(out)), -EINVAL);
	CHECK_EQ(base64_decode("Zm9=Yg==", 8, out, sizeof(out)), -EINVAL);
	CHECK_EQ(base64_decode("Zm9v!", 5, out, sizeof(out)), -EINVAL);
	CHECK_EQ(base64_decode("Zh==", 4, out, sizeof(out)), -EINVAL);	/* stray bits */
	CHECK_EQ(base64_decode("Zm9vYmFy", 8, out, 5), -ENOSPC);
	CHECK_EQ(base64_encode((const uint8_t *)"ab", 2, text, 4), -ENOSPC);
}

/* The key in tests/data/config-client.admin.keyring, decoded with Python's
 * base64 and struct modules. */
static const char admin_secret_hex[] = "0e47586a138689ff8fcc2499db98cd3f";

TEST(keyring_real_file)
{
	struct sp_keyring *kr = NULL;
	const struct keyring_key *k;
	uint8_t secret[64], want[16];
	char path[512], err[256];
	size_t len = sizeof(secret);

	data_path("config-client.admin.keyring", path, sizeof(path));
	CHECK_EQ(keyring_read_file(&kr, path, err, sizeof(err)), 0);
	if (!kr)
		return;
	CHECK_EQ(keyring_count(kr), 2);
	CHECK_STR(keyring_entity(kr, 0), "client.admin");
	CHECK_STR(keyring_entity(kr, 1), "client.fuse");
	CHECK_EQ(keyring_get_key(kr, "client.admin", secret, &len), 0);
	CHECK_EQ(len, 16);
	test_hex(admin_secret_hex, want, sizeof(want));
	CHECK(!memcmp(secret, want, 16));
	k = keyring_find(kr, "client.admin");
	CHECK(k != NULL);
	if (k) {
		CHECK_EQ(k->type, CEPH_CRYPTO_AES);
		CHECK_EQ(k->created_sec, 1795510117u);
		CHECK_EQ(k->created_nsec, 298211300u);
	}
	CHECK_STR(keyring_get_caps(kr, "client.admin", "mon"), "allow *");
	CHECK_STR(keyring_get_caps(kr, "client.fuse", "mon"), "allow r");
	CHECK(keyring_get_caps(kr, "client.fuse", "osd") == NULL);
	len = 8;
	CHECK_EQ(keyring_get_key(kr, "client.admin", secret, &len), -ENOSPC);
	CHECK_EQ(keyring_get_key(kr, "client.nobody", secret, &len), -ENOENT);
	CHECK_STR(keyring_path(kr), path);
	keyring_destroy(kr);
}

TEST(keyring_errors)
{
	struct sp_keyring *kr = NULL;
	struct keyring_key key;
	char err[256];
	const char *t;

	t = "[client.admin]\n\tkey = not*base64\n";
	CHECK_EQ(keyring_parse_buffer(&kr, "k", t, strlen(t), err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "k:2: [client.admin]: key is not valid base64");
	t = "[bogus]\nkey = AQBlTwVr5FfGERAADkdYahOGif+PzCSZ25jNPw==\n";
	CHECK_EQ(keyring_parse_buffer(&kr, "k", t, strlen(t), err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "k:1: [bogus] is not an entity name (TYPE.ID)");
	t = "[client.admin\n";
	CHECK_EQ(keyring_parse_buffer(&kr, "k", t, strlen(t), err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "k:1: expected ']' after the section name");
	/* A short AES secret, a wrong type, a length past the end. */
	CHECK_EQ(keyring_decode_key("AQAAAAAAAAAAAAgAAAAAAAAAAAA=", &key, err,
				    sizeof(err)), -EINVAL);
	CHECK_STR(err, "AES key has 8 bytes, needs 16");
	CHECK_EQ(keyring_decode_key("BQAAAAAAAAAAAAAA", &key, err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "unknown key type 5");
	CHECK_EQ(keyring_decode_key("AQAAAAAAAAAAABAAYWJj", &key, err, sizeof(err)),
		 -EINVAL);
	CHECK_STR(err, "key says 16 secret bytes but has 3");
	CHECK_EQ(keyring_decode_key("AQA=", &key, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "key is too short");
	/* A mon. keyring with an empty id and no caps parses. */
	t = "[mon.]\n\tkey = AQBlTwVr5FfGERAADkdYahOGif+PzCSZ25jNPw==\n\tauid = 0\n";
	CHECK_EQ(keyring_parse_buffer(&kr, "k", t, strlen(t), err, sizeof(err)), 0);
	CHECK(keyring_find(kr, "mon.") != NULL);
	keyring_destroy(kr);
}

TEST(keyring_load_from_config)
{
	struct sp_config *cfg = config_create();
	struct sp_keyring *kr = NULL;
	char path[512], list[1200], err[512];
	uint8_t secret[16], want[16];
	size_t len = sizeof(secret);

	config_set_flags(cfg, CONFIG_F_NO_ENV);
	data_path("config-client.admin.keyring", path, sizeof(path));
	/* Ceph's default list is under /etc/ceph: nothing here. */
	CHECK_EQ(config_set(cfg, "keyring", "/nonexistent/$cluster.$name.keyring"), 0);
	CHECK_EQ(keyring_load(&kr, cfg, err, sizeof(err)), -ENOENT);
	CHECK_STR(err, "unable to find a keyring on /nonexistent/ceph.client.admin.keyring: No such file or directory");
	snprintf(list, sizeof(list), "/nonexistent/a.keyring,%s", path);
	CHECK_EQ(config_set(cfg, "keyring", list), 0);
	CHECK_EQ(keyring_load(&kr, cfg, err, sizeof(err)), 0);
	if (kr) {
		CHECK_STR(keyring_path(kr), path);
		CHECK_EQ(keyring_get_key(kr, "client.admin", secret, &len), 0);
		test_hex(admin_secret_hex, want, sizeof(want));
		CHECK(!memcmp(secret, want, 16));
		keyring_destroy(kr);
		kr = NULL;
	}
	/* 'key' alone, for the configured name. */
	CHECK_EQ(config_set(cfg, "keyring", "/nonexistent/k"), 0);
	CHECK_EQ(config_set_id(cfg, "inline"), 0);
	CHECK_EQ(config_set(cfg, "key", "AQBlTwVr5FfGERAADkdYahOGif+PzCSZ25jNPw=="), 0);
	CHECK_EQ(keyring_load(&kr, cfg, err, sizeof(err)), 0);
	if (kr) {
		CHECK(keyring_path(kr) == NULL);
		CHECK(keyring_find(kr, "client.inline") != NULL);
		keyring_destroy(kr);
	}
	CHECK_EQ(config_set(cfg, "key", "garbage!"), 0);
	CHECK_EQ(keyring_load(&kr, cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "option 'key': key is not valid base64");
	config_destroy(cfg);
}

/* siphon_errstr is the calling thread's, as errno: another thread's
 * failure on the same client neither overwrites nor shows through. */
static void *fail_elsewhere(void *arg)
{
	struct siphon_client *c = arg;
	static char before[128], after[256];

	snprintf(before, sizeof(before), "%s", siphon_errstr(c));
	if (siphon_conf_read_file(c, "/nonexistent/b.conf") < 0)
		snprintf(after, sizeof(after), "%s", siphon_errstr(c));
	CHECK_STR(before, "no error");
	CHECK(strstr(after, "/nonexistent/b.conf") != NULL);
	return NULL;
}

TEST(errstr_per_thread)
{
	struct siphon_client *c;
	pthread_t th;

	CHECK_EQ(siphon_create(&c, NULL), 0);
	CHECK_STR(siphon_errstr(c), "no error");
	CHECK(siphon_conf_read_file(c, "/nonexistent/a.conf") < 0);
	CHECK(strstr(siphon_errstr(c), "/nonexistent/a.conf") != NULL);
	CHECK_EQ(pthread_create(&th, NULL, fail_elsewhere, c), 0);
	pthread_join(th, NULL);
	CHECK(strstr(siphon_errstr(c), "/nonexistent/a.conf") != NULL);
	siphon_release(c);
}
