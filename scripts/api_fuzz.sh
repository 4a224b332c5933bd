#!/usr/bin/env bash
# schemathesis against the API (/api/v1), as CI runs it (`make api-fuzz`, step of .ci/run).
#
# On a throwaway SQLite database: migrate, load_demo, three API clients with known keys (a
# municipality, a provider, a regional system: `manage.py api_client create --token`), the app
# under gunicorn on 127.0.0.1 (production settings, DEBUG off), then one schemathesis run per
# client over every read operation of the committed-and-served schema (/api/v1/openapi.json),
# and two bounded runs of the write operations: production deliveries (POST
# /api/v1/productie-aanleveringen) with the provider's key, and the region's configuration (POST,
# PATCH, DELETE on gemeenten, screeningssoorten, toelatingsvoorwaarden,
# ondersteuningsprofielen, intensiteiten) with the regional system's key: writes into the throwaway database are fine.
#
# Checks: no 5xx, responses (status, content type, body) as the schema documents them.
# Exits non-zero on any failure; the server is always stopped (trap). The last line reads
# `schemathesis: N passed, M failed` (operations over all runs; an operation that fails in two
# runs counts twice). On failure the server's log (tracebacks of 5xx) is printed as well.
#
# Knobs (environment variables):
#   API_FUZZ_MAX_EXAMPLES   test cases per operation and phase in the read runs (default 25)
#   API_FUZZ_WRITE_EXAMPLES test cases per write operation (default 15)
#   API_FUZZ_PHASES         schemathesis phases (default examples,coverage,fuzzing)
#   API_FUZZ_SEED           seed for reproducible runs (default: a fixed one, 20260701)
#   API_FUZZ_CLIENTS        which runs (default "gemeente aanbieder regionaal schrijven
#                           inrichting")
#   API_FUZZ_PORT           preferred port (default 18080; the next free one is taken)
#   API_FUZZ_TEMPLATE=DIR  for iterating: the demo database (and its media) is saved to DIR on
#                          the first run and copied from there instead of load_demo afterwards
#   API_FUZZ_LOG           a copy of the output (default /tmp/api_fuzz.log)
#   API_FUZZ_KEEP=1         keep the temp dir (database, logs, JUnit reports) and print it
set -euo pipefail

# The output goes to the console and to a log file: the script runs itself behind tee.
if [[ -z ${_API_FUZZ_INNER:-} ]]; then
    set +e
    _API_FUZZ_INNER=1 bash "${BASH_SOURCE[0]}" "$@" 2>&1 | tee "${API_FUZZ_LOG:-/tmp/api_fuzz.log}"
    exit "${PIPESTATUS[0]}"
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BIN=${API_FUZZ_BIN:-$ROOT/.venv/bin}
PY=$BIN/python
MAX_EXAMPLES=${API_FUZZ_MAX_EXAMPLES:-25}
WRITE_EXAMPLES=${API_FUZZ_WRITE_EXAMPLES:-15}
PHASES=${API_FUZZ_PHASES:-examples,coverage,fuzzing}
SEED=${API_FUZZ_SEED:-20260701}
RUNS=${API_FUZZ_CLIENTS:-gemeente aanbieder regionaal schrijven inrichting}
CHECKS=not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance
RUN_LIMIT=${API_FUZZ_RUN_LIMIT:-300} # seconds, one schemathesis run
T0=$(date +%s)

for tool in python gunicorn schemathesis; do
    [[ -x $BIN/$tool ]] || { echo "api_fuzz: $BIN/$tool is missing (make install)"; exit 2; }
done

