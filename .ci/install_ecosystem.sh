#!/usr/bin/env bash
# Install the official MCP servers that tests/mcp_ecosystem spawns (issue 6):
#   PyPI: mcp-server-time, mcp-server-git (into the active Python; both run on mcp 2.3)
#   npm:  @modelcontextprotocol/server-filesystem, @modelcontextprotocol/server-everything
#         (into .ci/node/node_modules, versions pinned by .ci/node/package-lock.json)
# Needs: python with pip, node >= 18 and npm, git (mcp-server-git drives the git CLI).
# Idempotent and quick when everything is already there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python}"

"$python" -m pip install --quiet --disable-pip-version-check \
  "mcp-server-time==2026.10.19" "mcp-server-git==2026.10.19"

for tool in node npm git; do
  command -v "$tool" >/dev/null || { echo "install_ecosystem: '$tool' is not on PATH" >&2; exit 1; }
done

installed() {  # every pinned npm package present at its pinned version
  (cd "$here/node" && node -e '
    const deps = require("./package.json").dependencies;
    for (const [name, version] of Object.entries(deps)) {
      try { if (require(`./node_modules/${name}/package.json`).version !== version) process.exit(1); }
      catch { process.exit(1); }
    }') 2>/dev/null
}

if installed; then
  :
elif [ -f "$here/node/package-lock.json" ]; then
  npm ci --prefix "$here/node" --no-audit --no-fund --loglevel=error
else
  npm install --prefix "$here/node" --no-audit --no-fund --loglevel=error
fi

# Fail here, with a clear message, rather than in the middle of the tests.
"$python" -c "import mcp_server_time, mcp_server_git" \
  || { echo "install_ecosystem: the Python MCP servers do not import" >&2; exit 1; }
for pkg in server-filesystem server-everything; do
  test -f "$here/node/node_modules/@modelcontextprotocol/$pkg/dist/index.js" \
    || { echo "install_ecosystem: @modelcontextprotocol/$pkg is missing" >&2; exit 1; }
done
echo "install_ecosystem: mcp-server-time, mcp-server-git, server-filesystem, server-everything ready"
