#!/usr/bin/env bash
# Fetches the published type declarations that the type tests compile against, without installing the packages:
# @anthropic-ai/claude-agent-sdk pulls a ~400 MB platform binary as an optional dependency, and the type test needs
# only its .d.ts files. `npm pack` downloads the package tarball alone (about 1.5 MB; no dependencies, no scripts run),
# which is extracted into the git-ignored .type-deps/. Idempotent: an existing extract of the same version is kept.
#
# Usage: scripts/fetch-type-deps.sh   (then: npm run typecheck:claude)
# Another version: CLAUDE_AGENT_SDK_VERSION=0.3.330 scripts/fetch-type-deps.sh
set -euo pipefail

CLAUDE_AGENT_SDK_VERSION=${CLAUDE_AGENT_SDK_VERSION:-0.3.334}

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.type-deps"
target="$dest/claude-agent-sdk"

if [ -f "$target/package.json" ] && grep -q "\"version\": \"$CLAUDE_AGENT_SDK_VERSION\"" "$target/package.json"; then
  echo "fetch-type-deps: @anthropic-ai/claude-agent-sdk@$CLAUDE_AGENT_SDK_VERSION already in .type-deps/"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(cd "$work" && npm pack "@anthropic-ai/claude-agent-sdk@$CLAUDE_AGENT_SDK_VERSION" --silent)
rm -rf "$target"
mkdir -p "$target"
# Only what the types need: package.json and the declaration files.
tar -xzf "$work/$tarball" -C "$target" --strip-components=1 --wildcards 'package/package.json' 'package/*.d.ts'
echo "fetch-type-deps: @anthropic-ai/claude-agent-sdk@$CLAUDE_AGENT_SDK_VERSION types in .type-deps/claude-agent-sdk/"