TMP=$(mktemp -d /tmp/jeugdinkoop-fuzz.XXXXXX)
SERVER_PID=""
stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        echo "-- gunicorn stopped"
    fi
    SERVER_PID=""
}
cleanup() {
    local rc=$?
    set +e
    stop_server
    [[ ${API_FUZZ_KEEP:-0} == 1 ]] || rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Production settings on a throwaway database; nothing shared with a developer's setup.
unset REDIS_URL CELERY_BROKER_URL
export DATABASE_URL="sqlite:///$TMP/db.sqlite3"
export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_PLAIN_STATIC=1
export DJANGO_SECRET_KEY=fuzz-only-insecure-secret-key-of-a-throwaway-database
export PSEUDONYM_KEY=fuzz-only-pseudonym-key
export DJANGO_MEDIA_ROOT="$TMP/media" IMPORT_SPOOL_DIR="$TMP/spool"
export API_THROTTLE_CLIENT=100000/min API_THROTTLE_PUBLIC=100000/min
export PYTHONUNBUFFERED=1

step() { printf '\n-- %s (%ds)\n' "$*" $(($(date +%s) - T0)); }

TEMPLATE=${API_FUZZ_TEMPLATE:-}
if [[ -n $TEMPLATE && -f $TEMPLATE/db.sqlite3 ]]; then
    step "database: copy of $TEMPLATE + migrate"
    cp "$TEMPLATE/db.sqlite3" "$TMP/db.sqlite3"
    [[ ! -d $TEMPLATE/media ]] || cp -r "$TEMPLATE/media" "$TMP/media"
    "$PY" manage.py migrate --noinput -v 0
else
    step "database: migrate + load_demo ($TMP)"
    "$PY" manage.py migrate --noinput -v 0
    "$PY" manage.py load_demo --force | tail -n 1 # --force: DEBUG is off; the database is thrown away
    if [[ -n $TEMPLATE ]]; then
        mkdir -p "$TEMPLATE"
        cp "$TMP/db.sqlite3" "$TEMPLATE/db.sqlite3"
        [[ ! -d $TMP/media ]] || cp -r "$TMP/media" "$TEMPLATE/media"
        echo "saved as template: $TEMPLATE"
    fi
fi

step "API clients"
# The provider: the demo provider of WBO with the most contracts (it has figures to read).
PROVIDER_ID=$("$PY" manage.py shell -v 0 -c "
from django.db.models import Count
from providers.models import Provider
p = (Provider.objects.filter(region__slug='wbo').annotate(n=Count('contracts'))
     .order_by('-n', 'pk').first())
print(p.pk)")
declare -A TOKEN
for kind in gemeente aanbieder regionaal; do
    TOKEN[$kind]="jk_fuzz${kind:0:3}_$("$PY" -c 'import secrets;print(secrets.token_urlsafe(24))')"
done
"$PY" manage.py api_client create --region wbo --kind gemeente --municipality GM0758 \
    --name "Fuzz gemeente" --scopes cijfers-lezen,contracten-lezen --token "${TOKEN[gemeente]}" |
    sed -n 1p
"$PY" manage.py api_client create --region wbo --kind aanbieder --provider "$PROVIDER_ID" \
    --name "Fuzz aanbieder" --scopes cijfers-lezen,contracten-lezen,productie-schrijven \
    --token "${TOKEN[aanbieder]}" | sed -n 1p
"$PY" manage.py api_client create --region wbo --kind regionaal --name "Fuzz regionaal" \
    --scopes cijfers-lezen,contracten-lezen,productie-schrijven,inrichting-schrijven \
    --token "${TOKEN[regionaal]}" |
    sed -n 1p

step "gunicorn"
PORT=$("$PY" - "${API_FUZZ_PORT:-18080}" <<'EOF'
import socket, sys
start = int(sys.argv[1])
for port in range(start, start + 200):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
else:
    sys.exit(f"no free port near {start}")
EOF
)
BASE="http://127.0.0.1:$PORT"
"$BIN/gunicorn" config.wsgi -b "127.0.0.1:$PORT" -w 2 --timeout 60 \
    --access-logfile "$TMP/access.log" --error-logfile "$TMP/server.log" --capture-output &
SERVER_PID=$!
for _ in $(seq 1 100); do
    "$PY" -c "import sys,urllib.request;urllib.request.urlopen(sys.argv[1],timeout=2)" \
        "$BASE/api/v1/openapi.json" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log"; echo "gunicorn died"; exit 1; }
    sleep 0.3
done
"$PY" -c "import sys,urllib.request;urllib.request.urlopen(sys.argv[1],timeout=5)" \
    "$BASE/api/v1/openapi.json" >/dev/null || { cat "$TMP/server.log"; exit 1; }
echo "app on $BASE (pid $SERVER_PID)"

PASSED=0 FAILED=0 RUN_FAILURES=()

# fuzz NAME TOKEN schemathesis-args...: one run; its JUnit report gives the per-operation counts.
fuzz() {
    local name=$1 token=$2 rc counts
    shift 2
    step "schemathesis: $name"
    set +e
    timeout -k 10 "$RUN_LIMIT" "$BIN/schemathesis" run "$BASE/api/v1/openapi.json" \
        -H "Authorization: Bearer $token" \
        --checks "$CHECKS" --phases "$PHASES" --seed "$SEED" --workers 2 \
        --generation-database none --request-timeout 30 --no-color \
        --report junit --report-junit-path "$TMP/junit-$name.xml" "$@"
    rc=$?
    set -e
    counts=$("$PY" - "$TMP/junit-$name.xml" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0")
    sys.exit()
passed = failed = 0
for case in root.iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is None:
        passed += 1
print(passed, failed)
EOF
)
    read -r p f <<<"$counts"
    if ((rc != 0 && f == 0)); then f=1; fi # a crash or timeout without a report
    PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
    echo "-- $name: $p operations passed, $f failed (exit code $rc)"
    ((rc == 0)) || RUN_FAILURES+=("$name")
}

# the writing operations: production deliveries, and the region's configuration. One path filter
# each (schemathesis ORs include filters, so no method includes: GETs are excluded instead), and
# one worker: hypothesis' parsing of its own sources is not thread-safe and crashed two workers.
WRITES=(--exclude-method GET --exclude-method HEAD --workers 1)
CONFIGURATION='^/api/v1/(gemeenten|screeningssoorten|toelatingsvoorwaarden|ondersteuningsprofielen|intensiteiten)'
for run in $RUNS; do
    case $run in
        gemeente | aanbieder | regionaal)
            fuzz "$run" "${TOKEN[$run]}" --max-examples "$MAX_EXAMPLES" --exclude-method POST \
                --exclude-method PUT --exclude-method PATCH --exclude-method DELETE ;;
        schrijven)
            fuzz schrijven "${TOKEN[aanbieder]}" --max-examples "$WRITE_EXAMPLES" "${WRITES[@]}" \
                --include-path-regex '^/api/v1/productie-aanleveringen' ;;
        inrichting)
            fuzz inrichting "${TOKEN[regionaal]}" --max-examples "$WRITE_EXAMPLES" "${WRITES[@]}" \
                --include-path-regex "$CONFIGURATION" ;;
        *) echo "unknown run: $run"; exit 2 ;;
    esac
done

step "done"
stop_server
if ((${#RUN_FAILURES[@]})); then
    echo "failed runs: ${RUN_FAILURES[*]}"
    if grep -qE 'Traceback|ERROR' "$TMP/server.log"; then
        echo "---- server log (errors) ----"
        # without gunicorn's INFO lines and Django's one-line warnings about 4xx responses
        grep -vE '^\[.*\] \[[0-9]+\] \[INFO\]|^[A-Z][A-Za-z ]+: /' "$TMP/server.log" |
            tail -n 200
        echo "----"
    fi
fi
echo "5xx responses in the access log: $(grep -cE '" 5[0-9][0-9] ' "$TMP/access.log" || true)"
[[ ${API_FUZZ_KEEP:-0} != 1 ]] || echo "kept: $TMP (database, server and access log, JUnit reports)"
echo "schemathesis: $PASSED passed, $FAILED failed"
((${#RUN_FAILURES[@]} == 0))
