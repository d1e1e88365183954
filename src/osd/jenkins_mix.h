/* Bob Jenkins' reversible mix of three 32-bit words, with the shift
 * schedule of his 1996 hash (lookup2): the core of both CRUSH's rjenkins1
 * hashes and Ceph's string hash for object names. */
#ifndef SIPHON_OSD_JENKINS_MIX_H
#define SIPHON_OSD_JENKINS_MIX_H

#define JMIX(a, b, c)                                                     \
	do {                                                              \
		a -= b; a -= c; a ^= c >> 13;                             \
		b -= c; b -= a; b ^= a << 8;                              \
		c -= a; c -= b; c ^= b >> 13;                             \
		a -= b; a -= c; a ^= c >> 12;                             \
		b -= c; b -= a; b ^= a << 16;                             \
		c -= a; c -= b; c ^= b >> 5;                              \
		a -= b; a -= c; a ^= c >> 3;                              \
		b -= c; b -= a; b ^= a << 10;                             \
		c -= a; c -= b; c ^= b >> 15;                             \
	} while (0)

#endif
