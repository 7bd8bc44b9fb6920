"""Every read of the appraisals app, scoped by teams.access.scope_appraisals (see docs/appraisals.md)."""

from .appraisals import appraisal_for, appraisals_for, history, to_act_on
from .feedback import FeedbackAnswer, FeedbackShown, feedback_shown, feedback_to_give
from .figures import GoalDifference, figures_changed
from .overdue import Overdue, overdue
from .results import Result, latest_result, published_results

__all__ = [
    "FeedbackAnswer", "FeedbackShown", "GoalDifference", "Overdue", "Result", "appraisal_for", "appraisals_for",
    "feedback_shown", "feedback_to_give", "figures_changed", "history", "latest_result", "overdue",
    "published_results", "to_act_on",
]
