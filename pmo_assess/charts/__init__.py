"""The report's charts: one house style, shared parts and one module per exhibit. Charts read the results contract, never the store."""
