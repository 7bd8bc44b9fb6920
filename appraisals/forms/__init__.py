"""Forms parse the request; the services judge it. A DomainError comes back onto the field it names."""

from django import forms

from teams.errors import DomainError


class ShowsErrors(forms.Form):
    """A form that puts a service's refusal on the field it names."""

    # a service's field name -> this form's field, where they differ
    aliases: dict[str, str] = {}

    def field_of(self, name: str) -> str | None:
        """Return the form's input for the service's field name, or None for the top of the form."""
        name = self.aliases.get(name, name)
        return name if name in self.fields and name != "version" else None

    def show(self, error: DomainError) -> None:
        """Put the refusal on its field; a stale version (a hidden input), or a field the form lacks, on top."""
        self.add_error(self.field_of(error.field or ""), error.message)
