#!/usr/bin/env python3
# compare.py — compares jfsim outputs (out/NAME/summary.csv, annual.csv) with the
# reference NAME.ref.json written by ref.py; every mean within relative 1e-9.
import csv, json, sys, math
RTOL = 1e-9
def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) or abs(a - b) <= 1e-9 * 1e-6  # tiny abs floor for exact zeros
def num(s):
    return None if s == '' else float(s)
def main(name):
    ref = json.load(open(name + '.ref.json'))
    rs, ra = ref['summary'], ref['annual']
    bad = []; n = 0
    seen = set()
    for row in csv.DictReader(open('out/%s/summary.csv' % name)):
        key = row['scheme'] + '|' + row['metric']
        seen.add(key)
        eng = num(row['mean'])
        # deterministic: all stats should equal mean
        for st in ('min', 'max', 'p50'):
            if row['n'] not in ('0',) and not close(num(row[st]), eng) and not (row[st]=='' and eng is None):
                bad.append(('summary-stat', key, st, row[st], row['mean']))
        if key not in rs:
            bad.append(('summary-extra', key, eng, None)); continue
        n += 1
        if not close(eng, rs[key]):
            alt = rs.get(key + '@value')
            bad.append(('summary', key, eng, rs[key]) + ((('alt@value', alt),) if alt is not None else ()))
    for k in rs:
        if k not in seen and '@value' not in k:
            bad.append(('summary-missing', k, None, rs[k]))
    seen = set()
    for row in csv.DictReader(open('out/%s/annual.csv' % name)):
        key = '%s|%s|%s' % (row['year'], row['variable'], row['scope'])
        seen.add(key)
        eng = num(row['mean'])
        if key not in ra:
            bad.append(('annual-extra', key, eng, None)); continue
        n += 1
        if not close(eng, ra[key]):
            bad.append(('annual', key, eng, ra[key]))
    for k in ra:
        if k not in seen:
            bad.append(('annual-missing', k, None, ra[k]))
    print('%-26s compared %4d values, %3d discrepancies' % (name, n, len(bad)))
    for b in bad[:40]:
        print('   ', b)
    return len(bad)
tot = 0
for nm in sys.argv[1:]:
    tot += main(nm)
sys.exit(1 if tot else 0)
