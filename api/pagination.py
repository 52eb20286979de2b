"""Lists are pages: {"count", "next", "previous", "results"}, 100 a page (?page_size= up to 500).
A page or page size that is not a whole number in range is a 400, not silently the default."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def whole_number(request, name: str, maximum: int | None = None) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValidationError({name: "Give a whole number from 1."})
    if maximum is not None and int(text) > maximum:
        raise ValidationError({name: f"At most {maximum}."})
    return int(text)


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        return whole_number(request, self.page_size_query_param, self.max_page_size) or (
            self.page_size
        )

    def paginate_queryset(self, queryset, request, view=None):
        number = whole_number(request, self.page_query_param)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(f"There is no page {number} of this list.") from None

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "next", "previous", "results"]
        return described

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
