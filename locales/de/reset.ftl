# Passwort vergessen?: /Account/ForgotPassword fragt nach der Adresse, der zugesandte Link öffnet
# /Account/ResetPassword, wo das neue Passwort gewählt wird.

reset-sent = Wenn ein Konto diese Adresse verwendet, haben wir an sie einen Link gesendet, mit dem Sie ein neues Passwort wählen können. Der Link funktioniert einmal, 1 Stunde lang. Sehen Sie in Ihrem Spam-Ordner nach, wenn in einigen Minuten nichts ankommt.
reset-link-gone = Ihr neues Passwort konnte nicht festgelegt werden: Der Link ist abgelaufen oder wurde für eine andere Anmeldung verwendet. Fordern Sie einen neuen Link an.

## /Account/ForgotPassword

reset-forgot-page-title = Passwort vergessen
reset-forgot-title = Passwort vergessen?
reset-forgot-lead = Geben Sie die E-Mail-Adresse ein, mit der Sie sich anmelden. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen können. Danach benötigen Sie weiterhin Ihre Authenticator-App.
reset-email = E-Mail-Adresse
reset-send-link = Link senden
reset-back-to-sign-in = Zurück zur Anmeldeseite
reset-cant-log-in-help = Auch Ihre Authenticator-App verloren? Wenden Sie sich stattdessen an den Support.

## /Account/ResetPassword

reset-title = Neues Passwort wählen
reset-ask-new-link = Neuen Link anfordern
reset-user-name = Benutzername
reset-new-password = Neues Passwort
reset-confirm-password = Passwort bestätigen
reset-set-password = Neues Passwort festlegen
reset-next = Als Nächstes geben Sie den Code aus Ihrer Authenticator-App ein: Ihr neues Passwort gilt, sobald Sie das tun, und jede mit Ihrem alten Passwort angemeldete Sitzung wird abgemeldet.
