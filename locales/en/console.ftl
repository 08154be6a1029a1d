# /support/console: support agents work the queue of 2FA reset requests, and decide each one.
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are. $when is a date and time (2025-01-31 14:05 UTC).

console-title = Support console
console-filter-label = Filter by status
console-filter-all = All
console-status-new = New
console-status-approved = Approved
console-status-rejected = Rejected
console-status-unknown = Unknown
console-empty = No requests here.

## The queue's columns, and one request's fields.

console-reference = Reference
console-received = Received
console-status = Status
console-requester = Requester
console-target = Person to reset
console-account = Account
console-documents = Documents
# After the person to reset, in the queue.
console-own-reset = (the owner, own reset)
console-area = Area
console-subject = Subject
console-account-name = Account name
console-owner-own-reset = Owner's own reset
console-yes = Yes
console-no = No
console-description = Description

## One request.

console-request-title = Support request
console-back = Back to the queue
console-request-heading = Request { $reference }
console-no-such-request = There is no such request.

## What the system knows. $role is one of console-role's words.

console-role = { $role ->
        [owner] account owner
        [co-owner] co-owner
        [agent] support agent
       *[user] user
    }
console-known-title = What the system knows
console-account-found = Found
console-account-not-found = No account by this name
console-verified-by = Verified by
console-verified-signed-in = Signed in as { $email } when filing ({ $when })
console-verified-mailbox = Confirmed from the mailbox of { $email } ({ $when })
console-verified-unverified = Not verified: filed before requesters confirmed their address; the email typed proves nothing
console-verified-awaiting = Not confirmed yet
console-requester-not-verified = Unknown: not verified
console-requester-role = The { $role } of this account
console-requester-not-member = Not a member of this account
console-target-is-requester = The requester ({ $role })
console-target-role = A { $role } of this account
console-target-not-found = No such user in this account
console-their-2fa = Their 2FA
console-has-authenticator = Authenticator app set up
console-no-authenticator = No authenticator

## The documents. $document and $kind are a document's kind (support-zone-...).

console-owner-documents = Owner documents
console-checklist-received = { $document }: received
console-checklist-missing = { $document }: missing
console-no-documents = No documents were attached.
console-document-caption = { $kind }: { $name } ({ $size })
console-document-label = { $kind }, { $name }
console-document-deleted = Deleted on { $when } after the retention period.
console-document-open = Open

## The decision. $problem is why approving would be refused, $target the person to reset.

console-decision = Decision
console-rejected-on = Rejected on { $when }: { $reason }
console-approved-on = Approved on { $when }. The authenticator was removed and every session ended.
console-approval-problem = Approving is not possible: { $problem }
console-approve = Approve
console-approve-hint = Removes the authenticator of { $target } and ends their sessions. Confirm with your own code.
console-reject = Reject
console-reason = Reason
console-reason-hint = Mailed to the requester.
