/* Encoding layer: decode bounds, versioned envelopes, CRC32C, addresses. */
#include "test.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "encoding/buf.h"
#include "encoding/crc32c.h"
#include "encoding/dec.h"
#include "encoding/entity.h"

TEST(crc32c_known_vectors)
{
	const char *s = "123456789";
	uint8_t zeros[32] = { 0 };

	/* The iSCSI check value is the inverted form. */
	CHECK_EQ(~crc32c(~0u, s, 9), 0xe3069283u);
	CHECK_EQ(~crc32c_portable(~0u, s, 9), 0xe3069283u);
	/* RFC 3720 B.4: 32 bytes of zeros. */
	CHECK_EQ(~crc32c(~0u, zeros, 32), 0x8a9136aau);
	CHECK_EQ(crc32c(0, "", 0), 0);
}

TEST(crc32c_hw_matches_portable)
{
	uint8_t data[4099];
	uint32_t seed = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 131 + 7);
	for (size_t off = 0; off < 9; off++)
		for (size_t len = 0; len < 64; len += 5) {
			CHECK_EQ(crc32c(seed, data + off, len),
				 crc32c_portable(seed, data + off, len));
			seed = seed * 31 + 1;
		}
	CHECK_EQ(crc32c(~0u, data, sizeof(data)),
		 crc32c_portable(~0u, data, sizeof(data)));
	/* Chaining equals one pass. */
	CHECK_EQ(crc32c(crc32c(5, data, 1000), data + 1000, 3099),
		 crc32c(5, data, 4099));
}

TEST(dec_bounds)
{
	uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct dec d;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_u16(&d, &v16), 0);
	CHECK_EQ(v16, 0x0201);
	CHECK_EQ(dec_u32(&d, &v32), 0);
	CHECK_EQ(v32, 0x06050403);
	CHECK_EQ(dec_u64(&d, &v64), -EBADMSG);
	CHECK_EQ(dec_left(&d), 3);
	CHECK_EQ(dec_skip(&d, 4), -EBADMSG);
	CHECK_EQ(dec_skip(&d, 3), 0);
	CHECK_EQ(dec_left(&d), 0);
}

TEST(dec_strings_and_counts)
{
	uint8_t b[] = { 3, 0, 0, 0, 'a', 'b', 'c', 0xff, 0xff, 0xff, 0x7f };
	char small[3], big[8];
	struct dec d;
	uint32_t n;
	char *s;

	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_str_copy(&d, small, sizeof(small)), -ENAMETOOLONG);
	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_str_copy(&d, big, sizeof(big)), 0);
	CHECK_STR(big, "abc");
	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_str_dup(&d, &s), 0);
	CHECK_STR(s, "abc");
	free(s);
	/* A hostile count is refused before anything is allocated. */
	CHECK_EQ(dec_count(&d, 1, &n), -EBADMSG);
	/* A string length past the end. */
	b[0] = 200;
	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_str_dup(&d, &s), -EBADMSG);
}

TEST(versioned_struct_roundtrip_and_skip)
{
	struct buf b = BUF_INIT;
	struct dec d, body;
	uint8_t v;
	uint32_t x = 0, y = 0;
	size_t st;

	/* A v3 struct with a field a v2 reader does not know. */
	st = buf_struct_begin(&b, 3, 2);
	buf_put_u32(&b, 42);
	buf_put_u64(&b, 7);	/* newer field */
	buf_struct_end(&b, st);
	buf_put_u32(&b, 99);	/* what follows the struct */
	CHECK_EQ(buf_error(&b), 0);

	dec_init(&d, b.data, b.len);
	CHECK_EQ(dec_struct(&d, 2, &v, &body), 0);
	CHECK_EQ(v, 3);
	CHECK_EQ(dec_u32(&body, &x), 0);
	CHECK_EQ(x, 42);
	CHECK_EQ(dec_u32(&d, &y), 0);	/* the tail was skipped */
	CHECK_EQ(y, 99);

	/* A compat newer than we read is refused. */
	dec_init(&d, b.data, b.len);
	CHECK_EQ(dec_struct(&d, 1, &v, &body), -ENOTSUP);
	/* A length past the end is refused. */
	dec_init(&d, b.data, b.len - 6);
	CHECK_EQ(dec_struct(&d, 2, &v, &body), -EBADMSG);
	buf_free(&b);
}

