"""The deployment in prefect.yaml, under a real `prefect server start`: the scheduler creates its
runs and a process worker completes one, with its artifacts. This is the README's "Scheduling with
Prefect", step by step.

Everything runs on 127.0.0.1 (a free port, SQLite in a temporary PREFECT_HOME, analytics off);
proxies point at a closed local port so any other address would fail, not be reached. Every process
started here is stopped at the end, also when an assertion fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

httpx = pytest.importorskip("httpx")
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.slow, pytest.mark.prefect]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path, project: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_UI_ENABLED="false",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        BERITA_HOME=str(project),
        BERITA_WORKERS="1",
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    return env


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it started."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)
    else:  # the leader is gone; its group may not be
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _until(what: str, fn, timeout: float, every: float = 1.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = fn()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _run(args: list[str], env: dict, cwd: Path, timeout: float = 120) -> str:
    r = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r.stdout + r.stderr


def test_prefect_yaml_schedule_creates_runs_and_a_process_worker_completes_one(tmp_path):
    project, home = tmp_path / "project", tmp_path / "prefect-home"
    project.mkdir()
    shutil.copy(ROOT / "prefect.yaml", project / "prefect.yaml")
    shutil.copytree(ROOT / "flows", project / "flows", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SAMPLE, project / "data" / "raw")
    port = _free_port()
    env = _env(home, project, port)
    api = f"http://127.0.0.1:{port}/api"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
            "--analytics-off",
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker: subprocess.Popen | None = None
    try:
        with httpx.Client(base_url=api, timeout=10, trust_env=False) as c:
            def healthy():
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                try:
                    return c.get("/health").status_code == 200
                except httpx.TransportError:
                    return False

            _until("server healthy", healthy, 90)
            _run(
                [str(BIN / "prefect"), "work-pool", "create", "berita-pool", "--type", "process"],
                env,
                project,
            )
            _run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], env, project)

            dep = c.get("/deployments/name/berita-pipeline/daily").json()
            assert [s["schedule"].get("cron") for s in dep["schedules"]] == ["0 2 * * *"]
            # one run at a time, the next one queued
            assert dep["global_concurrency_limit"]["limit"] == 1
            assert dep["concurrency_options"]["collision_strategy"] == "ENQUEUE"
            assert dep["parameter_openapi_schema"]["properties"]["from_stage"]["anyOf"][0][
                "enum"
            ] == ["ingest", "clean", "dedup", "extract"]
            bad = c.post(
                f"/deployments/{dep['id']}/create_flow_run",
                json={"parameters": {"from_stage": "clena"}},
            )
            # refused at submission, not failing inside the run
            assert bad.status_code in (409, 422), bad.text

            def scheduled():
                runs = c.post(
                    "/flow_runs/filter",
                    json={
                        "flow_runs": {
                            "deployment_id": {"any_": [dep["id"]]},
                            "state": {"type": {"any_": ["SCHEDULED"]}},
                        }
                    },
                ).json()
                return [r for r in runs if r["auto_scheduled"]]

            runs = _until("the scheduler creates the deployment's runs", scheduled, 90)
            for r in runs:  # 02:00 in Jakarta is 19:00 UTC
                t = datetime.fromisoformat(r["expected_start_time"].replace("Z", "+00:00"))
                assert (t.hour, t.minute) == (19, 0), r["expected_start_time"]
                assert r["parameters"]["input_dir"] == "data/raw"

            # the first scheduled run is moved to now, and one worker poll runs it through the
            # process worker
            run = min(runs, key=lambda r: r["expected_start_time"])
            now = datetime.now(UTC).isoformat()
            r = c.post(
                f"/flow_runs/{run['id']}/set_state",
                json={
                    "state": {
                        "type": "SCHEDULED",
                        "name": "Scheduled",
                        "state_details": {"scheduled_time": now},
                    },
                    "force": True,
                },
            )
            assert r.status_code in (200, 201), r.text
            wlog = (tmp_path / "worker.log").open("w")
            worker = subprocess.Popen(
                [str(BIN / "prefect"), "worker", "start", "--pool", "berita-pool", "--run-once"],
                env=env,
                cwd=project,
                stdout=wlog,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            worker.wait(timeout=240)

            state = c.get(f"/flow_runs/{run['id']}").json()["state"]
            assert state["type"] == "COMPLETED", (
                state,
                (tmp_path / "worker.log").read_text()[-4000:],
            )
            assert (project / "data" / "processed" / "extract" / "articles.parquet").exists()
            arts = c.post(
                "/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}
            ).json()
            by_key = {a["key"]: a for a in arts if a.get("key")}
            assert {"berita-stage-counts", "berita-summary", "berita-progress-extract"} <= set(
                by_key
            ), [a.get("key") for a in arts]
            table = by_key["berita-stage-counts"]["data"]
            rows = table if isinstance(table, list) else json.loads(table)
            assert [row["stage"] for row in rows] == ["ingest", "clean", "dedup", "extract"]
            assert isinstance(rows[0]["rows_out"], int) and rows[0]["rows_out"] == 5
            assert "quotes" in rows[-1] and "entities" in rows[-1]
    finally:
        if worker is not None:
            _stop(worker)
        _stop(server)
        log.close()
