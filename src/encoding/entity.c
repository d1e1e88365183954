/* Entity address encodings and their text forms. */
#include "entity.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *entity_type_name(uint8_t type)
{
	switch (type) {
	case CEPH_ENTITY_TYPE_MON: return "mon";
	case CEPH_ENTITY_TYPE_MDS: return "mds";
	case CEPH_ENTITY_TYPE_OSD: return "osd";
	case CEPH_ENTITY_TYPE_CLIENT: return "client";
	case CEPH_ENTITY_TYPE_MGR: return "mgr";
	case CEPH_ENTITY_TYPE_AUTH: return "auth";
	}
	return "unknown";
}

socklen_t entity_addr_socklen(const struct entity_addr *a)
{
	switch (a->ss.ss_family) {
	case AF_INET: return sizeof(struct sockaddr_in);
	case AF_INET6: return sizeof(struct sockaddr_in6);
	}
	return 0;
}

uint16_t entity_addr_port(const struct entity_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return 0;
}

void entity_addr_set_port(struct entity_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

bool entity_addr_equal(const struct entity_addr *a, const struct entity_addr *b)
{
	socklen_t n = entity_addr_socklen(a);

	return a->type == b->type && a->nonce == b->nonce &&
	       a->ss.ss_family == b->ss.ss_family &&
	       memcmp(&a->ss, &b->ss, n) == 0;
}

int entity_addr_format(const struct entity_addr *a, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN] = "-";
	const char *pfx = "";
	int n;

	if (a->type == CEPH_ENTITY_ADDR_TYPE_LEGACY)
		pfx = "v1:";
	else if (a->type == CEPH_ENTITY_ADDR_TYPE_MSGR2)
		pfx = "v2:";
	else if (a->type == CEPH_ENTITY_ADDR_TYPE_ANY)
		pfx = "any:";
	if (a->ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->ss)->sin_addr,
			  ip, sizeof(ip));
	else if (a->ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)&a->ss)->sin6_addr, ip,
			  sizeof(ip));
	if (a->ss.ss_family == AF_INET6)
		n = snprintf(out, cap, "%s[%s]:%u/%u", pfx, ip,
			     entity_addr_port(a), a->nonce);
	else
		n = snprintf(out, cap, "%s%s:%u/%u", pfx, ip,
			     entity_addr_port(a), a->nonce);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

int entity_addr_parse(const char *s, struct entity_addr *a)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *p = s, *hend, *rest;
	unsigned long port = 0, nonce = 0;
	char *e;
	size_t hl;

	memset(a, 0, sizeof(*a));
	a->type = CEPH_ENTITY_ADDR_TYPE_ANY;
	if (!strncmp(p, "v1:", 3)) {
		a->type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
		p += 3;
	} else if (!strncmp(p, "v2:", 3)) {
		a->type = CEPH_ENTITY_ADDR_TYPE_MSGR2;
		p += 3;
	} else if (!strncmp(p, "any:", 4)) {
		p += 4;
	}
	if (*p == '[') {
		hend = strchr(++p, ']');
		if (!hend)
			return -EINVAL;
		rest = hend + 1;
	} else {
		/* IPv4: the host ends at ':' or '/'; a bare IPv6 (two or more
		 * colons, no port) is taken whole. */
		const char *c1 = strchr(p, ':');

		if (c1 && strchr(c1 + 1, ':')) {
			hend = p + strcspn(p, "/");
		} else {
			hend = p + strcspn(p, ":/");
		}
		rest = hend;
	}
	hl = (size_t)(hend - p);
	if (hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, p, hl);
	host[hl] = '\0';
	if (*rest == ':') {
		if (rest[1] < '0' || rest[1] > '9')
			return -EINVAL;
		port = strtoul(rest + 1, &e, 10);
		if (port > 65535)
			return -EINVAL;
		rest = e;
	}
	if (*rest == '/') {
		if (rest[1] < '0' || rest[1] > '9')
			return -EINVAL;
		nonce = strtoul(rest + 1, &e, 10);
		if (nonce > UINT32_MAX)
			return -EINVAL;
		rest = e;
	}
	if (*rest != '\0')
		return -EINVAL;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)&a->ss)->sin_addr) == 1) {
		a->ss.ss_family = AF_INET;
	} else if (inet_pton(AF_INET6, host,
			     &((struct sockaddr_in6 *)&a->ss)->sin6_addr) == 1) {
		a->ss.ss_family = AF_INET6;
	} else {
		return -EINVAL;
	}
	a->nonce = (uint32_t)nonce;
	entity_addr_set_port(a, (uint16_t)port);
	return 0;
}

int entity_addrvec_parse(const char *s, struct entity_addrvec *av)
{
	char tmp[256];
	const char *p, *end;
	size_t n = strlen(s);

	memset(av, 0, sizeof(*av));
	/* A bracketed list starts with "[v" ("[v2:..,v1:..]"); a bracketed
	 * IPv6 address starts with "[" and a hex digit or ':'. */
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']' &&
	    (!strncmp(s + 1, "v1:", 3) || !strncmp(s + 1, "v2:", 3) ||
	     !strncmp(s + 1, "any:", 4))) {
		p = s + 1;
		end = s + n - 1;
	} else {
		p = s;
		end = s + n;
	}
	while (p < end) {
		const char *c = p;
		int depth = 0;
		size_t len;

		while (c < end && (depth || *c != ',')) {
			if (*c == '[')
				depth++;
			else if (*c == ']')
				depth--;
			c++;
		}
		len = (size_t)(c - p);
		if (len == 0 || len >= sizeof(tmp) || av->n == ENTITY_ADDRVEC_MAX)
			return -EINVAL;
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		if (entity_addr_parse(tmp, &av->v[av->n]))
			return -EINVAL;
		av->n++;
		if (c < end && c + 1 == end)
			return -EINVAL;	/* trailing comma */
		p = c < end ? c + 1 : c;
	}
	return av->n ? 0 : -EINVAL;
}

