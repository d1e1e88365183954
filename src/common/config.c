/* ceph.conf parsing, option lookup with section precedence and $variable
 * expansion, the initial monitors, and Ceph's common command-line options. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define CFG_MAX_FILE   (16u << 20)	/* larger files are refused */
#define CFG_MAX_DEPTH  16		/* nested $option expansions */
#define CFG_MAX_EXPAND (1u << 20)	/* longest value after expansion */
#define CFG_MAX_MONS   64
#define CEPH_MON_PORT_LEGACY 6789
#define CEPH_MON_PORT_IANA   3300

#define CFG_DEFAULT_CONF "/etc/ceph/$cluster.conf, $home/.ceph/$cluster.conf, $cluster.conf"
#define CFG_LIST_DELIMS ",; \t="

struct cfg_kv {
	char *key;		/* normalised */
	char *val;		/* raw: expansion happens on lookup */
	unsigned line;
};

struct cfg_section {
	char *name;
	unsigned line;
	struct cfg_kv *kv;
	size_t n, cap;
};

struct cfg_file {
	struct cfg_section *sec;
	size_t n, cap;
};

/* Override levels, lowest first; the file is below all of them. */
enum cfg_level { CFG_ENV, CFG_CMDLINE, CFG_API, CFG_LEVELS };

static const char *const cfg_level_names[CFG_LEVELS] = {
	"CEPH_ARGS", "command line", "config_set",
};

struct sp_config {
	struct cfg_file file;
	char *file_name;		/* what the file was called, or NULL */
	struct cfg_section over[CFG_LEVELS];
	uint8_t type;
	char *id;
	char *name;			/* "TYPE.ID" */
	char *cluster;			/* NULL: "ceph" */
	bool cluster_set;		/* given by --cluster or the API */
	char *conf_list;		/* -c */
	char *searched;			/* the list config_read_files() tried */
	bool no_conf;
	unsigned flags;
	char **pool;			/* strings handed out by config_get() */
	size_t npool, cappool;
	char origin[4200];
	int errnum;			/* of the last failure */
	char err[1024];
};

/* ---- small helpers ---- */

struct sb {
	char *s;
	size_t n, cap;
	bool oom;
};

static void sb_putn(struct sb *b, const char *p, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;

		while (cap < b->n + n + 1)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_putc(struct sb *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* The built string (never NULL unless out of memory); b is reset. */
static char *sb_take(struct sb *b)
{
	char *s = b->s;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = strdup("");
	}
	memset(b, 0, sizeof(*b));
	return s;
}

static int cfg_fail(struct sp_config *cfg, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cfg_fail(struct sp_config *cfg, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cfg->err, sizeof(cfg->err), fmt, ap);
	va_end(ap);
	cfg->errnum = errnum;
	return errnum;
}

static int cfg_oom(struct sp_config *cfg)
{
	return cfg_fail(cfg, -ENOMEM, "out of memory");
}

static void copy_err(const struct sp_config *cfg, char *err, size_t errlen)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", cfg->err);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Drops leading and trailing white space in place. */
static void trim(struct sb *b)
{
	size_t i = 0;

	if (!b->s)
		return;
	while (b->n && is_space(b->s[b->n - 1]))
		b->s[--b->n] = '\0';
	while (i < b->n && is_space(b->s[i]))
		i++;
	memmove(b->s, b->s + i, b->n - i + 1);
	b->n -= i;
}

/* The normal form of an option name: trimmed, each run of blanks and each
 * dash turned into '_'. */
static char *key_norm(const char *key, size_t len)
{
	struct sb b = { 0 };
	size_t i = 0;
	bool gap = false;

	while (len && is_space(key[len - 1]))
		len--;
	while (i < len && is_space(key[i]))
		i++;
	for (; i < len; i++) {
		if (is_space(key[i])) {
			gap = true;
			continue;
		}
		if (gap)
			sb_putc(&b, '_');
		gap = false;
		sb_putc(&b, key[i] == '-' ? '_' : key[i]);
	}
	return sb_take(&b);
}

/* ---- sections and entries ---- */

static struct cfg_kv *kv_find(const struct cfg_section *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->kv[i].key, key))
			return &s->kv[i];
	return NULL;
}

/* Sets key (normalised) to val, taking ownership of both strings. */
static int kv_set_own(struct cfg_section *s, char *key, char *val,
		      unsigned line)
{
	struct cfg_kv *kv = kv_find(s, key);

	if (kv) {
		free(kv->val);
		free(key);
		kv->val = val;
		kv->line = line;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct cfg_kv *v = realloc(s->kv, cap * sizeof(*v));

		if (!v) {
			free(key);
			free(val);
			return -ENOMEM;
		}
		s->kv = v;
		s->cap = cap;
	}
	s->kv[s->n++] = (struct cfg_kv){ key, val, line };
	return 0;
}

/* Sets or (val NULL) removes an entry, copying the strings. */
static int kv_set(struct cfg_section *s, const char *key, const char *val)
{
	char *k = key_norm(key, strlen(key)), *v;
	struct cfg_kv *kv;

	if (!k)
		return -ENOMEM;
	if (!val) {
		kv = kv_find(s, k);
		if (kv) {
			free(kv->key);
			free(kv->val);
			*kv = s->kv[--s->n];
		}
		free(k);
		return 0;
	}
	v = strdup(val);
	if (!v) {
		free(k);
		return -ENOMEM;
	}
	return kv_set_own(s, k, v, 0);
}

static void section_free(struct cfg_section *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->kv[i].key);
		free(s->kv[i].val);
	}
	free(s->kv);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

static void file_free(struct cfg_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		section_free(&f->sec[i]);
	free(f->sec);
	memset(f, 0, sizeof(*f));
}

static struct cfg_section *section_find(const struct cfg_file *f,
					const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->sec[i].name, name))
			return &f->sec[i];
	return NULL;
}

/* The section called name, added (owning name) if new; a repeated
 * heading merges into the first one, as in Ceph. */
