#!/usr/bin/env bash
# Throwaway PostgreSQL servers for Sanderling's tests and for trying the PostgreSQL store locally.
#
#   scripts/pg.sh install           install the Debian PostgreSQL server if it is missing (idempotent, fast)
#   scripts/pg.sh start DIR PORT    initdb DIR/data if needed, start a server on 127.0.0.1:PORT with its
#                                   socket in DIR; prints the connection URL (user postgres, trust auth)
#   scripts/pg.sh stop DIR          stop that server (immediate shutdown: the cluster is throwaway)
#   scripts/pg.sh bindir            print the directory holding initdb/pg_ctl (exit 1 if none)
#
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root), so DIR must be
# reachable by that user: use a directory under /tmp, not one inside a 0700 directory.
# The cluster trades durability for speed (fsync=off): never keep data you care about in it.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [ -n "$d" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    fi
    # Debian keeps server binaries out of PATH, one directory per major version: take the newest.
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$d" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    if command -v pg_ctl >/dev/null 2>&1; then
        d="$(dirname "$(command -v pg_ctl)")"
        if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    fi
    return 1
}

# Run a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' user (run: scripts/pg.sh install)"
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

cmd_install() {
    if bindir >/dev/null; then
        echo "pg.sh: PostgreSQL server already installed in $(bindir)"
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "installing PostgreSQL needs root (or sudo)"
        sudo="sudo"
    fi
    command -v apt-get >/dev/null 2>&1 || die "no apt-get: install the PostgreSQL server by hand"
    echo "pg.sh: installing the PostgreSQL server (apt-get)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir >/dev/null || die "apt-get finished but no initdb/pg_ctl found"
    echo "pg.sh: PostgreSQL server installed in $(bindir)"
}

cmd_start() {
    [ $# -eq 2 ] || die "usage: pg.sh start DIR PORT"
    local dir="$1" port="$2" bin
    case "$port" in ''|*[!0-9]*) die "PORT must be a number, got '$port'" ;; esac
    bin="$(bindir)" || die "PostgreSQL server binaries not found (run: scripts/pg.sh install)"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    as_owner test -w "$dir" || die "$dir is not writable by the server user (use a directory under /tmp)"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale \
            --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    # Loopback only, socket in DIR (not /var/run/postgresql), no durability: a test server.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { tail -n 20 "$dir/server.log" >&2 || true; die "server did not start"; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

cmd_stop() {
    [ $# -eq 1 ] || die "usage: pg.sh stop DIR"
    local dir="$1" bin
    bin="$(bindir)" || die "PostgreSQL server binaries not found"
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
}

case "${1:-}" in
    install) shift; cmd_install "$@" ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    bindir) bindir ;;
    *) die "usage: pg.sh install | start DIR PORT | stop DIR | bindir" ;;
esac
