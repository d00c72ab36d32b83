#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# mklayer.py [--gnu] OUT SPEC...: write a layer tar crafted for a test.
# OUT ending in .gz or .zst is compressed (gzip module / zstd CLI).
# SPEC is TYPE:NAME[:ARG][@key=value]...:
#   f file (ARG: content)   d directory   l symlink (ARG: target)
#   h hardlink (ARG: target) c/b char/block device (ARG: major,minor)
#   p fifo
# keys: mode (octal), uid, gid, mtime, xattr.NAME (value, \xNN escapes)
import gzip, io, subprocess, sys, tarfile

TYPES = {'f': tarfile.REGTYPE, 'd': tarfile.DIRTYPE, 'l': tarfile.SYMTYPE,
         'h': tarfile.LNKTYPE, 'c': tarfile.CHRTYPE, 'b': tarfile.BLKTYPE,
         'p': tarfile.FIFOTYPE}

def entry(spec):
    head, *attrs = spec.split('@')
    typ, name, *rest = head.split(':', 2)
    arg = rest[0] if rest else ''
    ti = tarfile.TarInfo(name)
    ti.type = TYPES[typ]
    ti.mode = 0o755 if typ == 'd' else 0o644
    ti.mtime = 1600000000
    data = b''
    if typ == 'f':
        data = arg.encode()
    elif typ in 'lh':
        ti.linkname = arg
    elif typ in 'cb':
        ti.devmajor, ti.devminor = (int(x) for x in arg.split(','))
    for a in attrs:
        k, v = a.split('=', 1)
        if k == 'mode':
            ti.mode = int(v, 8)
        elif k in ('uid', 'gid', 'mtime'):
            setattr(ti, k, int(v))
        elif k.startswith('xattr.'):
            raw = v.encode().decode('unicode_escape').encode('latin-1')
            ti.pax_headers['SCHILY.xattr.' + k[6:]] = raw.decode('latin-1')
    ti.size = len(data)
    return ti, data

def main():
    args = sys.argv[1:]
    fmt = tarfile.PAX_FORMAT
    if args and args[0] == '--gnu':
        fmt = tarfile.GNU_FORMAT
        args = args[1:]
    out, specs = args[0], args[1:]
    buf = io.BytesIO()
    # latin-1 keeps xattr values byte for byte in the PAX records
    with tarfile.open(fileobj=buf, mode='w', format=fmt,
                      encoding='utf-8', errors='surrogateescape') as t:
        for s in specs:
            ti, data = entry(s)
            t.addfile(ti, io.BytesIO(data) if data else None)
    raw = buf.getvalue()
    if out.endswith('.gz'):
        raw = gzip.compress(raw, mtime=0)
    elif out.endswith('.zst'):
        raw = subprocess.run(['zstd', '-q', '-c'], input=raw, check=True,
                             stdout=subprocess.PIPE).stdout
    with open(out, 'wb') as f:
        f.write(raw)

main()
