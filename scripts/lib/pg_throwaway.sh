# Starts a private PostgreSQL cluster on a free loopback port for the tests and exports
# TTB_TEST_PG_URL. Sourced by scripts/test; uses the Debian postgresql package's binaries.
pg_throwaway_dir=""

pg_throwaway_start() {
  local root=$1
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $bin ]]; then
    echo "scripts/test: PostgreSQL binaries not found; run scripts/setup" >&2
    return 1
  fi
  rm -rf "$root" && mkdir -p "$root"
  local port
  port=$(shuf -i 20000-60000 -n 1)
  local run=()
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres "$root"
    run=(su postgres -s /bin/sh -c)
  else
    run=(sh -c)
  fi
  "${run[@]}" "$bin/initdb -D '$root/data' -U ttbridge --auth=trust -E UTF8 >'$root/initdb.log' 2>&1 && \
    $bin/pg_ctl -D '$root/data' -l '$root/server.log' -w \
      -o \"-p $port -k '$root' -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null"
  pg_throwaway_dir=$root
  pg_throwaway_run=("${run[@]}")
  pg_throwaway_bin=$bin
  export TTB_TEST_PG_URL="postgresql://ttbridge@127.0.0.1:$port/postgres"
}

pg_throwaway_stop() {
  [[ -n $pg_throwaway_dir ]] || return 0
  "${pg_throwaway_run[@]}" "$pg_throwaway_bin/pg_ctl -D '$pg_throwaway_dir/data' -m fast stop >/dev/null 2>&1" || true
  pg_throwaway_dir=""
}
