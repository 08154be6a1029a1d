# Wiederherstellungscodes: der Anmeldeschritt (/Account/Login?step=recovery), die Seite, die
# einen neuen Satz einmal zeigt (/Account/RecoveryCodes), und der Abschnitt der Sicherheitsseite.

recovery-step-lead = Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einrichten der Zwei-Faktor-Authentifizierung gespeichert haben. Jeder Code funktioniert einmal.
recovery-log-in = Anmelden
recovery-use-authenticator = Stattdessen Ihre Authenticator-App verwenden

## /Account/RecoveryCodes

recovery-page-title = Ihre Wiederherstellungscodes
recovery-title = Wiederherstellungscodes
recovery-shown-once = Wiederherstellungscodes werden nur einmal angezeigt, direkt nachdem sie erstellt wurden. Wenn Sie Ihre nicht gespeichert haben, erstellen Sie auf Ihrer Sicherheitsseite neue: Die alten gelten dann nicht mehr.
recovery-go-to-security = Zu Ihrer Sicherheitsseite
recovery-go-to-start = Zur Startseite
recovery-save-title = Speichern Sie Ihre Wiederherstellungscodes
recovery-save-lead = Wenn Sie Ihr Telefon verlieren oder Ihre Authenticator-App nicht verwenden können, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie an einem sicheren Ort auf, etwa in Ihrem Passwort-Manager. Sie werden nur jetzt angezeigt.
recovery-file-heading = Wiederherstellungscodes (jeder funktioniert einmal, anstelle eines Codes aus Ihrer Authenticator-App):
recovery-file-name = wiederherstellungscodes.txt
recovery-download = Herunterladen
recovery-copy = Kopieren
recovery-copied = Kopiert
recovery-print = Drucken
recovery-saved-continue = Ich habe meine Codes gespeichert, weiter

## Der Abschnitt der Sicherheitsseite.

recovery-section-lead = Ein Wiederherstellungscode meldet Sie einmal an, wenn Sie Ihre Authenticator-App nicht verwenden können. Wenn Sie neue Codes erstellen, gelten die alten nicht mehr.
recovery-left = { $count ->
        [0] Sie haben keine unbenutzten Wiederherstellungscodes. Erstellen Sie neue, damit Sie sich auch dann anmelden können, wenn Sie Ihr Telefon verlieren.
        [one] Sie haben noch 1 unbenutzten Wiederherstellungscode.
       *[other] Sie haben noch { $count } unbenutzte Wiederherstellungscodes.
    }
recovery-generate = Neue Wiederherstellungscodes erstellen
