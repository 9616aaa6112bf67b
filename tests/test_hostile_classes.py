"""Issue 27, classes 1-8: each hostile input or fault kind on a small fixture made here. Nothing
stops or hangs a run, nothing is lost (every article is ingested or quarantined with a reason),
nothing is written where it must not be, and a damaged output heals on the next run."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from tasks import io, manifest, registry, schema, stages
from tasks.dedup import stage as dedup_stage
from tasks.ingest import inputs
from tasks.ingest.ingest import MAX_ARTICLE_CHARS, discover, ingest_dir, read_file
from tests.hostile_fixture import CITIES, market_article

ROOT = Path(__file__).resolve().parents[1]


def art(n: int) -> str:
    """The n-th distinct article (a city of its own, then numbered)."""
    return market_article(CITIES[n % len(CITIES)] + ("" if n < len(CITIES) else f" {n}"))


def _reasons(q: pl.DataFrame, path: str) -> list[str]:
    return q.filter(pl.col("source_path") == path)["reason"].to_list()


def _bodies(a: pl.DataFrame, path: str) -> list[str]:
    return a.filter(pl.col("source_path") == path).sort("source_row")["raw_text"].to_list()


def _in_thread(fn, timeout: float = 20.0):
    """fn() on a daemon thread; fails (instead of hanging the suite) when it does not return in
    time."""
    box: dict = {}
    t = threading.Thread(target=lambda: box.update(value=fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"still running after {timeout} s (hung on a FIFO?)"
    return box["value"]


def _as_nobody(script: str, *dirs: Path) -> dict:
    """Run script (python, prints JSON) as the unprivileged user `nobody` after importing berita as
    root: a real permission denial, which root never meets."""
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to nobody")
    for d in dirs:
        os.chmod(d, 0o755)
    code = (
        f"import json, os, sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom tasks import manifest, "
        "stages\nfrom tasks.ingest import ingest\n"
        # loads what root's interpreter could not after the drop
        "import polars\nfrom tasks import registry\n[manifest.code_version(s) for s in "
        "registry.NAMES]\n"
        "os.setgid(65534); os.setuid(65534)\n"
    ) + script
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd="/"
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


# ---- class 1: one bad file never stops or hangs the run ----


def test_fifo_socket_and_device_named_txt_are_listed_and_never_opened(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(art(0), encoding="utf-8")
    os.mkfifo(raw / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(raw / "sock.txt"))
    if os.geteuid() == 0:
        os.mknod(raw / "dev.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    try:
        fp = _in_thread(lambda: manifest.input_fingerprint("ingest", raw, tmp_path / "out"))
        assert fp
        arts, q = _in_thread(lambda: ingest_dir(raw))
    finally:
        sock.close()
    assert _bodies(arts, "good.txt") == [art(0)]
    assert _reasons(q, "pipe.txt") == ["not_regular_file"] and _reasons(q, "sock.txt") == [
        "not_regular_file"
    ]
    if os.geteuid() == 0:
        assert _reasons(q, "dev.txt") == ["not_regular_file"]
    assert "FIFO" in q.filter(pl.col("source_path") == "pipe.txt")["detail"][0]


def test_a_file_swapped_for_a_fifo_after_discovery_is_refused_at_the_open(tmp_path):
    (tmp_path / "a.txt").write_text(art(0), encoding="utf-8")
    (files, _) = discover(tmp_path)
    (tmp_path / "a.txt").unlink()
    os.mkfifo(tmp_path / "a.txt")
    res = _in_thread(lambda: read_file(*files[0]))
    assert not res.records and [q.reason for q in res.quarantined] == ["not_regular_file"]


def test_symlink_loop_is_quarantined_not_raised(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(art(1), encoding="utf-8")
    os.symlink(raw / "b.txt", raw / "a.txt")
    os.symlink(raw / "a.txt", raw / "b.txt")
    os.symlink(raw / "self.txt", raw / "self.txt")
    arts, q = ingest_dir(raw)
    assert manifest.input_fingerprint("ingest", raw, tmp_path / "out")
    assert _bodies(arts, "good.txt") == [art(1)]
    for name in ("a.txt", "b.txt", "self.txt"):
        assert _reasons(q, name) == ["symlink_loop"], name


def test_unreadable_file_and_folder_are_quarantined_as_a_non_root_user():
    raw = Path(tempfile.mkdtemp(prefix="berita-perm-"))
    try:
        (raw / "good.txt").write_text(art(2), encoding="utf-8")
        (raw / "locked.txt").write_text(art(3), encoding="utf-8")
        os.chmod(raw / "locked.txt", 0)
        sub = raw / "private"
        sub.mkdir()
        (sub / "inside.txt").write_text(art(4), encoding="utf-8")
        os.chmod(sub, 0)
        got = _as_nobody(
            f"raw = {str(raw)!r}\n"
            "fp = manifest.input_fingerprint('ingest', raw, '/nonexistent-out')\n"
            "a, q = ingest.ingest_dir(raw)\n"
            "print(json.dumps({'fp': fp, 'arts': a['source_path'].to_list(),"
            " 'q': sorted(map(list, zip(q['source_path'], q['reason'])))}))",
            raw,
        )
    finally:
        os.chmod(raw / "private", 0o755)
        shutil.rmtree(raw)
    assert got["fp"] and got["arts"] == ["good.txt"]
    assert got["q"] == [["locked.txt", "unreadable"], ["private", "unreadable"]]


def test_undecodable_file_name_is_ingested_under_an_escaped_name(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(os.path.join(os.fsencode(raw), b"caf\xe9 berita.txt"), "w", encoding="utf-8") as fh:
        fh.write(art(5))
    out = tmp_path / "out"
    stages.run_ingest(raw, out)
    a = io.read_table(out, schema.INGEST_ARTICLES)
    assert a["source_path"].to_list() == ["caf\\xe9 berita.txt"] and a["raw_text"][0] == art(5)


def test_bad_fields_and_deep_json_cost_only_their_row(tmp_path):
    deep = '{"content": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [
        json.dumps({"content": art(0), "url": "https://a.example.id/0"}),
        '{"content": "' + art(1).replace("\n", "\\n") + '", "url": "https://a.example.id/\\ud800"}',
        deep,
        json.dumps({"content": art(2)}),
    ]
    (tmp_path / "e.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "deep.json").write_text(deep, encoding="utf-8")
    out = tmp_path / "out"
    stages.run_ingest(tmp_path, out)
    a = io.read_table(out, schema.INGEST_ARTICLES)
    q = io.read_table(out, schema.QUARANTINE)
    assert (
        len(_bodies(a, "e.jsonl")) == 3
        and "\ufffd" in a.filter(pl.col("source_row") == 1)["url"][0]
    )
    assert q.filter(pl.col("source_path") == "e.jsonl").select("source_row", "reason").rows() == [
        (2, "malformed_json")
    ]
    assert _reasons(q, "deep.json") == ["malformed_json"]


def test_any_exception_in_a_parser_becomes_a_quarantine_row(tmp_path, monkeypatch):
    from tasks.ingest import ingest

    (tmp_path / "a.html").write_text(
        "<html><body><p>" + art(0) + "</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(art(1), encoding="utf-8")

    def boom(html, rel):
        raise ZeroDivisionError("a parser bug")

    monkeypatch.setattr(ingest, "html_record", boom)
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "b.txt") == [art(1)]
    row = q.filter(pl.col("source_path") == "a.html").row(0, named=True)
    assert row["reason"] == "unreadable" and "ZeroDivisionError" in row["detail"]


# ---- class 2: nothing silently dropped ----


def test_csv_without_a_header_keeps_its_first_article(tmp_path):
    rows = [[f"https://a.example.id/{i}", f"Judul {i}", art(i)] for i in range(3)]
    import csv

    with open(tmp_path / "noheader.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "noheader.csv") == [art(0), art(1), art(2)] and q.is_empty()
    assert arts["url"].to_list() == [r[0] for r in rows]


def test_every_sheet_of_an_xlsx_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["title", "content"])
    ws.append(["Satu", art(0)])
    ws2 = wb.create_sheet("kedua")
    ws2.append(["judul", "isi"])
    ws2.append(["Dua", art(1)])
    ws2.append(["Tiga", art(2)])
    wb.save(tmp_path / "book.xlsx")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "book.xlsx") == [art(0), art(1), art(2)] and q.is_empty()
    assert arts["source_row"].to_list() == [0, 1, 2]


def test_working_copy_and_labelling_sheets_are_noted_once_not_ingested_twice(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["title", "content", "url"])
    for i in range(3):
        wb.active.append([f"Judul {i}", art(i), f"https://a.example.id/{i}"])
    copy = wb.create_sheet("clickbait")  # a working copy of the first rows, with a label column
    copy.append(["title", "content", "url", "label"])
    for i in range(2):
        copy.append([f"Judul {i}", art(i), f"https://a.example.id/{i}", "bukan"])
    copy.append(["Baru", art(5), "https://a.example.id/5", "ya"])
    labels = wb.create_sheet("labelling")
    labels.append(["title", "label"])
    for i in range(3):
        labels.append([f"Judul {i}", "ya"])
    wb.save(tmp_path / "book.xlsx")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "book.xlsx") == [art(0), art(1), art(2), art(5)]
    assert q.select("source_row", "reason").rows() == [(3, "repeated_rows"), (6, "no_text_column")]
    assert "2 rows" in q["detail"][0] and "'labelling'" in q["detail"][1]


# ---- class 3: nothing silently corrupted or merged ----


def test_unbalanced_quote_does_not_ingest_glued_rows_as_one_article(tmp_path):
    text = (
        "url,title,content\n"
        f'https://a.example.id/0,Nol,"{art(0)}"\n'
        f'https://a.example.id/1,Satu,"{art(1)}\n'  # the closing quote is missing
        f"https://a.example.id/2,Dua,{art(2).replace(chr(10), ' ')}\n"
        f"https://a.example.id/3,Tiga,{art(3).replace(chr(10), ' ')}\n"
    )
    (tmp_path / "glued.csv").write_text(text, encoding="utf-8")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "glued.csv") == [art(0)]
    bad = q.filter(pl.col("source_path") == "glued.csv").row(0, named=True)
    assert bad["reason"] == "malformed_row" and bad["source_row"] == 1
    assert f"line {3 + art(0).count(chr(10))}:" in bad["detail"]  # where the glued row starts


def test_row_shifted_by_an_unquoted_comma_is_quarantined_with_its_line(tmp_path):
    (tmp_path / "shift.csv").write_text(
        "url,title,content\n"
        f'https://a.example.id/0,Nol,"{art(0)}"\n'
        f'https://a.example.id/1,Harga, naik,"{art(1)}"\n'
        f'https://a.example.id/2,Dua,"{art(2)}"\n',
        encoding="utf-8",
    )
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "shift.csv") == [art(0), art(2)]
    assert arts["url"].to_list() == ["https://a.example.id/0", "https://a.example.id/2"]
    bad = q.filter(pl.col("source_path") == "shift.csv").row(0, named=True)
    assert (bad["reason"], bad["source_row"]) == ("malformed_row", 1)
    assert f"line {3 + art(0).count(chr(10))}:" in bad["detail"]


def test_tsv_with_raw_quote_marks_keeps_its_rows_apart(tmp_path):
    texts = [
        f'"Pasokan berkurang," kata pedagang di {CITIES[i]}. Harga naik lagi pekan ini.'
        for i in range(3)
    ]
    body = "url\ttitle\tcontent\n" + "".join(
        f"https://a.example.id/{i}\tJudul {i}\t{t}\n" for i, t in enumerate(texts)
    )
    (tmp_path / "q.tsv").write_text(body, encoding="utf-8")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "q.tsv") == texts and q.is_empty()


def test_one_invalid_byte_does_not_turn_a_utf8_file_into_cp1252(tmp_path):
    data = art(0).encode("utf-8").replace(b"Rp 80.000", b"Rp 80.000 \xff")
    (tmp_path / "a.txt").write_bytes(data)
    rows = [{"content": art(1)}, {"content": art(2)}]
    (tmp_path / "e.jsonl").write_bytes(
        b"\n".join(json.dumps(r, ensure_ascii=False).encode() for r in rows).replace(
            b"Rp 80.000", b"Rp 80.000 \xfe", 1
        )
    )
    arts, _ = ingest_dir(tmp_path)
    for path in ("a.txt", "e.jsonl"):
        for body in _bodies(arts, path):
            assert "“Pasokan" in body and "hujan,”" in body and "â€" not in body, path
    assert "\ufffd" in _bodies(arts, "a.txt")[0]  # only the bad byte is replaced


def test_text_field_list_is_joined_and_other_types_are_refused_not_repr(tmp_path):
    paras = art(0).split("\n\n")
    rows = [
        {"content": paras},
        {"content": {"p": "x"}},
        {"content": 12345},
        {"content": True},
        {"content": None, "text": art(1)},
    ]
    (tmp_path / "t.json").write_text(json.dumps(rows), encoding="utf-8")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "t.json") == ["\n".join(paras), art(1)]
    bad = q.filter(pl.col("source_path") == "t.json").sort("source_row")
    assert bad.select("source_row", "reason").rows() == [
        (1, "not_text"),
        (2, "not_text"),
        (3, "not_text"),
    ]
    assert (
        "an object" in bad["detail"][0]
        and "a number" in bad["detail"][1]
        and "a boolean" in bad["detail"][2]
    )
    for body in arts["raw_text"]:
        assert "{'" not in body and "['" not in body


# ---- class 4: good articles not lost ----


def test_one_bad_jsonl_line_costs_only_that_line(tmp_path):
    lines = [
        json.dumps({"content": art(0)}),
        '{"content": "x", "n": ' + "9" * 5000 + "}",
        json.dumps({"content": art(1)}),
    ]
    (tmp_path / "e.jsonl").write_text("\n".join(lines), encoding="utf-8")
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "e.jsonl") == [art(0), art(1)]
    assert q.select("source_row", "reason").rows() == [(1, "malformed_json")]


def test_duplicate_header_takes_the_non_empty_column(tmp_path):
    (tmp_path / "d.csv").write_text(
        f'content,title,content\n,Satu,"{art(0)}"\n"{art(1)}",Dua,\n', encoding="utf-8"
    )
    arts, q = ingest_dir(tmp_path)
    assert _bodies(arts, "d.csv") == [art(0), art(1)] and q.is_empty()


# ---- class 5: limits ----


def test_html_article_over_the_character_limit_is_too_large(tmp_path, monkeypatch):
    from tasks.ingest import ingest

    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 200)
    (tmp_path / "long.html").write_text(
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in art(0).split("\n\n"))
        + "</article></body></html>",
        encoding="utf-8",
    )
    arts, q = ingest_dir(tmp_path)
    assert arts.is_empty() and _reasons(q, "long.html") == ["too_large"]
    assert MAX_ARTICLE_CHARS == 1_000_000


def _xlsx(
    path: Path, rows: list[list[str]], edit=None, extra: dict[str, bytes] | None = None
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    if edit or extra:
        tmp = path.with_suffix(".tmp")
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                dst.writestr(item.filename, edit(item.filename, data) if edit else data)
            for name, data in (extra or {}).items():
                dst.writestr(name, data)
        tmp.replace(path)


def test_xlsx_shared_string_bomb_is_refused_quickly(tmp_path):
    def register(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        return data

    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * 2_100_000
        + b"</sst>"
    )
    _xlsx(
        tmp_path / "bomb.xlsx",
        [["title", "content"], ["Satu", art(0)]],
        register,
        {"xl/sharedStrings.xml": strings},
    )
    t0 = time.perf_counter()
    arts, q = ingest_dir(tmp_path)
    assert time.perf_counter() - t0 < 10
    assert arts.is_empty() and _reasons(q, "bomb.xlsx") == ["too_large"]


def test_xlsx_declaring_billions_of_cells_is_refused_quickly(tmp_path):
    def huge(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            import re

            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        return data

    _xlsx(tmp_path / "wide.xlsx", [["title", "content"], ["Satu", art(0)]], huge)
    arts, q = _in_thread(lambda: ingest_dir(tmp_path), timeout=30)
    assert arts.is_empty() and _reasons(q, "wide.xlsx") == ["too_large"]


# ---- class 6: no write where it must not ----


def test_symlinked_lock_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".berita.lock").symlink_to(victim)
    with pytest.raises(RuntimeError, match="symlink"):
        with io.run_lock(out):
            pass
    assert victim.read_text() == "precious"


def test_symlinked_log_is_not_written_through(tmp_path):
    import typer

    from tasks import cli

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "berita.log").symlink_to(victim)
    with pytest.raises(typer.Exit):
        cli._fail(ValueError("something failed"), out)
    assert victim.read_text() == "precious"


def test_symlink_at_a_temp_name_never_redirects_a_write(tmp_path, monkeypatch):
    from tasks import html_report

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    (out / "ingest").mkdir(parents=True)
    pid = os.getpid()
    for name in (
        f".report.html.{pid}{io.TEMP_SUFFIX}",
        ".report.html.tmp",
        f".{manifest.MANIFEST}.{pid}{io.TEMP_SUFFIX}",
        f".{manifest.MANIFEST}.{pid}.tmp",
        f"ingest/.articles.parquet.{pid}{io.TEMP_SUFFIX}",
        f"ingest/.articles.parquet.{pid}.tmp",
    ):
        (out / name).symlink_to(victim)
    monkeypatch.setattr(html_report, "render_report", lambda output, **kw: "<html>report</html>")
    html_report.write_report(out)
    manifest.record("ingest", "fp", out, {"stage": "ingest"})
    io.write_table(pl.DataFrame(), out, schema.INGEST_ARTICLES)
    assert victim.read_text() == "precious"
    assert (out / "report.html").read_text() == "<html>report</html>"


def test_stale_temp_cleanup_deletes_only_names_berita_made(tmp_path):
    mine = [
        tmp_path / f".{manifest.MANIFEST}.4242{io.TEMP_SUFFIX}",
        tmp_path / "clean" / f".paragraphs.parquet.4242{io.TEMP_SUFFIX}",
        tmp_path / "clean" / ".paragraphs.parquet.12345.tmp",
    ]
    users = [
        tmp_path / ".draft.tmp",
        tmp_path / "notes.tmp",
        tmp_path / ".catatan.123.tmp",
        tmp_path / "raw" / ".x.parquet.99.tmp",
        tmp_path / "raw" / ".a.tmp",
    ]
    for p in mine + users:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    with io.run_lock(tmp_path):
        pass
    assert not any(p.exists() for p in mine) and all(p.exists() for p in users)


def test_raw_file_swapped_for_a_symlink_after_discovery_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA " * 50)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(art(0), encoding="utf-8")
    files, _ = discover(raw)
    (raw / "a.txt").unlink()
    (raw / "a.txt").symlink_to(secret)
    res = read_file(*files[0])
    assert not res.records and res.quarantined[0].reason == "unreadable"
    assert "symlink" in res.quarantined[0].detail


def test_input_equal_to_output_skips_berita_own_outputs(tmp_path):
    (tmp_path / "a.txt").write_text(art(0), encoding="utf-8")
    for _ in range(2):
        stages.run_stage("ingest", tmp_path, tmp_path)
        (tmp_path / "report.html").write_text(
            "<html><body><p>" + art(1) + "</p></body></html>", encoding="utf-8"
        )
        (tmp_path / "berita.log").write_text("log")
    stages.run_stage("ingest", tmp_path, tmp_path, force=True)
    a = io.read_table(tmp_path, schema.INGEST_ARTICLES)
    q = io.read_table(tmp_path, schema.QUARANTINE)
    assert a["source_path"].to_list() == ["a.txt"] and q.is_empty()


# ---- class 7: faults heal ----


def _pids_alive(pids: list[int]) -> list[int]:
    alive = []
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                if fh.read().split(") ")[1].split()[0] != "Z":
                    alive.append(p)
        except OSError:
            pass
    return alive


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_workers_die_with_their_parent(tmp_path, sig):
    script = tmp_path / "hold.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tasks import parallel\n"
        "if __name__ == '__main__':\n"
        "    list(parallel.map_chunks(abs, [-1, -2, -3, -4], 2))\n"
        "    print(' '.join(str(p) for p in parallel._pool(2)._processes), flush=True)\n"
        "    time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(x) for x in proc.stdout.readline().split()]
        assert len(workers) == 2 and _pids_alive(workers) == workers
        os.kill(proc.pid, getattr(__import__("signal"), sig))
        proc.wait(30)
        deadline = time.monotonic() + 10
        while _pids_alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _pids_alive(workers) == []
    finally:
        proc.kill()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tasks.cli", *args]


@pytest.mark.parametrize("sig,code", [("SIGTERM", 143), ("SIGINT", 130)])
def test_signal_stops_a_run_with_its_code_one_line_and_no_temp_files(tmp_path, sig, code):
    import signal

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(4000):
        (raw / f"a{i:05d}.txt").write_text(art(i), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cli("run", "--no-prefect", "--workers", "1", "-i", str(raw), "-o", str(out)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while (
        not list(out.glob(f"ingest/*{io.TEMP_SUFFIX}"))
        and time.monotonic() < deadline
        and proc.poll() is None
    ):
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(getattr(signal, sig))
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and sig in lines[0] and "Traceback" not in stderr, stderr
    assert not [p for p in out.rglob("*") if p.name.endswith((".tmp", io.TEMP_SUFFIX))]


def test_truncated_stage_output_reruns_instead_of_failing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"a{i}.txt").write_text(art(i), encoding="utf-8")
    out = tmp_path / "out"
    stages.run_stage("ingest", raw, out)
    good = io.read_table(out, schema.INGEST_ARTICLES).drop("ingested_at")
    path = io.table_path(out, schema.INGEST_ARTICLES)
    for force in (False, True):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        r = stages.run_stage("ingest", raw, out, force=force)
        assert not r["skipped"]
        assert io.read_table(out, schema.INGEST_ARTICLES).drop("ingested_at").equals(good)


@pytest.fixture()
def deduped(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(6):
        (raw / f"a{i}.txt").write_text(art(i), encoding="utf-8")
    (raw / "copy.txt").write_text(art(2), encoding="utf-8")
    out = tmp_path / "out"
    for s in registry.NAMES[:3]:
        stages.run_stage(s, raw, out)
    return out, io.read_table(out, schema.DEDUP_PARAGRAPHS)


def test_damaged_index_is_rebuilt_with_a_warning(deduped, caplog):
    out, before = deduped
    path = io.table_path(out, schema.DEDUP_INDEX)
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="berita"):
        r = stages.run_stage("dedup", None, out)
    assert not r["skipped"] and "checksum" in caplog.text
    assert io.read_table(out, schema.DEDUP_PARAGRAPHS).equals(before)
    assert dedup_stage.read_index(out) is not None  # rebuilt and trusted again


def test_index_with_wrong_but_valid_signatures_is_not_trusted(deduped):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out, before = deduped
    path = io.table_path(out, schema.DEDUP_INDEX)
    t = pq.read_table(path)
    sig = t.column("sig").combine_chunks()
    same = pa.FixedSizeListArray.from_arrays(
        pa.array([7] * (len(sig) * sig.type.list_size), pa.uint32()), sig.type.list_size
    )

    def recomputed() -> (
        bool
    ):  # the index written back holds the true signatures, not the forged ones
        return (
            pq.read_table(path)
            .sort_by("norm_hash")
            .column("sig")
            .equals(t.sort_by("norm_hash").column("sig"))
        )

    pq.write_table(t.set_column(t.schema.get_field_index("sig"), "sig", same.cast(sig.type)), path)
    stages.run_stage("dedup", None, out)
    assert recomputed() and io.read_table(out, schema.DEDUP_PARAGRAPHS).equals(before)
    pq.write_table(t.set_column(t.schema.get_field_index("sig"), "sig", same.cast(sig.type)), path)
    dedup_stage.index_checksum_path(out).write_text(
        manifest.file_digest(path)
    )  # checksum forged too: --force still
    stages.run_stage("dedup", None, out, force=True)
    assert recomputed() and io.read_table(out, schema.DEDUP_PARAGRAPHS).equals(before)


@pytest.mark.parametrize(
    "content", ["[1, 2]", '{"ingest": "x", "clean": 5}', '{"ingest": {"outputs": [1]}}', '"s"']
)
def test_manifest_of_the_wrong_shape_is_treated_as_absent(tmp_path, content, caplog):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(art(0), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / manifest.MANIFEST).write_text(content)
    with caplog.at_level(logging.WARNING, logger="berita"):
        r = stages.run_stage("ingest", tmp_path / "raw", out)
    assert not r["skipped"] and "manifest" in caplog.text
    assert stages.run_stage("ingest", tmp_path / "raw", out)["skipped"]  # and healed


# ---- class 8 ----


def test_refused_concurrent_run_leaves_the_holders_log_alone(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(art(0), encoding="utf-8")
    out = tmp_path / "out"
    with io.run_lock(out):
        (out / "berita.log").write_text("holder's log\n")
        r = subprocess.run(
            _cli("run", "--no-prefect", "--workers", "1", "-i", str(raw), "-o", str(out)),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert r.returncode == 1 and "another berita run" in r.stderr
    assert (out / "berita.log").read_text() == "holder's log\n"


def test_clock_set_in_the_future_is_warned_about(tmp_path, monkeypatch, caplog):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text(art(0), encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setattr(inputs, "now", lambda: datetime(2099, 1, 1, tzinfo=UTC))
    with caplog.at_level(logging.WARNING, logger="berita"):
        stages.run_ingest(tmp_path / "raw", out)
    assert len(caplog.records) == 1 and "2099" in caplog.text and "clock" in caplog.text
    caplog.clear()
    monkeypatch.setattr(
        inputs, "now", lambda: datetime.now(UTC)
    )  # clock corrected: the carried-over values
    with caplog.at_level(logging.WARNING, logger="berita"):
        stages.run_ingest(tmp_path / "raw", out)
    assert "2099" in caplog.text and "ahead" in caplog.text
