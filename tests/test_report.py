"""`berita report`: a self-contained HTML report with charts, rendered in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tasks.cli import app
from tasks.html_report import report_data


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (scripts/test.sh installs Debian's chromium "
                    "package)")
    pytest.skip("no Chromium on this machine (install Debian's chromium package to run this test)")


def _headless(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}"]
    return subprocess.run([chromium, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(sample_output: Path, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("report") / "report.html"
    r = CliRunner().invoke(app, ["report", "-o", str(sample_output), "--to", str(dest)])
    assert r.exit_code == 0, r.output
    return dest


def test_report_numbers_come_from_the_datasets(sample_output):
    d = report_data(sample_output)
    arts = pl.read_parquet(sample_output / "extract" / "articles.parquet")
    quotes = pl.read_parquet(sample_output / "extract" / "quotes.parquet")
    assert d["articles"] == arts.height == sum(n for _, n in d["per_outlet"])
    top_speaker, n = d["speakers"][0]
    assert (
        n == quotes.filter(pl.col("speaker") == top_speaker).height
        and n == quotes["speaker"].value_counts()["count"].max()
    )
    sid, size, outlets, _ = d["stories_top"][0]
    # the seed story, with its outlets
    assert size == arts.filter(pl.col("story_id") == sid).height == 5
    assert {"kontan.co.id", "genpi.co"} <= set(outlets.split(", "))
    paras = pl.read_parquet(sample_output / "dedup" / "paragraphs.parquet")
    assert (
        dict(d["rules"])["baca_juga"]
        == paras.filter(pl.col("boilerplate_rule") == "baca_juga").height
    )


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    # 8 bar charts (HTML boxes), days (SVG)
    assert html.count("<svg") == 1 and html.count("data-chart=") == 9
    for needle in ("<script", "<link", " src=", "url(", "@import"):
        assert needle not in html
    assert "https://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_report_renders_with_charts_in_headless_chromium(report, tmp_path):
    from PIL import Image

    chromium = _chromium()
    dom = _headless(chromium, tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == 1 and dom.stdout.count('class="bar"') >= 30
    shot = tmp_path / "report.png"
    r = _headless(
        chromium, tmp_path, "--window-size=900,2400", f"--screenshot={shot}", report.as_uri()
    )
    assert r.returncode == 0 and shot.exists(), r.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (900, 2400)
    colours = img.getcolors(maxcolors=1 << 20)
    blue = sum(
        n
        for n, (r_, g, b) in colours
        if abs(r_ - 0x2F) < 12 and abs(g - 0x6D) < 12 and abs(b - 0xB5) < 12
    )
    red = sum(
        n
        for n, (r_, g, b) in colours
        if abs(r_ - 0xC0) < 12 and abs(g - 0x50) < 12 and abs(b - 0x4D) < 12
    )
    assert blue > 20_000 and red > 5_000, (blue, red)  # the bars were drawn, not just text
