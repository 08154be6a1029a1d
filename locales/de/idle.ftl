# Die Warnung, bevor eine Sitzung abläuft, auf jeder Seite für Angemeldete.
# $minutes: die verbleibenden Minuten, aufgerundet (1 heißt: eine Minute oder weniger).

idle-title = Sind Sie noch da?
idle-signing-out = Zu Ihrer Sicherheit werden Sie { $minutes ->
        [1] in weniger als einer Minute
       *[other] in { $minutes } Minuten
    } abgemeldet, weil keine Aktivität stattfand.
idle-stay = Angemeldet bleiben
idle-lifetime-ends = Ihre Sitzung endet { $minutes ->
        [1] in weniger als einer Minute
       *[other] in { $minutes } Minuten
    }, dann hat sie die längste Dauer einer Anmeldung erreicht. Speichern Sie Ihre Arbeit; danach melden Sie sich erneut an.