const struct entity_addr *entity_addrvec_find(const struct entity_addrvec *av,
					      uint32_t type)
{
	for (uint32_t i = 0; i < av->n; i++)
		if (av->v[i].type == type)
			return &av->v[i];
	return NULL;
}

/* The bytes of a sockaddr after its family field, and how many of them
 * the current encoding carries (16 or 28 bytes in all, family included). */
static uint32_t sockaddr_wire_len(const struct entity_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (a->ss.ss_family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

int entity_addr_decode_legacy(struct dec *d, struct entity_addr *a)
{
	const uint8_t *ss;

	memset(a, 0, sizeof(*a));
	if (dec_skip(d, 4) || dec_u32(d, &a->nonce) || dec_view(d, 128, &ss))
		return -EBADMSG;
	/* Peers without ADDR2 send type NONE; it means a v1 address. */
	a->type = CEPH_ENTITY_ADDR_TYPE_LEGACY;
	memcpy(&a->ss, ss, 128 < sizeof(a->ss) ? 128 : sizeof(a->ss));
	a->ss.ss_family = (sa_family_t)(ss[0] << 8 | ss[1]);
	if (a->ss.ss_family != AF_INET && a->ss.ss_family != AF_INET6 &&
	    a->ss.ss_family != AF_UNSPEC)
		return -EBADMSG;
	return 0;
}

static int entity_addr_decode_versioned(struct dec *d, struct entity_addr *a)
{
	struct dec body;
	uint32_t len;
	uint16_t fam;
	int r;

	memset(a, 0, sizeof(*a));
	r = dec_struct(d, 1, NULL, &body);
	if (r)
		return r;
	if (dec_u32(&body, &a->type) || dec_u32(&body, &a->nonce) ||
	    dec_u32(&body, &len))
		return -EBADMSG;
	if (len == 0)
		return 0;
	if (len < 2 || len > sizeof(a->ss) || dec_u16(&body, &fam))
		return -EBADMSG;
	if (fam == AF_INET && len != sizeof(struct sockaddr_in))
		return -EBADMSG;
	if (fam == AF_INET6 && len != sizeof(struct sockaddr_in6))
		return -EBADMSG;
	if (fam != AF_INET && fam != AF_INET6)
		return -EBADMSG;
	if (dec_bytes(&body, (uint8_t *)&a->ss + 2, len - 2))
		return -EBADMSG;
	a->ss.ss_family = fam;
	return 0;
}

int entity_addr_decode(struct dec *d, struct entity_addr *a)
{
	uint8_t marker;

	if (dec_need(d, 1))
		return -EBADMSG;
	marker = d->p[0];
	if (marker == 0)
		return entity_addr_decode_legacy(d, a);
	if (marker != 1)
		return -EBADMSG;
	d->p++;
	return entity_addr_decode_versioned(d, a);
}

void entity_addr_encode_legacy(struct buf *b, const struct entity_addr *a)
{
	uint8_t ss[128];
	socklen_t n = entity_addr_socklen(a);

	memset(ss, 0, sizeof(ss));
	if (n)
		memcpy(ss, &a->ss, n);
	ss[0] = (uint8_t)(a->ss.ss_family >> 8);
	ss[1] = (uint8_t)a->ss.ss_family;
	buf_put_u32(b, 0);	/* legacy type field: always 0 on the wire */
	buf_put_u32(b, a->nonce);
	buf_put(b, ss, sizeof(ss));
}

void entity_addr_encode(struct buf *b, const struct entity_addr *a)
{
	uint32_t len = sockaddr_wire_len(a);
	size_t st;

	buf_put_u8(b, 1);
	st = buf_struct_begin(b, 1, 1);
	buf_put_u32(b, a->type);
	buf_put_u32(b, a->nonce);
	buf_put_u32(b, len);
	if (len) {
		buf_put_u16(b, a->ss.ss_family);
		buf_put(b, (const uint8_t *)&a->ss + 2, len - 2);
	}
	buf_struct_end(b, st);
}

int entity_addrvec_decode(struct dec *d, struct entity_addrvec *av)
{
	uint8_t marker;
	uint32_t n;
	int r;

	memset(av, 0, sizeof(*av));
	if (dec_need(d, 1))
		return -EBADMSG;
	marker = d->p[0];
	if (marker == 0 || marker == 1) {
		r = entity_addr_decode(d, &av->v[0]);
		if (r)
			return r;
		av->n = 1;
		return 0;
	}
	if (marker != 2)
		return -EBADMSG;
	d->p++;
	if (dec_count(d, 1, &n))
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		struct entity_addr tmp;

		r = entity_addr_decode(d, &tmp);
		if (r)
			return r;
		if (av->n < ENTITY_ADDRVEC_MAX)
			av->v[av->n++] = tmp;
	}
	return 0;
}

void entity_addrvec_encode(struct buf *b, const struct entity_addrvec *av)
{
	buf_put_u8(b, 2);
	buf_put_u32(b, av->n);
	for (uint32_t i = 0; i < av->n; i++)
		entity_addr_encode(b, &av->v[i]);
}
