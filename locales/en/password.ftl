# Password on the Security page: change it with the current password and a code.

password-title = Password
password-lead = Changing your password signs out every other session, on every device.
password-current = Current password
password-new = New password
password-confirm = Confirm new password
password-change = Change password
# { $ended }: how many other sessions were signed out.
password-changed = { $ended ->
        [0] Your password was changed.
        [one] Your password was changed, and your 1 other session was signed out.
       *[other] Your password was changed, and your { $ended } other sessions were signed out.
    }
