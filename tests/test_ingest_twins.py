"""ingest's fast paths give exactly what the plain implementation gives: text repair skips ftfy only
where ftfy would change nothing, and the normalisation equals the plain replacements.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.fixes
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.ingest.ingest import _FTFY_MAY_CHANGE, fix_text

SAFE = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n“”‘’–—…•°"


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, normalization=None, fix_line_breaks=False, uncurl_quotes=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SAFE, max_size=400))
def test_ingest_fast_path_returns_what_ftfy_returns(text: str) -> None:
    assert fix_text(text) == _ftfy(text)
    if "&" not in text:
        assert not _FTFY_MAY_CHANGE.search(text)  # the fast path is taken


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="&#;ampltgAMPEACUTEx09 R\n“é", max_size=60))
@example("Riset R&D PT A&B Tbk &amp; anak usaha")
@example("Harga &lt;Rp 5.000&gt; &#8220;x&#8221; &nbsp &NTILDE; &nTILDE;")
def test_ampersands_that_are_no_html_entity_skip_ftfy_and_give_what_ftfy_gives(text: str) -> None:
    assert fix_text(text) == _ftfy(text)
    if "é" not in text and not ftfy.fixes.HTML_ENTITY_RE.search(text):
        assert not _FTFY_MAY_CHANGE.search(text)  # the fast path is taken


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="ab \r\n\u00a0\u2000\u2005\u200a\u200b\u200c"
        "\u00ad\ufeff\u3000\u202f\u2060é\x00\x07",
        max_size=60,
    )
)
def test_normalised_text_equals_the_plain_replacements(text: str) -> None:
    from tasks.ingest.ingest import normalise_text

    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = re.sub(
        "[\u00a0\u2007\u202f\u2000-\u200a\u3000]",
        " ",
        re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", plain),
    )
    assert normalise_text(text) == plain


def test_mojibake_and_entities_still_go_through_ftfy() -> None:
    assert (
        fix_text("Presiden mengatakan â€œkami siapâ€\x9d di Jakarta")
        == "Presiden mengatakan “kami siap” di Jakarta"
    )
    assert fix_text("Kopi &amp; teh") == "Kopi & teh"
    assert fix_text("Kopi & teh &#8220;x&#8221;") == "Kopi & teh “x”"
    assert fix_text("SchÃ¶n") == "Schön"
