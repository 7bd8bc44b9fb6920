"""Weekly bulletins' pages by role: the manager writes their team's week beside its figures, a closed month's
bulletin shows read-only with the annotation form, the director's week lists the teams without a bulletin first and
takes replies, refused posts come back on the page (never a 500), a rep writes their own line; the dashboard's card
of teams without last week's bulletin; the pages' queries at two sizes."""

from datetime import date

import pytest
from django.urls import reverse

from kpis import services as figure_services
from rewards.models import Bulletin, BulletinComment, RepWeekLine
from rewards.services.bulletins import bulletin_reply, bulletin_save, rep_week_line_save
from tests import factories

TODAY = date(2017, 10, 27)     # a Friday
OCT_16 = date(2017, 10, 16)    # the last completed week
SEP_4 = date(2017, 9, 4)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def edit_url(team, week=OCT_16) -> str:
    return reverse("rewards:bulletin_edit", args=[team.pk, week.isoformat()])


def week_url(week=OCT_16) -> str:
    return reverse("rewards:bulletins_week", args=[week.isoformat()])


def write(org, team=None, week=OCT_16, **texts):
    manager = org.manager_a if team in (None, org.team_a) else org.manager_b
    return bulletin_save(team=team or org.team_a, week=week, by=manager.user, **(texts or {"hard": "新客户少"}))


