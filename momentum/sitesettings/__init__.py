"""Site settings: what an admin changes in the studio, its page and actions, site mail and the
configuration checks of ``momentum check-config``."""