static struct cfg_section *section_get(struct cfg_file *f, char *name,
				       unsigned line)
{
	struct cfg_section *s = section_find(f, name);

	if (s) {
		free(name);
		return s;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		struct cfg_section *v = realloc(f->sec, cap * sizeof(*v));

		if (!v) {
			free(name);
			return NULL;
		}
		f->sec = v;
		f->cap = cap;
	}
	s = &f->sec[f->n++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->line = line;
	return s;
}

/* ---- the ini parser ---- */

struct ini {
	struct sp_config *cfg;
	const char *name;
	struct cfg_file out;
	struct cfg_section *cur;
	unsigned line;
};

static int ini_fail(struct ini *ps, const char *msg)
{
	return cfg_fail(ps->cfg, -EINVAL, "%s:%u: %s", ps->name, ps->line, msg);
}

/* Length of the UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Ceph refuses files that are not UTF-8; NUL bytes are refused too. */
static int ini_check_bytes(struct ini *ps, const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	ps->line = 1;
	while (i < n) {
		if (p[i] == '\n')
			ps->line++;
		if (p[i] == '\0')
			return ini_fail(ps, "NUL byte in file");
		k = utf8_seq(p + i, n - i);
		if (!k)
			return ini_fail(ps, "invalid UTF-8");
		i += k;
	}
	return 0;
}

/* One logical line (backslash-newline joins lines) into line; returns the
 * bytes consumed and adds the physical lines seen to *nl. */
static size_t ini_next_line(const char *p, size_t n, struct sb *line,
			    unsigned *nl)
{
	size_t i = 0;

	while (i < n) {
		char c = p[i];

		if (c == '\\' && i + 1 < n && (p[i + 1] == '\n' || p[i + 1] == '\r')) {
			i += (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n') ? 3 : 2;
			(*nl)++;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			sb_putn(line, p + i, 2);	/* escapes stay for the line parser */
			i += 2;
			continue;
		}
		if (c == '\n' || c == '\r') {
			i += (c == '\r' && i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
			(*nl)++;
			return i;
		}
		sb_putc(line, c);
		i++;
	}
	return i;
}

static bool is_comment(char c)
{
	return c == '#' || c == ';';
}

static int ini_heading(struct ini *ps, const char *s)
{
	struct sb name = { 0 };
	char *n;

	while (*s && *s != ']' && !is_comment(*s)) {
		if (*s == '\\' && s[1])
			s++;
		sb_putc(&name, *s++);
	}
	if (*s != ']') {
		free(sb_take(&name));
		return ini_fail(ps, "expected ']' after the section name");
	}
	s = skip_blanks(s + 1);
	trim(&name);
	n = sb_take(&name);
	if (!n)
		return cfg_oom(ps->cfg);
	if (!*n) {
		free(n);
		return ini_fail(ps, "empty section name");
	}
	if (*s && !is_comment(*s)) {
		free(n);
		return ini_fail(ps, "unexpected text after the section name");
	}
	ps->cur = section_get(&ps->out, n, ps->line);
	return ps->cur ? 0 : cfg_oom(ps->cfg);
}

/* A value: quoted ("..." or '...') or not, backslash escapes any
 * character, '#' and ';' start a comment outside quotes. Surrounding white
 * space is dropped either way, as Ceph does. */
static int ini_value(struct ini *ps, const char *s, char **out)
{
	struct sb v = { 0 };

	s = skip_blanks(s);
	if (*s == '"' || *s == '\'') {
		char q = *s++;

		while (*s && *s != q) {
			if (*s == '\\' && s[1])
				s++;
			sb_putc(&v, *s++);
		}
		if (*s != q) {
			free(sb_take(&v));
			return ini_fail(ps, q == '"' ? "missing closing '\"'"
						     : "missing closing \"'\"");
		}
		s = skip_blanks(s + 1);
		if (*s && !is_comment(*s)) {
			free(sb_take(&v));
			return ini_fail(ps, "unexpected text after the quoted value");
		}
	} else {
		while (*s && !is_comment(*s)) {
			if (*s == '\\' && s[1])
				s++;
			sb_putc(&v, *s++);
		}
	}
	trim(&v);
	*out = sb_take(&v);
	return *out ? 0 : cfg_oom(ps->cfg);
}

static int ini_keyval(struct ini *ps, const char *s)
{
	const char *k = s;
	char *key, *val;
	int r;

	while (*s && *s != '=' && *s != '[' && !is_comment(*s))
		s++;
	if (*s != '=')
		return ini_fail(ps, "expected 'key = value'");
	key = key_norm(k, (size_t)(s - k));
	if (!key)
		return cfg_oom(ps->cfg);
	if (!*key) {
		free(key);
		return ini_fail(ps, "missing key before '='");
	}
	r = ini_value(ps, s + 1, &val);
	if (r) {
		free(key);
		return r;
	}
	if (!ps->cur) {
		/* Lines before any heading belong to [global]. */
		char *g = strdup("global");

		ps->cur = g ? section_get(&ps->out, g, ps->line) : NULL;
		if (!ps->cur) {
			free(key);
			free(val);
			return cfg_oom(ps->cfg);
		}
	}
	if (kv_set_own(ps->cur, key, val, ps->line))
		return cfg_oom(ps->cfg);
	return 0;
}

static int ini_line(struct ini *ps, const char *s)
{
	s = skip_blanks(s);
	if (!*s || is_comment(*s))
		return 0;
	if (*s == '[')
		return ini_heading(ps, s + 1);
	return ini_keyval(ps, s);
}

static int ini_parse(struct ini *ps, const char *p, size_t n)
{
	unsigned next = 1;
	size_t off = 0;
	int r;

	r = ini_check_bytes(ps, (const uint8_t *)p, n);
	if (r)
		return r;
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		off = 3;	/* byte order mark */
	while (off < n) {
		struct sb line = { 0 };
		char *s;

		ps->line = next;
		off += ini_next_line(p + off, n - off, &line, &next);
		s = sb_take(&line);
		if (!s)
			return cfg_oom(ps->cfg);
		r = ini_line(ps, s);
		free(s);
		if (r)
			return r;
	}
	return 0;
}

int config_parse_buffer(struct sp_config *cfg, const char *name,
			const void *data, size_t len, char *err, size_t errlen)
{
	struct ini ps = { .cfg = cfg, .name = name ? name : "(buffer)" };
	char *fname = strdup(ps.name);
	int r;

	if (!fname)
		r = cfg_oom(cfg);
	else
		r = ini_parse(&ps, data, len);
	if (r) {
		free(fname);
		file_free(&ps.out);
		copy_err(cfg, err, errlen);
		return r;
	}
	file_free(&cfg->file);
	free(cfg->file_name);
	cfg->file = ps.out;
	cfg->file_name = fname;
	return 0;
}

/* ---- creation, names ---- */

struct sp_config *config_create(void)
{
	struct sp_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	if (config_set_name(cfg, "client.admin")) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

void config_destroy(struct sp_config *cfg)
{
	if (!cfg)
		return;
	file_free(&cfg->file);
	for (int l = 0; l < CFG_LEVELS; l++)
		section_free(&cfg->over[l]);
	for (size_t i = 0; i < cfg->npool; i++)
		free(cfg->pool[i]);
	free(cfg->pool);
	free(cfg->file_name);
	free(cfg->id);
	free(cfg->name);
	free(cfg->cluster);
	free(cfg->conf_list);
	free(cfg->searched);
	free(cfg);
}

const char *config_error(const struct sp_config *cfg)
{
	return cfg->err;
}

void config_set_flags(struct sp_config *cfg, unsigned flags)
{
	cfg->flags = flags;
}

static const uint8_t entity_types[] = {
	CEPH_ENTITY_TYPE_AUTH, CEPH_ENTITY_TYPE_MON, CEPH_ENTITY_TYPE_OSD,
	CEPH_ENTITY_TYPE_MDS, CEPH_ENTITY_TYPE_MGR, CEPH_ENTITY_TYPE_CLIENT,
};

static int set_entity(struct sp_config *cfg, uint8_t type, const char *id)
{
	const char *tn = entity_type_name(type);
	size_t len = strlen(tn) + strlen(id) + 2;
	char *name = malloc(len), *nid = strdup(id);

	if (!name || !nid) {
		free(name);
		free(nid);
		return cfg_oom(cfg);
	}
	snprintf(name, len, "%s.%s", tn, id);
	free(cfg->name);
	free(cfg->id);
	cfg->name = name;
	cfg->id = nid;
	cfg->type = type;
	return 0;
}

int config_set_name(struct sp_config *cfg, const char *name)
{
	const char *dot = strchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(entity_types); i++) {
		const char *tn = entity_type_name(entity_types[i]);

		if (strlen(tn) == (size_t)(dot - name) &&
		    !strncmp(name, tn, (size_t)(dot - name)))
			return set_entity(cfg, entity_types[i], dot + 1);
	}
	return cfg_fail(cfg, -EINVAL,
			"error parsing '%s': expected TYPE.ID, where TYPE is one of auth, mon, osd, mds, mgr, client",
			name);
}

int config_set_id(struct sp_config *cfg, const char *id)
{
	return set_entity(cfg, cfg->type, id);
}

const char *config_name(const struct sp_config *cfg)
{
	return cfg->name;
}

const char *config_id(const struct sp_config *cfg)
{
	return cfg->id;
}

uint8_t config_entity_type(const struct sp_config *cfg)
{
	return cfg->type;
}

static int set_cluster(struct sp_config *cfg, const char *cluster, size_t len)
{
	char *c = strndup(cluster, len);

	if (!c)
		return cfg_oom(cfg);
	free(cfg->cluster);
	cfg->cluster = c;
	return 0;
}

int config_set_cluster(struct sp_config *cfg, const char *cluster)
{
	int r = set_cluster(cfg, cluster, strlen(cluster));

	if (!r)
		cfg->cluster_set = true;
	return r;
}

const char *config_cluster(const struct sp_config *cfg)
{
	return cfg->cluster ? cfg->cluster : "ceph";
}

/* ---- lookup and $variable expansion ---- */

/* The entry key resolves to; *level is the override level or -1 for the
 * file. key is normalised. */
static const struct cfg_kv *cfg_lookup(const struct sp_config *cfg,
				       const char *key, int *level)
{
	const char *secs[3] = { cfg->name, entity_type_name(cfg->type), "global" };
	const struct cfg_section *s;
	const struct cfg_kv *kv;

	for (int l = CFG_LEVELS - 1; l >= 0; l--) {
		kv = kv_find(&cfg->over[l], key);
		if (kv) {
			*level = l;
			return kv;
		}
	}
	*level = -1;
	for (int i = 0; i < 3; i++) {
		s = section_find(&cfg->file, secs[i]);
		kv = s ? kv_find(s, key) : NULL;
		if (kv)
			return kv;
	}
	return NULL;
}

struct expand_stack {
	const char *keys[CFG_MAX_DEPTH];
	int depth;
};

static void expand_into(const struct sp_config *cfg, const char *in,
			struct sb *out, struct expand_stack *st);

static void put_short_host(struct sb *out)
{
	char host[256] = "";

	if (gethostname(host, sizeof(host) - 1) == 0) {
		host[strcspn(host, ".")] = '\0';
		sb_puts(out, host);
	}
}

/* Expands the option named var (len bytes) unless that would loop; false
 * when the name is not set, so the caller keeps the text as it is. */
static bool expand_option(const struct sp_config *cfg, const char *var,
			  size_t len, struct sb *out, struct expand_stack *st)
{
	const struct cfg_kv *kv;
	char key[128];
	int level;

	if (len >= sizeof(key))
		return false;
	memcpy(key, var, len);
	key[len] = '\0';
	kv = cfg_lookup(cfg, key, &level);
	if (!kv || st->depth == CFG_MAX_DEPTH)
		return false;
	for (int i = 0; i < st->depth; i++)
		if (!strcmp(st->keys[i], kv->key))
			return false;	/* a loop: leave "$var" */
	st->keys[st->depth++] = kv->key;
	expand_into(cfg, kv->val, out, st);
	st->depth--;
	return true;
}

static bool var_is(const char *var, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(var, name, len);
}

static bool expand_var(const struct sp_config *cfg, const char *var,
		       size_t len, struct sb *out, struct expand_stack *st)
{
	const char *home;

	if (var_is(var, len, "type")) {
		sb_puts(out, entity_type_name(cfg->type));
	} else if (var_is(var, len, "cluster")) {
		sb_puts(out, config_cluster(cfg));
	} else if (var_is(var, len, "name")) {
		sb_puts(out, cfg->name);
	} else if (var_is(var, len, "id") || var_is(var, len, "num")) {
		sb_puts(out, cfg->id);
	} else if (var_is(var, len, "host")) {
		put_short_host(out);
	} else if (var_is(var, len, "pid")) {
		char pid[24];

		snprintf(pid, sizeof(pid), "%ld", (long)getpid());
		sb_puts(out, pid);
	} else if (var_is(var, len, "home")) {
		home = getenv("HOME");
		sb_puts(out, home ? home : "");
	} else {
		return expand_option(cfg, var, len, out, st);
	}
	return true;
}

static bool is_var_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

/* Ceph's metavariables: "$name" or "${name}" with a-z and '_' in names;
 * anything unknown is left as written. */
static void expand_into(const struct sp_config *cfg, const char *in,
			struct sb *out, struct expand_stack *st)
{
	const char *p = in;

	while (*p && !out->oom) {
		const char *v, *e, *next;
		bool braced;

		if (out->n > CFG_MAX_EXPAND) {
			out->oom = true;	/* "a = $b$b", "b = $c$c", ... */
			break;
		}

		if (*p != '$') {
			size_t n = strcspn(p, "$");

			sb_putn(out, p, n);
			p += n;
			continue;
		}
		braced = p[1] == '{';
		v = p + 1 + braced;
		for (e = v; is_var_char(*e); e++)
			;
		if (e == v || (braced && *e != '}')) {
			sb_putc(out, '$');
			p++;
			continue;
		}
		next = braced ? e + 1 : e;
		if (!expand_var(cfg, v, (size_t)(e - v), out, st))
			sb_putn(out, p, (size_t)(next - p));
		p = next;
	}
}

/* Keeps s (owned) for the life of cfg, sharing an equal string. */
static const char *pool_keep(struct sp_config *cfg, char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < cfg->npool; i++)
		if (!strcmp(cfg->pool[i], s)) {
			free(s);
			return cfg->pool[i];
		}
	if (cfg->npool == cfg->cappool) {
		size_t cap = cfg->cappool ? 2 * cfg->cappool : 16;
		char **v = realloc(cfg->pool, cap * sizeof(*v));

		if (!v) {
			free(s);
			return NULL;
		}
		cfg->pool = v;
		cfg->cappool = cap;
	}
	cfg->pool[cfg->npool++] = s;
	return s;
}

/* Expands in (the value of key, or NULL) into a string kept by cfg. */
static const char *expand_keep(struct sp_config *cfg, const char *in,
			       const char *key)
{
	struct expand_stack st = { .keys = { key }, .depth = key ? 1 : 0 };
	struct sb out = { 0 };
	bool toolong;
	const char *r;

	expand_into(cfg, in, &out, &st);
	toolong = out.n > CFG_MAX_EXPAND;
	r = pool_keep(cfg, sb_take(&out));
	if (r)
		return r;
	if (toolong)
		cfg_fail(cfg, -E2BIG, "'%s' is longer than %u bytes after $ expansion",
			 key ? key : in, CFG_MAX_EXPAND);
	else
		cfg_oom(cfg);
	return NULL;
}

static const char *expand_kv(struct sp_config *cfg, const struct cfg_kv *kv)
{
	return expand_keep(cfg, kv->val, kv->key);
}

const char *config_expand(struct sp_config *cfg, const char *in)
{
	return expand_keep(cfg, in, NULL);
}

const char *config_get(struct sp_config *cfg, const char *key)
{
	char *k = key_norm(key, strlen(key));
	const struct cfg_kv *kv;
	int level;

	if (!k) {
		cfg_oom(cfg);
		return NULL;
	}
	kv = cfg_lookup(cfg, k, &level);
	if (!kv) {
		cfg_fail(cfg, -ENOENT, "option '%s' is not set", k);
		free(k);
		return NULL;
	}
	free(k);
	return expand_kv(cfg, kv);
}

const char *config_origin(struct sp_config *cfg, const char *key)
{
	char *k = key_norm(key, strlen(key));
	const struct cfg_kv *kv;
	int level;

	if (!k)
		return NULL;
	kv = cfg_lookup(cfg, k, &level);
	free(k);
	if (!kv)
		return NULL;
	if (level >= 0)
		return cfg_level_names[level];
	snprintf(cfg->origin, sizeof(cfg->origin), "%s:%u",
		 cfg->file_name ? cfg->file_name : "?", kv->line);
	return cfg->origin;
}

int config_set(struct sp_config *cfg, const char *key, const char *val)
{
	return kv_set(&cfg->over[CFG_API], key, val) ? cfg_oom(cfg) : 0;
}

/* ---- typed getters ---- */

static int get_raw(struct sp_config *cfg, const char *key, const char **v)
{
	*v = config_get(cfg, key);
	return *v ? 0 : cfg->errnum;
}

static int bad_value(struct sp_config *cfg, int errnum, const char *key,
		     const char *val, const char *what)
{
	const char *where = config_origin(cfg, key);

	return cfg_fail(cfg, errnum, "%s: %s = '%s': %s", where ? where : "?",
			key, val, what);
}

int config_get_int(struct sp_config *cfg, const char *key, int64_t *out)
{
	const char *v;
	char *end;
	long long x;
	int r = get_raw(cfg, key, &v);

	if (r)
		return r;
	errno = 0;
	x = strtoll(v, &end, 10);
	if (end == v || *skip_blanks(end) || is_space(*v))
		return bad_value(cfg, -EINVAL, key, v, "expected an integer");
	if (errno == ERANGE)
		return bad_value(cfg, -ERANGE, key, v, "integer out of range");
	*out = x;
	return 0;
}

int config_get_bool(struct sp_config *cfg, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	const char *v;
	int r = get_raw(cfg, key, &v);

	if (r)
		return r;
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return bad_value(cfg, -EINVAL, key, v, "expected true or false");
}

int config_get_double(struct sp_config *cfg, const char *key, double *out)
{
	const char *v;
	char *end;
	double x;
	int r = get_raw(cfg, key, &v);

	if (r)
		return r;
	x = strtod(v, &end);
	if (end == v || *skip_blanks(end) || is_space(*v))
		return bad_value(cfg, -EINVAL, key, v, "expected a number");
	if (!isfinite(x))
		return bad_value(cfg, -ERANGE, key, v, "number out of range");
	*out = x;
	return 0;
}

struct unit {
	const char *name;
	double mult;
};

static const struct unit time_units[] = {
	{ "ms", 1e-3 }, { "msec", 1e-3 },
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 }, { "seconds", 1 },
	{ "m", 60 }, { "min", 60 }, { "mins", 60 }, { "minute", 60 },
	{ "minutes", 60 },
	{ "h", 3600 }, { "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 },
	{ "hours", 3600 },
	{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
	{ "w", 604800 }, { "wk", 604800 }, { "wks", 604800 },
	{ "week", 604800 }, { "weeks", 604800 },
};

static bool time_unit(const char *u, size_t len, double *mult)
{
	if (!len) {
		*mult = 1;
		return true;
	}
	for (size_t i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++)
		if (strlen(time_units[i].name) == len &&
		    !strncasecmp(u, time_units[i].name, len)) {
			*mult = time_units[i].mult;
			return true;
		}
	return false;
}

/* "N[unit] [N[unit]]..." in seconds; false if malformed. */
static bool parse_timespan(const char *s, double *out)
{
	double sum = 0;
	int terms = 0;

	for (s = skip_blanks(s); *s; s = skip_blanks(s)) {
		const char *u;
		double x, mult;
		char *end;

		if (!(isdigit((unsigned char)*s) || *s == '.'))
			return false;
		x = strtod(s, &end);
		if (end == s)
			return false;
		u = skip_blanks(end);
		for (end = (char *)u; isalpha((unsigned char)*end); end++)
			;
		if (!time_unit(u, (size_t)(end - u), &mult))
			return false;
		sum += x * mult;
		terms++;
		s = end;
	}
	*out = sum;
	return terms > 0 && isfinite(sum);
}

int config_get_seconds(struct sp_config *cfg, const char *key, double *out)
{
	const char *v;
	int r = get_raw(cfg, key, &v);

	if (r)
		return r;
	if (!parse_timespan(v, out))
		return bad_value(cfg, -EINVAL, key, v,
				 "expected a time span such as 30, 30s, 5m, 2h");
	return 0;
}

/* A byte count with an optional K/M/G/T/P/E suffix (powers of 1024),
 * optionally followed by 'i' and 'B'. */
static int parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGTPE";
	unsigned long long x;
	const char *p;
	char *end;
	int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	end = (char *)skip_blanks(end);
	if (*end && (p = strchr(suffixes, toupper((unsigned char)*end)))) {
		shift = 10 * (int)(p - suffixes + 1);
		end++;
		if (*end == 'i')
			end++;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -EINVAL;
	if (shift && x > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)x << shift;
	return 0;
}

int config_get_size(struct sp_config *cfg, const char *key, uint64_t *out)
{
	const char *v;
	int r = get_raw(cfg, key, &v);

	if (r)
		return r;
	r = parse_size(v, out);
	if (r == -ERANGE)
		return bad_value(cfg, r, key, v, "size out of range");
	if (r)
		return bad_value(cfg, r, key, v,
				 "expected a size such as 4096, 64K, 1M, 2G");
	return 0;
}

/* ---- sections of the file ---- */

size_t config_section_count(const struct sp_config *cfg)
{
	return cfg->file.n;
}

const char *config_section_name(const struct sp_config *cfg, size_t i)
{
	return i < cfg->file.n ? cfg->file.sec[i].name : NULL;
}

unsigned config_section_line(const struct sp_config *cfg, size_t i)
{
	return i < cfg->file.n ? cfg->file.sec[i].line : 0;
}

const char *config_section_get(const struct sp_config *cfg,
			       const char *section, const char *key)
{
	const struct cfg_section *s = section_find(&cfg->file, section);
	char *k = key_norm(key, strlen(key));
	const struct cfg_kv *kv = s && k ? kv_find(s, k) : NULL;

	free(k);
	return kv ? kv->val : NULL;
}

int config_section_entry(const struct sp_config *cfg, size_t i, size_t j,
			 const char **key, const char **val, unsigned *line)
{
	const struct cfg_section *s;

	if (i >= cfg->file.n || j >= cfg->file.sec[i].n)
		return -ENOENT;
	s = &cfg->file.sec[i];
	*key = s->kv[j].key;
	*val = s->kv[j].val;
	if (line)
		*line = s->kv[j].line;
	return 0;
}

/* ---- reading files ---- */

static int read_all(struct sp_config *cfg, const char *path, struct sb *b)
{
	char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cfg_fail(cfg, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return cfg_fail(cfg, -EISDIR, "%s: %s", path, strerror(EISDIR));
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b->n + (size_t)n > CFG_MAX_FILE) {
			int e = n < 0 ? errno : EFBIG;

			close(fd);
			return cfg_fail(cfg, -e, "%s: %s", path, strerror(e));
		}
		sb_putn(b, chunk, (size_t)n);
	}
	close(fd);
	return b->oom ? cfg_oom(cfg) : 0;
}

int config_read_file(struct sp_config *cfg, const char *path)
{
	struct sb b = { 0 };
	int r = read_all(cfg, path, &b);

	if (!r)
		r = config_parse_buffer(cfg, path, b.s ? b.s : "", b.n, NULL, 0);
	free(b.s);
	return r;
}

/* Cluster name from a -c file: the basename before ".conf", else "ceph". */
static int cluster_from_path(struct sp_config *cfg, const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strstr(base, ".conf");
	if (!dot)
		return set_cluster(cfg, "ceph", 4);
	return set_cluster(cfg, base, (size_t)(dot - base));
}

/* Tries each file of the expanded list; 1 when one was read, 0 when none
 * exists, or an error from the first file that exists but fails. */
static int read_first(struct sp_config *cfg, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int r = 0;

	if (!copy)
		return cfg_oom(cfg);
	for (tok = strtok_r(copy, CFG_LIST_DELIMS, &save); tok;
	     tok = strtok_r(NULL, CFG_LIST_DELIMS, &save)) {
		r = config_read_file(cfg, tok);
		if (r != -ENOENT)
			break;
		r = 0;
	}
	if (r == 0 && tok)
		r = 1;
	free(copy);
	return r;
}

int config_read_files(struct sp_config *cfg)
{
	const char *list = cfg->conf_list, *env = getenv("CEPH_CONF");
	const char *exp;
	int r;

	if (cfg->no_conf)
		return 0;
	if (!list)
		list = env ? env : CFG_DEFAULT_CONF;
	exp = config_expand(cfg, list);
	if (!exp)
		return -ENOMEM;
	free(cfg->searched);
	cfg->searched = strdup(exp);
	r = read_first(cfg, exp);
	if (r < 0)
		return r;
	if (r == 0 && cfg->conf_list)
		return cfg_fail(cfg, -ENOENT, "%s: %s", exp, strerror(ENOENT));
	if (r == 1 && cfg->conf_list && !cfg->cluster_set)
		return cluster_from_path(cfg, cfg->file_name);
	return 0;
}

const char *config_conf_path(const struct sp_config *cfg)
{
	return cfg->file_name;
}

/* ---- monitors ---- */

struct mon_list {
	struct config_mon *v;
	int n, cap;
	int index;		/* entries seen, for "noname-X" */
};

static bool mons_contain(const struct mon_list *ml, const struct entity_addr *a)
{
	for (int i = 0; i < ml->n; i++)
		for (uint32_t j = 0; j < ml->v[i].addrs.n; j++)
			if (entity_addr_equal(&ml->v[i].addrs.v[j], a))
				return true;
	return false;
}

/* Adds a monitor with the addresses of av not already known. */
static int mons_push(struct sp_config *cfg, struct mon_list *ml,
		     const char *name, const struct entity_addrvec *av)
{
	struct config_mon m = { .addrs.n = 0 };

	for (uint32_t i = 0; i < av->n; i++)
		if (!mons_contain(ml, &av->v[i]))
			m.addrs.v[m.addrs.n++] = av->v[i];
	if (!m.addrs.n)
		return 0;
	if (ml->n == CFG_MAX_MONS)
		return cfg_fail(cfg, -E2BIG, "more than %d monitors", CFG_MAX_MONS);
	if (ml->n == ml->cap) {
		int cap = ml->cap ? 2 * ml->cap : 4;
		struct config_mon *v = realloc(ml->v, (size_t)cap * sizeof(*v));

		if (!v)
			return cfg_oom(cfg);
		ml->v = v;
		ml->cap = cap;
	}
	snprintf(m.name, sizeof(m.name), "%s", name);
	ml->v[ml->n++] = m;
	return 0;
}

/* "noname-a" ... "noname-z", "noname-ba", ... as Ceph names mons it was
 * given only addresses for. */
static void mon_auto_name(int i, char *buf, size_t cap)
{
	char letters[8];
	int n = 0;

	do {
		letters[n++] = (char)('a' + i % 26);
		i /= 26;
	} while (i && n < 7);
	snprintf(buf, cap, "noname-");
	for (size_t l = strlen(buf); n && l + 1 < cap; l++) {
		buf[l] = letters[--n];
		buf[l + 1] = '\0';
	}
}

/* An address without a type is ambiguous: the port tells v1 (6789) from
 * v2 (3300); no port means both on their default ports, and any other
 * port both types on that port. */
static int mons_add_ambiguous(struct sp_config *cfg, struct mon_list *ml,
			      const char *name, struct entity_addr a)
{
	struct entity_addrvec av = { .n = 1, .v = { a } };
	uint16_t port = entity_addr_port(&a);

	if (a.type == CEPH_ENTITY_ADDR_TYPE_LEGACY && !port) {
		entity_addr_set_port(&av.v[0], CEPH_MON_PORT_LEGACY);
	} else if (a.type == CEPH_ENTITY_ADDR_TYPE_MSGR2 && !port) {
		entity_addr_set_port(&av.v[0], CEPH_MON_PORT_IANA);
	} else if (a.type != CEPH_ENTITY_ADDR_TYPE_ANY) {
		/* typed, with a port: as given */
	} else if (port == CEPH_MON_PORT_LEGACY) {
		av.v[0].type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	} else if (port == CEPH_MON_PORT_IANA) {
		av.v[0].type = CEPH_ENTITY_ADDR_TYPE_MSGR2;
	} else {
		av.n = 2;
		av.v[0].type = CEPH_ENTITY_ADDR_TYPE_MSGR2;
		av.v[1] = av.v[0];
		av.v[1].type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
		if (!port) {
			entity_addr_set_port(&av.v[0], CEPH_MON_PORT_IANA);
			entity_addr_set_port(&av.v[1], CEPH_MON_PORT_LEGACY);
		}
	}
	return mons_push(cfg, ml, name, &av);
}

static int mons_add_next(struct sp_config *cfg, struct mon_list *ml,
			 const struct entity_addrvec *av)
{
	char name[32];

	mon_auto_name(ml->index++, name, sizeof(name));
	if (av->n == 1)
		return mons_add_ambiguous(cfg, ml, name, av->v[0]);
	return mons_push(cfg, ml, name, av);
}

static bool host_name_ok(const char *h)
{
	if (!*h)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && *h != '.' && *h != '-' &&
		    *h != '_')
			return false;
	return true;
}

/* Splits "[v1:|v2:]HOST[:PORT]"; false if it has no such shape. */
static bool split_host(char *s, uint32_t *type, char **host, uint16_t *port)
{
	char *colon;
	unsigned long p;
	char *end;

	*type = CEPH_ENTITY_ADDR_TYPE_ANY;
	if (!strncmp(s, "v1:", 3) || !strncmp(s, "v2:", 3)) {
		*type = s[1] == '1' ? CEPH_ENTITY_ADDR_TYPE_LEGACY
				    : CEPH_ENTITY_ADDR_TYPE_MSGR2;
		s += 3;
	}
	*host = s;
	*port = 0;
	colon = strchr(s, ':');
	if (!colon)
		return host_name_ok(s);
	*colon = '\0';
	if (!isdigit((unsigned char)colon[1]))
		return false;
	p = strtoul(colon + 1, &end, 10);
	if (*end || p > 65535)
		return false;
	*port = (uint16_t)p;
	return host_name_ok(s);
}

static int mons_add_host(struct sp_config *cfg, struct mon_list *ml,
			 const char *entry, const char *where)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	char buf[256], *host;
	uint32_t type;
	uint16_t port;
	int r = 0;

	snprintf(buf, sizeof(buf), "%s", entry);
	if (strlen(entry) >= sizeof(buf) || !split_host(buf, &type, &host, &port) ||
	    (cfg->flags & CONFIG_F_NO_DNS))
		return cfg_fail(cfg, -EINVAL,
				"%s: mon host: '%s' is not an address", where, entry);
	r = getaddrinfo(host, NULL, &hints, &res);
	if (r)
		return cfg_fail(cfg, -EHOSTUNREACH,
				"%s: mon host: cannot resolve '%s': %s", where,
				host, gai_strerror(r));
	for (ai = res; ai && !r; ai = ai->ai_next) {
		struct entity_addrvec av = { .n = 1 };

		if (ai->ai_addrlen > sizeof(av.v[0].ss) ||
		    (ai->ai_family != AF_INET && ai->ai_family != AF_INET6))
			continue;
		av.v[0].type = type;
		memcpy(&av.v[0].ss, ai->ai_addr, ai->ai_addrlen);
		entity_addr_set_port(&av.v[0], port);
		r = mons_add_next(cfg, ml, &av);
	}
	freeaddrinfo(res);
	return r;
}

