"""Next year's plan drafted from this year's seasons (the spread itself is targets.calculations)."""