TEST(legacy_struct_unwrapped_forms)
{
	/* v2 written as a bare u16, then a u32 field, then what follows */
	uint8_t u16v[] = { 2, 0, 42, 0, 0, 0, 99, 0, 0, 0 };
	/* v3 as a bare u8 */
	uint8_t u8v[] = { 3, 42, 0, 0, 0 };
	struct dec d, body;
	bool wrapped = true;
	uint32_t x = 0;
	uint8_t v = 0;

	dec_init(&d, u16v, sizeof(u16v));
	CHECK_EQ(dec_struct_legacy(&d, 3, true, 9, &v, &body, &wrapped), 0);
	CHECK_EQ(v, 2);
	CHECK(!wrapped);
	CHECK_EQ(dec_u32(&body, &x), 0);
	CHECK_EQ(x, 42);
	d.p = body.p;		/* the caller moves on past the fields */
	CHECK_EQ(dec_u32(&d, &x), 0);
	CHECK_EQ(x, 99);
	CHECK_EQ(dec_left(&d), 0);

	dec_init(&d, u8v, sizeof(u8v));
	CHECK_EQ(dec_struct_legacy(&d, 4, false, 5, &v, &body, &wrapped), 0);
	CHECK_EQ(v, 3);
	CHECK(!wrapped);
	CHECK_EQ(dec_left(&body), 4);
	CHECK_EQ(dec_u32(&body, &x), 0);
	CHECK_EQ(x, 42);

	/* No version at all, or a u16 version cut after its first byte. */
	dec_init(&d, u16v, 0);
	CHECK_EQ(dec_struct_legacy(&d, 3, true, 9, &v, &body, &wrapped),
		 -EBADMSG);
	dec_init(&d, u16v, 1);
	CHECK_EQ(dec_struct_legacy(&d, 3, true, 9, &v, &body, &wrapped),
		 -EBADMSG);
	/* Without the u16 form one byte is a whole (empty) old struct. */
	dec_init(&d, u16v, 1);
	CHECK_EQ(dec_struct_legacy(&d, 3, false, 9, NULL, &body, &wrapped),
		 0);
	CHECK_EQ(dec_left(&body), 0);
}

TEST(legacy_struct_wrapped_forms)
{
	struct buf b = BUF_INIT;
	struct dec d, body;
	bool wrapped = false;
	uint32_t x = 0, y = 0;
	uint8_t v = 0;
	size_t st;

	/* v5, compat 4, with a field the reader does not know */
	st = buf_struct_begin(&b, 5, 4);
	buf_put_u32(&b, 42);
	buf_put_u64(&b, 7);
	buf_struct_end(&b, st);
	buf_put_u32(&b, 99);
	CHECK_EQ(buf_error(&b), 0);

	/* legacy_u16 only matters below wrapped_from_v */
	for (int u16 = 0; u16 < 2; u16++) {
		dec_init(&d, b.data, b.len);
		CHECK_EQ(dec_struct_legacy(&d, 3, u16, 4, &v, &body, &wrapped),
			 0);
		CHECK_EQ(v, 5);
		CHECK(wrapped);
		CHECK_EQ(dec_left(&body), 12);
		CHECK_EQ(dec_u32(&body, &x), 0);
		CHECK_EQ(x, 42);
		CHECK_EQ(dec_u32(&d, &y), 0);	/* d is already past it */
		CHECK_EQ(y, 99);
	}
	/* wrapped_from_v is the first wrapped version */
	dec_init(&d, b.data, b.len);
	CHECK_EQ(dec_struct_legacy(&d, 5, true, 4, NULL, &body, &wrapped), 0);
	CHECK(wrapped);
	/* below it the same bytes read as an old unwrapped struct */
	dec_init(&d, b.data, b.len);
	CHECK_EQ(dec_struct_legacy(&d, 6, false, 4, &v, &body, &wrapped), 0);
	CHECK(!wrapped);
	CHECK_EQ(body.p, b.data + 1);

	/* a compat newer than we read */
	dec_init(&d, b.data, b.len);
	CHECK_EQ(dec_struct_legacy(&d, 3, true, 3, &v, &body, &wrapped),
		 -ENOTSUP);
	/* every cut inside the envelope or its body is refused */
	for (size_t n = 1; n < 6 + 12; n++) {
		dec_init(&d, b.data, n);
		CHECK_EQ(dec_struct_legacy(&d, 3, true, 4, &v, &body,
					   &wrapped), -EBADMSG);
	}
	buf_free(&b);
}

TEST(dec_skip_str_bounds)
{
	uint8_t b[] = { 2, 0, 0, 0, 'h', 'i', 7 };
	struct dec d;

	dec_init(&d, b, sizeof(b));
	CHECK_EQ(dec_skip_str(&d), 0);
	CHECK_EQ(dec_left(&d), 1);
	dec_init(&d, b, 5);
	CHECK_EQ(dec_skip_str(&d), -EBADMSG);
	dec_init(&d, b, 3);
	CHECK_EQ(dec_skip_str(&d), -EBADMSG);
}

