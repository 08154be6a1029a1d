# /Account/AcceptInvitation: Die eingeladene Person wählt ein Passwort (oder meldet sich über einen Anbieter an).

invitation-title = Einladung annehmen
invitation-go-to-sign-in = Zur Anmeldeseite
invitation-joining = Sie treten „{ $account }“ als { $role ->
        [account-owner] Kontoinhaber
        [co-owner] Mitinhaber
        [support-agent] Support-Mitarbeiter
       *[user] Benutzer
    } bei.
invitation-joining-support = Sie treten als Support-Mitarbeiter bei.
invitation-user-name = Benutzername
invitation-new-password = Neues Passwort
invitation-confirm-password = Passwort bestätigen
invitation-create-password = Passwort erstellen
