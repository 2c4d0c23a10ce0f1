"""Scoring: the tidy answers table, the vectorised engine, one assessment's typed result and what-if. Imports only from core and model."""
