"""Forms parse the request; the services judge it. A DomainError comes back onto the field it names."""

from django import forms

from teams.errors import DomainError


class ShowsErrors(forms.Form):
    """A form that puts a service's refusal on the field it names."""

    aliases: dict[str, str] = {}  # a service's field -> this form's field, where the names differ
    groups: dict[str, str] = {}  # a service's field about several inputs -> their prefix (the first one shows it)
    blank_first: frozenset[str] = frozenset()  # groups whose refusal is about an input left blank

    def field_of(self, name: str) -> str | None:
        """Return the form's input for the service's field name, or None for the top of the form."""
        name = self.aliases.get(name, name)
        if name in self.fields and name != "version":  # a stale version is said on top: its input is hidden
            return name
        if name in self.groups:  # the first input of the group the user filled in (a missing one: the first blank)
            inputs = [f for f in self.fields if f.startswith(self.groups[name])]
            filled = [f for f in inputs if str(self.data.get(self.add_prefix(f), "")).strip()]
            chosen = [f for f in inputs if f not in filled] if name in self.blank_first else filled
            return (chosen or inputs or [None])[0]
        return None

    def show(self, error: DomainError) -> None:
        """Put the refusal on its field, or on top of the form when it names none of the form's inputs."""
        self.add_error(self.field_of(error.field or ""), error.message)
