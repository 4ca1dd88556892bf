"""Errors in Chinese, in one shape: {"detail": "…"} or {"errors": {field: [...]}}."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from hqzt.needs.workflow import TransitionForbidden, TransitionRefused


def exception_handler(exc, context):
    if isinstance(exc, TransitionForbidden):
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_handler(exc, context)
