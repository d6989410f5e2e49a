"""BI on the published marts: the Superset deployment, provisioned as code (``python -m bi.superset``)."""
