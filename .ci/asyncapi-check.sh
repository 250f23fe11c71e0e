#!/usr/bin/env bash
# asyncapi-check.sh validates the repository's AsyncAPI documents with the official parser,
# @asyncapi/parser 3, installed with npm into a temporary folder. It checks the files given as
# arguments, or else every AsyncAPI document (a YAML or JSON file with a top-level asyncapi
# field) under examples/, golden/ and spec/asyncapi/testdata/, skipping directories named invalid/
# (documents that tests feed to eventgen because they are wrong). It fails on any
# error-level diagnostic.
#
# Usage: .ci/asyncapi-check.sh [FILE...]
# Environment: ASYNCAPI_PARSER_DIR reuses an existing install (a folder with node_modules).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=()
  while IFS= read -r f; do
    # Only documents: a top-level asyncapi field (YAML) or "asyncapi" key (JSON).
    if grep -Eq '^(asyncapi:|[[:space:]]*"asyncapi"[[:space:]]*:)' "$f"; then
      files+=("$f")
    fi
  done < <(cd "$root" && find examples golden spec/asyncapi/testdata \
      -type d -name invalid -prune -o \
      -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print 2>/dev/null | sort)
  if [ "${#files[@]}" -eq 0 ]; then
    echo "asyncapi-check: no AsyncAPI documents found" >&2
    exit 1
  fi
  cd "$root"
fi

dir=${ASYNCAPI_PARSER_DIR:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  echo "asyncapi-check: installing @asyncapi/parser@3 into $dir" >&2
  (cd "$dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @asyncapi/parser@3 >/dev/null)
fi

ASYNCAPI_PARSER_DIR="$dir" node "$here/asyncapi-check.mjs" "${files[@]}"
