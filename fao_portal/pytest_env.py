"""Loaded by pytest (`-p fao_portal.pytest_env`) before pytest-django reads the settings:
a test run is a local run, so the built-in development key is allowed."""

import os

os.environ.setdefault("FAO_ALLOW_INSECURE_KEY", "true")
os.environ.setdefault("FAO_MANIFEST_STATIC", "false")
# Buffered view counts are flushed by the tests themselves, not by a background thread.
os.environ.setdefault("FAO_VIEW_COUNT_FLUSH_SECONDS", "0")
# Every request reads the public content version (tests change it behind the process's back).
os.environ.setdefault("FAO_PAGE_CACHE_VERSION_MS", "0")
