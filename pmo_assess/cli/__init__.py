"""The ``pmo-assess`` command: the parser and one module per command group."""
