"""quizapp: a quiz and flashcard trainer for the terminal."""

__version__ = "0.1.0"
