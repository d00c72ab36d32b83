# network: the CNI plugins it drives, dnsmasq for the dnsname plugin,
# iptables for portmap and firewall
DEPS += containernetworking-plugins golang-github-containernetworking-plugin-dnsname \
	dnsmasq-base iptables iproute2