static int mons_add_entry(struct sp_config *cfg, struct mon_list *ml,
			  const char *entry, const char *where)
{
	struct entity_addrvec av;

	if (entry[0] == '[' && (!strncmp(entry + 1, "v1:", 3) ||
				!strncmp(entry + 1, "v2:", 3) ||
				!strncmp(entry + 1, "any:", 4))) {
		if (entity_addrvec_parse(entry, &av))
			return cfg_fail(cfg, -EINVAL,
					"%s: mon host: cannot parse '%s'", where,
					entry);
		return mons_add_next(cfg, ml, &av);
	}
	if (entity_addr_parse(entry, &av.v[0]) == 0) {
		av.n = 1;
		return mons_add_next(cfg, ml, &av);
	}
	return mons_add_host(cfg, ml, entry, where);
}

/* Entries are separated by blanks and ';', and by ',' outside brackets. */
static int mons_from_list(struct sp_config *cfg, struct mon_list *ml,
			  const char *list, const char *where)
{
	const char *p = list;
	int r = 0;

	while (*p && !r) {
		const char *e = p;
		int depth = 0;
		char *entry;

		while (*e && (depth || !strchr(" \t;,", *e))) {
			depth += (*e == '[') - (*e == ']');
			e++;
		}
		if (e > p) {
			entry = strndup(p, (size_t)(e - p));
			if (!entry)
				return cfg_oom(cfg);
			r = mons_add_entry(cfg, ml, entry, where);
			free(entry);
		}
		p = *e ? e + 1 : e;
	}
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 'mon addr' of one [mon.X]: a v1 address unless it says v2:, port 6789
 * when none is given; an addrvec is taken as written. */
static int mon_from_section(struct sp_config *cfg, struct mon_list *ml,
			    const char *sec)
{
	const char *secs[3] = { sec, "mon", "global" };
	const struct cfg_section *s;
	const struct cfg_kv *kv = NULL;
	struct entity_addrvec av = { .n = 1 };
	const char *val;

	for (int i = 0; i < 3 && !kv; i++) {
		s = section_find(&cfg->file, secs[i]);
		kv = s ? kv_find(s, "mon_addr") : NULL;
	}
	if (!kv)
		return 0;	/* Ceph skips a monitor without an address */
	val = expand_kv(cfg, kv);
	if (!val)
		return -ENOMEM;
	if (entity_addr_parse(val, &av.v[0]) == 0) {
		if (av.v[0].type == CEPH_ENTITY_ADDR_TYPE_ANY)
			av.v[0].type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
		if (!entity_addr_port(&av.v[0]))
			entity_addr_set_port(&av.v[0], CEPH_MON_PORT_LEGACY);
	} else if (entity_addrvec_parse(val, &av)) {
		return cfg_fail(cfg, -EINVAL, "%s:%u: [%s] mon addr: cannot parse '%s'",
				cfg->file_name, kv->line, sec, val);
	}
	return mons_push(cfg, ml, sec + 4, &av);
}

static int mons_from_sections(struct sp_config *cfg, struct mon_list *ml)
{
	char **names = calloc(cfg->file.n + 1, sizeof(*names));
	size_t n = 0;
	int r = 0;

	if (!names)
		return cfg_oom(cfg);
	for (size_t i = 0; i < cfg->file.n; i++)
		if (!strncmp(cfg->file.sec[i].name, "mon.", 4) &&
		    cfg->file.sec[i].name[4])
			names[n++] = cfg->file.sec[i].name;
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && !r; i++) {
		if (strlen(names[i]) - 4 >= sizeof(ml->v[0].name))
			r = cfg_fail(cfg, -EINVAL, "[%s]: monitor name too long",
				     names[i]);
		else
			r = mon_from_section(cfg, ml, names[i]);
	}
	free(names);
	return r;
}

