#!/usr/bin/env bash
# 运行全部测试（单元、集成与浏览器测试）。Runs the whole test suite; extra arguments go to pytest.
# DATABASE_URL=postgres://… runs it on PostgreSQL instead of the embedded SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_venv requirements-dev.lock

# Browser tests drive Debian's Chromium; install it when we may (root), else they are skipped.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> 安装 Chromium 与中文字体（浏览器测试需要）"
    (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null
  else
    echo "提示：未找到 /usr/bin/chromium，浏览器测试将跳过（sudo apt-get install chromium fonts-noto-cjk）"
  fi
fi

exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
