"""The shared machinery of the REST API (/api/v1): base views, scopes, pagination, problem+json
errors, CSV, headers. The resources live in each app's ``api`` module; the clients in ``api``."""

#: the full version of the API; the path carries only the major version (API-20, API-57)
API_VERSION = "1.3.0"
