"""How every app writes documents: `pdf` (ReportLab with the embedded Noto Sans SC fonts, every
paragraph escaped) and `word` (python-docx). Kept below the apps (ADR 0011) so the ledger, the
books, the weekly report and the posters all render the same way."""
