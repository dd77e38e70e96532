#!/usr/bin/env bash
# Start-up benchmark of the Tether runtime beside Node-RED 4. Prints figures, asserts nothing.
#
# Ways of starting (MODES): script = the launcher script target/tether, jar = the bare `java -jar target/tether.jar`,
# baseline = the launcher script of another build (BASELINE: a folder holding its tether and tether.jar; e.g. a copy
# of target/ from before a change, to measure the change against it in the same run),
# nodered = Node-RED 4 (`node red.js`), skipped when it is not installed in NODE_RED_DIR (install it outside the
# project: `mkdir -p /tmp/nodered && cd /tmp/nodered && npm install node-red@4`),
# floor-http and floor-jaxrs = what Tether starts on, without any of its bundles, through the same launcher script
# (bench/floor-*.bndrun; built by `mvn -pl distribution package -Pstartup-floors`, skipped when not built):
# floor-http is the framework with SCR, Config Admin, FileInstall, SPI Fly, slf4j and the HTTP server, ready at the
# server's first answer (a 404); floor-jaxrs adds the JAX-RS whiteboard, ready when the whiteboard answers (its 404,
# "No service was found"). A start of Tether cannot be sooner than these.
# Each mode gets one warm-up start in a fresh working directory (fills Tether's bundle cache and, for the script,
# writes the class-data archive at exit), then RUNS starts; the modes take turns start by start, so that a machine
# whose load changes during the run slows them alike. Tether's starts keep their state, each on a fresh port;
# Node-RED's each get a fresh userDir (settings.js binding 127.0.0.1 and the port, nothing else).
# Measured per start: the time from launch to ready — the first HTTP 200 of GET /connections for Tether, of its admin
# API GET /settings for Node-RED — the process RSS (VmRSS) about IDLE seconds later, and the time SIGTERM takes to
# stop it. Medians at the end, and the ratios of Tether's to Node-RED's. Only those same-run ratios compare across
# machines (or across load on one machine); absolute times do not.
#
# Usage: distribution/bench/startup.sh [--any-status]
#   --any-status  count the first HTTP answer of any status as ready (for a runtime without the REST resources)
# Environment: RUNS [5], IDLE [2] seconds, TIMEOUT [60] seconds per start, MODES ["script nodered jar"],
#   TARGET [distribution/target], BASELINE (folder with tether + tether.jar), NODE_RED_DIR [/tmp/nodered] (holds node_modules/node-red), NODE [node], JAVA_HOME.
# To see where a start spends its time: `JAVA_OPTS=-Dtether.trace.startup=true distribution/target/tether` prints
# (stderr, "tether-trace <ms since JVM start> ...") when each bundle starts and each service registers.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
TARGET=${TARGET:-$HERE/../target}
RUNS=${RUNS:-5}
IDLE=${IDLE:-2}
TIMEOUT=${TIMEOUT:-60}
MODES=${MODES:-script nodered jar}
NODE_RED_DIR=${NODE_RED_DIR:-/tmp/nodered}
NODE=${NODE:-node}
NODE_RED_JS="$NODE_RED_DIR/node_modules/node-red/red.js"
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
    elif [ "$mode" = floor-http ] || [ "$mode" = floor-jaxrs ]; then
        # the launcher script runs the tether.jar beside it: a folder of its own for the floor's jar
        if [ ! -f "$WORK/$mode/dist/tether.jar" ]; then
            mkdir -p "$WORK/$mode/dist"
            cp "$TARGET/tether" "$WORK/$mode/dist/tether"
            cp "$TARGET/$mode.jar" "$WORK/$mode/dist/tether.jar"
        fi
        TETHER_PORT=$port TETHER_CDS_DIR="$dir/../cds" "$WORK/$mode/dist/tether" >>"$dir/out.log" 2>&1 &
    elif [ "$mode" = baseline ]; then
        TETHER_PORT=$port TETHER_CDS_DIR="$dir/../cds" "$BASELINE/tether" >>"$dir/out.log" 2>&1 &
    elif [ "$mode" = nodered ]; then
        rm -rf "$dir/userdir"; mkdir -p "$dir/userdir"
        printf 'module.exports = { uiHost: "127.0.0.1", uiPort: %s, flowFile: "flows.json" };\n' "$port" \
            >"$dir/userdir/settings.js"
        "$NODE" "$NODE_RED_JS" --userDir "$dir/userdir" --settings "$dir/userdir/settings.js" >>"$dir/out.log" 2>&1 &
    else
        "$JAVA" -Dorg.osgi.service.http.port="$port" -jar "$TARGET/tether.jar" >>"$dir/out.log" 2>&1 &
    fi
    PID=$!
    cd - >/dev/null
}

