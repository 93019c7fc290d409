#!/usr/bin/env bash
# `npm test`: types checked and the tests compiled in one tsc pass, the import-cycle and floor
# checks, then every test file on the compiled JavaScript, three files at a time: on two cores the
# files wait on timers, sockets and child processes much of the time (1.5 cores busy at two), and
# three cut the run from 4 min 45 s to 4 min here.
#
# Why compiled: each test file is its own process, and loading the app through tsx's loader costs
# about a second of CPU per process (most files start the app); plain JavaScript loads in a
# fraction of that, which halves the suite. It is also the JavaScript the container runs.
# One file while working on it, without the build: node --import tsx --test test/…/x.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf .test-build
node node_modules/typescript/bin/tsc -p tsconfig.json --outDir .test-build
# The compiled src/i18n/translator.js finds its texts at ../../locales, as dist/ does in the image.
ln -s ../locales .test-build/locales
npm run --silent check:cycles
npm run --silent check:layers

mapfile -t files < <(find .test-build/test -name '*.test.js' | sort)
status=0
node --enable-source-maps --test --test-concurrency=3 --test-reporter=spec "${files[@]}" || status=$?

# The second shape: the files in scripts/postgres-tests.txt (the table owners' and queries' tests,
# and the service's main paths through the test façade: heartbeats, restarts, the sweep, the
# outbox, the bot after a restart, webhooks) again, each service on a database of a throwaway
# PostgreSQL cluster (test/support/postgres-server.ts). More files pass there (the commit that
# made the list says which); these keep the second pass to a few minutes. Without PostgreSQL installed
# they are skipped, saying why; .ci/run installs it, so CI runs them.
skip_reason=$(node --input-type=module -e "
  const { postgresSkipReason } = await import('./.test-build/test/support/postgres-server.js');
  process.stdout.write(postgresSkipReason() ?? '');")
if [ -n "$skip_reason" ]; then
  echo "# PostgreSQL pass skipped: $skip_reason"
else
  mapfile -t postgres_files < <(grep -v '^\s*\(#\|$\)' scripts/postgres-tests.txt | sed 's|^test/|.test-build/test/|; s|\.ts$|.js|')
  echo "# PostgreSQL pass: ${#postgres_files[@]} files with TEST_STORAGE=postgres"
  TEST_STORAGE=postgres node --enable-source-maps --test --test-concurrency=3 --test-reporter=spec "${postgres_files[@]}" || status=$?
fi
exit "$status"
