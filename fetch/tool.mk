# fetch: libcurl; test peers: htpasswd (apache2-utils), python3 with
# cryptography (the token server of the tests), skopeo, docker-registry
fetch_PKGS := libcurl
DEPS += apache2-utils python3 python3-cryptography skopeo docker-registry
