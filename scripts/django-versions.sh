#!/usr/bin/env bash
# Fetches real Django 4.2 LTS and 5.2 LTS (pure-Python Debian packages from the trixie and sid suites, with
# the asgiref and sqlparse they need) and extracts them into a cache folder outside the repository, so the
# test suites can run each against the same /usr/bin/python3. Django 3.2 is bookworm's own python3-django.
# The mirror is read from this machine's apt configuration; nothing is installed into the system.
#
# Prints one line per available version, "VERSION<TAB>PYTHONPATH" (empty PYTHONPATH: the system's own), and
# writes the same as JSON to $CACHE/versions.json, which the tests read. A version that cannot be fetched is
# reported on stderr and left out; the script still exits 0 so the suites for the others run.
set -uo pipefail

CACHE="${DJANGO_VERSIONS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/django-static-files/django}"
PYTHON=/usr/bin/python3
mkdir -p "$CACHE"

# suite → the Django series it carries (checked after extraction).
SUITES=("trixie:4.2" "sid:5.2")
PACKAGES=(python3-django python3-asgiref python3-sqlparse)

mirror() {
  # The first non-security URI of the machine's deb822 sources, else of a one-line sources.list entry.
  local uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s' "$uri"
}

keyring() {
  for k in /usr/share/keyrings/debian-archive-keyring.gpg /etc/apt/trusted.gpg.d/debian-archive-keyring.gpg; do
    [ -f "$k" ] && { printf '%s' "$k"; return; }
  done
}

version_of() { # PYTHONPATH → Django's version, or nothing
  PYTHONPATH="$1" "$PYTHON" -c 'import django; print(django.get_version())' 2>/dev/null
}

fetch_suite() { # suite series → 0 when $CACHE/$series holds a working Django of that series
  local suite="$1" series="$2" dest="$CACHE/$2"
  local site="$dest/usr/lib/python3/dist-packages"
  if [ -f "$dest/.complete" ] && [[ "$(version_of "$site")" == "$series".* ]]; then return 0; fi
  local uri key apt_dir
  uri=$(mirror)
  key=$(keyring)
  if [ -z "$uri" ]; then echo "django-versions: no Debian mirror in this machine's apt configuration; Django $series skipped" >&2; return 1; fi
  apt_dir=$(mktemp -d)
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  {
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: $suite"
    echo "Components: main"
    [ -n "$key" ] && echo "Signed-By: $key"
  } > "$apt_dir/django.sources"
  local opts=(-o "Dir::Etc::sourcelist=$apt_dir/django.sources" -o Dir::Etc::sourceparts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::Archives=$apt_dir/archives"
    -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0)
  if ! apt-get "${opts[@]}" -qq update >"$apt_dir/update.log" 2>&1; then
    echo "django-versions: could not read the $suite package list (no network?); Django $series skipped: $(tail -n 2 "$apt_dir/update.log" | tr '\n' ' ')" >&2
    rm -rf "$apt_dir"; return 1
  fi
  rm -rf "$dest.partial"; mkdir -p "$dest.partial"
  local pkg ver
  for pkg in "${PACKAGES[@]}"; do
    ver=$(apt-cache "${opts[@]}" madison "$pkg" 2>/dev/null | awk -F'|' 'NR == 1 { gsub(/ /, "", $2); print $2 }')
    if [ -z "$ver" ]; then echo "django-versions: $pkg is not in $suite; Django $series skipped" >&2; rm -rf "$apt_dir" "$dest.partial"; return 1; fi
    if ! (cd "$apt_dir" && apt-get "${opts[@]}" -qq download "$pkg=$ver" >/dev/null 2>&1); then
      echo "django-versions: could not download $pkg=$ver from $suite; Django $series skipped" >&2; rm -rf "$apt_dir" "$dest.partial"; return 1
    fi
  done
  for deb in "$apt_dir"/*.deb; do dpkg-deb -x "$deb" "$dest.partial"; done
  rm -rf "$apt_dir"
  local got
  got=$(version_of "$dest.partial/usr/lib/python3/dist-packages")
  if [[ "$got" != "$series".* ]]; then
    echo "django-versions: $suite gave Django '${got:-nothing importable}', not $series; skipped" >&2; rm -rf "$dest.partial"; return 1
  fi
  rm -rf "$dest"; mv "$dest.partial" "$dest"; touch "$dest/.complete"
  return 0
}

lines=()
system=$(version_of "")
if [[ "$system" == 3.2.* ]]; then lines+=("3.2	"); else echo "django-versions: $PYTHON has no Django 3.2 (apt-get install python3-django); Django 3.2 skipped" >&2; fi
for entry in "${SUITES[@]}"; do
  suite="${entry%%:*}" series="${entry##*:}"
  if fetch_suite "$suite" "$series"; then lines+=("$series	$CACHE/$series/usr/lib/python3/dist-packages"); fi
done

json="["
sep=""
for line in "${lines[@]}"; do
  series="${line%%	*}" pp="${line#*	}"
  full=$(version_of "$pp")
  json+="$sep{\"series\":\"$series\",\"version\":\"$full\",\"pythonpath\":\"$pp\"}"
  sep=","
  printf '%s\t%s\t%s\n' "$series" "$full" "${pp:-(system)}"
done
json+="]"
printf '%s\n' "$json" > "$CACHE/versions.json"
