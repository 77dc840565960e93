# Sourced by `make test`: make a real PostgreSQL server available to the tests.
#
# ADVISOR_TEST_POSTGRES_URL, when set, names an admin connection the tests may create databases with.
# Otherwise, as root on a Debian machine with PostgreSQL installed, start the local cluster and create a
# role for the tests. Where neither works, the PostgreSQL tests are skipped with the reason, except in CI
# (CI=true), where they fail instead.
if [ -z "${ADVISOR_TEST_POSTGRES_URL:-}" ] && command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    # The cluster named main (Debian's own), else the first listed (another may be someone's experiment).
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main" {print $1" "$2" "$3" "$4; exit}')
    [ -n "$cluster" ] || cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2" "$3" "$4}')
    if [ -n "$cluster" ]; then
        set -- $cluster
        if [ "$4" != online ]; then
            pg_ctlcluster "$1" "$2" start || echo "ensure-postgres: could not start PostgreSQL $1/$2" >&2
        fi
        port=$3
        su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='advisor_test'\"" 2>/dev/null | grep -q 1 \
            || su postgres -c "psql -p $port -qc \"CREATE ROLE advisor_test LOGIN CREATEDB PASSWORD 'advisor_test'\"" >/dev/null
        export ADVISOR_TEST_POSTGRES_URL="postgresql+psycopg://advisor_test:advisor_test@127.0.0.1:$port/postgres"
    fi
fi
if [ -n "${ADVISOR_TEST_POSTGRES_URL:-}" ]; then
    echo "ensure-postgres: PostgreSQL tests use ${ADVISOR_TEST_POSTGRES_URL%%:*}://…@${ADVISOR_TEST_POSTGRES_URL##*@}"
fi
