import json, subprocess, sys
# mkref.py BIN [extra offsets...]: every 5th byte of the program's own
# functions (from nm) and the given offsets, symbolized by llvm-symbolizer.
binf = sys.argv[1]
offs = set(int(x, 16) for x in sys.argv[2:])
for l in subprocess.run(["nm", "-S", "--defined-only", binf], capture_output=True, text=True).stdout.splitlines():
    p = l.split()
    if len(p) == 4 and p[2] in "tT" and p[3] in ("checkout", "main", "cart_new", "cart_free", "cart_total", "fatal", "item_price"):
        a, n = int(p[0], 16), int(p[1], 16)
        offs.update(range(a, a + n, 5))
offs = sorted(offs)
out = subprocess.run(["llvm-symbolizer", "--output-style=JSON", "--inlining", "--obj=" + binf] + [hex(o) for o in offs], capture_output=True, text=True).stdout
for r in json.loads(out):
    cols = [r["Address"]]
    for f in r["Symbol"]:
        cols.append("%s %s:%d:%d" % (f["FunctionName"], f["FileName"] or "??", f["Line"], f["Column"]))
    print("\t".join(cols))
