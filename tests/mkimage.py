#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# mkimage.py LAYOUT NAME LAYER...: add an OCI image made of the given layer
# files (tar, tar.gz or tar.zst, told apart by their bytes) to the OCI
# layout LAYOUT (created if missing) and tag it NAME. Environment knobs:
#   MKIMAGE_CONFIG      JSON object used as the config's "config"
#   MKIMAGE_DIFFIDS     comma list replacing the computed diff_ids
#   MKIMAGE_MEDIATYPES  comma list replacing the layers' media types
# Prints the manifest digest.
import gzip, hashlib, json, os, platform, subprocess, sys

def put(layout, data):
    d = 'sha256:' + hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, 'blobs', 'sha256', d[7:])
    with open(path, 'wb') as f:
        f.write(data)
    return d

def uncompressed(raw):
    if raw[:2] == b'\x1f\x8b':
        return gzip.decompress(raw), 'tar+gzip'
    if raw[:4] == b'\x28\xb5\x2f\xfd':
        out = subprocess.run(['zstd', '-q', '-d', '-c'], input=raw, check=True,
                             stdout=subprocess.PIPE).stdout
        return out, 'tar+zstd'
    return raw, 'tar'

def main():
    layout, name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(layout, 'blobs', 'sha256'), exist_ok=True)
    if not os.path.exists(os.path.join(layout, 'oci-layout')):
        with open(os.path.join(layout, 'oci-layout'), 'w') as f:
            json.dump({'imageLayoutVersion': '1.0.0'}, f)
    layers, diff_ids = [], []
    for fn in files:
        raw = open(fn, 'rb').read()
        tar, kind = uncompressed(raw)
        diff_ids.append('sha256:' + hashlib.sha256(tar).hexdigest())
        layers.append({'mediaType': 'application/vnd.oci.image.layer.v1.' + kind,
                       'digest': put(layout, raw), 'size': len(raw)})
    if os.environ.get('MKIMAGE_DIFFIDS'):
        diff_ids = os.environ['MKIMAGE_DIFFIDS'].split(',')
    if os.environ.get('MKIMAGE_MEDIATYPES'):
        for l, mt in zip(layers, os.environ['MKIMAGE_MEDIATYPES'].split(',')):
            l['mediaType'] = mt
    arch = {'x86_64': 'amd64', 'aarch64': 'arm64'}.get(platform.machine(),
                                                      platform.machine())
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
    ipath = os.path.join(layout, 'index.json')
    index = {'schemaVersion': 2, 'manifests': []}
    if os.path.exists(ipath):
        index = json.load(open(ipath))
    key = 'org.opencontainers.image.ref.name'
    index['manifests'] = [m for m in index['manifests']
                          if m.get('annotations', {}).get(key) != name]
    index['manifests'].append({'mediaType': manifest['mediaType'],
                               'digest': mdigest, 'size': len(mdata),
                               'annotations': {key: name}})
    with open(ipath, 'w') as f:
        json.dump(index, f)
    print(mdigest)

main()
