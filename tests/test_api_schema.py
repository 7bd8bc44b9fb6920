"""The OpenAPI schema and its docs page: every operation lists the error shape for its refusals, the token scheme
is declared, and the docs load Swagger UI from our own static files with no inline script or style."""

import re

import pytest
import yaml
from django.urls import reverse


@pytest.fixture
def schema(client, org) -> dict:
    client.force_login(org.director.user)
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_operation_lists_its_refusals_in_the_error_shape(schema):
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 27 and all(path.startswith("/api/v1/") for path, _, _ in operations)
    for path, method, op in operations:
        codes = {"400", "401", "403", "404", "429"} | ({"409"} if method in ("post", "put") else set())
        assert codes <= set(op["responses"]), (method, path)
        for code in codes - {"409"}:
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Errors", (method, path, code)
        assert {"token": []} in op["security"], (method, path)


def test_the_token_scheme_and_the_main_examples_are_documented(schema):
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "sop_…",
        "description": schema["components"]["securitySchemes"]["token"]["description"]}
    upsert = schema["paths"]["/api/v1/figures/"]["put"]
    assert "Upsert a rep's week" in {e["summary"] for e in upsert["requestBody"]["content"]["application/json"]
                                      .get("examples", {}).values()}
    assert "conflicts" in schema["components"]["schemas"]["FiguresConflict"]["properties"]
    listed = schema["paths"]["/api/v1/figures/"]["get"]
    assert {"team", "employee", "week", "from", "to", "ordering", "page", "page_size"} <= {
        p["name"] for p in listed["parameters"]}


def test_the_schema_needs_a_sign_in(client):
    assert client.get(reverse("api-schema")).status_code == 401


def test_the_docs_page_has_no_inline_script_or_style_and_no_cdn(client, org):
    client.force_login(org.director.user)
    page = client.get(reverse("api-docs")).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page and " style=" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert all(s.startswith("/") for s in sources), sources  # our own origin: sidecar's files, never a CDN
    assert any("swagger-ui-dist" in s and s.endswith("swagger-ui-bundle.js") for s in sources)
    script = client.get(next(s for s in sources if "script" in s))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in script.content.decode()


def test_a_stale_write_of_the_rewards_documents_the_current_version(schema):
    stale = schema["components"]["schemas"]["StaleErrors"]
    assert {"errors", "current_version"} <= set(stale["properties"])
    for path in ("/api/v1/reward-records/{id}/act/", "/api/v1/notices/{id}/act/"):
        ref = schema["paths"][path]["post"]["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/StaleErrors", path
    assert "If-Match" in {p["name"] for p in schema["paths"]["/api/v1/reward-records/{id}/act/"]["post"]["parameters"]}
