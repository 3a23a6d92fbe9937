#!/usr/bin/env bash
# Unpacks a newer nats-server (Debian trixie's package, 2.10.x) into DIR, by default the
# workspace's tmp/nats-2.10, where the cluster tests look for it (libs/testing's
# natsServerBinaries). Touches neither the machine's apt sources nor its installed packages (apt
# runs with lists, cache and sources of its own under DIR/apt), and does nothing when the binary is
# already there. Prints the binary's version on stderr and its path on stdout.
# Usage: tools/nats/fetch-nats-server.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mkdir -p "${1:-$root/tmp/nats-2.10}" && cd "${1:-$root/tmp/nats-2.10}" && pwd)

find_bin() {
  for candidate in "$dir/root/usr/bin/nats-server" "$dir/root/usr/sbin/nats-server"; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

if ! bin=$(find_bin); then
  apt="$dir/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  cat > "$apt/sources.list" <<'LIST'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
LIST
  opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" -qq update >/dev/null
  rm -f "$dir"/nats-server_*.deb
  (cd "$dir" && apt-get "${opts[@]}" -qq download nats-server >/dev/null)
  dpkg-deb -x "$(ls "$dir"/nats-server_*.deb | head -1)" "$dir/root"
  bin=$(find_bin) || { echo "no nats-server binary in $(ls "$dir"/nats-server_*.deb)" >&2; exit 1; }
fi
"$bin" --version >&2
echo "$bin"
