"""What an answer can be, whatever file, form or survey it came from.

A scored answer has a value; ``N/A`` (the practice does not apply) and ``Don't know`` are
kept as answers too, because they count against coverage in different ways. The confidence
levels say how far an interviewer trusts an answer.
"""

from __future__ import annotations

ANSWERED, NOT_APPLICABLE, DONT_KNOW = "answered", "na", "dont_know"
#: How far an answer is trusted, weakest first.
CONFIDENCE_LEVELS = ("self-reported", "interview", "evidence-verified")
