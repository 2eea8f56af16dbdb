#!/usr/bin/env bash
# Checks toolwarden's AI SDK and OpenAI Agents adapters against ai@7 and @openai/agents-core@0.20 by hand: both ask
# for Node >= 22 (ai 7 directly, agents-core 0.20 through openai@7), so per the project's rules they are not
# devDependencies. Installs them in a scratch folder outside the repo, type-checks scripts/compat/check.ts (strict,
# exactOptionalPropertyTypes) against them with the repo's tsc, then runs it with the repo's tsx (a real generateText
# loop with a mock model, a real Agents run with a scripted model). Network: the npm registry, once.
#
# Usage: scripts/compat/check-ai7-agents020.sh [scratch-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
cd "$dir"
cat > package.json <<'JSON'
{ "name": "toolwarden-compat", "private": true, "type": "module",
  "dependencies": { "ai": "7.0.173", "@openai/agents-core": "0.20.0", "zod": "^4.0.0" } }
JSON
npm install --no-audit --no-fund --loglevel=error
sed "s|__REPO__|$root|g" "$root/scripts/compat/check.ts" > check.ts
cp "$root/examples/support/scriptedAgentsModel.ts" .
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "lib": ["ES2023"],
  "types": ["node"], "typeRoots": ["$root/node_modules/@types"], "strict": true, "exactOptionalPropertyTypes": true,
  "noUncheckedIndexedAccess": true, "skipLibCheck": true, "noEmit": true, "verbatimModuleSyntax": true },
  "files": ["check.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "types: ok (ai $(node -p "require('./node_modules/ai/package.json').version"), @openai/agents-core $(node -p "require('./node_modules/@openai/agents-core/package.json').version"))"
"$root/node_modules/.bin/tsx" check.ts
