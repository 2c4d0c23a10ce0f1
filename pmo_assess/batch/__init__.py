"""Many clients' reports at once: the plan, the worker pool, the input digest and the firm's index page."""
