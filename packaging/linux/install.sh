#!/bin/sh
# Install this Baseline bundle for the current user: no admin rights, no network.
#   ./install.sh            copy to ~/.local/opt/baseline, add the menu entry and icon
#   ./install.sh --remove   take them away again (workspaces in your data folder stay)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=uk.gov.baseline.Baseline
data=${XDG_DATA_HOME:-$HOME/.local/share}
target=$HOME/.local/opt/baseline
if [ "${1:-}" = "--remove" ]; then
    rm -rf "$target" "$HOME/.local/bin/baseline" "$data/applications/$id.desktop" \
        "$data/metainfo/$id.metainfo.xml"
    for size in 16 24 32 48 64 128 256 512; do
        rm -f "$data/icons/hicolor/${size}x${size}/apps/$id.png"
    done
    echo "Baseline removed. Your workspaces and log are still in your data folder."
    exit 0
fi
if [ "$here" != "$target" ]; then
    rm -rf "$target"
    mkdir -p "$(dirname "$target")"
    cp -a "$here" "$target"
fi
mkdir -p "$HOME/.local/bin" "$data/applications" "$data/metainfo"
ln -sf "$target/baseline" "$HOME/.local/bin/baseline"
sed "s|^Exec=baseline|Exec=\"$target/baseline\"|" "$here/$id.desktop" > "$data/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$data/metainfo/"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$here/_internal/resources/icons/baseline-$size.png" "$data/icons/hicolor/${size}x${size}/apps/$id.png"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
echo "Baseline installed in $target; start it from your applications menu or run: baseline"
if ! ldconfig -p 2>/dev/null | grep -q libxcb-cursor.so.0; then
    echo "Note: Qt needs libxcb-cursor0 on X11 desktops (sudo apt install libxcb-cursor0)."
fi
