#!/usr/bin/env bash
# Release check: builds what a release publishes (./mvnw -Prelease: sources and Javadoc jars, a CycloneDX
# SBOM per module and one for the reactor) and checks it is all there:
#   - every published module (one without maven.deploy.skip=true in its pom) has its jar, -sources.jar,
#     -javadoc.jar (with an index.html) and target/bom.json;
#   - the SBOMs name jackson and slf4j at the versions the root pom sets (the reactor SBOM all three
#     Jackson jars and slf4j-api; each module's SBOM the ones it depends on).
# Online: the SBOM plugin refuses to run under -o (it may look up licenses). Tests are skipped: the suite
# runs them; after ./mvnw verify nothing is recompiled. A Javadoc error or warning (-Xdoclint:all,
# failOnWarnings in the root pom) fails the build here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && [ -z "${JAVA_HOME:-}" ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

./mvnw -B -q -Prelease -DskipTests package "$@"

failed=0
fail() { echo "release check: $*"; failed=1; }
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
jackson=$(pom_property jackson.version)
slf4j=$(pom_property slf4j.version)

checked=0
for pom in */pom.xml; do
  module=${pom%/pom.xml}
  grep -q '<packaging>pom</packaging>' "$pom" && continue          # the BOM: nothing but a pom
  grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$pom" && continue   # not published
  [ -d "$module/target" ] || continue                              # not in this build's selection
  artifact=$(sed -n '/<parent>/,/<\/parent>/d; s:^  <artifactId>\(.*\)</artifactId>.*:\1:p' "$pom" | head -1)
  base="$module/target/$artifact-$version"
  for f in "$base.jar" "$base-sources.jar" "$base-javadoc.jar" "$module/target/bom.json"; do
    [ -s "$f" ] || fail "$module: $f is missing"
  done
  # (unzip names the one entry, and fails without it: no grep -q to cut its output short under pipefail)
  if [ -s "$base-javadoc.jar" ] && ! unzip -qq -l "$base-javadoc.jar" index.html >/dev/null 2>&1; then
    fail "$module: $base-javadoc.jar has no index.html"
  fi
  # Each module's SBOM names the Jackson and SLF4J jars its pom depends on, with the version.
  if [ -s "$module/target/bom.json" ]; then
    if grep -q '<artifactId>jackson-databind</artifactId>' "$pom" \
      && ! grep -qF "pkg:maven/com.fasterxml.jackson.core/jackson-databind@$jackson?type=jar" "$module/target/bom.json"; then
      fail "$module: bom.json does not list jackson-databind $jackson"
    fi
    if grep -q '<artifactId>slf4j-api</artifactId>' "$pom" \
      && ! grep -qF "pkg:maven/org.slf4j/slf4j-api@$slf4j?type=jar" "$module/target/bom.json"; then
      fail "$module: bom.json does not list slf4j-api $slf4j"
    fi
  fi
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail "no published module was built"

sbom=target/warmpool-sbom.json
if [ -s "$sbom" ]; then
  for purl in "com.fasterxml.jackson.core/jackson-databind@$jackson" "com.fasterxml.jackson.core/jackson-core@$jackson" \
              "org.slf4j/slf4j-api@$slf4j"; do
    grep -qF "\"pkg:maven/$purl?type=jar\"" "$sbom" || fail "$sbom does not list $purl"
  done
  grep -qF '"pkg:maven/com.fasterxml.jackson.core/jackson-annotations@' "$sbom" || fail "$sbom does not list jackson-annotations"
else
  fail "$sbom is missing (the reactor SBOM is written when the build starts at the root)"
fi

[ "$failed" -eq 0 ] || exit 1
echo "release check: $checked published modules with sources, javadoc and SBOM; $sbom lists jackson $jackson and slf4j $slf4j"
