# /: wer angemeldet ist, und in welchem Konto.

home-title = Sie sind angemeldet
home-signed-in-as = Angemeldet als
home-role = Rolle
home-role-name = { $role ->
        [owner] Kontoinhaber
        [co-owner] Mitinhaber
        [agent] Support-Mitarbeiter
       *[user] Benutzer
    }
home-account = Konto
home-no-account = Support (kein Konto)
home-security = Sicherheit: Passkeys und Sitzungen
home-users = Benutzer
home-support-console = Support-Konsole
home-log-out = Abmelden
