# Wörter, die jede Seite teilt.

# Der eigene Name der Sprache, im Sprachumschalter.
language-name = Deutsch

# Die Spracheinstellung auf der Sicherheitsseite.
language-title = Sprache
language-label = Sprache
language-browser = Sprache Ihres Browsers
language-hint = Für diese Seiten und die E-Mails an Sie, auf jedem Gerät, mit dem Sie sich anmelden.
language-save = Sprache speichern
language-saved = Sprache gespeichert.
language-unknown = Wählen Sie eine der angebotenen Sprachen.
