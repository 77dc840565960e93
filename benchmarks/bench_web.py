"""The web companion under load: shoppers walking the advice (20 requests each) at 10, 50 and 200 at once, against
a minimal FastAPI + Jinja2 app of the same page size and traffic shape (the floor), in the same run.

Every server is its own process on loopback; the shoppers are asyncio tasks in this process (`load_client.py`, a
lean HTTP/1.1 client). Figures: requests per second, the 95th percentile of a request's time, and the servers' CPU
time per request (read from /proc for the server and its worker processes), which is what the machine's noise and
the client's own cost disturb least; the client's own CPU per request beside it (on two cores the client, the
servers and PostgreSQL share the machine). `BENCH_WEB_SECONDS` sets the time per level (default 15).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import median, percentile
from benchmarks.load_client import Response, Shopper

LEVELS = (10, 50, 200)
WALK = 20  # requests per shopper
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "15"))
# Two workers against one (PostgreSQL) at 50 shoppers: the median of this many rounds, each measuring one right
# after the other, since this machine's speed drifts by 20 % within minutes.
SCALING = ("advisor-postgres", "advisor-postgres-2w")
SCALING_ROUNDS = 3
QUESTIONNAIRES = ("backpack-finder", "rain-jacket-finder", "sleeping-bag-finder", "tent-finder")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')
VALUE = re.compile(r'name="value" value="([^"]+)"')
NUMBER = re.compile(r'type="number" name="value"[^>]*value="([^"]*)"')
SKU = re.compile(r'href="/advice/product/([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live children (uvicorn's workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return total


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    url: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self, log: Path) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [part.replace("{port}", str(port)) for part in self.command]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # a separate process: nothing to wait on but its port
        raise RuntimeError(f"{self.name} did not start: {log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


async def _timed(tally: Tally, shopper: Shopper, method: str, path: str, form: dict[str, str] | None = None
                 ) -> Response | None:  # fmt: skip
    began = time.perf_counter()
    try:
        response = await shopper.request(method, path, form)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        tally.errors += 1
        return None
    tally.times.append(time.perf_counter() - began)
    tally.statuses[response.status] = tally.statuses.get(response.status, 0) + 1
    if response.status >= 500:
        tally.errors += 1
    return response


async def _advice_walk(shopper: Shopper, tally: Tally, chance: random.Random) -> None:
    """One shopper: the home page, a questionnaire, its questions one by one, the results, a product, again."""
    done = 0

    async def get(path: str) -> str:
        nonlocal done
        done += 1
        response = await _timed(tally, shopper, "GET", path)
        return response.text if response is not None else ""

    async def post(path: str, form: dict[str, str]) -> str:
        nonlocal done
        done += 1
        response = await _timed(tally, shopper, "POST", path, form)
        if response is None or response.status != 303:
            return response.text if response is not None else ""
        return await get(response.headers["location"])

    page = await get("/")
    while done < WALK:
        csrf = CSRF.search(page)
        if 'name="questionnaire_id"' in page and csrf:
            page = await post("/start", {"csrf": csrf.group(1), "questionnaire_id": chance.choice(QUESTIONNAIRES)})
        elif (step := STEP.search(page)) and csrf:
            number = NUMBER.search(page)
            values = VALUE.findall(page)
            value = number.group(1) if number else chance.choice(values) if values else ""
            page = await post("/advice/answer", {"csrf": csrf.group(1), "step": step.group(1), "value": value})
        elif (sku := SKU.search(page)) and csrf:
            await get(f"/advice/product/{sku.group(1)}")
            page = await post("/advice/restart", {"csrf": csrf.group(1)})
        else:
            page = await get("/")


async def _floor_walk(shopper: Shopper, tally: Tally, _chance: random.Random) -> None:
    for done in range(WALK):
        if done % 2 == 0:
            await _timed(tally, shopper, "GET", "/page")
        else:
            await _timed(tally, shopper, "POST", "/answer", {"value": "eins", "csrf": "x"})


Walk = Callable[[Shopper, Tally, random.Random], Awaitable[None]]


async def _load(url: str, shoppers: int, seconds: float, walk: Walk) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds

    async def one(number: int) -> None:
        chance = random.Random(number)
        while time.monotonic() < deadline:
            shopper = Shopper(url)  # a new shopper: no cookies, a new connection
            try:
                await walk(shopper, tally, chance)
            finally:
                await shopper.close()

    await asyncio.gather(*(one(n) for n in range(shoppers)))
    return tally


def _measure(server: Server, shoppers: int, walk: Walk) -> dict[str, Any]:
    assert server.process is not None
    cpu_before, began, client_before = _cpu_seconds(server.process.pid), time.perf_counter(), time.process_time()
    tally = asyncio.run(_load(server.url, shoppers, SECONDS, walk))
    elapsed = time.perf_counter() - began
    cpu = _cpu_seconds(server.process.pid) - cpu_before
    client = time.process_time() - client_before
    count = len(tally.times)
    if walk is _advice_walk and not tally.statuses.get(303):
        raise RuntimeError(f"{server.name}: no shopper got past the home page ({tally.statuses}); no catalog?")
    return {
        "requests_per_s": round(count / elapsed, 1),
        "p95_ms": round(1000 * percentile(tally.times, 0.95), 1) if tally.times else None,
        "median_ms": round(1000 * median(tally.times), 1) if tally.times else None,
        "cpu_ms_per_request": round(1000 * cpu / count, 3) if count else None,
        "client_cpu_ms_per_request": round(1000 * client / count, 3) if count else None,
        "errors": tally.errors,
        "statuses": tally.statuses,
    }


def _servers(folder: Path, postgres: str | None) -> list[tuple[Server, Walk]]:
    advisor = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", "{port}"]
    env = {**os.environ, "ADVISOR_DATA_DIR": str(folder / "data")}
    env.pop("ADVISOR_DATABASE_URL", None)
    config = folder / "config.toml"
    config.write_text('[web]\npublic_base_url = "https://beratung.nordgrat.example"\n', encoding="utf-8")
    env["ADVISOR_CONFIG"] = str(config)
    sqlite = f"sqlite:///{folder / 'web.sqlite3'}"
    page_bytes = _advice_page_bytes(sqlite, env)
    floor = Server("floor", [sys.executable, str(Path(__file__).with_name("web_floor.py")), "{port}",
                             str(page_bytes)], env)  # fmt: skip
    servers: list[tuple[Server, Walk]] = [
        (floor, _floor_walk),
        (Server("advisor-sqlite", [*advisor, "--db", sqlite], env), _advice_walk),
    ]
    if postgres:  # the sample catalog fills only a new SQLite database on its own: load it into this one
        subprocess.run([sys.executable, "-m", "advisor", "catalog", "load-sample", "--db", postgres], env=env,
                       check=True, capture_output=True)  # fmt: skip
        servers.append((Server("advisor-postgres", [*advisor, "--db", postgres], env), _advice_walk))
        servers.append((Server("advisor-postgres-2w", [*advisor, "--db", postgres, "--workers", "2"], env),
                        _advice_walk))  # fmt: skip
    return servers


def _advice_page_bytes(database_url: str, env: dict[str, str]) -> int:
    """The size of a question page of the advice (the floor serves pages as large)."""
    subprocess.run([sys.executable, "-m", "advisor", "db", "upgrade", "--db", database_url], env=env, check=True,
                   capture_output=True)  # fmt: skip
    server = Server("probe", [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", "{port}",
                              "--db", database_url], env)  # fmt: skip
    folder = Path(env["ADVISOR_DATA_DIR"]).parent
    server.start(folder / "probe.log")
    try:
        with httpx.Client(base_url=server.url, follow_redirects=True) as client:
            home = client.get("/")
            csrf = CSRF.search(home.text)
            assert csrf, home.text[:300]
            page = client.post("/start", data={"csrf": csrf.group(1), "questionnaire_id": "tent-finder"})
            return len(page.content)
    finally:
        server.stop()


def _postgres_database() -> str | None:
    admin = os.environ.get("ADVISOR_TEST_POSTGRES_URL")
    if not admin:
        return None
    import sqlalchemy as sa

    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS bench_web")
        connection.exec_driver_sql("CREATE DATABASE bench_web")
    engine.dispose()
    return admin.rsplit("/", 1)[0] + "/bench_web"


def run() -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    postgres = _postgres_database()
    figures: dict[str, dict[str, Any]] = {}
    try:
        servers = _servers(folder, postgres)
        for server, _ in servers:
            server.start(folder / f"{server.name}.log")
        try:
            for shoppers in LEVELS:  # every server at this level before the next: the machine's noise hits all
                for server, walk in servers:
                    figures.setdefault(server.name, {})[str(shoppers)] = _measure(server, shoppers, walk)
            pair = [(server, walk) for server, walk in servers if server.name in SCALING]
            for _ in range(SCALING_ROUNDS - 1):  # more rounds of one and two workers, each pair side by side
                for server, walk in pair:
                    figures[server.name].setdefault("50-again", []).append(_measure(server, 50, walk))
        finally:
            for server, _ in servers:
                server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _verdict(figures)


def _verdict(figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    floor = figures["floor"]

    def cost_ratio(name: str) -> float | None:
        if name not in figures:
            return None
        ratios = [figures[name][level]["cpu_ms_per_request"] / floor[level]["cpu_ms_per_request"]
                  for level in floor if figures[name][level]["cpu_ms_per_request"]]  # fmt: skip
        return round(median(ratios), 2) if ratios else None

    sqlite_ratio, postgres_ratio = cost_ratio("advisor-sqlite"), cost_ratio("advisor-postgres")
    p95_50 = figures["advisor-sqlite"]["50"]["p95_ms"]
    scaling, scaling_rounds = None, []
    if "advisor-postgres-2w" in figures:
        one, two = ([figures[name]["50"], *figures[name].get("50-again", [])] for name in SCALING)
        scaling_rounds = [round(b["requests_per_s"] / a["requests_per_s"], 2) for a, b in zip(one, two, strict=True)
                          if a["requests_per_s"]]  # fmt: skip
        scaling = median(scaling_rounds) if scaling_rounds else None
    measured = [level for server in figures.values() for levels in server.values()
                for level in (levels if isinstance(levels, list) else [levels])]  # fmt: skip
    errors = sum(level["errors"] for level in measured)
    ok = (
        errors == 0
        and sqlite_ratio is not None and sqlite_ratio <= 2
        and (postgres_ratio is None or postgres_ratio <= 3)
        and p95_50 is not None and p95_50 <= 100
        and (scaling is None or scaling >= 1.6)
    )  # fmt: skip
    return {
        "name": "web",
        "what": f"shoppers walking {WALK} requests each at {', '.join(map(str, LEVELS))} at once, {SECONDS:g} s per "
        f"level, against a minimal FastAPI + Jinja2 app of the same page size; one and two workers on PostgreSQL at "
        f"50 in {SCALING_ROUNDS} rounds side by side",
        "figures": figures,
        "cpu_per_request_vs_floor": {"sqlite": sqlite_ratio, "postgres": postgres_ratio},
        "p95_ms_at_50_sqlite": p95_50,
        "postgres_two_workers_vs_one_at_50": scaling,
        "postgres_two_workers_vs_one_each_round": scaling_rounds,
        "targets": "CPU per request ≤ 2x the floor (SQLite), ≤ 3x (PostgreSQL); p95 at 50 ≤ 100 ms (SQLite, one "
        "worker); two workers ≥ 1.6x one (PostgreSQL)",
        "errors": errors,
        "ok": ok,
    }


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(json.dumps(run(), indent=2))
