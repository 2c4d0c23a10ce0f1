"""Write the fixtures whose bytes matter: run ``python tests/data/surveys/make_encoded.py``.

- ``qualtrics_utf16.tsv``: ``qualtrics.csv`` as Qualtrics' TSV export writes it (UTF-16 with a
  byte-order mark, tab separated, nothing quoted, CRLF line ends).
- ``ms_forms_bom.csv``: ``ms_forms.csv`` as Excel saves "CSV UTF-8" (a BOM, CRLF).
- ``google_sheet_cp1252.csv``: a Google sheet re-saved by Excel on Western-European Windows
  (cp1252), with curly apostrophes in a header and an answer.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent

CP1252_ROWS = [
    ["Timestamp", "Email Address", "How consistently are the PMO\u2019s templates used?"],
    ["7/3/2022 9:00:00", "flo@client.example", "Don\u2019t know"],
    ["7/3/2022 9:30:00", "gus@client.example", "Managed"],
]


def main() -> None:
    qualtrics = list(
        csv.reader(io.StringIO((HERE / "qualtrics.csv").read_text("utf-8"), newline=""))
    )
    tsv = "".join("\t".join(row) + "\r\n" for row in qualtrics)
    (HERE / "qualtrics_utf16.tsv").write_bytes(tsv.encode("utf-16"))
    ms_forms = (HERE / "ms_forms.csv").read_text("utf-8").replace("\n", "\r\n")
    (HERE / "ms_forms_bom.csv").write_bytes(ms_forms.encode("utf-8-sig"))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(CP1252_ROWS)
    (HERE / "google_sheet_cp1252.csv").write_bytes(buffer.getvalue().encode("cp1252"))


if __name__ == "__main__":
    main()
