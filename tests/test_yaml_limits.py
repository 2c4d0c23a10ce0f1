"""Every YAML reader refuses what no real data file holds (aliases, deep nesting, huge files,
control characters, values YAML cannot build) as a validation problem with file and line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmo_assess.core.errors import ValidationError
from pmo_assess.core.yamlsource import MAX_YAML_BYTES, MAX_YAML_DEPTH
from pmo_assess.importers.mapping import load_mapping
from pmo_assess.insight.recommendations import load_recommendations
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.vocabulary import load_vocabulary
from pmo_assess.report.branding import load_branding

READERS: dict[str, Callable[[Path], Any]] = {
    "questionnaire": load_questionnaire,
    "mapping": load_mapping,
    "branding": load_branding,
    "recommendations": load_recommendations,
    "vocabulary": load_vocabulary,
}

# 9 levels of 9 aliases each: 9**9 (387 million) strings once expanded; the 290 bytes
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

# (file text, line of the problem, words of the message)
CASES = {
    "alias bomb": (LAUGHS, 2, "YAML alias '*a'"),
    "self alias": ("title: &t [*t]\n", 1, "YAML alias '*t'"),
    "merge key": ("a: &a {x: 1}\nb:\n  <<: *a\n", 3, "YAML alias '*a'"),
    "deep nesting": ("x: 1\ny: " + "[" * 5000 + "]" * 5000 + "\n", 2, "nested more than 50"),
    "NUL": ("title: ok\nid: a\x00b\n", 2, "control character U+0000"),
    "list as key": ("x: 1\n? [a, b]\n: c\n", 2, "a mapping key must be plain text"),
    "impossible date": ("x: 1\ndate: 2025-13-45\n", 2, "YAML cannot read '2025-13-45'"),
    "bad int tag": ("x: !!int abc\n", 1, "YAML cannot read 'abc' as int"),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("case", CASES)
def test_every_yaml_reader_refuses_with_file_and_line(
    tmp_path: Path, reader: str, case: str
) -> None:
    text, line, words = CASES[case]
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        READERS[reader](path)
    assert time.perf_counter() - started < 2
    assert [str(p) for p in caught.value.problems if words in p.message] == [
        f"{path}:{line}: {p.message}" for p in caught.value.problems if words in p.message
    ]
    assert any(words in p.message for p in caught.value.problems), caught.value.report()


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * (MAX_YAML_BYTES // 10 + 1), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"huge\.yaml: the file is 5\.0 MB; .* up to 5 MB"):
        load_questionnaire(path)


def test_nesting_up_to_the_limit_still_reads(tmp_path: Path) -> None:
    # the top mapping is level 1, so the value may open MAX_YAML_DEPTH - 1 lists
    depth = MAX_YAML_DEPTH - 1
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * depth + "1" + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_branding(path)  # refused for its unknown key, not for its depth
    assert "nested" not in caught.value.report()
    assert "unknown key" in caught.value.report()