static int no_mons(struct sp_config *cfg)
{
	if (cfg->file_name)
		return cfg_fail(cfg, -ENOENT,
				"no monitors given: set 'mon host' in %s or pass -m",
				cfg->file_name);
	if (cfg->searched)
		return cfg_fail(cfg, -ENOENT,
				"no monitors given: no config file found (tried %s); create one with 'mon host' or pass -m",
				cfg->searched);
	return cfg_fail(cfg, -ENOENT,
			"no monitors given: set 'mon host' in ceph.conf or pass -m");
}

int config_mons(struct sp_config *cfg, struct config_mon **out, int *n)
{
	struct mon_list ml = { 0 };
	const char *key = "mon_host_override", *host = config_get(cfg, key);
	int r = 0;

	if (!host || !*host) {
		key = "mon_host";
		host = config_get(cfg, key);
		if (!host && cfg->errnum != -ENOENT)
			return cfg->errnum;
	}
	if (host && *host) {
		char where[sizeof(cfg->origin)];
		const char *o = config_origin(cfg, key);

		snprintf(where, sizeof(where), "%s", o ? o : key);
		r = mons_from_list(cfg, &ml, host, where);
	}
	if (!r && !ml.n)
		r = mons_from_sections(cfg, &ml);
	if (!r && !ml.n)
		r = no_mons(cfg);
	if (r) {
		free(ml.v);
		return r;
	}
	*out = ml.v;
	*n = ml.n;
	return 0;
}

