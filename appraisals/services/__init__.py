"""Every write of the appraisals app: cycles, the acts of one appraisal, feedback, uses and reminders.

Each service takes keyword arguments with `by` first, runs in one transaction, locks the appraisal's row, refuses
a stale `version` naming who acted last, bumps it, and moves the state only through appraisals.states.
"""
