"""The screens of the quiz app."""