int config_mon_addrs(struct sp_config *cfg, struct entity_addrvec **out, int *n)
{
	struct config_mon *mons;
	struct entity_addrvec *v;
	int r = config_mons(cfg, &mons, n);

	if (r)
		return r;
	v = malloc((size_t)*n * sizeof(*v));
	if (!v) {
		free(mons);
		return cfg_oom(cfg);
	}
	for (int i = 0; i < *n; i++)
		v[i] = mons[i].addrs;
	free(mons);
	*out = v;
	return 0;
}

/* ---- command line ---- */

/* Options with these prefixes (or these names) are taken from the command
 * line as config overrides; everything else is left to the front end. */
static const char *const arg_prefixes[] = {
	"debug_", "log_", "err_to_", "mon_", "ms_", "auth_", "cephx_",
	"client_", "fuse_", "objecter_", "rados_", "osd_", "mds_",
	"admin_socket", "pid_file", "run_dir", "fsid", "key", "keyring",
	"keyfile", "public_addr", "public_network", "crash_dir",
};

/* Flags that take no value ("--opt" alone means true). */
static const char *const arg_bools[] = {
	"log_to_stderr", "err_to_stderr", "log_to_syslog", "err_to_syslog",
	"log_to_file", "fuse_default_permissions", "fuse_allow_other",
	"fuse_big_writes", "fuse_atomic_o_trunc", "fuse_multithreaded",
	"client_permissions", "client_quota", "client_oc",
	"client_die_on_failed_remount", "client_use_random_mds",
	"ms_crc_data", "ms_crc_header", "client_dirsize_rbytes",
};

