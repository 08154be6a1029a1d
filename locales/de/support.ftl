# /support/new: das Formular für Supportanfragen (Zurücksetzen der 2FA), seine Ablagebereiche und
# was es nach dem Senden anzeigt; /support/confirm, wo eine abgemeldet gestellte Anfrage
# bestätigt wird.

support-title = Support kontaktieren
support-lead = Der Kontoinhaber oder ein Mitinhaber kann beim Support beantragen, die Zwei-Faktor-Authentifizierung (2FA) eines Benutzers zurückzusetzen, zum Beispiel wenn das Telefon mit der Authenticator-App verloren gegangen ist. Der Support prüft die Anfrage und antwortet per E-Mail.

## Die Felder.

support-area = Bereich
support-area-account = Konto
support-area-billing = Abrechnung
support-area-subscription = Abonnement
support-requester-email = Ihre E-Mail-Adresse
support-requester-signed-in = Sie sind angemeldet: Der Support antwortet an diese Adresse.
support-requester-confirm = Wir senden Ihnen einen Link, mit dem Sie die Anfrage bestätigen. Erst danach sieht der Support sie.
support-account-name = Kontoname
support-subject = Betreff
support-subject-reset = 2FA zurücksetzen
support-owner-self = Ich bin der Kontoinhaber und möchte meine eigene 2FA zurücksetzen lassen
support-target-email = E-Mail-Adresse des Benutzers, dessen 2FA zurückgesetzt werden soll
support-target-hint = Die Adresse, mit der sich der Benutzer anmeldet.
support-description = Beschreibung
support-description-seed = Ich, { $role ->
        [owner] der Kontoinhaber
        [co-owner] der Mitinhaber
       *[unknown] der { "[" }Kontoinhaber / Mitinhaber{ "]" }
    }, bitte darum, die 2FA für { $whom } zurückzusetzen.
support-description-seed-whom = { "[" }E-Mail-Adresse des Benutzers{ "]" }

## Die Dokumente, jedes in seinem eigenen Ablagebereich.

support-documents-legend = Dokumente, wenn der Kontoinhaber seine eigene 2FA zurücksetzen lässt
support-documents-hint = Der Support braucht alle drei, um zu prüfen, dass Sie es sind. Sie werden verschlüsselt gespeichert, nur vom Support eingesehen und gelöscht, sobald Ihre Anfrage abgeschlossen ist.
support-zone-legal-id = Amtlicher Ausweis
support-zone-legal-id-hint = Ihr Reisepass oder Führerschein.
support-zone-business-registration = Nachweis der Unternehmensregistrierung
support-zone-business-registration-hint = Zum Beispiel eine Gründungsurkunde oder ein Handelsregisterauszug.
support-zone-letterhead = Schreiben auf Firmenbriefpapier
support-zone-letterhead-hint = Unterschrieben, mit der Bitte, Ihre 2FA zurückzusetzen.
support-zone-attachments = Anhänge
support-zone-attachments-hint = Alles Weitere, was dem Support hilft, etwa ein Screenshot.
support-zone-formats = PDF, JPEG oder PNG, jeweils bis zu 10 MB.
support-drop-files = Dateien hierher ziehen oder
support-choose-files = Dateien auswählen
support-file-sending = { $name } wird gesendet
support-file-remove = Entfernen
support-file-remove-label = { $name } entfernen

## Dateien, die der Browser sofort ablehnt, und Probleme des Formulars.

support-file-wrong-type = „{ $name }“ wurde nicht angenommen: Es können nur PDF-, JPEG- und PNG-Dateien gesendet werden.
support-file-empty = „{ $name }“ wurde nicht angenommen: Die Datei ist leer.
support-file-too-large = „{ $name }“ wurde nicht angenommen: Sie ist größer als 10 MB.
support-too-many-files = Senden Sie höchstens { $max ->
        [one] eine Datei
       *[other] { $max } Dateien
    } mit einer Anfrage.
support-files-too-large-total = Die Dateien sind zusammen größer als 25 MB: Senden Sie die größten in geringerer Auflösung.
support-missing-owner-proof = Zum Zurücksetzen Ihrer eigenen 2FA als Kontoinhaber { $count ->
        [one] fehlt noch dieses Dokument
       *[other] fehlen noch diese Dokumente
    }: { $documents }. Bitte fügen Sie { $count ->
        [one] es
       *[other] sie
    } hinzu.
