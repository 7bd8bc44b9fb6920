"""The promotions API: cases and candidates (cases.py), HR's paths and reserve pool rule (paths.py), HR's
training records (training.py)."""
