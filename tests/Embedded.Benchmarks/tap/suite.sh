#!/usr/bin/env bash
# suite.sh: measure one device under test (DUT) per /work/shared/TARGET_CONTRACT.md.
#
#   suite.sh --dut "CMD ARGS..." [--name NAME]     DUT on a TAP (tap0) in a fresh namespace
#   suite.sh --linux [--name linux]                 the kernel behind a veth pair (linux-dut.py)
#
# Options:
#   --window BYTES   clamp the TCP window advertised by the client side (and by the Linux
#                    DUT) with a route `window`, and fix advmss 1460 (default 65535, lwIP's
#                    TCP_WND; 0 = kernel defaults)
#   --offload on|off veth TSO/GSO/GRO for --linux (default off: 1500-byte frames, as on a TAP)
#   --duration S     wrk and new-connection run length (default 5)
#   --tsv FILE       also append "name<TAB>measure<TAB>value<TAB>notes" lines to FILE
#   --ready-timeout S  how long to wait for the DUT's "ready" line (default 30)
#   --keep-logs      keep the per-measure DUT logs (printed path)
#
# The script appends the contract arguments to the DUT command:
#   --tap tap0 --ip 192.0.2.2/24 --gateway 192.0.2.1 --mac 02:00:00:00:00:02
# Each measure runs on a freshly started DUT; a DUT that fails to start, crashes or does not
# answer gives "n/a" for that row and the suite moves on. Every step is time-bounded, and the
# namespaces and processes are removed on exit (trap). Prints one Markdown row per measure.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# the interpreter itself, not a version-manager shim (a pyenv shim costs seconds under load)
PY=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
CLIENT="$PY $HERE/bench_client.py"
DUT_IP=192.0.2.2
HOST_IP=192.0.2.1
# extra client addresses for the new-connection runs: 5 x 55,001 fresh (address, port) tuples
EXTRA_HOST_IPS="192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.14"
DUT_MAC=02:00:00:00:00:02

DUT_CMD=""
NAME=""
MODE=tap
WINDOW=65535
OFFLOAD=off
DURATION=5
TSV=""
READY_TIMEOUT=30
KEEP_LOGS=0

while [ $# -gt 0 ]; do
    case "$1" in
        --dut) DUT_CMD=$2; shift 2 ;;
        --name) NAME=$2; shift 2 ;;
        --linux) MODE=linux; shift ;;
        --window) WINDOW=$2; shift 2 ;;
        --offload) OFFLOAD=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --tsv) TSV=$2; shift 2 ;;
        --ready-timeout) READY_TIMEOUT=$2; shift 2 ;;
        --keep-logs) KEEP_LOGS=1; shift ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "suite.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ "$MODE" = linux ]; then
    [ -n "$DUT_CMD" ] || DUT_CMD="$PY $HERE/linux-dut.py"
    [ -n "$NAME" ] || NAME=linux
fi
if [ -z "$DUT_CMD" ]; then
    echo "suite.sh: --dut CMD or --linux required" >&2
    exit 2
fi
[ -n "$NAME" ] || NAME=$(basename "${DUT_CMD%% *}")
read -ra DUT_ARGV <<< "$DUT_CMD"

[ "$(id -u)" = 0 ] || { echo "suite.sh: needs root (network namespaces, TAP)" >&2; exit 2; }
for tool in ip ping curl wrk python3 timeout; do
    command -v "$tool" > /dev/null || { echo "suite.sh: missing $tool" >&2; exit 2; }
done

NS_H=ebench-h-$$            # client side: tap0 or veth0 at 192.0.2.1
NS_D=ebench-d-$$            # --linux only: veth1 at 192.0.2.2
LOGDIR=$(mktemp -d /tmp/ebench-logs.XXXXXX)
DUT_PID=""
DUT_EXIT=""
STARTS=0
CLEAN_EXITS=0