support-problem-invalid = Einige Angaben fehlten oder waren ungültig: Füllen Sie alle Felder aus und senden Sie das Formular erneut.
support-problem-file = Eine Datei wurde nicht angenommen: Senden Sie PDF-, JPEG- oder PNG-Dateien, deren Inhalt zu ihrem Namen passt.
support-problem-too-large = Eine Datei war größer als 10 MB, oder die Dateien waren zusammen größer als 25 MB.
support-problem-owner-documents = Zum Zurücksetzen der eigenen 2FA des Kontoinhabers werden „Amtlicher Ausweis“, „Nachweis der Unternehmensregistrierung“ und „Schreiben auf Firmenbriefpapier“ benötigt.
support-problem-not-yours = Sie können dieses Zurücksetzen nicht beantragen: Mitinhaber beantragen es nur für Benutzer, der Kontoinhaber für alle anderen, und jeweils nur für Personen des eigenen Kontos.
support-problem-busy = Von hier wurden zu viele Anfragen gesendet. Versuchen Sie es in einer Stunde erneut.
support-problem-later = Gerade werden sehr viele Anfragen gesendet. Bitte senden Sie Ihre Anfrage in einer Minute erneut.
support-problem-slow = Die Dateien kamen zu langsam an und wurden abgebrochen. Bitte senden Sie die Anfrage erneut, wenn möglich über eine schnellere Verbindung.
support-problem-broken = Das Formular konnte nicht vollständig gelesen werden. Bitte senden Sie es erneut.
support-send-offline = Die Anfrage konnte nicht gesendet werden. Prüfen Sie Ihre Verbindung und senden Sie sie erneut: Es ist nichts verloren gegangen.
support-send-broken = Bei uns ist etwas schiefgegangen. Bitte senden Sie die Anfrage gleich noch einmal.

## Das Senden und was die Seite danach anzeigt.

support-send = Anfrage senden
support-sending = Wird gesendet…
support-back-to-login = Zurück zur Anmeldeseite
# Abgemeldet gestellt: Die Referenznummer steht zwischen den beiden Teilen.
support-confirm-title = Bestätigen Sie Ihre Anfrage
support-confirm-status-before = Ihre Anfrage
support-confirm-status-after = ist noch nicht beim Support. Wir haben einen Link an die angegebene E-Mail-Adresse gesendet: Öffnen Sie ihn, um zu bestätigen, dass die Anfrage von Ihnen stammt.
support-confirm-lead = Der Support sieht die Anfrage erst, wenn Sie sie bestätigt haben. Der Link funktioniert einmal und 24 Stunden lang; danach wird eine unbestätigte Anfrage mit ihren Dokumenten gelöscht. Nichts angekommen? Sehen Sie in Ihrem Spam-Ordner nach und prüfen Sie, ob Sie Ihre Adresse richtig eingegeben haben.
# Angemeldet gestellt: Die Referenznummer steht zwischen den beiden Teilen.
support-received-title = Anfrage eingegangen
support-received-reference-before = Ihre Referenznummer lautet
support-received-reference-after = .
support-received-lead = Wir schreiben Ihnen, sobald der Support Ihre Anfrage geprüft hat. Geben Sie die Referenznummer an, wenn Sie uns dazu schreiben.

## /support/confirm: der Link, der an jemanden gesendet wurde, der die Anfrage abgemeldet gestellt hat.

support-confirm-page-title = Bestätigen Sie Ihre Supportanfrage
support-confirm-new-request = Neue Anfrage senden
support-confirm-intro = Jemand – hoffentlich Sie – hat unter Angabe Ihrer E-Mail-Adresse beim Support beantragt, die Zwei-Faktor-Authentifizierung zurückzusetzen. Der Support prüft die Anfrage erst, wenn Sie bestätigen, dass sie von Ihnen stammt.
support-confirm-reference = Referenznummer
support-confirm-target = 2FA zurücksetzen für
support-confirm-documents = Dokumente
support-confirm-document-count = { $count ->
        [0] Keine
        [one] 1 Datei
       *[other] { $count } Dateien
    }
support-confirm-submit = Anfrage bestätigen
support-confirm-not-you = Das waren nicht Sie? Schließen Sie diese Seite: Eine unbestätigte Anfrage wird nach 24 Stunden mit ihren Dokumenten gelöscht.
