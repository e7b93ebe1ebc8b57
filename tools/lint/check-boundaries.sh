#!/usr/bin/env bash
# Proves that lint enforces the architecture (STYLE.md section 1): each fixture below must be refused.
set -euo pipefail
cd "$(dirname "$0")/../.."
fixtures=()
cleanup() { rm -f "${fixtures[@]}"; }
trap cleanup EXIT

refuses() {
  local file=$1 source=$2 expected=$3 output
  fixtures+=("$file")
  printf '%s\n' "$source" >"$file"
  output=$(npx eslint "$file" 2>&1 || true)
  rm -f "$file"
  if ! grep -qF "$expected" <<<"$output"; then
    printf 'lint did not refuse %s with "%s":\n%s\n' "$file" "$expected" "$output"
    exit 1
  fi
  printf 'refused, as it must be: %s (%s)\n' "$file" "$expected"
}

refuses libs/auth-core/src/boundary-fixture.ts \
  "export { AppModule } from '../../../apps/server/src/app.module.js';" \
  'Projects cannot be imported by a relative or absolute path'
refuses libs/contracts/src/boundary-fixture.ts \
  "export { TokenService } from '@ioauth/auth-core';" \
  '@nx/enforce-module-boundaries'
refuses libs/contracts/src/boundary-fixture.ts \
  "export { readFile } from 'node:fs';" \
  'Browser-safe code: no Node built-ins'
refuses examples/enterprise-app/src/boundary-fixture.ts \
  "export { WS_AUTH_SETTINGS } from '../../../libs/gateway/src/ws-auth.settings.js';" \
  'Projects cannot be imported by a relative or absolute path'
refuses libs/gateway/src/boundary-fixture.ts \
  "export { loadIoauthOptions } from '@ioauth/config';" \
  '@nx/enforce-module-boundaries'
