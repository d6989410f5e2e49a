"""Apache Superset on the published PostgreSQL marts, provisioned as code.

- ``superset_config.py``: the server's configuration (``SUPERSET_CONFIG_PATH``), environment-driven.
- ``dashboards.yml``: the database connection, datasets, charts and dashboards, declared.
- ``bundle.py``: turns the declaration into Superset's import bundle (the ZIP its export writes).
- ``provision.py``: imports the bundle through the REST API and saves each chart's query.
- ``server.py`` / ``bootstrap.py``: set up the metadata DB and admin, then serve with gunicorn.

``python -m bi.superset serve|provision|bundle`` (``--help``); Superset itself lives in its own venv
(``make superset-venv``: its pins conflict with Airflow's), this package needs only PyYAML.
"""
