# /support/console: Support-Mitarbeiter bearbeiten die Warteschlange der Anfragen zum
# Zurücksetzen der 2FA und entscheiden über jede. $when ist Datum und Uhrzeit (2025-01-31 14:05 UTC).

console-title = Supportkonsole
console-filter-label = Nach Status filtern
console-filter-all = Alle
console-status-new = Neu
console-status-approved = Genehmigt
console-status-rejected = Abgelehnt
console-status-unknown = Unbekannt
console-empty = Hier gibt es keine Anfragen.

## Die Spalten der Warteschlange und die Felder einer Anfrage.

console-reference = Referenz
console-received = Eingegangen
console-status = Status
console-requester = Antragsteller
console-target = Betroffene Person
console-account = Konto
console-documents = Dokumente
console-own-reset = (der Kontoinhaber, eigene 2FA)
console-area = Bereich
console-subject = Betreff
console-account-name = Kontoname
console-owner-own-reset = Eigene 2FA des Kontoinhabers
console-yes = Ja
console-no = Nein
console-description = Beschreibung

## Eine Anfrage.

console-request-title = Supportanfrage
console-back = Zurück zur Warteschlange
console-request-heading = Anfrage { $reference }
console-no-such-request = Diese Anfrage gibt es nicht.

## Was das System weiß. $role ist eines der Wörter von console-role.

console-role = { $role ->
        [owner] Kontoinhaber
        [co-owner] Mitinhaber
        [agent] Support-Mitarbeiter
       *[user] Benutzer
    }
console-known-title = Was das System weiß
console-account-found = Gefunden
console-account-not-found = Kein Konto mit diesem Namen
console-verified-by = Verifiziert durch
console-verified-signed-in = Beim Einreichen angemeldet als { $email } ({ $when })
console-verified-mailbox = Aus dem Postfach von { $email } bestätigt ({ $when })
console-verified-unverified = Nicht verifiziert: eingereicht, bevor Antragsteller ihre Adresse bestätigen mussten; die eingegebene E-Mail-Adresse beweist nichts
console-verified-awaiting = Noch nicht bestätigt
console-requester-not-verified = Unbekannt: nicht verifiziert
console-requester-role = Der { $role } dieses Kontos
console-requester-not-member = Kein Mitglied dieses Kontos
console-target-is-requester = Der Antragsteller ({ $role })
console-target-role = Ein { $role } dieses Kontos
console-target-not-found = Kein solcher Benutzer in diesem Konto
console-their-2fa = 2FA der Person
console-has-authenticator = Authenticator-App eingerichtet
console-no-authenticator = Keine Authenticator-App

## Die Dokumente.

console-owner-documents = Dokumente des Kontoinhabers
console-checklist-received = { $document }: erhalten
console-checklist-missing = { $document }: fehlt
console-no-documents = Es wurden keine Dokumente angehängt.
console-document-caption = { $kind }: { $name } ({ $size })
console-document-label = { $kind }, { $name }
console-document-deleted = Am { $when } nach Ablauf der Aufbewahrungsfrist gelöscht.
console-document-open = Öffnen

## Die Entscheidung.

console-decision = Entscheidung
console-rejected-on = Abgelehnt am { $when }: { $reason }
console-approved-on = Genehmigt am { $when }. Die Authenticator-App wurde entfernt und alle Sitzungen wurden beendet.
console-approval-problem = Genehmigen ist nicht möglich: { $problem }
console-approve = Genehmigen
console-approve-hint = Entfernt die Authenticator-App von { $target } und beendet deren Sitzungen. Bestätigen Sie mit Ihrem eigenen Code.
console-reject = Ablehnen
console-reason = Begründung
console-reason-hint = Wird per E-Mail an den Antragsteller gesendet.
