"""The domain error every service raises; views and the API turn it into a message on a field."""


class DomainError(Exception):
    """A rule was broken. `field` names the input at fault (None for the whole request); `code` (the `error_code`
    argument: `code` may be a message's parameter) is the machine-readable reason the API reports beside the message."""

    def __init__(self, message: str, *, field: str | None = None, error_code: str | None = None,
                 **params: object) -> None:
        # `message` is a translated template such as _("%(name)s left on %(day)s."); params fill it in.
        text = message % params if params else message
        super().__init__(text)
        self.message = text
        self.field = field
        self.code = error_code or ("conflict" if field == "version" else "invalid")

    @property
    def is_conflict(self) -> bool:
        """True when the caller's version is stale: someone else changed the object since they read it (409)."""
        return self.field == "version"

    def as_dict(self) -> dict[str, list[str]]:
        """Return the error keyed by field, as forms and DRF report errors."""
        return {self.field or "non_field_errors": [self.message]}


def error_item(field: str | None, code: str, message: str) -> dict:
    """Return one error of the API's shape (teams/rest/errors.py): the field at fault or None, a code, the text."""
    return {"field": field, "code": code, "message": str(message)}
