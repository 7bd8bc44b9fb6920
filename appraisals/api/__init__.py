"""The appraisals API: the appraisals and their acts (appraisals.py), the cycles HR runs (cycles.py), anonymous
feedback asked and answered (feedback.py)."""
