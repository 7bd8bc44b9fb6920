"""What every app's API shares: the error shape, token authentication, throttles, filters, ETags and the schema's
common parts. It sits in teams, the lowest app, so every app's api.py may use it."""
