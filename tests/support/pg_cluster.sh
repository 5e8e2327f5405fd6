#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store (docs/building.md, "The
# PostgreSQL test cluster"). ctest runs `start` as a fixture before the tests that need it and
# `stop` after them.
#   pg_cluster.sh start URL_FILE   initdb into a new temp dir, start postgres on 127.0.0.1 at a free
#                                  port (fsync on, as in production), create the database
#                                  ttbridge_test, write its URL to URL_FILE and print it
#   pg_cluster.sh stop URL_FILE    stop that cluster and remove its directory and URL_FILE
# As root it runs the server as the `postgres` user the Debian package creates (initdb refuses
# root). PostgreSQL 15's binaries: scripts/setup installs postgresql-15.
set -euo pipefail

usage() { echo "usage: $0 start|stop URL_FILE" >&2; exit 2; }
(($# == 2)) || usage
action=$1
url_file=$2
state_file=$url_file.datadir

as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

# TTB_PG_BINDIR: the server binaries to use (only those); by default Debian's PostgreSQL 15.
bindir=""
candidates=("${TTB_PG_BINDIR:-}")
[[ -n ${TTB_PG_BINDIR:-} ]] || candidates=(/usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin)
for candidate in "${candidates[@]}"; do
  if [[ -x $candidate/initdb ]]; then bindir=$candidate; break; fi
done

case "$action" in
  start)
    if [[ -z $bindir ]]; then
      echo "pg_cluster: no PostgreSQL server binaries (initdb) found; run scripts/setup, which" \
        "installs postgresql-15, or set TTB_PG_BINDIR" >&2
      exit 1
    fi
    rm -f "$url_file"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/ttb-pg-XXXXXX")
    chmod 700 "$dir"
    if ((${#as_owner[@]} > 0)); then chown postgres: "$dir"; fi
    echo "$dir" >"$state_file"
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U ttbridge --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    started=""
    for _ in $(seq 1 20); do
      port=$((20000 + RANDOM % 30000))
      if "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=on" \
        start >/dev/null 2>&1; then
        started=$port
        break
      fi
    done
    if [[ -z $started ]]; then
      echo "pg_cluster: postgres did not start; its log:" >&2
      cat "$dir/server.log" >&2 || true
      exit 1
    fi
    "${as_owner[@]}" "$bindir/psql" -h 127.0.0.1 -p "$started" -U ttbridge -d postgres -q \
      -c "CREATE DATABASE ttbridge_test" >/dev/null
    url="postgresql://ttbridge@127.0.0.1:$started/ttbridge_test"
    echo "$url" >"$url_file"
    echo "$url"
    ;;
  stop)
    [[ -f $state_file ]] || exit 0
    dir=$(cat "$state_file")
    if [[ -n $bindir && -d $dir/data ]]; then
      "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    rm -f "$state_file" "$url_file"
    ;;
  *) usage ;;
esac
