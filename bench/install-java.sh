#!/bin/sh
# Best effort: OpenAPI Generator needs a Java runtime. Installs Debian's headless JRE when run as root
# with apt-get; otherwise says so, and the benchmarks record OpenAPI Generator as "not measured".
if command -v java >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "bench: no Java runtime; installing default-jre-headless (Debian)"
	(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jre-headless) \
		|| echo "bench: could not install a Java runtime; OpenAPI Generator will not be measured"
else
	echo "bench: no Java runtime and no permission to install one; OpenAPI Generator will not be measured"
fi
exit 0
