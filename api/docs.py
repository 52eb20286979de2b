"""The browsable docs (Swagger UI from drf-spectacular-sidecar's static files: no CDN, and no
inline script or style, so the site's Content-Security-Policy holds), and the API's 404."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound

swagger = SpectacularSwaggerSplitView.as_view(
    url_name="api-schema", template_name="api/swagger_ui.html"
)


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def not_found(request):
    raise NotFound(f"There is no {request.path} in the API: /api/v1/ lists what there is.")
