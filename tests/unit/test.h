/* A tiny unit-test harness: TEST() registers a case, CHECK*() record
 * failures without stopping the case, main() in test_main.c runs them all.
 * Test data files are found under $SIPHON_TEST_DATA (tests/data). */
#ifndef SIPHON_TEST_H
#define SIPHON_TEST_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void test_register(const char *name, void (*fn)(void));
extern int test_failures;

#define TEST(name)                                                        \
	static void name(void);                                           \
	__attribute__((constructor)) static void test_reg_##name(void)    \
	{                                                                 \
		test_register(#name, name);                               \
	}                                                                 \
	static void name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n",      \
				__FILE__, __LINE__, #cond);               \
			test_failures++;                                  \
		}                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                    \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b) {                                           \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);      \
			test_failures++;                                  \
		}                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *_a = (a), *_b = (b);                          \
		if (!_a || !_b || strcmp(_a, _b)) {                       \
			fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
				__FILE__, __LINE__, #a, #b, _a ? _a : "(null)", \
				_b ? _b : "(null)");                      \
			test_failures++;                                  \
		}                                                         \
	} while (0)

/* Reads tests/data/NAME into malloc'd memory; aborts the case (returns
 * NULL after recording a failure) if it is missing. */
uint8_t *test_read_data(const char *name, size_t *len);

/* Decodes a hex string ("0a 1b..." or "0a1b..."), for inline vectors. */
size_t test_hex(const char *hex, uint8_t *out, size_t cap);

/* Calls fn(arg, words, n) for each non-empty line of tests/data/NAME,
 * split at spaces into at most TEST_LINE_WORDS words (the *.expect files
 * of ground truth). Records a failure if the file is missing. */
#define TEST_LINE_WORDS 512
void test_for_each_line(const char *name, void (*fn)(void *, char **, int),
			void *arg);

/* A decimal word of such a line. */
long long test_num(const char *s);

/* Judges a decoder on one truncated input: decodes cut[0..len), frees
 * whatever it made, and returns nonzero if the outcome is wrong for a
 * prefix of that length. */
typedef int (*test_prefix_fn)(void *arg, const uint8_t *cut, size_t len);

/* Feeds every proper prefix of p[0..n) to fn, each in a heap copy of
 * exactly its size so that ASan catches a read past its end. Returns how
 * many prefixes fn judged wrong (naming the first few on stderr), for
 * CHECK_EQ(..., 0). */
size_t test_check_truncations(const uint8_t *p, size_t n, test_prefix_fn fn,
			      void *arg);

/* Whether address i of av formats as `want` ("v2:127.0.0.1:3300/0");
 * says what it is instead on stderr when not. */
struct entity_addrvec;
int test_addr_is(const struct entity_addrvec *av, uint32_t i,
		 const char *want);

#endif
