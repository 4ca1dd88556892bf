"""docs/screens/: the main pages of each role at 1366×768 and 390×844, taken from the demo.

    bash scripts/screens.sh        (or: .venv/bin/python -m tests.browser.screens)

Seeds the demo data set into a temporary database, starts the development server on a free
port, signs in as each demo account in Debian's Chromium, photographs the pages (the visible
screen, not the whole scrolled page) and writes docs/screens/README.md as the index. The server
and the temporary directory are gone when it ends."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screens"
PASSWORD = "Screens-Demo-2025"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _pages(ids: dict[str, int]) -> list[tuple[str, str, str, str]]:
    """(account, name, path, what it shows) in the order of the index."""
    return [
        ("", "portal", "/portal/", "企业门户首页"),
        ("", "login", "/accounts/login/", "登录"),
        ("staff1", "staff-home", "/home/", "驻站工作人员工作台：待我办理、快捷操作、最新消息"),
        ("staff1", "staff-ledger", "/needs/", "企业需求记录台账"),
        ("staff1", "staff-register", "/needs/new/", "登记需求（企业选择器）"),
        ("staff1", "staff-need", f"/needs/{ids['registered']}/", "需求页：待识别"),
        ("chief1", "chief-home", "/home/", "站长工作台"),
        (
            "chief1",
            "chief-dispatch",
            f"/needs/{ids['awaiting_dispatch']}/#action-dispatch",
            "需求页：分发任务对话框",
        ),
        ("chief1", "chief-inbox", "/inbox/", "消息（未读、分页、全部已读）"),
        ("handler1", "handler-home", "/home/", "经办科室工作台"),
        ("handler1", "handler-need", f"/needs/{ids['dispatched']}/", "需求页：待科室签收"),
        ("supervisor", "supervisor-home", "/home/", "上级单位监督工作台"),
        ("supervisor", "supervisor-stats", "/stats/", "统计分析"),
        ("supervisor", "supervisor-hub", "/supervision/", "监督概览"),
        ("admin", "admin-home", "/home/", "系统管理员工作台"),
        ("admin", "admin-site", "/admin/", "系统管理（Django admin，中文）"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(data: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'screens.sqlite3'}",
        "HQZT_BASE_URL": "",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _need_ids(env: dict[str, str]) -> dict[str, int]:
    """A need of the demo in each state the pages show, of the accounts' own station/section."""
    code = (
        "from hqzt.needs.models import Need;"
        "from hqzt.accounts.models import User;"
        "st=User.objects.get(username='staff1').station_memberships.get().station_id;"
        "ch=User.objects.get(username='chief1').station_memberships.get().station_id;"
        "h=User.objects.get(username='handler1').sections.values('pk');"
        "print(Need.objects.filter(station=st,status='registered').first().pk,"
        "Need.objects.filter(station=ch,status='awaiting_dispatch').first().pk,"
        "Need.objects.filter(lead_section__in=h,status='dispatched').first().pk)"
    )
    out = (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.splitlines()[-1]
        .split()
    )
    return dict(zip(["registered", "awaiting_dispatch", "dispatched"], map(int, out), strict=True))


def _wait_for(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"服务未能启动：{url}")


def _shoot(base: str, pages: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str]]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    taken = []
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        for viewport in SIZES.values():
            contexts = {}
            for account, name, path, what in pages:
                if account not in contexts:
                    context = browser.new_context(viewport=viewport, locale="zh-CN")
                    context.set_default_timeout(30_000)
                    page = context.new_page()
                    if account:
                        page.goto(f"{base}/accounts/login/")
                        page.fill("#id_username", account)
                        page.fill("#id_password", PASSWORD)
                        page.get_by_role("button", name="登录").click()
                        page.wait_for_url(f"{base}/home/")
                    contexts[account] = page
                page = contexts[account]
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                if "#action-" in path:
                    page.locator(".modal.show").wait_for()
                    page.wait_for_timeout(400)  # the dialog's fade-in
                file = f"{name}-{viewport['width']}.png"
                page.screenshot(path=str(OUT / file))
                taken.append((file, account or "（未登录）", what))
            for page in contexts.values():
                page.context.close()
        browser.close()
    return taken


def _index(taken: list[tuple[str, str, str]]) -> None:
    rows = "\n".join(f"| [{f}]({f}) | {who} | {what} |" for f, who, what in taken)
    (OUT / "README.md").write_text(
        "# 主要页面截图\n\n"
        "由 `bash scripts/screens.sh` 生成（演示数据，临时数据库）：每个角色的主要页面，"
        "电脑屏幕 1366×768 与手机 390×844 各一张，只截可见的一屏。"
        "重新生成会覆盖本目录的图片和本索引。\n\n"
        "| 图片 | 账号 | 页面 |\n| --- | --- | --- |\n" + rows + "\n"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hqzt-screens-") as tmp:
        data = Path(tmp)
        env = _environment(data)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo", "--password", PASSWORD)
        ids = _need_ids(env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/healthz")
            taken = _shoot(base, _pages(ids))
        finally:
            server.terminate()
            server.wait(timeout=30)
    _index(taken)
    print(f"已生成 {len(taken)} 张截图：{OUT}")


if __name__ == "__main__":
    main()
