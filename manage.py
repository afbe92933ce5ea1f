#!/usr/bin/env python
"""Django's manage.py; `vcsehub` is the friendlier front to the same commands."""

from vcsehub.__main__ import main

if __name__ == "__main__":
    main()
