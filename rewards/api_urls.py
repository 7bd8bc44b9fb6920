"""Rewards endpoints, included under /api/ (see rewards/api/*.py for who may call what)."""

from django.urls import path

from .api import board, bulletins, rankings, records, rules

urlpatterns = [
    path("reward-records/", records.RecordListView.as_view(), name="reward-record-list"),
    path("reward-records/<int:pk>/", records.RecordDetailView.as_view(), name="reward-record-detail"),
    path("reward-records/<int:pk>/act/", records.RecordActView.as_view(), name="reward-record-act"),
    path("published-rankings/", rankings.PublishedRankingListView.as_view(), name="published-ranking-list"),
    path("published-rankings/publish/", rankings.RankingPublishView.as_view(), name="published-ranking-publish"),
    path("published-rankings/<int:pk>/withdraw/", rankings.RankingWithdrawView.as_view(),
         name="published-ranking-withdraw"),
    path("reward-rules/", rules.RuleListView.as_view(), name="reward-rule-list"),
    path("reward-rules/defaults/", rules.RuleDefaultsView.as_view(), name="reward-rule-defaults"),
    path("reward-rules/run/", rules.RulesRunView.as_view(), name="reward-rule-run"),
    path("reward-rules/runs/", rules.RuleRunListView.as_view(), name="reward-rule-run-list"),
    path("reward-rules/<int:pk>/", rules.RuleDetailView.as_view(), name="reward-rule-detail"),
    path("published-rankings/<slug:period>/<int:year>/<int:month>/", rankings.PublishedRankingDetailView.as_view(),
         name="published-ranking-detail"),
    path("notices/", board.NoticeListView.as_view(), name="notice-list"),
    path("notices/read-all/", board.NoticeReadAllView.as_view(), name="notice-read-all"),
    path("notices/<int:pk>/", board.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/read/", board.NoticeReadView.as_view(), name="notice-read"),
    path("notices/<int:pk>/act/", board.NoticeActView.as_view(), name="notice-act"),
    path("bulletins/weeks/<str:week>/", bulletins.WeekView.as_view(), name="bulletin-week"),
    path("bulletins/teams/<int:team_pk>/<str:week>/", bulletins.TeamWeekView.as_view(), name="bulletin-team-week"),
    path("bulletins/mine/<str:week>/", bulletins.OwnLineView.as_view(), name="bulletin-own-line"),
    path("bulletins/<int:pk>/replies/", bulletins.ReplyView.as_view(), name="bulletin-reply"),
    path("bulletins/<int:pk>/annotations/", bulletins.AnnotationView.as_view(), name="bulletin-annotation"),
]
