"""Set up Superset's metadata database in one process: migrate, sync roles, create the admin.

What ``superset db upgrade``, ``superset init`` and ``superset fab create-admin`` do, run by Superset's
own interpreter (``server.py`` starts it) and once per start: each step is idempotent, and three CLI
runs would each pay Superset's start-up. Reads ``SUPERSET_ADMIN_USERNAME``, ``SUPERSET_ADMIN_PASSWORD``
and ``SUPERSET_ADMIN_EMAIL``.
"""

from __future__ import annotations

import os


def main() -> None:
    from flask_migrate import upgrade
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import appbuilder, security_manager

        upgrade()
        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()
        username = os.environ["SUPERSET_ADMIN_USERNAME"]
        if security_manager.find_user(username=username) is None:
            user = security_manager.add_user(
                username, "budgetwh", "admin", os.environ["SUPERSET_ADMIN_EMAIL"],
                security_manager.find_role("Admin"), password=os.environ["SUPERSET_ADMIN_PASSWORD"])
            if not user:
                raise SystemExit(f"could not create the Superset admin {username!r}")
        print(f"superset: metadata ready, admin {username!r}")


if __name__ == "__main__":
    main()
