"""The API's cursor pages."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from hqzt.core.text import as_id


class NeedCursor(CursorPagination):
    ordering = "-pk"
    page_size = 50

    def decode_cursor(self, request):
        """DRF checks a cursor's offset and direction but not its position, which goes straight
        into `pk__lt`: a forged `p=abc` answered 500 (outside probe). It is refused as DRF
        refuses any other bad cursor."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and as_id(cursor.position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor
