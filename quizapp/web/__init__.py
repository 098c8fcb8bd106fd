"""`quizapp serve`: the same Textual app, one process per browser tab (textual-serve).

Only ``quizapp.commands.serve`` imports this package, and only when the command runs, so
no other command needs (or loads) the optional ``web`` extra.
"""
