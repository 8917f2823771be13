# Sourced by .ci/run and by the benchmarks (benchmarks/postgres.py): how PostgreSQL is
# installed and started for the tests. `start_postgres` starts the Debian cluster, makes a
# role that may create databases and a database for the tests (listening on 127.0.0.1 with
# password authentication) and exports the URL as TEST_POSTGRES_URL. Runs as root.

PG_USER=${PG_USER:-cs_test}
PG_PASSWORD=${PG_PASSWORD:-cs_test}
PG_DB=${PG_DB:-cs_test}
CLUSTER=${PG_CLUSTER:-main}

log() { printf '==> %s\n' "$*" >&2; }

APT_UPDATED=0
apt_install() { # apt_install PACKAGE...: from the distribution, updating the lists once
    export DEBIAN_FRONTEND=noninteractive
    if [ "$APT_UPDATED" = 0 ]; then
        apt-get update
        APT_UPDATED=1
    fi
    apt-get install -y "$@"
}

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

have_postgres() {
    command -v pg_ctlcluster >/dev/null 2>&1 \
        && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

cluster_field() { # cluster_field VERSION COLUMN: a column of `pg_lsclusters` for our cluster
    pg_lsclusters -h | awk -v v="$1" -v c="$CLUSTER" -v f="$2" '$1 == v && $2 == c { print $f }'
}

install_postgres() {
    if have_postgres; then
        return
    fi
    log "installing PostgreSQL from the distribution's packages"
    apt_install postgresql
}

start_postgres() {
    local version conf_dir settings hba port changed=0
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    if [ -z "$(cluster_field "$version" 1)" ]; then
        log "creating cluster $version/$CLUSTER"
        pg_createcluster "$version" "$CLUSTER"
    fi
    conf_dir=/etc/postgresql/$version/$CLUSTER

    # Listen on loopback only; a throwaway test cluster need not survive a power cut.
    settings=$'listen_addresses = \'127.0.0.1\'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
    mkdir -p "$conf_dir/conf.d"
    if [ "$(cat "$conf_dir/conf.d/90-ci-tests.conf" 2>/dev/null)"$'\n' != "$settings" ]; then
        printf '%s' "$settings" >"$conf_dir/conf.d/90-ci-tests.conf"
        changed=1
    fi
    hba="host all $PG_USER 127.0.0.1/32 scram-sha-256"
    if ! grep -qxF "$hba" "$conf_dir/pg_hba.conf"; then
        # First matching line wins, so put ours on top.
        sed -i "1i $hba" "$conf_dir/pg_hba.conf"
        changed=1
    fi

    if [ "$(cluster_field "$version" 4)" = online ]; then
        if [ "$changed" = 1 ]; then
            log "restarting cluster $version/$CLUSTER with the test settings"
            pg_ctlcluster "$version" "$CLUSTER" restart
        fi
    else
        log "starting cluster $version/$CLUSTER"
        pg_ctlcluster "$version" "$CLUSTER" start
    fi
    port=$(cluster_field "$version" 3)
    as_postgres pg_isready -q -h 127.0.0.1 -p "$port" -t 30

    log "creating role $PG_USER and database $PG_DB (if missing)"
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres \
        -v user="$PG_USER" -v password="$PG_PASSWORD" -v db="$PG_DB" <<'SQL'
SELECT format('CREATE ROLE %I', :'user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
-- CREATEDB: each test session makes a database of its own (emptied for every test).
ALTER ROLE :"user" WITH LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

    export TEST_POSTGRES_URL="postgresql+asyncpg://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
}
