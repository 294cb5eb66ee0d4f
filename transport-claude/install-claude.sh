#!/bin/sh
# Installs the Claude Code CLI from the npm registry into DIR, for the claude transport's
# integration tests (RealClaudeCliTest), which look for DIR/node_modules/.bin/claude.
#
#   transport-claude/install-claude.sh DIR [VERSION]
#
# VERSION defaults to <claude.code.version> in the pom.xml beside this script: the version the
# tests were written against. Without npm it says so and exits 0: the tests are then skipped.
# The build's default DIR is transport-claude/target/claude-code (system property warmpool.claude.home).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?"usage: $0 DIR [VERSION]"}
version=${2:-$(sed -n 's:.*<claude.code.version>\(.*\)</claude.code.version>.*:\1:p' "$here/pom.xml")}
if [ -z "$version" ]; then
    echo "$0: no version given and none found in $here/pom.xml" >&2
    exit 2
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "$0: npm not found; not installing Claude Code $version (the tests that need the claude CLI will be skipped)" >&2
    exit 0
fi

bin="$dir/node_modules/.bin/claude"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "^$version "; then
    echo "Claude Code $version is already installed in $dir"
    exit 0
fi

mkdir -p "$dir"
# --prefix: install into DIR only; nothing global, no package.json changed elsewhere
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "@anthropic-ai/claude-code@$version"

# The npm package is a wrapper whose postinstall puts the platform's native binary in place; if
# npm did not run it, run it here.
if ! "$bin" --version >/dev/null 2>&1; then
    if command -v node >/dev/null 2>&1 && [ -f "$dir/node_modules/@anthropic-ai/claude-code/install.cjs" ]; then
        (cd "$dir/node_modules/@anthropic-ai/claude-code" && node install.cjs)
    fi
fi
if ! "$bin" --version; then
    echo "$0: installed @anthropic-ai/claude-code@$version into $dir, but $bin does not run" >&2
    exit 1
fi
