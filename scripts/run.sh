#!/usr/bin/env bash
# 一条命令：安装依赖、初始化数据库、首次运行时生成演示数据，并在 http://127.0.0.1:8000 启动系统。
# One command: install, migrate, load the demo data on a new database, serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_venv requirements.lock
mkdir -p data

# Local demo: DEBUG on, a secret key generated once and kept in data/ (never committed).
export DEBUG="${DEBUG:-1}"
if [ -z "${SECRET_KEY:-}" ]; then
  [ -s data/secret-key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' >data/secret-key
  SECRET_KEY=$(cat data/secret-key)
  export SECRET_KEY
fi
# The key that encrypts contact phone numbers, likewise generated once, readable only by the owner.
# Without it the numbers in data/hqzt.sqlite3 cannot be read: back it up apart from the database.
if [ -z "${FIELD_ENCRYPTION_KEY:-}" ]; then
  [ -s data/field-encryption.key ] || (umask 077 && .venv/bin/python -c \
    'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' >data/field-encryption.key)
  FIELD_ENCRYPTION_KEY=$(cat data/field-encryption.key)
  export FIELD_ENCRYPTION_KEY
fi

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo

# The queue's consumer (notifications, scheduled deadline scans) runs beside the web server.
.venv/bin/python manage.py run_huey >data/queue.log 2>&1 &
queue_pid=$!
trap 'kill "$queue_pid" 2>/dev/null' EXIT INT TERM

echo "==> 惠企直通已启动：http://${HOST:-127.0.0.1}:${PORT:-8000}/ （按 Ctrl+C 停止；后台任务日志 data/queue.log）"
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
