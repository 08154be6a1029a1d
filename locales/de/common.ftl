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

# Eine Seite, die es nicht gibt.
not-found-title = Seite nicht gefunden
not-found-lead = Unter dieser Adresse gibt es nichts.
not-found-start-page = Zur Startseite

# Ein Anmeldeschritt, obwohl die Person schon angemeldet ist.
error-already-signed-in = Sie sind bereits angemeldet.

# Ein Zeitpunkt, in UTC, auf die Minute: 07.12.2026, 14:05 UTC.
date-time = { $day }.{ $month }.{ $year }, { $hour }:{ $minute } UTC

# Die Größe einer Datei (NUMBER: mit dem Dezimalzeichen der Sprache).
size-mb = { NUMBER($mb, minimumFractionDigits: 1, maximumFractionDigits: 1) } MB
size-kb = { NUMBER($kb, maximumFractionDigits: 0, useGrouping: "false") } KB
