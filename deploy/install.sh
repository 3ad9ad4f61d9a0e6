#!/usr/bin/env bash
# Installs or updates the device program on a Raspberry Pi (deploy/README.md). Run it as root from
# the published folder (scripts/publish-arm64 output, copied to the Pi):
#
#   sudo ./deploy/install.sh            # first install: /opt/embedded, the unit, /etc/embedded/embedded.env
#   sudo ./deploy/install.sh            # again with a newer folder: the update (keeps embedded.env)
#   sudo ./deploy/install.sh --no-start # install or update, but leave the service stopped
#
# The previous version stays in /opt/embedded.previous, so an update can be rolled back with
#   sudo systemctl stop embedded && sudo rm -rf /opt/embedded && sudo mv /opt/embedded.previous /opt/embedded && sudo systemctl start embedded
set -euo pipefail

# Overridable for tests and unusual layouts; the defaults are what embedded.service expects.
prefix="${EMBEDDED_PREFIX:-/opt/embedded}"
etc="${EMBEDDED_ETC:-/etc/embedded}"
unit_dir="${EMBEDDED_UNIT_DIR:-/etc/systemd/system}"
systemctl="${EMBEDDED_SYSTEMCTL:-systemctl}"

start=yes
for arg in "$@"; do
    case "$arg" in
        --no-start) start=no ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

source_dir="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$source_dir/Embedded.Device" ]; then
    echo "install.sh: no Embedded.Device beside deploy/ in $source_dir: run it from the folder scripts/publish-arm64 made" >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ] && [ -z "${EMBEDDED_PREFIX:-}" ]; then
    echo "install.sh: needs root (it writes $prefix, $etc and $unit_dir): sudo $0" >&2
    exit 2
fi
if [ "$source_dir" = "$(cd "$prefix" 2>/dev/null && pwd)" ]; then
    echo "install.sh: $source_dir is already the installed copy: run the script from the new published folder" >&2
    exit 2
fi

updating=no
if [ -d "$prefix" ]; then updating=yes; fi
if [ "$updating" = yes ] && "$systemctl" is-active --quiet embedded 2>/dev/null; then
    echo "== stopping embedded (update)"
    "$systemctl" stop embedded
fi

echo "== installing the program into $prefix"
staging="$prefix.new"
rm -rf "$staging"
mkdir -p "$staging"
cp -a "$source_dir"/. "$staging"/
chmod 0755 "$staging/Embedded.Device"
if [ "$updating" = yes ]; then
    rm -rf "$prefix.previous"
    mv "$prefix" "$prefix.previous"
fi
mv "$staging" "$prefix"

echo "== installing the unit into $unit_dir"
mkdir -p "$unit_dir"
install -m 0644 "$source_dir/deploy/embedded.service" "$unit_dir/embedded.service"

mkdir -p "$etc"
if [ -f "$etc/embedded.env" ]; then
    echo "== keeping $etc/embedded.env"
else
    install -m 0644 "$source_dir/deploy/embedded.env.example" "$etc/embedded.env"
    echo "== wrote $etc/embedded.env from the example: check EMBEDDED_BOARD, EMBEDDED_NETWORK and the MAC in EMBEDDED_ARGS"
fi

"$systemctl" daemon-reload
"$systemctl" enable embedded
if [ "$start" = yes ]; then
    "$systemctl" restart embedded
    echo "== started: journalctl -u embedded -f   (the 'ready:' line gives the address)"
else
    echo "== installed, not started: sudo systemctl start embedded"
fi
