"""Rebuild store_v1.sqlite: a store at the first schema revision (0001) with a little data.

The file is committed; this script documents how it was made. Run from the repository root:
    .venv/bin/python tests/data/store/make_store_v1.py
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

TARGET = Path(__file__).with_name("store_v1.sqlite")
NOW = "2026-01-15 09:30:00.000000"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    engine = sa.create_engine(f"sqlite:///{TARGET}")
    config = Config()
    config.set_main_option("script_location", "pmo_assess.store:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql(
            "INSERT INTO clients VALUES (1, 'old-client', 'Old Client (fictional)', 'Energy', "
            f"'Large', 'Nordics', '{NOW}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO engagements VALUES (1, 1, 'optimize', 'pmo-maturity', '1.0.0', "
            f"'[\"governance\"]', 'controlling', '[]', '{NOW}')"
        )
        conn.exec_driver_sql(f"INSERT INTO waves VALUES (1, 1, '2026-Q1', '2026-01-15', '{NOW}')")
        conn.exec_driver_sql(
            f"INSERT INTO respondents VALUES (1, 1, 'R01', 'executive', NULL, NULL, 'interview', '{NOW}')"
        )
        conn.exec_driver_sql(
            "INSERT INTO answers VALUES (1, 1, 'governance.stage-gates', 2.0, 'answered', "
            f"'Repeatable', 'Gates exist on paper only.', '[]', 'interview', '{NOW}', 'consultant')"
        )
        conn.exec_driver_sql(
            "INSERT INTO answers VALUES (2, 1, 'reporting.cadence', NULL, 'dont_know', "
            f"'Don''t know', '', '[]', 'interview', '{NOW}', 'consultant')"
        )
    engine.dispose()
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
