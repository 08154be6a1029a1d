# Die Seiten einer Anmeldung, die eine Anwendung angefordert hat: /Account/Confirm (eine frische
# Anmeldung für die Anwendung), der Weg zurück dorthin und /Account/ApplicationError.

application-confirm-title = Bestätigen Sie, dass Sie es sind
application-confirm-lead = Die Anwendung, bei der Sie sich anmelden, verlangt eine kürzlich erfolgte Anmeldung. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein, um fortzufahren.
application-continue = Weiter
application-or = oder
application-use-passkey = Passkey verwenden
application-someone-else = Als andere Person anmelden
application-taking-you-back = Sie werden zur Anwendung zurückgebracht …

## /Account/ApplicationError: warum die Anfrage der Anwendung nicht beantwortet wurde

application-error-page-title = Anmeldeanfrage abgelehnt
application-error-title = Diese Anmeldeanfrage kann nicht abgeschlossen werden
application-error-client = Die Anwendung, die Sie hierher geschickt hat, ist diesem Anmeldedienst nicht bekannt.
application-error-redirect = Die Anwendung, die Sie hierher geschickt hat, wollte zu einer Adresse zurückkehren, die für sie nicht registriert ist; deshalb wurden Sie nicht zurückgeschickt. Ihr Administrator sollte ihre Einstellungen prüfen.
application-error-failed = Bei uns ist etwas schiefgelaufen. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
application-error-logout = Die Abmeldeanfrage der Anwendung war ungültig; deshalb wurden Sie nicht zu ihr zurückgeschickt. Hier sind Sie weiterhin angemeldet: Verwenden Sie „Abmelden“ auf der Startseite.
application-error-invalid = Die Anmeldeanfrage der Anwendung war ungültig. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
application-error-start-page = Zur Startseite
