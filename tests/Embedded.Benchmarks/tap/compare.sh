#!/usr/bin/env bash
# compare.sh: run suite.sh against several devices under test and print one side-by-side
# Markdown table (measure x DUT), followed by every DUT's rows with their notes.
#
#   compare.sh [--duts lwip,linux,embedded] [--device-cmd "CMD"] [--window BYTES]
#              [--offload on|off] [--duration S] [--runs N] [--out FILE] [--wait-idle S]
#
#   lwip      tests/Embedded.Benchmarks/lwip/lwip-dut (built with make when missing or stale)
#   linux     the kernel behind a veth pair, serving with linux-dut.py
#   embedded  our device program: dotnet src/Embedded.Device/bin/Release/net10.0/Embedded.Device.dll
#             (default list: lwip,linux, plus embedded when that DLL exists)
#   --runs N       run each DUT's suite N times (interleaved); the table shows the median,
#                  the details every run (default 1)
#   --wait-idle S  before each suite, wait up to S seconds for the 1-minute load average to
#                  drop below 1.5 (other work on a 2-core machine skews every figure)
#   --out FILE     also write the report to FILE
# Window/offload/duration options are passed to suite.sh (see there).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
LWIP_DIR=$REPO/tests/Embedded.Benchmarks/lwip
DEVICE_DLL=$REPO/src/Embedded.Device/bin/Release/net10.0/Embedded.Device.dll
DEVICE_CMD="dotnet $DEVICE_DLL"
DUTS=""
OUT=""
RUNS=1
WAIT_IDLE=0
SUITE_OPTS=()

while [ $# -gt 0 ]; do
    case "$1" in
        --duts) DUTS=$2; shift 2 ;;
        --device-cmd) DEVICE_CMD=$2; shift 2 ;;
        --window|--offload|--duration) SUITE_OPTS+=("$1" "$2"); shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --wait-idle) WAIT_IDLE=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$DUTS" ]; then
    DUTS=lwip,linux
    [ -f "$DEVICE_DLL" ] && DUTS=$DUTS,embedded
fi

TMP=$(mktemp -d /tmp/ebench-compare.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TSV=$TMP/rows.tsv
: > "$TSV"

if [[ ",$DUTS," == *,lwip,* ]]; then
    if ! make -s -C "$LWIP_DIR" lwip-dut >&2; then
        echo "compare.sh: building lwip-dut failed (apt-get install -y liblwip-dev)" >&2
    fi
fi

wait_idle() {
    local i load
    for ((i = 0; i < WAIT_IDLE; i += 5)); do
        load=$(cut -d' ' -f1 /proc/loadavg)
        awk -v l="$load" 'BEGIN { exit !(l < 1.5) }' && return
        [ "$i" = 0 ] && echo "compare.sh: waiting up to ${WAIT_IDLE} s for load $load to drop" >&2
        sleep 5
    done
}

LOADS=""
for ((run = 1; run <= RUNS; run++)); do
    IFS=, read -ra list <<< "$DUTS"
    for dut in "${list[@]}"; do
        [ "$WAIT_IDLE" = 0 ] || wait_idle
        LOADS="$LOADS $dut:$(cut -d' ' -f1 /proc/loadavg)"
        echo "compare.sh: run $run/$RUNS: $dut (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
        case "$dut" in
            lwip) "$HERE/suite.sh" --name lwip --dut "$LWIP_DIR/lwip-dut" --tsv "$TSV" "${SUITE_OPTS[@]}" ;;
            linux) "$HERE/suite.sh" --name linux --linux --tsv "$TSV" "${SUITE_OPTS[@]}" ;;
            embedded) "$HERE/suite.sh" --name embedded --dut "$DEVICE_CMD" --tsv "$TSV" "${SUITE_OPTS[@]}" ;;
            *) "$HERE/suite.sh" --name "$dut" --dut "$dut" --tsv "$TSV" "${SUITE_OPTS[@]}" ;;
        esac > "$TMP/$dut.$run.md" 2> "$TMP/$dut.$run.err"
        cat "$TMP/$dut.$run.md" >&2
    done
done

report() {
    echo "Date: $(date -u '+%F %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r)"
    echo "1-min load average when each suite started:$LOADS"
    echo "Suite options: ${SUITE_OPTS[*]:-(defaults: client window 65535 B, advmss 1460, veth offloads off, 5 s runs)}"
    echo
    python3 - "$TSV" "$DUTS" <<'EOF'
import re, statistics, sys
NUM = re.compile(r"[0-9]+(?:\.[0-9]+)?")
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
duts = sys.argv[2].split(",")
measures, values, notes = [], {}, {}
for name, measure, value, note in (r + [""] * (4 - len(r)) for r in rows):
    if measure not in measures:
        measures.append(measure)
    values.setdefault((measure, name), []).append(value)
    notes.setdefault((measure, name), []).append(note)

def summary(vals):
    """One cell: a single value, or the (lower) median of each number across the runs that
    share one shape, e.g. "0.10 / 0.96 ms"; runs without a figure are counted."""
    if not vals:
        return "-"
    good = [v for v in vals if v != "n/a"]
    missing = len(vals) - len(good)
    if not good:
        return "n/a"
    shapes = {NUM.sub("\0", v) for v in good}
    if len(set(good)) == 1:
        cell = good[0]
    elif len(shapes) == 1:
        shape = shapes.pop()
        cols = list(zip(*[[float(x) for x in NUM.findall(v)] for v in good]))
        texts = list(zip(*[NUM.findall(v) for v in good]))
        med = []
        for col, text in zip(cols, texts):
            m = statistics.median_low(col)
            med.append(text[col.index(m)])
        it = iter(med)
        cell = re.sub("\0", lambda _: next(it), shape)
    else:
        cell = " · ".join(good)
    if missing:
        cell += f" ({missing} of {len(vals)} runs n/a)"
    return cell

runs = max((len(v) for v in values.values()), default=1)
if runs > 1:
    print(f"Median of {runs} runs per DUT (lower median per figure); every run is in the notes below.\n")
print("| measure | " + " | ".join(duts) + " |")
print("|---|" + "---|" * len(duts))
for m in measures:
    print(f"| {m} | " + " | ".join(summary(values.get((m, d), [])) for d in duts) + " |")
print()
print("<details><summary>every run, with notes</summary>\n")
print("| DUT | measure | value | notes |")
print("|---|---|---|---|")
for d in duts:
    for m in measures:
        for v, n in zip(values.get((m, d), []), notes.get((m, d), [])):
            print(f"| {d} | {m} | {v} | {n} |")
print("\n</details>")
EOF
}

report | tee ${OUT:+"$OUT"}
