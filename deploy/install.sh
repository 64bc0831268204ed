#!/usr/bin/env bash
# Installs Gordon as a systemd service (run as root):
#   /opt/gordon            the published daemon and its bundled plugins (replaced on every install)
#   /etc/gordon            gordon.toml (shipped defaults, replaced), gordon-user.toml (yours, never overwritten),
#                          plugins/ (drop your own plugin folders here)
#   /var/lib/gordon        state: spool, dead letters, the SQLite event store
#   gordon                 a system user without a shell or home
#   /etc/systemd/system/gordon.service
#
# Usage: deploy/install.sh [--from DIR] [--root DIR] [--no-systemd] [--uninstall]
#   --from DIR     the published daemon (default: artifacts/gordon, made by `dotnet cake --target=Publish`)
#   --root DIR     install under DIR instead of / (packaging, tests); implies --no-systemd and no user creation
#   --no-systemd   do not run systemctl (containers, chroots)
#   --uninstall    remove the daemon, the unit and the user; keep /etc/gordon and /var/lib/gordon
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
from="$here/../artifacts/gordon"
root=""
systemd=1
uninstall=0
while (($#)); do
  case "$1" in
    --from) from="$2"; shift 2 ;;
    --root) root="$2"; systemd=0; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

opt="$root/opt/gordon"
etc="$root/etc/gordon"
state="$root/var/lib/gordon"
unit="$root/etc/systemd/system/gordon.service"

if [[ -z "$root" && $(id -u) -ne 0 ]]; then
  echo "install.sh: run as root (or give --root DIR)" >&2
  exit 1
fi

have_systemd() { ((systemd)) && command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; }

if ((uninstall)); then
  if have_systemd; then
    systemctl disable --now gordon.service 2>/dev/null || true
  fi
  rm -rf "$opt" "$unit"
  if have_systemd; then systemctl daemon-reload; fi
  if [[ -z "$root" ]] && id gordon >/dev/null 2>&1; then userdel gordon || true; fi
  echo "Gordon removed; configuration kept in $etc and state in $state."
  exit 0
fi

if [[ ! -x "$from/gordon" ]]; then
  echo "install.sh: no published daemon at $from (run: dotnet tool restore && dotnet cake --target=Publish)" >&2
  exit 1
fi

if [[ -z "$root" ]] && ! id gordon >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --home-dir /var/lib/gordon --shell /usr/sbin/nologin gordon
fi

# The daemon: replaced whole, so a removed bundled plugin does not linger.
rm -rf "$opt.new"
mkdir -p "$opt.new"
cp -a "$from/." "$opt.new/"
rm -f "$opt.new/gordon-user.toml"
rm -rf "$opt"
mv "$opt.new" "$opt"

# Configuration: defaults replaced, pointing at the installed layout; the operator's file is never touched.
mkdir -p "$etc/plugins"
sed -e 's|^plugin_dirs = \["plugins"\]|plugin_dirs = ["plugins", "/opt/gordon/plugins"]|' \
    -e 's|^state_dir = "state"|state_dir = "/var/lib/gordon"|' \
    "$from/gordon.toml" > "$etc/gordon.toml.new"
mv "$etc/gordon.toml.new" "$etc/gordon.toml"
if [[ ! -e "$etc/gordon-user.toml" ]]; then
  cp "$from/gordon-user.toml" "$etc/gordon-user.toml"
  echo "Wrote $etc/gordon-user.toml: edit it, then: systemctl reload gordon"
else
  echo "Kept your $etc/gordon-user.toml"
fi

mkdir -p "$state" "$(dirname "$unit")"
install -m 0644 "$here/gordon.service" "$unit"
if [[ -z "$root" ]]; then
  chown -R gordon:gordon "$state"
  chown root:gordon "$etc" "$etc/gordon.toml" "$etc/gordon-user.toml"
  chmod 0750 "$etc"
  chmod 0640 "$etc/gordon.toml" "$etc/gordon-user.toml"
fi

if have_systemd; then
  systemctl daemon-reload
  systemctl enable gordon.service
  systemctl restart gordon.service
  echo "Gordon installed and started: systemctl status gordon; journalctl -u gordon"
else
  echo "Gordon installed under ${root:-/}; start it with: systemctl enable --now gordon"
fi