def test_the_manager_writes_the_weeks_bulletin_beside_its_figures(client, org, draft_plan):
    client.force_login(org.manager_a.user)
    page = client.get(edit_url(org.team_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="bulletin-form"' in html and 'id="week-figures"' in html
    assert reverse("kpis:grid", args=[org.team_a.pk, OCT_16.isoformat()]) in html
    response = client.post(edit_url(org.team_a), {"went_well": "签了三单", "hard": "", "help_needed": "需要培训"})
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert (bulletin.went_well, bulletin.help_needed, bulletin.version) == ("签了三单", "需要培训", 1)
    again = client.post(edit_url(org.team_a), {"went_well": "签了五单", "version": "1"})
    assert again.status_code == 302 and Bulletin.objects.get().version == 2


def test_the_grid_links_to_the_weeks_bulletin(client, org, draft_plan):
    client.force_login(org.manager_a.user)
    page = client.get(reverse("kpis:grid", args=[org.team_a.pk, OCT_16.isoformat()]))
    assert f'href="{edit_url(org.team_a)}"' in page.content.decode()


@pytest.mark.parametrize(("who", "status"), [("director", 403), ("hr", 403), ("manager_b", 404), ("rep_a", 403)])
def test_nobody_but_the_teams_manager_posts_its_bulletin(client, org, draft_plan, unchanged, who, status):
    client.force_login(org.by_role(who).user)
    with unchanged():
        assert client.post(edit_url(org.team_a), {"hard": "代写"}).status_code == status


@pytest.mark.parametrize(("post", "field"), [
    ({"went_well": "", "hard": " ", "help_needed": ""}, "went_well"),  # the service's refusal
    ({"went_well": "好", "version": "x"}, "version"),                  # the form's
    ({"went_well": "好" * 3001}, "went_well"),
])
def test_a_refused_bulletin_comes_back_on_the_page(client, org, draft_plan, unchanged, post, field):
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(edit_url(org.team_a), post)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]


def test_a_stale_bulletin_comes_back_with_what_was_saved_and_what_they_typed(client, org, draft_plan, unchanged):
    write(org, hard="第一稿")
    bulletin_save(team=org.team_a, week=OCT_16, version=1, hard="另一个窗口", by=org.manager_a.user)
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(edit_url(org.team_a), {"hard": "我的改动", "version": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert org.manager_a.name in " ".join(form.non_field_errors())
    assert form["hard"].value() == "我的改动" and form["version"].value() == "2"  # saving again is their choice
    assert "另一个窗口" in response.content.decode()


def test_a_closed_months_bulletin_is_read_only_with_the_annotation_form(client, org, draft_plan, unchanged):
    bulletin = write(org, week=SEP_4, went_well="九月签约")
    figure_services.month_close(month=date(2017, 9, 1), by=org.director.user)
    client.force_login(org.manager_a.user)
    page = client.get(edit_url(org.team_a, SEP_4))
    html = page.content.decode()
    assert page.context["form"] is None and 'id="annotate"' in html and "九月签约" in html
    with unchanged():
        rewrite = client.post(edit_url(org.team_a, SEP_4), {"went_well": "改写", "version": "1"})
    assert rewrite.status_code == 200 and 'id="annotate"' in rewrite.content.decode()
    assert [m.level_tag for m in rewrite.context["messages"]] == ["error"]  # the refusal, on top of the page
    annotate = reverse("rewards:bulletin_annotate", args=[bulletin.pk])
    with unchanged():
        empty = client.post(annotate, {"text": " "})
    assert empty.status_code == 200 and empty.context["annotate"].errors
    assert client.post(annotate, {"text": "补充：回款到账"}).status_code == 302
    assert BulletinComment.objects.get().text == "补充：回款到账"
    assert "补充：回款到账" in client.get(edit_url(org.team_a, SEP_4)).content.decode()


def test_the_directors_week_lists_the_teams_without_a_bulletin_first(client, org, draft_plan):
    team_c = factories.TeamFactory(name="雄鹰队")
    factories.employee(team=team_c, name="丙队员")
    factories.TeamFactory(name="空队")  # nobody in it that week: not expected to write
    write(org, team=org.team_b, went_well="乙队好")
    client.force_login(org.director.user)
    page = client.get(week_url())
    rows = [row.team for row, _form in page.context["rows"]]
    assert set(rows[:2]) == {org.team_a, team_c} and rows[2:] == [org.team_b]
    assert page.context["board"].missing == rows[:2]
    html = page.content.decode()
    assert html.index(f'id="team-{team_c.pk}"') < html.index(f'id="team-{org.team_b.pk}"')
    assert "乙队好" in html and 'class="reply-form"' in html


def test_the_week_picker_goes_to_the_weeks_monday_and_defaults_to_last_week(client, org, draft_plan):
    client.force_login(org.hr.user)
    assert client.get(reverse("rewards:bulletins"), {"week": "2017-10-19"}).url == week_url()
    assert client.get(reverse("rewards:bulletins")).url == week_url()
    page = client.get(week_url())
    assert page.context["next"] == date(2017, 10, 23) and 'class="reply-form"' not in page.content.decode()
    assert client.get(week_url(date(2017, 10, 23))).context["next"] is None  # nothing after the current week
    assert client.get(reverse("rewards:bulletins_week", args=["2017-10-17"])).status_code == 404


def test_the_director_replies_and_a_refused_reply_comes_back_on_the_page(client, org, draft_plan, unchanged):
    bulletin = write(org)
    client.force_login(org.director.user)
    url = reverse("rewards:bulletin_reply", args=[bulletin.pk])
    with unchanged():
        empty = client.post(url, {"text": ""})
    assert empty.status_code == 200 and dict(empty.context["rows"])  # the week page, the form with its error
    sent = client.post(url, {"text": "下周安排培训"})
    assert sent.url == week_url() + f"#bulletin-{bulletin.pk}"
    assert "下周安排培训" in client.get(week_url()).content.decode()
    client.force_login(org.manager_a.user)
    assert "下周安排培训" in client.get(edit_url(org.team_a)).content.decode()  # the manager reads the reply
    assert client.post(reverse("rewards:bulletin_reply", args=[2**31 - 1]), {"text": "x"}).status_code == 403


def test_a_reply_to_a_bulletin_that_is_not_there_is_404(client, org, draft_plan):
    client.force_login(org.director.user)
    assert client.post(reverse("rewards:bulletin_reply", args=[2**31 - 1]), {"text": "x"}).status_code == 404


def test_a_rep_writes_their_line_and_their_manager_sees_it(client, org, draft_plan):
    client.force_login(org.rep_a.user)
    url = reverse("rewards:rep_week_line", args=[OCT_16.isoformat()])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "客户拜访多"}).status_code == 302
    assert RepWeekLine.objects.get().team == org.team_a
    with_error = client.post(url, {"text": "旧窗口"})  # no version: the line was saved meanwhile
    assert with_error.status_code == 200 and with_error.context["form"].non_field_errors()
    client.force_login(org.manager_a.user)
    assert "客户拜访多" in client.get(edit_url(org.team_a)).content.decode()
    client.force_login(org.manager_b.user)
    assert client.get(edit_url(org.team_a)).status_code == 404


def test_the_rep_finds_the_link_to_their_week_line_on_their_page(client, org, plan):
    client.force_login(org.rep_a.user)
    html = client.get(reverse("dashboards:mine")).content.decode()
    assert reverse("rewards:rep_week_line", args=["2017-10-23"]) in html
    client.force_login(org.director.user)
    assert 'id="week-line-link"' not in client.get(reverse("dashboards:mine")).content.decode()


def card(client) -> str:
    """Return the dashboard's card of teams without last week's bulletin, as the page shows it."""
    html = client.get(reverse("dashboards:director")).content.decode()
    start = html.index('id="bulletins-card"')
    return html[start:html.index("</section>", start)]


def test_the_dashboard_card_lists_the_teams_without_last_weeks_bulletin(client, org, plan):
    write(org, team=org.team_b)
    client.force_login(org.director.user)
    shown = card(client)
    assert f"#team-{org.team_a.pk}" in shown and f"#team-{org.team_b.pk}" not in shown and week_url() in shown
    write(org)
    assert "#team-" not in card(client) and 'class="empty"' in card(client)


def test_the_dashboard_card_is_for_those_who_read_every_teams_bulletins(client, org, plan):
    client.force_login(org.hr.user)
    assert f"#team-{org.team_a.pk}" in card(client)
    client.force_login(org.manager_a.user)
    assert 'id="bulletins-card"' not in client.get(reverse("dashboards:team", args=[org.team_a.pk])).content.decode()


# --- a fixed number of queries whatever the size --------------------------------------------------------------

def _grow(org, size: int) -> None:
    """Write `size` more teams with a member each; every team writes its bulletin with two comments, each rep of
    team A a line."""
    write(org, hard="难")
    for n in range(size):
        team = factories.TeamFactory(name=f"扩展{n}队")
        manager = factories.manager_of(team)
        factories.employee(team=team)  # a member that week: the team is expected to write
        bulletin = bulletin_save(team=team, week=OCT_16, hard="难", by=manager.user)
        bulletin_reply(bulletin_id=bulletin.pk, text="回复", by=org.director.user)
        bulletin_reply(bulletin_id=bulletin.pk, text="再回复", by=org.director.user)
        factories.employee(team=org.team_a)
    for member in org.team_a.memberships.filter(ends_on__isnull=True).select_related("employee"):
        rep_week_line_save(employee=member.employee, week=OCT_16, text="一句", by=member.employee.user)


@pytest.mark.parametrize("size", [1, 6])
def test_the_directors_week_runs_a_fixed_number_of_queries(client, org, draft_plan, django_assert_num_queries,
                                                            size):
    _grow(org, size)
    client.force_login(org.director.user)
    # session, user, principal; the teams of the week (with their managers), their bulletins (with writers), the
    # bulletins' comments (with who wrote them), the month's close; the header's unread notices
    with django_assert_num_queries(8):
        response = client.get(week_url())
    assert len(response.context["rows"]) == size + 2


@pytest.mark.parametrize("size", [1, 6])
def test_the_teams_week_runs_a_fixed_number_of_queries(client, org, draft_plan, django_assert_num_queries, size):
    _grow(org, size)
    client.force_login(org.manager_a.user)
    # session, user, principal; the team; its bulletin (with its writer), the bulletin's comments, the reps' lines
    # (with the reps), the week's figures summed, the week's targets summed, the month's close; the header's unread
    # notices
    with django_assert_num_queries(11):
        response = client.get(edit_url(org.team_a))
    assert len(response.context["week"].lines) == size + 1
