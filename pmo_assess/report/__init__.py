"""Client reports from the results contract: the report's words, its sections, the notebook run and the HTML and PDF. Never reads the store."""