TEST(addr_parse_forms)
{
	struct entity_addrvec av;
	struct entity_addr a;
	char s[80];

	CHECK_EQ(entity_addr_parse("127.0.0.1:6789", &a), 0);
	CHECK_EQ(a.type, CEPH_ENTITY_ADDR_TYPE_ANY);
	CHECK_EQ(entity_addr_port(&a), 6789);
	CHECK_EQ(entity_addr_parse("v2:10.1.2.3:3300/17", &a), 0);
	CHECK_EQ(a.type, CEPH_ENTITY_ADDR_TYPE_MSGR2);
	CHECK_EQ(a.nonce, 17);
	CHECK_EQ(entity_addr_format(&a, s, sizeof(s)), 0);
	CHECK_STR(s, "v2:10.1.2.3:3300/17");
	CHECK_EQ(entity_addr_parse("[::1]:6789", &a), 0);
	CHECK_EQ(a.ss.ss_family, AF_INET6);
	CHECK_EQ(entity_addr_port(&a), 6789);
	CHECK_EQ(entity_addr_parse("v1:[fe80::2]:1", &a), 0);
	CHECK_EQ(entity_addr_parse("10.0.0.1", &a), 0);
	CHECK_EQ(entity_addr_port(&a), 0);
	CHECK(entity_addr_parse("10.0.0.1:99999", &a) < 0);
	CHECK(entity_addr_parse("nonsense", &a) < 0);
	CHECK(entity_addr_parse("1.2.3.4:", &a) < 0);
	CHECK(entity_addr_parse("", &a) < 0);

	CHECK_EQ(entity_addrvec_parse("[v2:127.0.0.1:3300,v1:127.0.0.1:6789]", &av), 0);
	CHECK_EQ(av.n, 2);
	CHECK_EQ(entity_addrvec_find(&av, CEPH_ENTITY_ADDR_TYPE_LEGACY)->ss.ss_family,
		 AF_INET);
	CHECK_EQ(entity_addr_port(entity_addrvec_find(&av, CEPH_ENTITY_ADDR_TYPE_LEGACY)),
		 6789);
	CHECK_EQ(entity_addrvec_parse("[::1]:6789", &av), 0);
	CHECK_EQ(av.n, 1);
	CHECK(entity_addrvec_parse("[v2:1.2.3.4:1,]", &av) < 0);
}

TEST(addr_wire_roundtrip)
{
	struct entity_addrvec av, av2;
	struct entity_addr a, b2;
	struct buf b = BUF_INIT;
	struct dec d;

	CHECK_EQ(entity_addr_parse("v1:192.168.1.5:6800/1234", &a), 0);
	entity_addr_encode_legacy(&b, &a);
	CHECK_EQ(b.len, ENTITY_ADDR_LEGACY_LEN);
	/* family big-endian, then port and ip in network order */
	CHECK_EQ(b.data[8], 0);
	CHECK_EQ(b.data[9], AF_INET);
	CHECK_EQ(b.data[10], 6800 >> 8);
	CHECK_EQ(b.data[12], 192);
	dec_init(&d, b.data, b.len);
	CHECK_EQ(entity_addr_decode(&d, &b2), 0);
	CHECK(entity_addr_equal(&a, &b2));

	buf_reset(&b);
	CHECK_EQ(entity_addrvec_parse("[v2:127.0.0.1:3300/5,v1:127.0.0.1:6789/5]", &av), 0);
	entity_addrvec_encode(&b, &av);
	/* marker 2, n=2, first addr: marker 1, v1 c1 len, type 2 */
	CHECK_EQ(b.data[0], 2);
	CHECK_EQ(b.data[5], 1);
	CHECK_EQ(b.data[12], 2);
	dec_init(&d, b.data, b.len);
	CHECK_EQ(entity_addrvec_decode(&d, &av2), 0);
	CHECK_EQ(av2.n, 2);
	CHECK(entity_addr_equal(&av.v[0], &av2.v[0]));
	CHECK(entity_addr_equal(&av.v[1], &av2.v[1]));
	CHECK_EQ(dec_left(&d), 0);
	/* every truncation fails cleanly */
	for (size_t n = 0; n < b.len; n++) {
		dec_init(&d, b.data, n);
		CHECK(entity_addrvec_decode(&d, &av2) < 0);
	}
	buf_free(&b);
}
