#!/usr/bin/env python
"""Django's command-line utility; `momentum` (momentum/cli.py) is the friendlier front door."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
