# buildfile: runs snapshot, unpack, runtime and commit; buildah for bench
DEPS += buildah umoci skopeo
buildfile_PKGS := libcurl
DEPS += openssh-client git
