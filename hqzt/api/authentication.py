from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions

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
