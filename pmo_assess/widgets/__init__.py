"""The forms consultants fill in JupyterLab (and the cockpit): the only package that imports ipywidgets.

Each module wraps logic that lives in a plain module of ``pmo_assess`` (tested without widgets):
``interview`` (the interview form) with ``respondent_picker`` (whom it is for), ``interview_parts``
(its smaller pieces) and ``keyboard`` (keys that act on the form, not on JupyterLab), ``scope``
(scope and objectives), ``whatif`` (raise a dimension, see the overall score move), ``plan``
(roadmap decisions) and ``live`` (showing a form so that a reopened notebook explains itself).
"""
