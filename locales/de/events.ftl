# Die **Letzten Sicherheitsereignisse** auf der Sicherheitsseite: das eigene Protokoll der Person,
# die neuesten zuerst.

events-title = Letzte Sicherheitsereignisse
events-none = Noch nichts.
events-column-when = Wann
events-column-what = Was geschah
events-column-from = Von
# Eine Adresse, die nicht erfasst wurde.
events-unknown-address = Unbekannt
