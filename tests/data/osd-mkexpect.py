#!/usr/bin/env python3
"""Turns Ceph's JSON dumps into flat .expect files that test_osdmap.c and
test_crush.c read (one fact per line, space separated).

  osd-mkexpect.py osdmap DUMP.json > X.expect   (ceph osd dump -f json)
  osd-mkexpect.py crush DUMP.json DECOMPILED.txt > X.expect
                                     (crushtool --dump, crushtool -d)
"""
import json
import re
import sys

OSD_STATES = ['exists', 'up', 'autoout', 'new', 'full', 'nearfull',
              'backfillfull', 'destroyed', 'noup', 'nodown', 'noin',
              'noout', 'stop']


def fixed(x):
    return int(round(x * 0x10000))


def pgid(s):
    pool, seed = s.split('.')
    return '%s %d' % (pool, int(seed, 16))


def osdmap(d):
    out = ['epoch %d' % d['epoch'], 'fsid %s' % d['fsid'],
           'flags %d' % d['flags_num'], 'pool_max %d' % d['pool_max'],
           'max_osd %d' % d['max_osd'], 'crush_version %d' % d['crush_version'],
           'num_pools %d' % len(d['pools'])]
    for p in d['pools']:
        out.append('pool %d %s %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %s' % (
            p['pool'], p['pool_name'], p['type'], p['size'], p['min_size'],
            p['crush_rule'], p['object_hash'], p['pg_num'],
            p['pg_placement_num'], p['flags'], p['quota_max_bytes'],
            p['quota_max_objects'], p['tier_of'], p['read_tier'],
            p['write_tier'], p['stripe_width'],
            int(p['last_force_op_resend']),
            int(p['last_force_op_resend_prenautilus']),
            int(p['last_force_op_resend_preluminous']), int(p['last_change']),
            p['erasure_code_profile'] or '-'))
    up = inn = 0
    for o in d['osds']:
        state = 0
        for s in o['state']:
            state |= 1 << OSD_STATES.index(s)
        addrs = ','.join('%s:%s/%d' % (a['type'], a['addr'], a['nonce'])
                         for a in o['public_addrs']['addrvec']) or '-'
        out.append('osd %d %d %d %d %d %s' % (
            o['osd'], state, fixed(o['weight']), fixed(o['primary_affinity']),
            o['up'], addrs))
        up += o['up']
        inn += o['in']
    out += ['num_up %d' % up, 'num_in %d' % inn]
    for e in d['pg_temp']:
        out.append('pg_temp %s %s' % (pgid(e['pgid']),
                                      ' '.join(map(str, e['osds']))))
    pt = d['primary_temp']
    # dumped as a flat [pgid, osd, pgid, osd, ...] list
    for i in range(0, len(pt), 2):
        out.append('primary_temp %s %d' % (pgid(pt[i]), pt[i + 1]))
    for e in d['pg_upmap']:
        out.append('pg_upmap %s %s' % (pgid(e['pgid']),
                                       ' '.join(map(str, e['osds']))))
    for e in d['pg_upmap_items']:
        out.append('pg_upmap_items %s %s' % (pgid(e['pgid']), ' '.join(
            '%d %d' % (m['from'], m['to']) for m in e['mappings'])))
    return out


ALGS = {'uniform': 1, 'list': 2, 'tree': 3, 'straw': 4, 'straw2': 5}
OPS = {'noop': 0, 'take': 1, 'choose_firstn': 2, 'choose_indep': 3,
       'emit': 4, 'chooseleaf_firstn': 6, 'chooseleaf_indep': 7,
       'set_choose_tries': 8, 'set_chooseleaf_tries': 9,
       'set_choose_local_tries': 10, 'set_choose_local_fallback_tries': 11,
       'set_chooseleaf_vary_r': 12, 'set_chooseleaf_stable': 13}


def crush(d, text):
    types = {t['name']: t['type_id'] for t in d['types']}
    out = []
    t = d['tunables']
    for k in ('choose_local_tries', 'choose_local_fallback_tries',
              'choose_total_tries', 'chooseleaf_descend_once',
              'chooseleaf_vary_r', 'chooseleaf_stable', 'straw_calc_version',
              'allowed_bucket_algs'):
        out.append('tunable %s %d' % (k, t[k]))
    for dev in d['devices']:
        out.append('device %d %s %s' % (dev['id'], dev['name'],
                                        dev.get('class', '-')))
    for ty in d['types']:
        out.append('type %d %s' % (ty['type_id'], ty['name']))
    for b in d['buckets']:
        out.append('bucket %d %s %d %d %d %d %s' % (
            b['id'], b['name'], b['type_id'], ALGS[b['alg']],
            0 if b['hash'] == 'rjenkins1' else -1, b['weight'],
            ' '.join('%d %d' % (i['id'], i['weight'])
                     for i in b['items'])))
    for r in d['rules']:
        steps = []
        for s in r['steps']:
            if 'opcode' in s:       # ops the dumper has no name for
                steps.append('%d %d %d' % (s['opcode'], s['arg1'], s['arg2']))
                continue
            op = OPS[s['op']]
            if s['op'] == 'take':
                a1, a2 = s['item'], 0
            elif s['op'] in ('emit', 'noop'):
                a1, a2 = 0, 0
            elif s['op'].startswith('set_'):
                a1, a2 = s['num'], 0
            else:
                a1, a2 = s['num'], types[s['type']]
            steps.append('%d %d %d' % (op, a1, a2))
        out.append('rule %d %s %d %d %d %d %s' % (
            r['rule_id'], r['rule_name'], r['ruleset'], r['type'],
            r['min_size'], r['max_size'], ' '.join(steps)))
    for idx, args in sorted(d['choose_args'].items(), key=lambda x: int(x[0])):
        for a in args:
            ws = ';'.join(','.join(str(fixed(w)) for w in pos)
                          for pos in a.get('weight_set', [])) or '-'
            ids = ','.join(map(str, a.get('ids', []))) or '-'
            out.append('choose_arg %s %d %s %s' % (idx, a['bucket_id'], ws,
                                                  ids))
    # device classes: shadow bucket ids from the decompiled text
    bucket = None
    for line in text.split('\n'):
        m = re.match(r'^\S+ (\S+) \{$', line)
        if m:
            bucket = m.group(1)
        m = re.match(r'^\s+id (-\d+) class (\S+)', line)
        if m and bucket:
            out.append('class_bucket %s %s %s' % (bucket, m.group(2),
                                                  m.group(1)))
    return out


if __name__ == '__main__':
    d = json.load(open(sys.argv[2]))
    if sys.argv[1] == 'osdmap':
        lines = osdmap(d)
    else:
        lines = crush(d, open(sys.argv[3]).read())
    print('\n'.join(lines))
