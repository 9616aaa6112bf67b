"""A small corpus with what the analyst tools must count right: the five sample articles, a scraper
export whose rows copy paragraphs of them under other outlets (one dated, one not), a row with a
lone-dash line (punctuation residue), a malformed export line and an empty file (quarantine)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"

OWN = [
    "Pemerintah Kota Surabaya menambah 40 armada bus listrik untuk melayani rute baru mulai pekan "
    "depan.",
    "Kepala Dinas Perhubungan Surabaya mengatakan tarif bus tetap Rp5.000 untuk semua penumpang "
    "umum.",
    "Warga dapat membayar dengan kartu uang elektronik atau aplikasi pembayaran di setiap halte "
    "resmi.",
]


def _paragraphs(name: str) -> list[str]:
    text = (SAMPLE / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if len(p.split()) >= 12]


def build_input(dest: Path) -> Path:
    """Write the corpus under dest (a folder) and return it."""
    shutil.copytree(SAMPLE, dest)
    genpi = _paragraphs("001_d570b8d179dc85b6.txt")
    rows = [
        {
            "url": "https://www.kompas.com/global/read/2024/06/21/putin-kim",
            "title": "Putin dan Kim teken pakta",
            "date": "2024-06-21 10:15",
            "content": "\n\n".join(genpi[:6]),
        },
        {
            "url": "https://news.detik.com/berita/d-1/bus-listrik-surabaya",
            "title": "Bus listrik Surabaya",
            "date": "2024-06-25 08:00",
            "content": "\n\n".join([OWN[0], "-", OWN[1], *genpi[6:8], OWN[2]]),
        },
        {
            "url": "https://www.tempo.co/internasional/putin-pyongyang",
            "title": "Putin di Pyongyang",
            "content": "\n\n".join([*genpi[2:5], OWN[2]]),
        },
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    # malformed line: quarantined
    lines.insert(2, '{"url": "https://www.tempo.co/broken", "content": ')
    (dest / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (dest / "kosong.txt").write_text("", encoding="utf-8")
    return dest
