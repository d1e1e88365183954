/* Runner for the cases registered with TEST(): runs each, reports each. */
#include "test.h"

#include <stdlib.h>

#include "encoding/entity.h"

#define MAX_CASES 1024

int test_failures;
static struct {
	const char *name;
	void (*fn)(void);
} cases[MAX_CASES];
static int ncases;

void test_register(const char *name, void (*fn)(void))
{
	if (ncases == MAX_CASES) {
		fprintf(stderr, "too many test cases\n");
		exit(2);
	}
	cases[ncases].name = name;
	cases[ncases].fn = fn;
	ncases++;
}

uint8_t *test_read_data(const char *name, size_t *len)
{
	const char *dir = getenv("SIPHON_TEST_DATA");
	char path[1024];
	uint8_t *p = NULL;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "test data %s: cannot open\n", path);
		test_failures++;
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n + 1);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	if (!p) {
		fprintf(stderr, "test data %s: cannot read\n", path);
		test_failures++;
	}
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t test_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*hex && n < cap) {
		int hi, lo;

		if (hexval(*hex) < 0) {
			hex++;
			continue;
		}
		hi = hexval(hex[0]);
		lo = hexval(hex[1]);
		if (lo < 0)
			break;
		out[n++] = (uint8_t)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}

void test_for_each_line(const char *name, void (*fn)(void *, char **, int),
			void *arg)
{
	size_t len;
	char *text = (char *)test_read_data(name, &len);
	char *line, *save = NULL;

	if (!text)
		return;
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *w[TEST_LINE_WORDS], *s2 = NULL;
		int n = 0;

		for (char *t = strtok_r(line, " ", &s2);
		     t && n < TEST_LINE_WORDS; t = strtok_r(NULL, " ", &s2))
			w[n++] = t;
		if (n)
			fn(arg, w, n);
	}
	free(text);
}

long long test_num(const char *s)
{
	return strtoll(s, NULL, 10);
}

size_t test_check_truncations(const uint8_t *p, size_t n, test_prefix_fn fn,
			      void *arg)
{
	size_t wrong = 0;

	for (size_t len = 0; len < n; len++) {
		uint8_t *cut = malloc(len ? len : 1);

		if (!cut) {
			fprintf(stderr, "truncations: out of memory\n");
			return wrong + 1;
		}
		memcpy(cut, p, len);
		if (fn(arg, cut, len) && wrong++ < 5)
			fprintf(stderr, "prefix of %zu of %zu bytes: "
				"wrong outcome\n", len, n);
		free(cut);
	}
	return wrong;
}

int test_addr_is(const struct entity_addrvec *av, uint32_t i,
		 const char *want)
{
	char s[80];

	if (i >= av->n || entity_addr_format(&av->v[i], s, sizeof(s)))
		return 0;
	if (strcmp(s, want))
		fprintf(stderr, "address %s, want %s\n", s, want);
	return !strcmp(s, want);
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 0; i < ncases; i++) {
		int before = test_failures;

		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		cases[i].fn();
		if (test_failures != before) {
			failed++;
			printf("FAIL %s\n", cases[i].name);
		} else {
			printf("ok   %s\n", cases[i].name);
		}
	}
	printf("%d cases, %d failed\n", ncases, failed);
	return failed ? 1 : 0;
}
