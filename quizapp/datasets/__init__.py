"""Datasets shipped with quizapp (TOML files described by ``quizapp.models.Dataset``)."""
