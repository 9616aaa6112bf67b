"""A generated hostile corpus (issue 27): every kind of bad file, row, name and link of classes 1-7,
each holding planted articles with a unique code word, mixed with good files, written fresh from a
seed (no checked-in files). The real CLI runs over it (`--no-prefect --workers 1`), twice, with its
output inside the input folder and a report written between the runs. The accounting invariant:

- the run exits 0 and prints no traceback;
- every planted article is in ingest/articles (exactly once, from its file) or its file has a
  quarantine row with a reason; the articles the fixes promise (headerless CSV, every xlsx sheet,
  rows around a bad one, ...) must be ingested;
- no ingested article holds two code words (nothing glued) and every article from a generated file
  holds one (no URL fragment or shifted column ingested as text);
- berita's own outputs are never input.
"""

from __future__ import annotations

import csv
import io as stdio
import json
import os
import random
import re
import socket
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest

from tests.hostile_fixture import CITIES, market_article

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"KODE[A-Z]{6}")


@dataclass
class Corpus:
    root: Path
    rng: random.Random
    n: int = 0
    must: dict[str, set[str]] = field(default_factory=dict)  # file -> codes that must be ingested
    may: dict[str, set[str]] = field(default_factory=dict)  # file -> codes ingested or quarantined

    def article(self, rel: str, must: bool = True) -> str:
        """A new real-looking article with a unique code word, planted in rel."""
        self.n += 1
        code = "KODE" + "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        text = market_article(self.rng.choice(CITIES), price=f"{11 + self.n}.500", code=code)
        (self.must if must else self.may).setdefault(rel, set()).add(code)
        return text

    def path(self, rel: str) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = stdio.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _xlsx(
    path: Path,
    sheets: list[list[list[str]]],
    edit: Callable[[str, bytes], bytes] | None = None,
    extra: dict[str, bytes] | None = None,
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for k, rows in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet(f"lembar{k + 1}")
        for r in rows:
            ws.append(r)
    wb.save(path)
    if edit or extra:
        tmp = path.with_name(path.name + ".part")
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                dst.writestr(item.filename, edit(item.filename, data) if edit else data)
            for name, data in (extra or {}).items():
                dst.writestr(name, data)
        tmp.replace(path)


# ---- the kinds: each writes its files into the corpus and registers the articles it planted ----


def good_files(c: Corpus) -> None:
    c.path("baik/satu.txt").write_text(c.article("baik/satu.txt"), encoding="utf-8")
    body = "".join(f"<p>{p}</p>" for p in c.article("baik/dua.html").split("\n\n"))
    c.path("baik/dua.html").write_text(
        f"<html><head><title>x</title></head><body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    rows = [["url", "title", "content"]] + [
        [f"https://a.example.id/{i}", f"Judul {i}", c.article("baik/tiga.csv")]
        for i in range(c.rng.randint(1, 3))
    ]
    c.path("baik/tiga.csv").write_text(_csv(rows), encoding="utf-8")


def nonregular_files(c: Corpus) -> None:  # class 1: never opened (a FIFO would hang the run)
    os.mkfifo(c.path("khusus/pipa.txt"))
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(c.path("khusus/soket.txt")))
    s.close()  # the socket file stays
    if os.geteuid() == 0:
        os.mknod(c.path("khusus/perangkat.txt"), 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    c.may.setdefault("khusus/pipa.txt", set())


def links(c: Corpus) -> None:  # class 1/6: loops, broken links, links outside
    d = c.path("tautan/x").parent
    os.symlink(d / "b.txt", d / "a.txt")
    os.symlink(d / "a.txt", d / "b.txt")
    os.symlink(d / "hilang.txt", d / "rusak.txt")
    outside = c.root.parent / "luar.txt"
    outside.write_text("RAHASIA tidak boleh dibaca " * 20, encoding="utf-8")
    os.symlink(outside, d / "luar.txt")


def bad_names(c: Corpus) -> None:  # class 1: an undecodable file name
    folder = c.path("nama/x").parent
    with open(
        os.path.join(os.fsencode(folder), b"berita-\xff\xfe.txt"), "w", encoding="utf-8"
    ) as fh:
        fh.write(c.article("nama/berita-\\xff\\xfe.txt"))


def json_kinds(
    c: Corpus,
) -> None:  # classes 1/3/4: deep values, surrogates, huge ints, non-text text
    rel = "json/campur.jsonl"
    lines = [
        json.dumps({"content": c.article(rel), "url": "https://a.example.id/j1"}),
        "{rusak",
        '{"content": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"content": "x", "n": ' + "7" * 6000 + "}",
        json.dumps({"content": c.article(rel).split("\n\n"), "url": "https://a.example.id/j2"}),
        json.dumps({"content": c.article(rel), "title": "Judul \ud800 rusak"}),
        json.dumps({"content": {"p": "objek"}}),
        json.dumps({"content": 12345}),
        json.dumps({"content": False}),
    ]
    order = lines[:1] + c.rng.sample(lines[1:], len(lines) - 1)
    c.path(rel).write_text("\n".join(order), encoding="utf-8")
    c.path("json/dalam.json").write_text(
        '{"articles": ' + "[" * 60_000 + "]" * 60_000 + "}", encoding="utf-8"
    )
    rows = [
        {"text": c.article("json/daftar.json")},
        {"text": True},
        {"isi": c.article("json/daftar.json")},
    ]
    c.path("json/daftar.json").write_text(json.dumps(rows), encoding="utf-8")


def csv_kinds(c: Corpus) -> None:  # classes 2/3/4
    n = c.rng.randint(2, 4)
    rel = "csv/tanpa_header.csv"
    c.path(rel).write_text(
        _csv([[f"https://a.example.id/h{i}", f"Judul {i}", c.article(rel)] for i in range(n)]),
        encoding="utf-8",
    )
    rel = "csv/bergeser.csv"
    pieces = [
        _csv([r])
        for r in (
            ["url", "title", "content"],
            ["https://a.example.id/s0", "Satu", c.article(rel)],
            ["https://a.example.id/s2", "Tiga", c.article(rel)],
        )
    ]
    pieces.insert(
        c.rng.randint(1, 3), f'https://a.example.id/s1,Harga, naik,"{c.article(rel, must=False)}"\n'
    )
    c.path(rel).write_text("".join(pieces), encoding="utf-8")
    rel = "csv/kutip_rusak.csv"
    head = _csv([["url", "title", "content"], ["https://a.example.id/q0", "Nol", c.article(rel)]])
    glued = f'https://a.example.id/q1,Satu,"{c.article(rel, must=False)}\n'
    tail = "".join(
        f"https://a.example.id/q{i},Judul,{c.article(rel, must=False).replace(chr(10), ' ')}\n"
        for i in range(2, 2 + c.rng.randint(1, 3))
    )
    c.path(rel).write_text(head + glued + tail, encoding="utf-8")
    rel = "csv/kutip_mentah.tsv"
    rows = [["url", "title", "content"]] + [
        [
            f"https://a.example.id/t{i}",
            "Judul",
            f'"Stok berkurang," kata pedagang. {c.article(rel).replace(chr(10), " ")}',
        ]
        for i in range(c.rng.randint(2, 3))
    ]
    c.path(rel).write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    rel = "csv/header_ganda.csv"
    c.path(rel).write_text(
        _csv(
            [
                ["content", "title", "content"],
                ["", "Satu", c.article(rel)],
                [c.article(rel), "Dua", ""],
            ]
        ),
        encoding="utf-8",
    )
    rel = "csv/satu_byte.csv"
    data = _csv([["title", "content"], ["Satu", c.article(rel)], ["Dua", c.article(rel)]]).encode(
        "utf-8"
    )
    c.path(rel).write_bytes(data.replace(b"Budi", b"Bu\xffdi", 1))
    rel = "txt/satu_byte.txt"
    c.path(rel).write_bytes(c.article(rel).encode("utf-8").replace(b"Budi", b"Bu\xfedi"))


def xlsx_kinds(c: Corpus) -> None:  # classes 2/5
    rel = "xlsx/banyak_lembar.xlsx"
    sheets = [
        [["title", "content"]]
        + [[f"Judul {i}", c.article(rel)] for i in range(c.rng.randint(1, 2))]
        for _ in range(c.rng.randint(2, 3))
    ]
    _xlsx(c.path(rel), sheets)

    def register(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        return data

    rel = "xlsx/bom_string.xlsx"
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * 2_100_000
        + b"</sst>"
    )
    _xlsx(
        c.path(rel),
        [[["title", "content"], ["Satu", c.article(rel, must=False)]]],
        register,
        {"xl/sharedStrings.xml": strings},
    )

    def wide(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        return data

    rel = "xlsx/bom_sel.xlsx"
    _xlsx(c.path(rel), [[["title", "content"], ["Satu", c.article(rel, must=False)]]], wide)


KINDS = [good_files, nonregular_files, links, bad_names, json_kinds, csv_kinds, xlsx_kinds]


def _berita(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tasks.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module", params=[11, 27])
def generated(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"generated{request.param}")
    raw = base / "raw"
    raw.mkdir()
    c = Corpus(raw, random.Random(request.param))
    for kind in KINDS:
        kind(c)
    out = raw / "_hasil"  # output inside the input: its files must never be read as input
    runs = [_berita("run", "--no-prefect", "--workers", "1", "-i", str(raw), "-o", str(out))]
    runs.append(_berita("report", "-o", str(out)))
    runs.append(_berita("run", "--no-prefect", "--workers", "1", "-i", str(raw), "-o", str(out)))
    arts = pl.read_parquet(out / "ingest" / "articles.parquet")
    q = pl.read_parquet(out / "quarantine" / "ingest.parquet")
    return c, runs, arts, q


def test_every_run_exits_zero_without_a_traceback(generated):
    _, runs, _, _ = generated
    for r in runs:
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stdout + r.stderr


def test_every_planted_article_is_ingested_or_quarantined_with_a_reason(generated):
    c, _, arts, q = generated
    texts = dict(zip(arts["article_id"], arts["raw_text"], strict=True))
    where = dict(zip(arts["article_id"], arts["source_path"], strict=True))
    found: dict[str, list[str]] = {}
    for aid, text in texts.items():
        for code in CODE.findall(text):
            found.setdefault(code, []).append(where[aid])
    quarantined = set(q.filter(pl.col("reason").str.len_chars() > 0)["source_path"].to_list())
    for rel, codes in c.must.items():
        for code in codes:
            assert found.get(code) == [rel], (rel, code, found.get(code))
    for rel, codes in c.may.items():
        for code in codes:
            assert found.get(code) == [rel] or rel in quarantined, (rel, code)


def test_nothing_glued_shifted_or_foreign_is_ingested(generated):
    c, _, arts, _ = generated
    for path, text in zip(arts["source_path"], arts["raw_text"], strict=True):
        codes = set(CODE.findall(text))
        assert len(codes) == 1, (path, text[:200])
        assert not path.startswith("_hasil") and "RAHASIA" not in text


def test_hostile_files_are_quarantined_with_their_reason(generated):
    _, _, _, q = generated
    reasons = dict(
        zip(
            q.filter(pl.col("source_row").is_null())["source_path"],
            q.filter(pl.col("source_row").is_null())["reason"],
            strict=True,
        )
    )
    expect = {
        "khusus/pipa.txt": "not_regular_file",
        "khusus/soket.txt": "not_regular_file",
        "tautan/a.txt": "symlink_loop",
        "tautan/b.txt": "symlink_loop",
        "tautan/rusak.txt": "unreadable",
        "tautan/luar.txt": "symlink_outside",
        "json/dalam.json": "malformed_json",
        "xlsx/bom_string.xlsx": "too_large",
        "xlsx/bom_sel.xlsx": "too_large",
    }
    if os.geteuid() == 0:
        expect["khusus/perangkat.txt"] = "not_regular_file"
    assert {k: reasons.get(k) for k in expect} == expect
    rows = q.filter(pl.col("source_row").is_not_null())
    per_file = rows.group_by("source_path").agg("reason")
    got = {r["source_path"]: sorted(r["reason"]) for r in per_file.iter_rows(named=True)}
    assert got["json/campur.jsonl"] == ["malformed_json"] * 3 + ["not_text"] * 3
    assert got["json/daftar.json"] == ["not_text"]
    assert got["csv/bergeser.csv"] == ["malformed_row"] and got["csv/kutip_rusak.csv"] == [
        "malformed_row"
    ]
    assert not any(p.startswith("_hasil") for p in q["source_path"].to_list())
