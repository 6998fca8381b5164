#!/usr/bin/env bash
# Lock the dependencies declared in pyproject.toml into requirements/*.txt, with hashes (`make lock`).
#   runtime.txt  [project] dependencies                   -> the production image (Dockerfile)
#   test.txt     runtime + test + browser                  -> `make test`          (constrained by runtime.txt)
#   dev.txt      runtime + test + browser + dev            -> `make venv`, .ci/run (constrained by test.txt)
#   bench.txt    runtime + bench                           -> `make bench` / `make load` (constrained by dev.txt)
# Each file is complete on its own (pip install --require-hashes -r FILE), and the constraints make a
# package that two files share the same version in both, so bench.txt installs into the dev venv as is.
# Versions already in a file are kept (pip-compile's default); to move one: make lock LOCK_ARGS="-P django".
# pip-compile runs from a scratch venv and uses this machine's pip configuration (index, find-links),
# so the hashes are those of the files pip downloads here, besides all of PyPI's files of each version.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS="${ZC_PIPTOOLS_VENV:-${TMPDIR:-/tmp}/zc-piptools}"
PIP_TOOLS_VERSION=7.6.2

if [[ ! -x "$TOOLS/bin/pip-compile" ]]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --disable-pip-version-check -q "pip-tools==$PIP_TOOLS_VERSION"
fi

export CUSTOM_COMPILE_COMMAND="make lock"
compile() {  # compile OUTPUT [pip-compile args...]
    local output="$1"; shift
    echo "locking $output"
    "$TOOLS/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
        "$@" ${LOCK_ARGS:-} -o "$output" pyproject.toml
}

compile requirements/runtime.txt
compile requirements/test.txt --extra test --extra browser -c requirements/runtime.txt
compile requirements/dev.txt --extra test --extra browser --extra dev -c requirements/test.txt
compile requirements/bench.txt --extra bench -c requirements/dev.txt
