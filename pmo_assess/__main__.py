"""``python -m pmo_assess`` runs the command line."""

from pmo_assess.cli.main import main

raise SystemExit(main())
