#!/bin/sh
# Mutation testing of the model and the Services rules (not a CI step: hours on two cores).
#
#   cargo install cargo-mutants cargo-nextest
#   scripts/mutants.sh -j 2            # the whole set, into mutants.out/
#   scripts/mutants.sh -j 2 --iterate  # go on: skip what a previous run caught or found unviable
#
# Extra arguments go to `cargo mutants` (`--shard 1/4`, `--list`, `-o DIR`...).
#
# The set: src/model/ (but incremental.rs, the editor's engine, whose test is the one-minute
# differential tests/workspace.rs) and the MS/MG rule files. The tests: the lib's and the
# integration tests CI runs that lint fixtures, each a few seconds. The slow ones (workspace,
# lsp, schemas, the PHP and YAML oracles, the browser) are left out, so the caught share is a
# lower bound of what the whole CI suite catches.
#
# The tests run under nextest with the `mutants` profile of .config/nextest.toml: it stops at
# the first failure and runs the tests that catch most first, so a caught mutant costs seconds;
# a surviving one still runs every test.
#
# The target filters go to the build too (--cargo-arg): each mutant builds the lib and these
# tests only, not every test and example. --copy-vcs: the git-status tests need the repository.
# With mold installed (`apt-get install mold`), linking the test binaries is faster.
set -eu
cd "$(dirname "$0")/.."
# Builds dominate: magelint itself at opt-level 0 (its dependencies stay at the dev profile's 1)
# rebuilds a mutant several times faster. Unoptimised frames are bigger, so the tests that nest
# a parser 500 levels deep need bigger thread stacks.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0 CARGO_PROFILE_DEV_OPT_LEVEL=0
export RUST_MIN_STACK=268435456 NEXTEST_PROFILE=mutants
if command -v mold >/dev/null 2>&1; then
    export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-fuse-ld=mold"
fi
set -- --copy-vcs=true --shuffle --test-tool=nextest \
    --file 'src/model/*.rs' --file 'src/rules/ms0*.rs' --file 'src/rules/mg0*.rs' \
    --exclude src/model/incremental.rs \
    '--cargo-arg=--config=profile.dev.package."*".opt-level=1' --cargo-arg=--lib "$@"
for test in rules scenarios cli adoption git_status formats secrets secret_masking hardening \
    ece_parity ece_catalogue facts_cut map public_sources; do
    set -- "$@" "--cargo-arg=--test=$test"
done
exec cargo mutants "$@"
