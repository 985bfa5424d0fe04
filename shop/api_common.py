"""Shared DRF pieces: error shape, pagination, role permissions, tenant helpers."""

from __future__ import annotations

import copy
import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .constants import Role
from .errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(x, (dict, list)) for x in detail):
            return [str(x) for x in detail]
        return [_flatten(x) for x in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render every error as API.md's ``{"code", "detail"[, "errors"]}``."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        return Response({"code": "not_found", "detail": _("Not found.")}, status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"code": "invalid", "detail": _("The data is not valid."), "errors": _flatten(errors)}
        return response
    if isinstance(exc, exceptions.ParseError):
        response.data = {"code": "parse_error", "detail": str(exc.detail)}
        return response
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        response.status_code = 401
        response.data = {"code": "not_authenticated", "detail": str(exc.detail)}
        return response
    if isinstance(exc, exceptions.PermissionDenied):
        response.data = {"code": "permission_denied", "detail": str(exc.detail)}
        return response
    if isinstance(exc, exceptions.NotFound):
        response.data = {"code": "not_found", "detail": str(exc.detail)}
        return response
    if isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        response.data = {"code": code, "detail": str(exc.detail)}
    return response


class ShallowFieldsMixin:
    """For flat input serializers on hot paths (claim filing): each instance gets shallow copies
    of the declared fields instead of DRF's deep copies, which are two thirds of validating a
    request. Only for serializers that never change their fields per instance and declare no
    nested serializers (the copies share validators and a list field's child)."""

    def get_fields(self) -> dict[str, Any]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}  # type: ignore[attr-defined]


def validated(serializer_class: type, data: Any) -> dict[str, Any]:
    """Validate request data with a serializer; errors raise ValidationFailed (API.md ``invalid``)."""
    ser = serializer_class(data=data)
    if not ser.is_valid():
        raise ValidationFailed(errors=ser.errors)
    return dict(ser.validated_data)


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return profile.role
    if user.is_staff:
        return Role.REVIEWER
    return None


class HasRole(permissions.BasePermission):
    """``permission_classes = [HasRole.of(Role.MERCHANT)]``."""

    roles: tuple[str, ...] = ()

    @classmethod
    def of(cls, *roles: str) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": tuple(roles)})

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return role_of(request.user) in self.roles


IsPlatform = HasRole.of(Role.PLATFORM)
IsMerchant = HasRole.of(Role.MERCHANT)
IsStreamer = HasRole.of(Role.STREAMER)
IsConsumer = HasRole.of(Role.CONSUMER)
IsReviewer = HasRole.of(Role.REVIEWER)
