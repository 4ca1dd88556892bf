"""Every login, failed login and logout is recorded (等保: 安全审计)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hqzt.accounts.login_limit import login_failure_count
from hqzt.audit.services import audit_record
from hqzt.core.clientip import client_ip


def _ip(request) -> str | None:
    return (client_ip(request) or None) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="login", obj=user, ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", obj=user, ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # A wrong second-factor code is sent as a failed login too (accounts/otp.py), so that the
    # lock-out and the address's limit (accounts/login_limit.py) count it; the audit tells the
    # two apart.
    audit_record(
        actor=None,
        action="otp_failed" if credentials.get("factor") == "otp" else "login_failed",
        object_type="accounts.user",
        object_id=str(credentials.get("username", ""))[:40],
        ip=_ip(request),
    )
    login_failure_count(request)
