# Shared by scripts/run.sh and scripts/test.sh: find Python ≥ 3.11 and keep .venv in step with a
# lock file. Sourced, not run.

pick_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "需要 Python 3.11 或更高版本 (Python >= 3.11 is required)" >&2
  return 1
}

# ensure_venv LOCKFILE: create .venv if needed and install the lock file when it changed.
ensure_venv() {
  local lock="$1" stamp=".venv/.installed-$(basename "$1")"
  if [ ! -x .venv/bin/python ]; then
    local python
    python=$(pick_python)
    echo "==> 创建虚拟环境 .venv（$($python --version)）"
    "$python" -m venv .venv
  fi
  local digest
  digest=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "==> 安装依赖（$lock）"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
    echo "$digest" >"$stamp"
  fi
}
