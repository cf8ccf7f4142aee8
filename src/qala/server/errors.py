"""The API's errors: one catalogue of stable codes, one JSON shape ``{"error": {"code", "message"}}``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from qala.nlp.normalize import replace_surrogates

# code -> HTTP status; a client branches on the code, a person reads the message.
CODES: dict[str, int] = {
    "bad_request": 400,
    "not_found": 404,
    "method_not_allowed": 405,
    "too_large": 413,
    "timeout": 422,  # the text took longer than the analysis time limit: it is refused, not retried
    "analysis_failed": 422,
    "busy": 503,  # every analysis worker stayed busy: retry later
    "internal_error": 500,
}


class ApiError(Exception):
    """Raised by a view; the app turns it into the JSON error (API) or an error page (UI)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        self.code = code
        self.message = replace_surrogates(message)  # a message may quote the request

    @property
    def status(self) -> int:
        return CODES[self.code]

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def bad_request(message: str) -> ApiError:
    return ApiError("bad_request", message)


def not_found(message: str) -> ApiError:
    return ApiError("not_found", message)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


# For the OpenAPI schema: what every API route may answer besides 200.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is invalid (`bad_request`)."},
    404: {"model": ErrorBody, "description": "No such item (`not_found`)."},
}

# What ``POST /api/analyze`` may answer besides those.
ANALYZE_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "The text or the request body is too long (`too_large`)."},
    422: {
        "model": ErrorBody,
        "description": "The analysis took longer than the time limit (`timeout`), or its process stopped"
        " (`analysis_failed`).",
    },
    503: {"model": ErrorBody, "description": "Every analysis worker is busy (`busy`); retry later."},
}
