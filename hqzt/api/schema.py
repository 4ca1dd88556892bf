"""Tells the OpenAPI schema how integration tokens are sent."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "hqzt.api.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "在系统管理中创建的对接令牌：Authorization: Bearer hqzt_…",
        }
