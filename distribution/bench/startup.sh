#!/usr/bin/env bash
# Start-up benchmark of the Tether runtime. Prints figures, asserts nothing.
#
# For each way of starting (the launcher script target/tether, and the bare `java -jar target/tether.jar`):
# one warm-up start in a fresh working directory (fills the bundle cache and, for the script, writes the class-data
# archive), then RUNS starts that keep that state, each on a fresh port. Measured per start: the time from launch to
# the first HTTP 200 of GET /connections, the process RSS (VmRSS) about IDLE seconds later, and the time SIGTERM
# takes to stop it. Medians at the end.
#
# Usage: distribution/bench/startup.sh [--any-status]
#   --any-status  count the first HTTP answer of any status as ready (for a runtime without the REST resources)
# Environment: RUNS [5], IDLE [2] seconds, JAVA_HOME, TIMEOUT [60] seconds per start.
# To see where a start spends its time: `JAVA_OPTS=-Dtether.trace.startup=true distribution/target/tether` prints
# (stderr, "tether-trace <ms since JVM start> ...") when each bundle starts and each service registers.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
TARGET="$HERE/../target"
RUNS=${RUNS:-5}
IDLE=${IDLE:-2}
TIMEOUT=${TIMEOUT:-60}
WANT=200
[ "${1:-}" = "--any-status" ] && WANT=any
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

[ -f "$TARGET/tether.jar" ] && [ -x "$TARGET/tether" ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tether-bench.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# start MODE DIR PORT: launches in the background, sets PID
start() {
    local mode=$1 dir=$2 port=$3
    mkdir -p "$dir"
    cd "$dir"
    if [ "$mode" = script ]; then
        TETHER_PORT=$port TETHER_CDS_DIR="$dir/../cds" "$TARGET/tether" >>"$dir/out.log" 2>&1 &
    else
        "$JAVA" -Dorg.osgi.service.http.port="$port" -jar "$TARGET/tether.jar" >>"$dir/out.log" 2>&1 &
    fi
    PID=$!
    cd - >/dev/null
}

# wait_ready PORT T0: prints ms from T0 to readiness, or "timeout"
wait_ready() {
    local port=$1 t0=$2 code deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/connections" || true)
        if [ "$code" = 200 ] || { [ "$WANT" = any ] && [ "$code" != 000 ]; }; then
            echo $(( $(now_ms) - t0 ))
            return
        fi
        kill -0 "$PID" 2>/dev/null || { echo "died"; return; }
        sleep 0.02
    done
    echo timeout
}

rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$PID/status" 2>/dev/null || echo -; }

# stop: SIGTERM, prints ms until the process is gone
stop() {
    local t0; t0=$(now_ms)
    kill -TERM "$PID" 2>/dev/null || true
    while kill -0 "$PID" 2>/dev/null; do sleep 0.02; done
    wait "$PID" 2>/dev/null || true
    PID=
    echo $(( $(now_ms) - t0 ))
}

bench() {
    local mode=$1 label=$2 dir="$WORK/$1/run" ready rss stopped i port t0
    local readies=() rsses=() stops=()
    port=$(free_port); t0=$(now_ms); start "$mode" "$dir" "$port"
    ready=$(wait_ready "$port" "$t0"); sleep "$IDLE"; rss=$(rss_mib); stopped=$(stop)
    printf '%-22s warm-up  ready %6s ms  rss %4s MiB  stop %5s ms  (fresh working directory)\n' "$label" "$ready" "$rss" "$stopped"
    for i in $(seq 1 "$RUNS"); do
        port=$(free_port); t0=$(now_ms); start "$mode" "$dir" "$port"
        ready=$(wait_ready "$port" "$t0"); sleep "$IDLE"; rss=$(rss_mib); stopped=$(stop)
        printf '%-22s start %d  ready %6s ms  rss %4s MiB  stop %5s ms\n' "$label" "$i" "$ready" "$rss" "$stopped"
        readies+=("$ready"); rsses+=("$rss"); stops+=("$stopped")
    done
    printf '%-22s MEDIAN   ready %6s ms  rss %4s MiB  stop %5s ms\n' "$label" \
        "$(printf '%s\n' "${readies[@]}" | grep -E '^[0-9]+$' | median)" \
        "$(printf '%s\n' "${rsses[@]}" | grep -E '^[0-9]+$' | median)" \
        "$(printf '%s\n' "${stops[@]}" | grep -E '^[0-9]+$' | median)"
}

echo "java: $("$JAVA" -version 2>&1 | head -1); cores: $(nproc); ready = first HTTP $WANT of GET /connections"
bench script "target/tether"
bench jar "java -jar tether.jar"
