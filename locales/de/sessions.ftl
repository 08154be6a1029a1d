# Die **Sitzungen** auf der Sicherheitsseite: wo die Person angemeldet ist, **Abmelden** für eine
# Sitzung und **Alle anderen Sitzungen abmelden**.

sessions-title = Sitzungen
sessions-lead = Wo Sie angemeldet sind. Wenn Sie eine Sitzung nicht wiedererkennen, melden Sie sie ab und ändern Sie Ihr Passwort.
sessions-column-browser = Browser
sessions-column-signed-in = Angemeldet
sessions-column-last-active = Zuletzt aktiv
sessions-column-from = Von
sessions-column-actions = Aktionen
sessions-this-browser = Dieser Browser
# $applications: die Namen der Anwendungen, durch Kommas getrennt.
sessions-signed-in-to = Angemeldet bei { $applications }
sessions-sign-out = Abmelden
sessions-sign-out-others = Alle anderen Sitzungen abmelden
# Eine Adresse, die nicht erfasst wurde.
sessions-unknown-address = Unbekannt

## Zuletzt aktiv: wie lange es her ist (nach mehr als einem Tag steht das Datum da)

sessions-active-now = Jetzt aktiv
sessions-minutes-ago = { $minutes ->
        [one] vor 1 Minute
       *[other] vor { $minutes } Minuten
    }
sessions-hours-ago = { $hours ->
        [one] vor 1 Stunde
       *[other] vor { $hours } Stunden
    }

## Was eine Abmeldung bewirkt hat oder warum sie nicht möglich war

sessions-one-signed-out = Sitzung abgemeldet.
sessions-others-signed-out = { $count ->
        [0] Es gab keine anderen Sitzungen.
        [one] 1 andere Sitzung abgemeldet.
       *[other] { $count } andere Sitzungen abgemeldet.
    }
sessions-is-current = Dies ist die Sitzung, die Sie gerade verwenden: Um sie zu beenden, melden Sie sich ab.
sessions-already-ended = Diese Sitzung wurde bereits beendet.
