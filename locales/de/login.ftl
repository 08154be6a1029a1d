# /Account/Login: Passwortschritt, Codeschritt und Hinweise beim Aufruf.

login-title = Anmelden
login-signed-out-idle = Sie wurden abgemeldet, weil eine Weile keine Aktivität stattfand. Melden Sie sich erneut an, um fortzufahren.
login-signed-out-lifetime = Ihre Sitzung hat die längste Dauer einer Anmeldung erreicht. Melden Sie sich erneut an, um fortzufahren.
login-signed-out-application = Sie haben sich abgemeldet.
login-password-reset = Geben Sie den Code aus Ihrer Authenticator-App ein: Ihr neues Passwort gilt, sobald Sie das tun, und alle anderen Sitzungen werden dann abgemeldet.
login-setup-link = Melden Sie sich mit Benutzername und Passwort an, um die Zwei-Faktor-Authentifizierung einzurichten. Halten Sie Ihre Authenticator-App bereit: Als Nächstes scannen Sie einen neuen QR-Code.
login-user-name = Benutzername
login-password = Passwort
login-submit-password = Anmelden
login-forgot-password = Passwort vergessen?
login-or = oder
login-passkey = Mit einem Passkey anmelden
login-cant-log-in = Anmeldung nicht möglich?
login-cant-log-in-help = Das Telefon mit Ihrer Authenticator-App verloren? Der Kontoinhaber oder ein Mitinhaber kann beim Support das Zurücksetzen Ihrer 2FA beantragen.
login-code-lead = Öffnen Sie Ihre Authenticator-App und geben Sie den 6-stelligen Code ein, den sie für dieses Konto anzeigt.
login-submit-code = Anmelden
login-use-recovery-code = Wiederherstellungscode verwenden
login-use-another-account = Anderes Konto verwenden
login-enter-user-name-and-password = Geben Sie Benutzername und Passwort ein.
login-show-password = Passwort anzeigen
login-hide-password = Passwort verbergen
login-language = Sprache
