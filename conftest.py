"""Root conftest: a test run is a local run, so the insecure development key is allowed."""

import os

os.environ.setdefault("FAO_ALLOW_INSECURE_KEY", "true")
os.environ.setdefault("FAO_MANIFEST_STATIC", "false")
