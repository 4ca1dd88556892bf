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


# What a client does next with what it was given: the receipt's tracking number goes to 查进度,
# a pushed work order is read back by its external id (OpenAPI links, also what stateful API
# tests follow from create to read).
LINKS = {
    ("/api/v1/portal/stations/{id}/", "get"): {
        "SubmitToStation": {
            "operationId": "v1_portal_submissions_create",
            "requestBody": {"station": "$response.body#/id"},
            "description": "向该服务站提交需求。",
        }
    },
    ("/api/v1/portal/submissions/", "post"): {
        "TrackSubmission": {
            "operationId": "v1_portal_track_create",
            "requestBody": {"tracking_number": "$response.body#/tracking_number"},
            "description": "用回执上的跟踪单号查询进度（另需联系电话后四位）。",
        }
    },
    ("/api/v1/integration/needs/", "post"): {
        "ReadPushedNeed": {
            "operationId": "v1_integration_needs_retrieve",
            "parameters": {"external_id": "$request.body#/external_id"},
            "description": "按对方平台的工单编号查询办理状态。",
        }
    },
}


def add_links(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: attach LINKS to each operation's success response."""
    for (path, method), links in LINKS.items():
        responses = result["paths"][path][method]["responses"]
        responses["201" if "201" in responses else "200"]["links"] = links
    return result
