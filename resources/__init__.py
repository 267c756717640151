"""Questionnaire definitions, reference lists and demo data, loaded with importlib.resources."""
