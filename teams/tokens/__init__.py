"""Personal API tokens: made, checked, used and revoked here; the model is teams.models.ApiToken."""
