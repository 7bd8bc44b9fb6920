"""Reading the API's one error shape (teams/rest/errors.py) in tests."""


def errors_by_field(response) -> dict[str | None, list[str]]:
    """Return the response's error messages by field (None: the whole request), after checking the shape."""
    body = response.json()
    assert set(body) >= {"errors"}, body
    found: dict[str | None, list[str]] = {}
    for item in body["errors"]:
        assert set(item) == {"field", "code", "message"}, item
        assert isinstance(item["code"], str) and item["code"], item
        found.setdefault(item["field"], []).append(item["message"])
    return found


def error_codes(response) -> list[str]:
    return [item["code"] for item in response.json()["errors"]]
