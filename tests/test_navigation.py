"""Each role lands on its start page, and its header shows only the pages it may open."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("role", "start"), [
    ("director", "dashboards:director"), ("general_manager", "dashboards:director"), ("hr", "promotions:candidates"),
    ("rep_a", "dashboards:mine"),
])
def test_home_sends_each_role_to_its_start_page(client, org, role, start):
    client.force_login(org.by_role(role).user)
    assert client.get(reverse("home")).url == reverse(start)


def test_home_sends_a_manager_to_the_team_dashboard(client, org):
    client.force_login(org.manager_a.user)
    assert client.get(reverse("home")).url == reverse("dashboards:team", args=[org.team_a.pk])


@pytest.mark.parametrize("role", ["director", "general_manager", "hr", "manager_a", "rep_a"])
def test_every_header_link_opens_for_the_role_that_sees_it(client, org, plan, role):
    client.force_login(org.by_role(role).user)
    links = client.get(reverse("teams:me")).context["nav_links"]
    assert links, role
    for label, url in links:
        assert client.get(url, follow=True).status_code == 200, (role, str(label), url)  # a redirect lands


def test_a_rep_sees_no_company_pages_in_the_header(client, org):
    client.force_login(org.rep_a.user)
    urls = [url for _, url in client.get(reverse("teams:me")).context["nav_links"]]
    assert urls == [reverse("dashboards:mine"), reverse("rewards:rankings"), reverse("appraisals:list"),
                    reverse("rewards:records"),
                    reverse("teams:me")]
