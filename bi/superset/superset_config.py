"""Superset's configuration for budgetwh: ``SUPERSET_CONFIG_PATH`` points here (compose and tests alike).

Everything comes from the environment so one file serves the compose stack and a local run:

- ``SUPERSET_SECRET_KEY`` (required): signs sessions and encrypts the stored database passwords.
- ``SUPERSET_METADATA_URI``: Superset's own database (PostgreSQL in compose; SQLite for a local run).

Nothing reaches beyond the deployment: no telemetry pixel, no map tiles, no web fonts, no examples.
The content security policy allows the browser only the Superset origin itself, so the UI cannot
fetch anything from elsewhere even where a bundled component would try (the Scarf pixel of the menu).
"""

from __future__ import annotations

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_METADATA_URI", f"sqlite:///{os.path.expanduser('~/.superset/budgetwh-superset.db')}")

# No usage telemetry (the Scarf pixel is also refused by the CSP below), no sample data.
SCARF_ANALYTICS = False
SUPERSET_LOAD_EXAMPLES = False
MAPBOX_API_KEY = ""
# Fonts may only come from the Superset origin (its bundled fonts), never a web font service.
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []

FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,
    "ALERT_REPORTS": False,  # would drive a browser from the server on a schedule
    "THUMBNAILS": False,
    "EMBEDDABLE_CHARTS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
}

_SELF_ONLY = ["'self'"]
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": _SELF_ONLY,
        "default-src": _SELF_ONLY,
        "img-src": [*_SELF_ONLY, "blob:", "data:"],
        "worker-src": [*_SELF_ONLY, "blob:"],
        "connect-src": _SELF_ONLY,
        "object-src": "'none'",
        "style-src": [*_SELF_ONLY, "'unsafe-inline'"],
        "font-src": _SELF_ONLY,
        "script-src": [*_SELF_ONLY, "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# Chart results are small; a lost cache costs one query, so the in-process cache is enough.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = CACHE_CONFIG
RATELIMIT_STORAGE_URI = "memory://"
