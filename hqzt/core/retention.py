"""How long archived material is kept (§6.6.4): at least `RETENTION_YEARS` (three) years from the
day it is archived. A pure function of the date, kept in core (ADR 0011) because needs (archiving),
records (closed books), documents (the ledger import) and supervision (the self-check) all use it;
destroying after it is records' `need_purge`."""

import datetime

from django.conf import settings


# DB1405 §6.6.4
def retention_date(archived_on: datetime.date) -> datetime.date:
    years = settings.RETENTION_YEARS
    try:
        return archived_on.replace(year=archived_on.year + years)
    except ValueError:  # 29 February
        return datetime.date(archived_on.year + years, 3, 1)
