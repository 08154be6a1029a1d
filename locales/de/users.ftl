# /Account/Users, für den Kontoinhaber und die Mitinhaber: die Benutzer des Kontos,
# **Benutzer einladen**, Einladungen, Rollen, **Inhaberschaft übertragen**, **Benutzer entfernen**
# und **2FA-Zurücksetzen beantragen**.

users-title = Benutzer
users-back = Zurück zur Startseite
users-lead = Wenn jemand seine Authenticator-App verloren hat, bitten Sie den Support, die 2FA dieser Person zurückzusetzen. Sie behält ihr Passwort und ihre Passkeys und richtet die App mit ihrem Passwort und einem Link, den der Support ihr per E-Mail schickt, neu ein.
users-column-email = E-Mail
users-column-role = Rolle
users-column-2fa = 2FA
users-column-last-sign-in = Letzte Anmeldung
users-column-actions = Aktionen
users-never = Nie
users-you = Sie
users-request-reset = 2FA-Zurücksetzen beantragen
# Wie eine Rolle in der Liste heißt; $role: owner, co-owner, user oder agent.
users-role = { $role ->
        [owner] Kontoinhaber
        [co-owner] Mitinhaber
        [agent] Support-Mitarbeiter
       *[user] Benutzer
    }

## Die Spalte 2FA: der Stand der Authenticator-App, dann die Passkeys, falls vorhanden

users-2fa-invited = Einladung ausstehend
users-2fa-app = Authenticator-App
users-2fa-none = Nicht eingerichtet
# $state: einer der drei Texte oben.
users-2fa-with-passkeys = { $state }, { $count ->
        [one] 1 Passkey
       *[other] { $count } Passkeys
    }

## Die Schaltflächen jeder Zeile

users-resend-invitation = Einladung erneut senden
users-revoke-invitation = Einladung widerrufen
users-make-user = Zum Benutzer machen
users-make-co-owner = Zum Mitinhaber machen
users-remove = Entfernen
users-remove-question = { $email } entfernen? Die Person wird sofort abgemeldet und kann sich nicht mehr anmelden.
users-remove-user = Benutzer entfernen

## Benutzer einladen

users-invite-title = Benutzer einladen
users-invite-lead = Die Person erhält eine E-Mail mit einem Link, über den sie ein Passwort wählt und ihre Authenticator-App einrichtet. Der Link ist 7 Tage gültig.
users-invite-email = E-Mail-Adresse
users-invite-role = Rolle
users-invite-role-user = Benutzer
users-invite-role-co-owner = Mitinhaber
users-invite-hint-owner = Mitinhaber können ebenfalls Benutzer einladen und beim Support das Zurücksetzen von deren 2FA beantragen.
users-invite-hint-co-owner = Nur der Kontoinhaber kann Mitinhaber einladen.
users-invite-submit = Benutzer einladen

## Inhaberschaft übertragen

users-transfer-title = Inhaberschaft übertragen
users-transfer-lead = Der neue Inhaber kann alles, was Sie können, auch Mitinhaber ändern. Sie werden Mitinhaber. Sie beide erhalten eine E-Mail.
users-transfer-no-candidates = Die Inhaberschaft kann an jemanden übergehen, der seine Einladung angenommen hat.
users-transfer-to = Neuer Inhaber
users-transfer-submit = Inhaberschaft übertragen

## Was eine Änderung bewirkt hat

users-invited = Einladung an { $email } gesendet. Der Link ist einmal verwendbar und 7 Tage gültig.
users-invitation-resent = Eine neue Einladung wurde an { $email } gesendet; der frühere Link funktioniert nicht mehr.
users-invitation-revoked = Die Einladung von { $email } wurde widerrufen.
# $role: co-owner oder user.
users-role-unchanged = { $email } ist bereits { $role ->
        [co-owner] Mitinhaber
       *[user] Benutzer
    }.
users-role-changed = { $email } ist jetzt { $role ->
        [co-owner] Mitinhaber
       *[user] Benutzer
    }.
users-ownership-transferred = { $email } ist jetzt Kontoinhaber; Sie sind Mitinhaber.
users-removed = { $email } wurde entfernt und überall abgemeldet.
