"""The forms consultants fill in JupyterLab: the only package that imports ipywidgets.

Each module wraps logic that lives in a plain module of ``pmo_assess`` (tested without widgets):
``interview`` (the interview form), ``scope`` (scope and objectives), ``whatif`` (raise a
dimension, see the overall score move) and ``plan`` (roadmap decisions).
"""
