#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# fixture.py: build small OCI image layouts for fetch's tests, by hand, so
# the tests do not depend on dk to make their inputs.
#   fixture.py multiarch DIR     index "latest": linux/amd64 + linux/arm64/v8
#   fixture.py big MB N DIR      manifest "latest": N layers of MB MiB of
#                                random data each (uncompressed tar)
import hashlib, io, json, os, sys, tarfile


def put(layout, data):
    d = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", d)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
    return {"digest": "sha256:" + d, "size": len(data)}


def layer_tar(name, payload):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo(name)
        info.size = len(payload)
        info.mode = 0o644
        info.mtime = 0
        t.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def image(layout, arch, variant, layers):
    descs, diff_ids = [], []
    for data in layers:
        d = put(layout, data)
        d["mediaType"] = "application/vnd.oci.image.layer.v1.tar"
        descs.append(d)
        diff_ids.append(d["digest"])
    cfg = {"architecture": arch, "os": "linux",
           "config": {"Env": ["ARCH=" + arch], "Cmd": ["sh"]},
           "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    if variant:
        cfg["variant"] = variant
    c = put(layout, json.dumps(cfg, sort_keys=True).encode())
    c["mediaType"] = "application/vnd.oci.image.config.v1+json"
    man = {"schemaVersion": 2,
           "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": c, "layers": descs}
    m = put(layout, json.dumps(man, sort_keys=True).encode())
    m["mediaType"] = man["mediaType"]
    return m


def init(layout):
    os.makedirs(os.path.join(layout, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


def write_index(layout, desc):
    desc = dict(desc)
    desc["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [desc]}, f)


def multiarch(layout):
    init(layout)
    amd = image(layout, "amd64", None, [layer_tar("arch", b"amd64\n")])
    amd["platform"] = {"os": "linux", "architecture": "amd64"}
    arm = image(layout, "arm64", "v8", [layer_tar("arch", b"arm64\n")])
    arm["platform"] = {"os": "linux", "architecture": "arm64", "variant": "v8"}
    idx = {"schemaVersion": 2,
           "mediaType": "application/vnd.oci.image.index.v1+json",
           "manifests": [amd, arm]}
    d = put(layout, json.dumps(idx, sort_keys=True).encode())
    d["mediaType"] = idx["mediaType"]
    write_index(layout, d)


def big(layout, mb, n):
    init(layout)
    layers = [layer_tar("data%d" % i, os.urandom(mb << 20)) for i in range(n)]
    write_index(layout, image(layout, "amd64", None, layers))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "multiarch":
        multiarch(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "big":
        big(sys.argv[4], int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit("usage: fixture.py multiarch DIR | big MB N DIR")
