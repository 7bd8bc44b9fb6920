"""The domain error every service raises; views and the API turn it into a message on a field."""


class DomainError(Exception):
    """A rule was broken. `field` names the input at fault (None for the whole request)."""

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        # `message` is a translated template such as _("%(name)s left on %(day)s."); params fill it in.
        text = message % params if params else message
        super().__init__(text)
        self.message = text
        self.field = field

    def as_dict(self) -> dict[str, list[str]]:
        """Return the error keyed by field, as forms and DRF report errors."""
        return {self.field or "non_field_errors": [self.message]}
