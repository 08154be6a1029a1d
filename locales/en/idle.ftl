# The warning before a session times out, on every signed-in page.
# $minutes: the minutes left, rounded up (1 means a minute or less).

idle-title = Are you still there?
idle-signing-out = For your security, you will be signed out in { $minutes ->
        [1] less than a minute
       *[other] { $minutes } minutes
    } because there was no activity.
idle-stay = Stay signed in
idle-lifetime-ends = Your session ends in { $minutes ->
        [1] less than a minute
       *[other] { $minutes } minutes
    }, the longest a sign-in lasts. Save your work; you will then log in again.
