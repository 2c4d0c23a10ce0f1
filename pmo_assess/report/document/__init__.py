"""The editable Word report (``report.docx``), written with python-docx from the report's
content, in the firm's template when there is one."""

from pmo_assess.report.document.write import write_document

__all__ = ["write_document"]
