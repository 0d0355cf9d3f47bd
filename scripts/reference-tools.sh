#!/usr/bin/env bash
# Makes sure the Debian reference tools the test suite compares against are present.
# As root it installs what is missing; otherwise it names the missing packages and fails.
set -euo pipefail

# command -> Debian package
declare -A TOOLS=(
  [yara]=yara
  [ssdeep]=ssdeep
  [tlsh]=tlsh-tools
  [fls]=sleuthkit
  [mkfs.fat]=dosfstools
  [mcopy]=mtools
  [mkfs.exfat]=exfatprogs
  [hivexregedit]=libwin-hivex-perl
  [hivexsh]=libhivex-bin
  [i686-w64-mingw32-gcc]=gcc-mingw-w64-i686
  [x86_64-w64-mingw32-gcc]=gcc-mingw-w64-x86-64
  [osslsigncode]=osslsigncode
  [openssl]=openssl
)
# files -> Debian package (things that are not commands)
declare -A FILES=(
  [/usr/lib/python3/dist-packages/pefile.py]=python3-pefile
  [/usr/lib/x86_64-linux-gnu/wine/x86_64-windows]=wine64
)

missing=()
for cmd in "${!TOOLS[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${TOOLS[$cmd]}")
done
for f in "${!FILES[@]}"; do
  [ -e "$f" ] || missing+=("${FILES[$f]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ]; then
  echo "firebreak tests: missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install --no-install-recommends ${missing[*]}  (or run the tests as root)" >&2
  exit 1
fi
echo "firebreak tests: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
