# The Security page's **Sessions**: where the person is signed in, **Sign out** for one and
# **Sign out all other sessions**.

sessions-title = Sessions
sessions-lead = Where you are signed in. If you do not recognise a session, sign it out and change your password.
sessions-column-browser = Browser
sessions-column-signed-in = Signed in
sessions-column-last-active = Last active
sessions-column-from = From
sessions-column-actions = Actions
sessions-this-browser = This browser
# $applications: the applications' names, joined by commas.
sessions-signed-in-to = Signed in to { $applications }
sessions-sign-out = Sign out
sessions-sign-out-others = Sign out all other sessions
# An address that was not recorded.
sessions-unknown-address = Unknown

## Last active: how long ago (older than a day shows the date)

sessions-active-now = Active now
sessions-minutes-ago = { $minutes ->
        [one] 1 minute ago
       *[other] { $minutes } minutes ago
    }
sessions-hours-ago = { $hours ->
        [one] 1 hour ago
       *[other] { $hours } hours ago
    }

## What a sign-out did, or why it could not

sessions-one-signed-out = Session signed out.
sessions-others-signed-out = { $count ->
        [0] There were no other sessions.
        [one] 1 other session signed out.
       *[other] { $count } other sessions signed out.
    }
sessions-is-current = This is the session you are using: to end it, log out.
sessions-already-ended = That session has already ended.
