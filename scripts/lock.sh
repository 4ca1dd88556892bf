#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml after changing a dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet uv
.venv/bin/uv pip compile pyproject.toml --python-version 3.11 --no-header -q -o requirements.lock
.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -q \
  -o requirements-dev.lock