static bool name_in(const char *name, const char *const *list, size_t n,
		    bool prefix)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(list[i]);

		if (prefix ? !strncmp(name, list[i], l) : !strcmp(name, list[i]))
			return true;
	}
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* arg equals opt with '-' and '_' alike, followed by '\0' or '='. Returns
 * what follows or NULL. */
static const char *arg_match(const char *arg, const char *opt)
{
	for (; *opt; arg++, opt++) {
		char a = *arg == '_' ? '-' : *arg, o = *opt == '_' ? '-' : *opt;

		if (a != o)
			return NULL;
	}
	return *arg == '\0' || *arg == '=' ? arg : NULL;
}

struct argp {
	struct sp_config *cfg;
	int level;
	char **av;
	int ac, i;		/* the argument being looked at */
};

/* Matches av[i] against opt (and short, may be NULL); on a match sets
 * *val and advances i past the option and its value. 1 on a match, 0 if
 * not, -EINVAL if the value is missing. */
static int arg_value(struct argp *a, const char *opt, const char *shrt,
		     const char **val)
{
	const char *rest = arg_match(a->av[a->i], opt);

	if (!rest && shrt)
		rest = arg_match(a->av[a->i], shrt);
	if (!rest)
		return 0;
	if (*rest == '=') {
		*val = rest + 1;
		a->i++;
		return 1;
	}
	if (a->i + 1 >= a->ac)
		return cfg_fail(a->cfg, -EINVAL, "option %s requires an argument",
				a->av[a->i]);
	*val = a->av[a->i + 1];
	a->i += 2;
	return 1;
}

