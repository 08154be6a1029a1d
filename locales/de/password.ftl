# Passwort auf der Sicherheitsseite: Änderung mit dem aktuellen Passwort und einem Code.

password-title = Passwort
password-lead = Wenn Sie Ihr Passwort ändern, werden alle anderen Sitzungen auf allen Geräten abgemeldet.
password-current = Aktuelles Passwort
password-new = Neues Passwort
password-confirm = Neues Passwort bestätigen
password-change = Passwort ändern
password-changed = { $ended ->
        [0] Ihr Passwort wurde geändert.
        [one] Ihr Passwort wurde geändert, und Ihre 1 andere Sitzung wurde abgemeldet.
       *[other] Ihr Passwort wurde geändert, und Ihre { $ended } anderen Sitzungen wurden abgemeldet.
    }
