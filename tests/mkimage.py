#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# mkimage.py LAYOUT NAME LAYER...: add an OCI image made of the given layer
# files (tar, tar.gz or tar.zst, told apart by their bytes) to the OCI
# layout LAYOUT (created if missing) and tag it NAME. Environment knobs:
#   MKIMAGE_CONFIG      JSON object used as the config's "config"
#   MKIMAGE_DIFFIDS     comma list replacing the computed diff_ids
#   MKIMAGE_MEDIATYPES  comma list replacing the layers' media types
#   MKIMAGE_ARCH        the config's architecture (default: this host's)
# mkimage.py --index LAYOUT NAME REF=OS/ARCH...: tag NAME as an image index
# of the manifests tagged REF..., with those platforms.
# Prints the manifest (or index) digest.
import gzip, hashlib, json, os, platform, subprocess, sys

def put(layout, data):
    d = 'sha256:' + hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, 'blobs', 'sha256', d[7:])
    with open(path, 'wb') as f:
        f.write(data)
    return d

def diff_id(fn):
    """sha256 of the uncompressed tar, streamed; and the media type suffix"""
    head = open(fn, 'rb').read(4)
    h = hashlib.sha256()
    if head[:2] == b'\x1f\x8b':
        kind, src = 'tar+gzip', gzip.open(fn, 'rb')
    elif head == b'\x28\xb5\x2f\xfd':
        p = subprocess.Popen(['zstd', '-q', '-d', '-c', fn], stdout=subprocess.PIPE)
        kind, src = 'tar+zstd', p.stdout
    else:
        kind, src = 'tar', open(fn, 'rb')
    for chunk in iter(lambda: src.read(1 << 20), b''):
        h.update(chunk)
    return 'sha256:' + h.hexdigest(), kind

def main():
    layout, name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(layout, 'blobs', 'sha256'), exist_ok=True)
    if not os.path.exists(os.path.join(layout, 'oci-layout')):
        with open(os.path.join(layout, 'oci-layout'), 'w') as f:
            json.dump({'imageLayoutVersion': '1.0.0'}, f)
    layers, diff_ids = [], []
    for fn in files:
        raw = open(fn, 'rb').read()
        d, kind = diff_id(fn)
        diff_ids.append(d)
        layers.append({'mediaType': 'application/vnd.oci.image.layer.v1.' + kind,
                       'digest': put(layout, raw), 'size': len(raw)})
    if os.environ.get('MKIMAGE_DIFFIDS'):
        diff_ids = os.environ['MKIMAGE_DIFFIDS'].split(',')
    if os.environ.get('MKIMAGE_MEDIATYPES'):
        for l, mt in zip(layers, os.environ['MKIMAGE_MEDIATYPES'].split(',')):
            l['mediaType'] = mt
    arch = {'x86_64': 'amd64', 'aarch64': 'arm64'}.get(platform.machine(),
                                                      platform.machine())
    arch = os.environ.get('MKIMAGE_ARCH', arch)
    config = {'architecture': arch, 'os': 'linux',
              'config': json.loads(os.environ.get('MKIMAGE_CONFIG', '{}')),
              'rootfs': {'type': 'layers', 'diff_ids': diff_ids}}
    cdata = json.dumps(config).encode()
    manifest = {'schemaVersion': 2,
                'mediaType': 'application/vnd.oci.image.manifest.v1+json',
                'config': {'mediaType': 'application/vnd.oci.image.config.v1+json',
                           'digest': put(layout, cdata), 'size': len(cdata)},
                'layers': layers}
    mdata = json.dumps(manifest).encode()
    mdigest = put(layout, mdata)
    tag(layout, name, manifest['mediaType'], mdigest, len(mdata))

KEY = 'org.opencontainers.image.ref.name'

def load_index(layout):
    ipath = os.path.join(layout, 'index.json')
    if os.path.exists(ipath):
        return json.load(open(ipath))
    return {'schemaVersion': 2, 'manifests': []}

def tag(layout, name, mt, digest, size):
    index = load_index(layout)
    index['manifests'] = [m for m in index['manifests']
                          if m.get('annotations', {}).get(KEY) != name]
    index['manifests'].append({'mediaType': mt, 'digest': digest,
                               'size': size, 'annotations': {KEY: name}})
    with open(os.path.join(layout, 'index.json'), 'w') as f:
        json.dump(index, f)
    print(digest)

def make_index():
    layout, name, refs = sys.argv[2], sys.argv[3], sys.argv[4:]
    tagged = {m.get('annotations', {}).get(KEY): m
              for m in load_index(layout)['manifests']}
    entries = []
    for r in refs:
        ref, plat = r.split('=')
        osname, arch = plat.split('/')[:2]
        m = dict(tagged[ref])
        m.pop('annotations', None)
        m['platform'] = {'os': osname, 'architecture': arch}
        entries.append(m)
    mt = 'application/vnd.oci.image.index.v1+json'
    data = json.dumps({'schemaVersion': 2, 'mediaType': mt,
                       'manifests': entries}).encode()
    tag(layout, name, mt, put(layout, data), len(data))

if sys.argv[1] == '--index':
    make_index()
else:
    main()