static int set_at_level(struct argp *a, const char *key, const char *val)
{
	return kv_set(&a->cfg->over[a->level], key, val) ? cfg_oom(a->cfg) : 0;
}

static int set_conf_list(struct sp_config *cfg, const char *v)
{
	char *c = strdup(v);

	if (!c)
		return cfg_oom(cfg);
	free(cfg->conf_list);
	cfg->conf_list = c;
	return 0;
}

/* The options with fixed names; 1 when one was consumed. */
static int arg_fixed(struct argp *a)
{
	static const struct {
		const char *opt, *shrt, *key;
	} opts[] = {
		{ "--mon_host", "-m", "mon_host" },
		{ "--keyring", "-k", "keyring" },
		{ "--keyfile", "-K", "keyfile" },
		{ "--client_mountpoint", "-r", "client_mountpoint" },
	};
	const char *v;
	int r;

	if ((r = arg_value(a, "--conf", "-c", &v)) != 0)
		return r < 0 ? r : set_conf_list(a->cfg, v) ?: 1;
	if ((r = arg_value(a, "--cluster", NULL, &v)) != 0)
		return r < 0 ? r : config_set_cluster(a->cfg, v) ?: 1;
	if ((r = arg_value(a, "--name", "-n", &v)) != 0)
		return r < 0 ? r : config_set_name(a->cfg, v) ?: 1;
	if ((r = arg_value(a, "--id", "--user", &v)) != 0 ||
	    ((a->cfg->flags & CONFIG_F_DASH_I) &&
	     (r = arg_value(a, "-i", NULL, &v)) != 0))
		return r < 0 ? r : config_set_id(a->cfg, v) ?: 1;
	for (size_t k = 0; k < ARRAY_LEN(opts); k++)
		if ((r = arg_value(a, opts[k].opt, opts[k].shrt, &v)) != 0)
			return r < 0 ? r : set_at_level(a, opts[k].key, v) ?: 1;
	if (arg_match(a->av[a->i], "--no-config-file")) {
		a->cfg->no_conf = true;
		a->i++;
		return 1;
	}
	return 0;
}

