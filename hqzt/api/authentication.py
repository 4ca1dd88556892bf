from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from hqzt.accounts.otp import account_obligation
from hqzt.accounts.tokens import (
    personal_token_expired,
    personal_token_find,
    personal_token_used,
)
from hqzt.api.models import IntegrationToken, token_hash
from hqzt.core import clock


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer hqzt_…` for external platforms. The request has no user; the token
    (request.auth) carries the platform's scope."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if len(header) != 2 or header[0] != self.keyword:
            return None
        token = IntegrationToken.objects.filter(key_hash=token_hash(header[1])).first()
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed("对接令牌无效或已吊销。")
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return self.keyword


class PersonalTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token …` for staff, with the pages' account rules: a token issued before
    the password last changed or more than API_TOKEN_MAX_AGE_DAYS ago is void, and a user who
    owes the pages a password change or a second-factor enrolment is refused until it is done.
    Tokens are found by their hash (accounts/tokens.py); DRF's header parsing and messages are
    kept, its Token model is not."""

    def authenticate_credentials(self, key):
        token = personal_token_find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.created < user.password_changed_at:
            raise exceptions.AuthenticationFailed("密码已修改，请重新获取令牌。")
        if personal_token_expired(token):
            raise exceptions.AuthenticationFailed(
                f"令牌已超过有效期（{settings.API_TOKEN_MAX_AGE_DAYS} 天），请重新获取令牌。"
            )
        if obligation := account_obligation(user):
            raise exceptions.AuthenticationFailed(obligation)
        personal_token_used(token)
        return user, token
