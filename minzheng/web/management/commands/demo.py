"""`minzheng demo`: a working platform with synthetic data in one command.

Migrates, loads the division tree, generates a synthetic district when the registry is
empty, creates the demo accounts, lets each service line seed its own demo data, then
serves the site with gunicorn together with the background-task worker.

Every step is idempotent, so running it again on the same database only starts the servers.
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from minzheng.accounts.actions import DEMO_PASSWORD, demo_accounts, do_create_demo_accounts
from minzheng.accounts.actor import Actor
from minzheng.divisions.directory import get_directory, invalidate_directory
from minzheng.divisions.loader import load_divisions

# Each service line may ship `<app>/demo.py` with `seed_demo(*, seed: int, scale: float) -> dict`.
# A missing module is skipped: the lines are built at different times. The demo command calls
# every seeder on every run, so a seeder must notice its own earlier work and not duplicate it.
# Order matters: screening enrols only programs casework has not, and planning computes its
# indicators from what the others have produced.
DEMO_SEEDERS = [
    "minzheng.eldercare.demo",
    "minzheng.assistance.demo",
    "minzheng.children.demo",
    "minzheng.rescue.demo",
    "minzheng.disability.demo",  # before screening: its enrolments are made through its actions
    "minzheng.referrals.demo",
    "minzheng.funerals.demo",
    "minzheng.lottery.demo",
    "minzheng.adoption.demo",
    "minzheng.marriage.demo",
    "minzheng.sociorgs.demo",
    "minzheng.charity.demo",  # after the register it recognises charities from
    "minzheng.communities.demo",
    "minzheng.placenames.demo",
    "minzheng.screening.demo",
    "minzheng.discovery.demo",
    "minzheng.children.demo_care",  # left-behind children's care: after discovery registers them
    "minzheng.lowincome.demo",
    "minzheng.socialwork.demo",
    "minzheng.volunteers.demo",
    "minzheng.planning.demo",
    "minzheng.citizen.demo",
]

DEFAULT_SCALE = 0.02  # ≈ 23,000 people: generates in seconds, big enough for real screens
DEFAULT_SEED = 20260101
DEFAULT_PORT = 8000
STOP_TIMEOUT = 15  # seconds a child gets to finish its current request or task


class _Stop(Exception):
    """Raised from the signal handler to leave the supervision loop."""


class Command(BaseCommand):
    help = "启动演示环境：迁移数据库、载入区划、生成合成人口、创建演示账号，并启动网站和后台任务进程"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=DEFAULT_SCALE,
            help=f"合成人口规模（1.0 ≈ 全区约115万人；默认 {DEFAULT_SCALE}，约2.3万人）",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")
        parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"网站端口（默认 {DEFAULT_PORT}）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")

    def handle(self, *args, **opts):
        self.verbosity = opts["verbosity"]
        if opts["scale"] <= 0:
            raise CommandError("--scale 必须大于 0")
        if not opts["no_serve"]:
            # Fail before minutes of preparation, not after.
            _require_free_port(opts["port"])

        self._prepare(scale=opts["scale"], seed=opts["seed"])
        self._print_accounts()
        if opts["no_serve"]:
            self.stdout.write("已准备好演示数据（--no-serve：不启动网站）。")
            return
        self._serve(port=opts["port"], workers=opts["workers"])

    # --- data ------------------------------------------------------------------------------

    def _prepare(self, *, scale: float, seed: int) -> None:
        self._step("迁移数据库")
        call_command("migrate", interactive=False, verbosity=0)

        self._step("载入行政区划")
        summary = load_divisions()
        invalidate_directory()
        self.stdout.write(
            f"  区县 {summary.districts}，乡镇（街道） {summary.towns}，村（社区） {summary.villages}"
        )

        self._generate_registry(scale=scale, seed=seed)

        self._step("创建演示账号")
        created = do_create_demo_accounts(Actor.system("演示账号"))
        self.stdout.write(f"  新建 {len(created)} 个" if created else "  已存在，未改动")

        self._run_seeders(scale=scale, seed=seed)

        # The pages' precomputed figures (区划统计, 养老服务): counted once after generation, as
        # the nightly schedule does (docs/performance.md).
        self._step("统计快照")
        started = time.monotonic()
        call_command("refresh_statistics", stdout=self.stdout, verbosity=self.verbosity)
        self.stdout.write(f"  （用时 {time.monotonic() - started:.1f} 秒）")

    def _generate_registry(self, *, scale: float, seed: int) -> None:
        # The registry's own command (by name, like migrate): the shell imports no app above
        # accounts. It skips generation when people are already registered.
        self._step("合成人口")
        call_command(
            "generate", scale=scale, seed=seed, if_empty=True, stdout=self.stdout, verbosity=self.verbosity
        )

    def _run_seeders(self, *, scale: float, seed: int) -> None:
        for name in DEMO_SEEDERS:
            module = _optional_module(name)
            if module is None:
                continue
            self._step(f"演示数据：{name.rsplit('.', 2)[-2]}")
            started = time.monotonic()
            try:
                summary = module.seed_demo(seed=seed, scale=scale)
            except Exception as e:
                raise CommandError(f"{name}.seed_demo 失败：{e}") from e
            for key, value in (summary or {}).items():
                self.stdout.write(f"  {key}：{value}")
            self.stdout.write(f"  （用时 {time.monotonic() - started:.1f} 秒）")

    def _print_accounts(self) -> None:
        directory = get_directory()
        self._step("演示账号（仅限演示数据库）")
        rows = [("用户名", "角色", "辖区")]
        for username, role, codes, _name in demo_accounts():
            rows.append((username, role.label, "、".join(directory.path_name(c) for c in codes)))
        widths = [max(_display_width(r[i]) for r in rows) + 2 for i in (0, 1)]
        for username, role, divisions in rows:
            self.stdout.write(
                f"  {username}{' ' * (widths[0] - _display_width(username))}"
                f"{role}{' ' * (widths[1] - _display_width(role))}{divisions}"
            )
        self.stdout.write(f"  密码（全部账号）：{DEMO_PASSWORD}")

    # --- servers ---------------------------------------------------------------------------

    def _serve(self, *, port: int, workers: int) -> None:
        self._step("收集静态文件")
        call_command("collectstatic", interactive=False, verbosity=0)

        base_dir = Path(settings.BASE_DIR)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            # Demo accounts skip the forced first-login password change; see settings.MINZHENG_DEMO.
            "MINZHENG_DEMO": "1",
            "PYTHONUNBUFFERED": "1",
        }
        commands = {
            WORKER: [
                sys.executable, "-m", "minzheng.manage", "worker", "--queue-name", "*", "--no-reload",
            ],
            SITE: [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}",
                # Generating a big export may take a while on 2 cores; 30 s would cut it off.
                "--timeout", "120",
                "--graceful-timeout", str(STOP_TIMEOUT - 5),
                # The control socket lives in ~/.gunicorn and would clash between two demos.
                "--no-control-socket",
            ],
        }

        def on_signal(signum, frame):
            raise _Stop(signum)

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        procs: dict[str, subprocess.Popen] = {}
        exit_code = 0
        try:
            for label, cmd in commands.items():
                procs[label] = subprocess.Popen(cmd, cwd=base_dir, env=env)
            if _wait_for_port(port, procs[SITE], timeout=60):
                self.stdout.write(self.style.SUCCESS(f"\n涪陵智慧民政平台已启动：http://127.0.0.1:{port}/"))
                self.stdout.write("按 Ctrl-C 停止。")
            supervisor = Supervisor(procs, commands, start=lambda cmd: subprocess.Popen(cmd, cwd=base_dir, env=env))
            while True:
                for message in supervisor.check():
                    self.stderr.write(message)
                if supervisor.stopped:
                    exit_code = 1
                    raise _Stop(0)
                time.sleep(0.5)
        except _Stop:
            pass
        finally:
            # Ignore a second Ctrl-C while the children finish their current work.
            for s in previous:
                signal.signal(s, signal.SIG_IGN)
            self.stdout.write("\n正在停止……")
            _stop_all(procs)
            for s, handler in previous.items():
                signal.signal(s, handler)
            self.stdout.write("已停止。")
        if exit_code:
            raise CommandError("演示环境异常退出")

    def _step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"▶ {text}"))


WORKER = "后台任务进程"
SITE = "网站"
RESTART_PAUSE = 5.0  # seconds between two restarts of a worker that keeps dying


class Supervisor:
    """Watches the demo's processes. The site going down stops everything; the background
    worker going down is restarted (the site keeps serving), and it says so."""

    def __init__(self, procs: dict, commands: dict, *, start, clock=time.monotonic):
        self.procs = procs
        self.commands = commands
        self.start = start
        self.clock = clock
        self.restarts = 0
        self.stopped = False
        self._last_restart = None

    def check(self) -> list[str]:
        messages = []
        for label, proc in list(self.procs.items()):
            if proc.poll() is None:
                continue
            if label != WORKER:
                messages.append(f"{label}意外退出（退出码 {proc.returncode}），正在停止其余进程。")
                self.stopped = True
                return messages
            now = self.clock()
            if self._last_restart is not None and now - self._last_restart < RESTART_PAUSE:
                continue  # wait a little before the next attempt
            self._last_restart = now
            self.restarts += 1
            self.procs[label] = self.start(self.commands[label])
            messages.append(
                f"{WORKER}意外退出（退出码 {proc.returncode}），已重新启动（第{self.restarts}次）；网站照常运行。"
            )
        return messages


def _optional_module(name: str):
    """The module, or None when it (or its app) does not exist yet; its own bugs still raise."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        # Only "this very module or a parent is missing" means skip; a missing import
        # *inside* an existing seeder is a bug to show.
        if e.name and name.startswith(e.name) and (e.name == name or name[len(e.name)] == "."):
            return None
        raise


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _require_free_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            raise CommandError(f"端口 {port} 已被占用：请先停止占用它的程序，或用 --port 指定其他端口") from None


def _wait_for_port(port: int, proc: subprocess.Popen, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop_all(procs: dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()  # SIGTERM: gunicorn and db_worker both finish gracefully
    deadline = time.monotonic() + STOP_TIMEOUT
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
