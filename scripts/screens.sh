#!/usr/bin/env bash
# 重新生成 docs/screens/ 的页面截图（演示数据、临时数据库、Debian 的 Chromium）。
# Regenerates the screenshots in docs/screens/ from the demo data in a temporary database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_venv requirements-dev.lock
exec .venv/bin/python -m tests.browser.screens "$@"
