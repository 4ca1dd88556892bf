from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hqzt.accounts.ui import nav_for, user_place


def shell(request: HttpRequest) -> dict[str, object]:
    """The staff shell's menu and user menu for a signed-in user (nothing for the public)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav": nav_for(user, request.path) if signed_in else None,
        # Lazy: only the shell's user menu reads it, so HTMX fragments cost no query.
        "user_place": SimpleLazyObject(
            lambda: dict(zip(("role", "where"), user_place(user), strict=True))
        )
        if signed_in
        else None,
    }