cleanup() {
    stop_dut
    ip netns del "$NS_H" 2> /dev/null
    [ "$MODE" = linux ] && ip netns del "$NS_D" 2> /dev/null
    if [ "$KEEP_LOGS" = 1 ]; then
        echo "suite.sh: DUT logs in $LOGDIR" >&2
    else
        rm -rf "$LOGDIR"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inh() { ip netns exec "$NS_H" "$@"; }      # run in the client namespace

# ------------------------------------------------------------------ network set-up

route_opts() {
    if [ "$WINDOW" != 0 ]; then echo "window $WINDOW advmss 1460"; fi
}

setup_tap() {
    ip netns add "$NS_H" || exit 1
    inh ip link set lo up
    inh ip tuntap add dev tap0 mode tap || exit 1
    inh ip addr add $HOST_IP/24 dev tap0
    for a in $EXTRA_HOST_IPS; do inh ip addr add "$a/24" dev tap0; done
    inh ip link set tap0 up
    # shellcheck disable=SC2046
    inh ip route replace 192.0.2.0/24 dev tap0 proto kernel scope link src $HOST_IP $(route_opts)
    DUT_NS=$NS_H
    DUT_IF=tap0
}

setup_linux() {
    ip netns add "$NS_H" || exit 1
    ip netns add "$NS_D" || exit 1
    inh ip link set lo up
    ip -n "$NS_D" link set lo up
    ip -n "$NS_H" link add veth0 type veth peer name veth1 netns "$NS_D" || exit 1
    ip -n "$NS_H" addr add $HOST_IP/24 dev veth0
    for a in $EXTRA_HOST_IPS; do ip -n "$NS_H" addr add "$a/24" dev veth0; done
    ip -n "$NS_D" link set veth1 address $DUT_MAC
    ip -n "$NS_D" addr add $DUT_IP/24 dev veth1
    ip -n "$NS_H" link set veth0 up
    ip -n "$NS_D" link set veth1 up
    # shellcheck disable=SC2046
    ip -n "$NS_H" route replace 192.0.2.0/24 dev veth0 proto kernel scope link src $HOST_IP $(route_opts)
    # shellcheck disable=SC2046
    ip -n "$NS_D" route replace 192.0.2.0/24 dev veth1 proto kernel scope link src $DUT_IP $(route_opts)
    ip -n "$NS_D" route add default via $HOST_IP
    if [ "$OFFLOAD" = off ]; then
        if command -v ethtool > /dev/null; then
            inh ethtool -K veth0 tso off gso off gro off > /dev/null 2>&1
            ip netns exec "$NS_D" ethtool -K veth1 tso off gso off gro off > /dev/null 2>&1
        else
            echo "suite.sh: ethtool missing, veth offloads left on" >&2
            OFFLOAD=on
        fi
    fi
    DUT_NS=$NS_D
    DUT_IF=veth1
}

# ------------------------------------------------------------------ the DUT process

start_dut() {   # $1: log tag. Returns 0 once the DUT printed "ready".
    local log=$LOGDIR/dut.$1.log
    DUT_LOG=$log
    STARTS=$((STARTS + 1))
    ip netns exec "$DUT_NS" "${DUT_ARGV[@]}" --tap "$DUT_IF" --ip $DUT_IP/24 --gateway $HOST_IP \
        --mac $DUT_MAC > "$log" 2>&1 < /dev/null &
    DUT_PID=$!
    local i t0=$EPOCHREALTIME
    for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
        if grep -q ready "$log" 2> /dev/null; then
            echo "suite.sh: $NAME: ready after $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
            [ -n "${DUT_BANNER:-}" ] || DUT_BANNER=$(grep -m1 ready "$log")
            # resolve ARP before measuring (bounded; failure is left to the measure)
            inh timeout 5 ping -n -c 1 -W 1 $DUT_IP > /dev/null 2>&1 ||
                inh timeout 5 ping -n -c 1 -W 2 $DUT_IP > /dev/null 2>&1
            return 0
        fi
        kill -0 "$DUT_PID" 2> /dev/null || return 1
        sleep 0.1
    done
    return 1
}

stop_dut() {    # SIGTERM, wait up to 5 s, then SIGKILL. Sets DUT_EXIT.
    [ -n "$DUT_PID" ] || return 0
    local i
    if kill -0 "$DUT_PID" 2> /dev/null; then
        kill -TERM "$DUT_PID" 2> /dev/null
        for ((i = 0; i < 50; i++)); do
            kill -0 "$DUT_PID" 2> /dev/null || break
            sleep 0.1
        done
        if kill -0 "$DUT_PID" 2> /dev/null; then
            kill -KILL "$DUT_PID" 2> /dev/null
            wait "$DUT_PID" 2> /dev/null
            DUT_EXIT="killed (no exit 5 s after SIGTERM)"
            DUT_PID=""
            return 0
        fi
        wait "$DUT_PID" 2> /dev/null
        DUT_EXIT=$?
        [ "$DUT_EXIT" = 0 ] && CLEAN_EXITS=$((CLEAN_EXITS + 1))
    else
        wait "$DUT_PID" 2> /dev/null
        DUT_EXIT="crashed (exit $?)"
    fi
    DUT_PID=""
}

# ------------------------------------------------------------------ output

row() {         # measure value notes
    local notes=$3
    printf '| %s | %s | %s | %s |\n' "$NAME" "$1" "$2" "$notes"
    [ -z "$TSV" ] || printf '%s\t%s\t%s\t%s\n' "$NAME" "$1" "$2" "$notes" >> "$TSV"
}

# run_measure TITLE FUNCTION: fresh DUT, run FUNCTION (prints "value<TAB>notes"), row.
run_measure() {
    local title=$1 fn=$2 tag=$3 out rc value notes t0=$SECONDS
    if ! start_dut "$tag"; then
        local why="DUT did not print ready within ${READY_TIMEOUT} s"
        kill -0 "$DUT_PID" 2> /dev/null || why="DUT exited before ready: $(tail -n 1 "$DUT_LOG" | tr -d '|\t' | cut -c1-80)"
        stop_dut
        row "$title" "n/a" "$why"
        return
    fi
    out=$($fn 2>&1)
    rc=$?
    out=$(tail -n 1 <<< "$out")
    local alive=1
    kill -0 "$DUT_PID" 2> /dev/null || alive=0
    stop_dut
    value=${out%%$'\t'*}
    notes=""
    [[ "$out" == *$'\t'* ]] && notes=${out#*$'\t'}
    if [ -z "$value" ]; then value="n/a"; notes="no output"; fi
    [ "$alive" = 1 ] || notes="${notes:+$notes; }DUT $DUT_EXIT during the run"
    [ "$rc" = 0 ] || [ "$value" = "n/a" ] || { notes="$value ${notes}"; value="n/a"; }
    row "$title" "$value" "$(echo "$notes" | tr -d '|' | cut -c1-200)"
    echo "suite.sh: $NAME: $tag took $((SECONDS - t0)) s" >&2
}

# ------------------------------------------------------------------ measures
# Each prints "VALUE<TAB>NOTES" as its last line and returns non-zero on failure.

m_ping() {
    inh timeout 30 ping -n -c 200 -i 0.01 -W 1 $DUT_IP | $CLIENT pingstats --min-replies 100
}

m_ping_1472() {
    local out n
    out=$(inh timeout 15 ping -n -c 5 -i 0.05 -W 1 -s 1472 -M do $DUT_IP 2>&1)
    n=$(grep -c 'bytes from' <<< "$out")
    if [ "$n" = 5 ]; then printf 'ok\t5/5 replies, 1500-byte IP packets\n'; return 0; fi
    printf 'n/a\t%s/5 replies\n' "$n"
    return 1
}

m_udpecho()  { inh timeout 20 $CLIENT udpecho; }
m_http()     { inh timeout 30 $CLIENT httpcheck; }

m_download() {
    local out code size speed
    out=$(inh timeout 70 curl -sS -o /dev/null --connect-timeout 5 --max-time 60 \
        -w '%{http_code} %{size_download} %{speed_download}' http://$DUT_IP/bytes/200000000 2>&1)
    read -r code size speed <<< "${out##*$'\n'}"
    if [ "$code" = 200 ] && [ "$size" = 200000000 ]; then
        awk -v s="$speed" 'BEGIN { printf "%.1f MB/s\t200000000 B\n", s / 1e6 }'
        return 0
    fi
    printf 'n/a\tcurl: %s\n' "$(echo "$out" | tr '\n' ' ' | cut -c1-120)"
    return 1
}

m_upload()   { inh timeout 70 $CLIENT upload --size 200000000 --timeout 60; }

wrk_run() {     # $1 connections
    local out rps non2xx errs
    out=$(inh timeout $((DURATION + 20)) wrk -t1 -c"$1" -d"${DURATION}s" --timeout 2s http://$DUT_IP/ 2>&1)
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$out")
    non2xx=$(awk '/Non-2xx/ { print $NF }' <<< "$out")
    errs=$(grep -m1 'Socket errors' <<< "$out" | sed 's/^ *//')
    local total
    total=$(grep -m1 'requests in' <<< "$out" | sed 's/^ *//')
    if [ -n "$rps" ] && awk -v r="$rps" 'BEGIN { exit !(r > 0) }' && [ -z "$non2xx" ]; then
        awk -v r="$rps" -v t="$total" -v e="$errs" 'BEGIN { printf "%.0f /s\t%s%s\n", r, t, (e ? "; " e : "") }'
        return 0
    fi
    printf 'n/a\twrk: %s %s %s\n' "${total:-no requests}" "${non2xx:+non-2xx $non2xx}" "$errs"
    return 1
}
m_wrk1()  { wrk_run 1; }
m_wrk16() { wrk_run 16; }

SOURCES=$(echo $HOST_IP $EXTRA_HOST_IPS | tr ' ' ,)
m_newconn1()  { inh timeout $((DURATION + 20)) $CLIENT newconn -c 1 -d "$DURATION" --sources "$SOURCES"; }
m_newconn16() { inh timeout $((DURATION + 20)) $CLIENT newconn -c 16 -d "$DURATION" --sources "$SOURCES"; }

m_echo()     { inh timeout 70 $CLIENT echo --size $((20 * 1024 * 1024)) --timeout 60; }

# ------------------------------------------------------------------ main

if [ "$MODE" = linux ]; then setup_linux; else setup_tap; fi

WIN_NOTE="client window ${WINDOW} B, advmss 1460"
[ "$WINDOW" = 0 ] && WIN_NOTE="kernel default windows"
echo "<!-- $NAME: ${DUT_CMD}; $(date -u +%FT%TZ); $WIN_NOTE$([ "$MODE" = linux ] && echo "; veth offloads $OFFLOAD") -->"

run_measure "ping RTT p50 / p99 (200 × 56 B, -i 0.01)" m_ping ping
run_measure "ping 1472 B payload (-M do)" m_ping_1472 ping1472
run_measure "UDP 7 echo 0/1/64/1472 B" m_udpecho udp
run_measure "HTTP checks" m_http http
run_measure "download curl /bytes/200000000" m_download download
run_measure "upload 200 MB to discard :9" m_upload upload
run_measure "keep-alive GET / wrk -t1 -c1" m_wrk1 wrk1
run_measure "keep-alive GET / wrk -t1 -c16" m_wrk16 wrk16
run_measure "new connection per request, 1 at a time" m_newconn1 newconn1
run_measure "new connection per request, 16 at a time" m_newconn16 newconn16
run_measure "TCP 7 echo 20 MiB, SHA-256 checked" m_echo echo
row "exit 0 on SIGTERM" "$CLEAN_EXITS/$STARTS" "${DUT_BANNER:-no ready line}"
