#!/usr/bin/env bash
# Reproducible-build check: builds pool-core (and the modules it needs) twice, from two clean copies
# of this tree at two different paths, with the release profile (so the -sources and -javadoc jars and
# the SBOMs are checked too), and compares the SHA-256 of every jar and SBOM the two builds wrote.
# Exit 0 when all are byte-identical; otherwise prints the files that differ and the entries inside
# them that differ, and exits 1. Online: the release profile's SBOM plugin refuses to run under -o.
#
#   .ci/reproducible.sh                 # pool-core and its dependencies
#   .ci/reproducible.sh -pl pool-api    # other Maven selection arguments replace the default
#
# Why two copies and not two runs in one tree: a build that records its own path (a source path in
# a class file, a build directory in a manifest) would pass the one-tree check and still differ on
# another machine. Tests are skipped: they do not shape the jars, and the suite runs them anyway.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
selection=("$@")
[ ${#selection[@]} -gt 0 ] || selection=(-pl pool-core -am)

work="$(mktemp -d "${TMPDIR:-/tmp}/warmpool-repro.XXXXXX")"
trap 'rm -rf "$work"' EXIT

build() { # $1: copy name
  local dir="$work/$1"
  mkdir -p "$dir"
  # The files git knows about (committed or not, minus the ignored ones): no target/ from earlier builds.
  (cd "$root" && git ls-files -z --cached --others --exclude-standard) \
    | (cd "$root" && xargs -0 cp --parents -t "$dir" 2>/dev/null || true)
  cp -r "$root/.mvn" "$dir/" 2>/dev/null || true
  # package, never install: the copies must not feed each other through ~/.m2.
  (cd "$dir" && ./mvnw -B -q -Prelease -DskipTests "${selection[@]}" package) >"$work/$1.log" 2>&1 \
    || { echo "build $1 failed:"; tail -40 "$work/$1.log"; exit 1; }
  (cd "$dir" && find . \( -path '*/target/*.jar' -o -path '*/target/bom.json' \) -type f -print0 \
    | sort -z | xargs -0 sha256sum) >"$work/$1.sums"
}

build one
build two

count=$(wc -l <"$work/one.sums")
if [ "$count" -eq 0 ]; then
  echo "nothing was built"; exit 1
fi
if diff -q "$work/one.sums" "$work/two.sums" >/dev/null; then
  echo "reproducible: $count files byte-identical across two clean builds"
  sed 's/^/  /' "$work/one.sums"
  exit 0
fi

echo "NOT reproducible: these files differ between two clean builds"
diff "$work/one.sums" "$work/two.sums" || true
# Name the entries that differ, so the cause is one look away.
join -j 2 <(awk '{print $1, $2}' "$work/one.sums" | sort -k2) <(awk '{print $1, $2}' "$work/two.sums" | sort -k2) \
  | awk '$2 != $3 {print $1}' | while read -r jar; do
    echo "== $jar"
    if [ "${jar%.jar}" = "$jar" ]; then diff "$work/one/$jar" "$work/two/$jar" | head -20 | sed 's/^/  /' || true; continue; fi
    for copy in one two; do
      mkdir -p "$work/x/$copy" && (cd "$work/x/$copy" && rm -rf ./* && unzip -qo "$work/$copy/$jar")
    done
    # entries whose bytes differ (the first ten), then the first differences in the listing (times, modes)
    diff -rq "$work/x/one" "$work/x/two" | sed "s:$work/x/::g; s/^/  /" | head -10 || true
    unzip -Z -T "$work/one/$jar" | tail -n +2 >"$work/x/one.list"
    unzip -Z -T "$work/two/$jar" | tail -n +2 >"$work/x/two.list"
    diff "$work/x/one.list" "$work/x/two.list" | head -8 | sed 's/^/  /' || true
  done
exit 1
