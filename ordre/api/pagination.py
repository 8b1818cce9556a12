"""Default pagination of list endpoints: `?page=N&page_size=M`, `page_size` capped."""

from rest_framework.pagination import PageNumberPagination


class PageNumberPagination(PageNumberPagination):
    """Page numbers; the client may ask `page_size` up to `max_page_size` (200).

    The default page size is `REST_FRAMEWORK["PAGE_SIZE"]`. A larger `page_size`
    is silently capped; a missing page answers a 404 problem.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
