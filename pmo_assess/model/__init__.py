"""The questionnaire model: frozen dataclasses, answer-status constants, loading and validation. Imports only from core."""