# wait_ready MODE PORT T0: prints ms from T0 to readiness, or "timeout"
wait_ready() {
    local mode=$1 port=$2 t0=$3 code path=/connections deadline=$(( $(now_ms) + TIMEOUT * 1000 ))
    [ "$mode" = nodered ] && path=/settings
    while [ "$(now_ms)" -lt "$deadline" ]; do
        if [ "$mode" = floor-jaxrs ]; then
            code=000
            curl -s -m 1 "http://127.0.0.1:$port$path" 2>/dev/null | grep -q 'No service was found' && code=200
        else
            code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port$path" || true)
            [ "$mode" = floor-http ] && [ "$code" != 000 ] && code=200
        fi
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

label_of() {
    case $1 in
        script) echo "target/tether" ;; baseline) echo "baseline/tether" ;; jar) echo "java -jar tether.jar" ;;
        nodered) echo "Node-RED 4" ;; floor-http) echo "floor: HTTP server" ;; floor-jaxrs) echo "floor: + JAX-RS" ;;
    esac
}

# one MODE RESULTS_FILE WHAT: one start of MODE; appends "ready rss stop" to RESULTS_FILE and prints a line
one() {
    local mode=$1 results=$2 what=$3 dir="$WORK/$1/run" port t0 ready rss stopped
    port=$(free_port); t0=$(now_ms); start "$mode" "$dir" "$port"
    ready=$(wait_ready "$mode" "$port" "$t0"); sleep "$IDLE"; rss=$(rss_mib); stopped=$(stop)
    printf '%-22s %-8s ready %6s ms  rss %4s MiB  stop %5s ms\n' "$(label_of "$mode")" "$what" "$ready" "$rss" "$stopped"
    [ -n "$results" ] && echo "$ready $rss $stopped" >>"$results"
    return 0
}

# column RESULTS_FILE N: the median of column N over the numeric values
column() { awk -v n="$2" '{print $n}' "$1" | grep -E '^[0-9]+$' | median; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/ && b > 0) printf "%.2f", a / b; else print "-" }'; }

active=()
for mode in $MODES; do
    if [ "$mode" = baseline ] && [ ! -x "${BASELINE:-}/tether" ]; then
        echo "baseline skipped: set BASELINE to a folder holding a built tether and tether.jar"
        continue
    fi
    if { [ "$mode" = floor-http ] || [ "$mode" = floor-jaxrs ]; } && [ ! -f "$TARGET/$mode.jar" ]; then
        echo "$mode skipped: no $TARGET/$mode.jar — mvn -pl distribution package -Pstartup-floors"
        continue
    fi
    if [ "$mode" = nodered ] && { [ ! -f "$NODE_RED_JS" ] || ! command -v "$NODE" >/dev/null; }; then
        echo "Node-RED skipped: no $NODE_RED_JS (or no $NODE) — mkdir -p $NODE_RED_DIR && cd $NODE_RED_DIR && npm install node-red@4"
        continue
    fi
    active+=("$mode")
done

echo "java: $("$JAVA" -version 2>&1 | head -1); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg); ready = first HTTP $WANT of GET /connections (Node-RED: 200 of GET /settings)"
[ -f "$NODE_RED_JS" ] && echo "node: $("$NODE" --version 2>/dev/null); node-red: $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$NODE_RED_DIR/node_modules/node-red/package.json" | head -1)"
for mode in "${active[@]}"; do one "$mode" "" "warm-up"; done
for i in $(seq 1 "$RUNS"); do
    for mode in "${active[@]}"; do one "$mode" "$WORK/$mode.results" "start $i"; done
done
for mode in "${active[@]}"; do
    printf '%-22s MEDIAN   ready %6s ms  rss %4s MiB  stop %5s ms\n' "$(label_of "$mode")" \
        "$(column "$WORK/$mode.results" 1)" "$(column "$WORK/$mode.results" 2)" "$(column "$WORK/$mode.results" 3)"
done
if [ -f "$WORK/nodered.results" ]; then
    for mode in "${active[@]}"; do
        [ "$mode" = nodered ] && continue
        printf '%-22s / Node-RED 4: ready %s, idle rss %s (below 1: Tether is faster / leaner)\n' "$(label_of "$mode")" \
            "$(ratio "$(column "$WORK/$mode.results" 1)" "$(column "$WORK/nodered.results" 1)")" \
            "$(ratio "$(column "$WORK/$mode.results" 2)" "$(column "$WORK/nodered.results" 2)")"
    done
fi
if [ -f "$WORK/baseline.results" ] && [ -f "$WORK/script.results" ]; then
    printf '%-22s / baseline: ready %s, idle rss %s\n' "$(label_of script)" \
        "$(ratio "$(column "$WORK/script.results" 1)" "$(column "$WORK/baseline.results" 1)")" \
        "$(ratio "$(column "$WORK/script.results" 2)" "$(column "$WORK/baseline.results" 2)")"
fi
