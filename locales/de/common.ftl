# Wörter, die jede Seite teilt.

# Der eigene Name der Sprache, im Sprachumschalter.
language-name = Deutsch