/* "--opt[=v]", "--opt v", "--no-opt" for the options in arg_prefixes. */
static int arg_generic(struct argp *a)
{
	const char *arg = a->av[a->i], *eq, *val = "true";
	char *name;
	bool neg = false;
	int r;

	if (strncmp(arg, "--", 2) || !arg[2])
		return 0;
	eq = strchr(arg, '=');
	name = key_norm(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
	if (!name)
		return cfg_oom(a->cfg);
	if (!eq && !strncmp(name, "no_", 3) &&
	    name_in(name + 3, arg_prefixes, ARRAY_LEN(arg_prefixes), true)) {
		memmove(name, name + 3, strlen(name + 3) + 1);
		neg = true;
	}
	if (!name_in(name, arg_prefixes, ARRAY_LEN(arg_prefixes), true)) {
		free(name);
		return 0;
	}
	if (neg)
		val = "false";
	else if (eq)
		val = eq + 1;
	else if (a->i + 1 < a->ac && a->av[a->i + 1][0] != '-' &&
		 !name_in(name, arg_bools, ARRAY_LEN(arg_bools), false))
		val = a->av[++a->i];
	a->i++;
	r = set_at_level(a, name, val);
	free(name);
	return r ? r : 1;
}

/* Parses av[start..ac); leftovers are written back from av[start] on.
 * Returns the new count, or an error. */
static int parse_args(struct sp_config *cfg, int level, char **av, int start,
		      int ac)
{
	struct argp a = { cfg, level, av, ac, start };
	int w = start, r;

	while (a.i < ac) {
		if (!strcmp(av[a.i], "--")) {
			while (a.i < ac)
				av[w++] = av[a.i++];
			break;
		}
		r = arg_fixed(&a);
		if (!r)
			r = arg_generic(&a);
		if (r < 0)
			return r;
		if (!r)
			av[w++] = av[a.i++];
	}
	return w;
}

/* $CEPH_ARGS (blank-separated) and $CEPH_KEYRING, below the command line. */
static int parse_env(struct sp_config *cfg)
{
	const char *env = getenv("CEPH_ARGS"), *kr = getenv("CEPH_KEYRING");
	char *copy, *save = NULL, **av = NULL;
	int ac = 0, r = 0;

	if (kr && kv_set(&cfg->over[CFG_ENV], "keyring", kr))
		return cfg_oom(cfg);
	if (!env || !*env)
		return 0;
	copy = strdup(env);
	av = calloc(strlen(env) / 2 + 2, sizeof(*av));
	if (!copy || !av)
		r = cfg_oom(cfg);
	for (char *t = copy && av ? strtok_r(copy, " \t\n", &save) : NULL; t;
	     t = strtok_r(NULL, " \t\n", &save))
		av[ac++] = t;
	if (!r)
		r = parse_args(cfg, CFG_ENV, av, 0, ac);
	if (r < 0) {
		char msg[sizeof(cfg->err)];

		snprintf(msg, sizeof(msg), "%s", cfg->err);
		cfg_fail(cfg, r, "CEPH_ARGS: %s", msg);
	}
	free(copy);
	free(av);
	return r < 0 ? r : 0;
}

int config_parse_argv(struct sp_config *cfg, int *argc, char **argv,
		      char *err, size_t errlen)
{
	int r = 0, n;

	if (!(cfg->flags & CONFIG_F_NO_ENV))
		r = parse_env(cfg);
	if (!r && *argc > 1) {
		n = parse_args(cfg, CFG_CMDLINE, argv, 1, *argc);
		if (n < 0) {
			r = n;
		} else {
			*argc = n;
			argv[n] = NULL;
		}
	}
	if (r)
		copy_err(cfg, err, errlen);
	return r;
}

/* ---- logging ---- */

static int apply_debug(struct sp_config *cfg, const char *key)
{
	const char *v = config_get(cfg, key);
	char *end;
	long lvl;

	if (!v)
		return -ENOMEM;
	lvl = strtol(v, &end, 10);
	if (end == v || (*end && *end != '/') || lvl < 0 || lvl > 99)
		return bad_value(cfg, -EINVAL, key, v,
				 "expected N or N/M with N from 0 to 99");
	/* -ENOENT: a subsystem siphon does not have (debug_mds...) */
	log_set_level(key, (int)lvl);
	return 0;
}

static int apply_debug_section(struct sp_config *cfg,
			       const struct cfg_section *s)
{
	int r = 0;

	for (size_t i = 0; s && i < s->n && !r; i++)
		if (!strncmp(s->kv[i].key, "debug_", 6))
			r = apply_debug(cfg, s->kv[i].key);
	return r;
}

int config_apply_logging(struct sp_config *cfg)
{
	const char *secs[3] = { "global", entity_type_name(cfg->type), cfg->name };
	const char *file;
	int r = 0;

	/* Every debug_ key visible anywhere; config_get() picks the winner. */
	for (int i = 0; i < 3 && !r; i++)
		r = apply_debug_section(cfg, section_find(&cfg->file, secs[i]));
	for (int l = 0; l < CFG_LEVELS && !r; l++)
		r = apply_debug_section(cfg, &cfg->over[l]);
	if (r)
		return r;
	file = config_get(cfg, "log_file");
	if (!file)
		return 0;
	r = log_set_file(*file ? file : NULL);
	if (r)
		return cfg_fail(cfg, r, "%s: log file '%s': %s",
				config_origin(cfg, "log_file"), file, strerror(-r));
	return 0;
}
