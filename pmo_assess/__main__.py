"""``python -m pmo_assess`` runs the command line."""

from pmo_assess.cli import main

raise SystemExit(main())
