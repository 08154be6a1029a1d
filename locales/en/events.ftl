# The Security page's **Recent security events**: the person's own audit log, newest first.

events-title = Recent security events
events-none = Nothing yet.
events-column-when = When
events-column-what = What happened
events-column-from = From
# An address that was not recorded.
events-unknown-address = Unknown
