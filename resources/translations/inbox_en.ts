<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Clinic Inbox</source>
        <translation>About Clinic Inbox</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the key is kept in a file only your user account can read ({0}).</source>
        <translation>This computer has no system keyring: the key is kept in a file only your user account can read ({0}).</translation>
    </message>
    <message>
        <source>The key is kept in the system keyring.</source>
        <translation>The key is kept in the system keyring.</translation>
    </message>
    <message>
        <source>Server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <source>Connection: plain HTTP, not encrypted (you confirmed this for this server)</source>
        <translation>Connection: plain HTTP, not encrypted (you confirmed this for this server)</translation>
    </message>
    <message>
        <source>Signed in as {0} ({1})</source>
        <translation>Signed in as {0} ({1})</translation>
    </message>
    <message>
        <source>Data kept on this computer is encrypted (AES-256-GCM) with a key of your own.</source>
        <translation>Data kept on this computer is encrypted (AES-256-GCM) with a key of your own.</translation>
    </message>
    <message>
        <source>Log file: {0}</source>
        <translation>Log file: {0}</translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>About &amp;Qt</translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Not sent: {0}</source>
        <translation>Not sent: {0}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unknown error</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Waiting to send</translation>
    </message>
</context>
<context>
    <name>ClientBridge</name>
    <message>
        <source>Conversations not available</source>
        <extracomment>the list was (re)loaded: its snapshot (stale, fetched_at, offline) the open conversation: a Snapshot[DetailView] the open conversation could not be loaded: (conversation id, message) the patient of the open conversation: (Patient | None, note) &quot;online&quot; | &quot;reconnecting&quot; | &quot;offline&quot; something pending changed (status bar): number of pending actions a rollback or a failure to tell: (title, reason) a patient wrote: (conversation id, patient name, preview) an older page of the open conversation: (conversation id, [Message], more older ones) the older page could not be loaded: (conversation id, what to say) the session ended on the server: the user must sign in again every Change handled (tests wait on it) the open conversation shows only its summary and queued items (not on this computer)</extracomment>
        <translation>Conversations not available</translation>
    </message>
    <message>
        <source>Older messages are not on this computer.</source>
        <translation>Older messages are not on this computer.</translation>
    </message>
    <message>
        <source>Not available offline: never opened on this computer.</source>
        <translation>Not available offline: never opened on this computer.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Not available offline</source>
        <translation>Not available offline</translation>
    </message>
    <message>
        <source>data from {0}</source>
        <translation>data from {0}</translation>
    </message>
    <message>
        <source>{0} undone: {1}</source>
        <translation>{0} undone: {1}</translation>
    </message>
    <message>
        <source>{0} not sent: {1}</source>
        <translation>{0} not sent: {1}</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Reply to patient</source>
        <translation>Reply to patient</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Write an internal note (only the team sees it)…</source>
        <translation>Write an internal note (only the team sees it)…</translation>
    </message>
    <message>
        <source>Write a reply to the patient…</source>
        <translation>Write a reply to the patient…</translation>
    </message>
    <message>
        <source>Too long: at most {0} characters</source>
        <translation>Too long: at most {0} characters</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Search</source>
        <extracomment>The user moved to another conversation (its id).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, phone or message</source>
        <translation>Search name, phone or message</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Unread</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <extracomment>Rows first..last changed places (a row moved within them): the same row numbers now hold other conversations, so views re-find their selection by id. How many conversations a tab holds changed (read them with :meth:`count`).</extracomment>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>Saving…</source>
        <extracomment>(action, argument): &quot;toggle_read&quot;, &quot;toggle_archive&quot;, (&quot;priority&quot;, Priority) (kind &quot;reply&quot; | &quot;note&quot;, text) the patient card button: show (True) or collapse (False) the card</extracomment>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Show or hide the patient card</source>
        <translation>Show or hide the patient card</translation>
    </message>
    <message>
        <source>Choose a conversation on the left</source>
        <translation>Choose a conversation on the left</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>data from {0}</source>
        <translation>data from {0}</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>Unarchive</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>Older messages are not available offline.</source>
        <translation>Older messages are not available offline.</translation>
    </message>
    <message>
        <source>The conversation that was open is no longer available.</source>
        <translation>The conversation that was open is no longer available.</translation>
    </message>
</context>
<context>
    <name>EmptyNotice</name>
    <message>
        <source>Nothing found</source>
        <translation>Nothing found</translation>
    </message>
</context>
<context>
    <name>FailedDelivery</name>
    <message>
        <source>Not delivered: {0}</source>
        <translation>Not delivered: {0}</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Urgent priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as read</source>
        <extracomment>Keyboard 1-4 -&gt; priority, in the order of the chips.</extracomment>
        <translation>Mark as read</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>Unarchive</translation>
    </message>
    <message>
        <source>Change priority</source>
        <translation>Change priority</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Resend</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>WhatsApp only takes a reply up to 24 hours after the patient&apos;s last message. Ask the patient to write again, or call them.</source>
        <translation>WhatsApp only takes a reply up to 24 hours after the patient&apos;s last message. Ask the patient to write again, or call them.</translation>
    </message>
    <message>
        <source>the server refused it</source>
        <translation>the server refused it</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Not delivered</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>unknown reason</translation>
    </message>
    <message>
        <source>Open</source>
        <extracomment>The channels with an icon of their own (``channel-&lt;name&gt;.svg``); others get a plain bubble.</extracomment>
        <translation>Open</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Clinic Inbox is locked</source>
        <extracomment>the thread&apos;s scroll position; None when it showed the newest message</extracomment>
        <translation>Clinic Inbox is locked</translation>
    </message>
    <message>
        <source>Signed in as {0}. Type your password to continue.</source>
        <translation>Signed in as {0}. Type your password to continue.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Clinic Inbox — sign in</source>
        <extracomment>QSettings key: the servers the user agreed to reach over plain HTTP</extracomment>
        <translation>Clinic Inbox — sign in</translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
    <message>
        <source>Send the password and patients&apos; messages unencrypted to this server</source>
        <translation>Send the password and patients&apos; messages unencrypted to this server</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Fill in the server, e-mail and password.</source>
        <translation>Fill in the server, e-mail and password.</translation>
    </message>
    <message>
        <source>{0} is not encrypted: anyone on the network could read the password and patients&apos; messages. Use https://, or confirm below.</source>
        <translation>{0} is not encrypted: anyone on the network could read the password and patients&apos; messages. Use https://, or confirm below.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Wrong e-mail or password.</source>
        <translation>Wrong e-mail or password.</translation>
    </message>
    <message>
        <source>The server refused: {0}</source>
        <translation>The server refused: {0}</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified, so nothing was sent: {0}</source>
        <translation>The server&apos;s certificate could not be verified, so nothing was sent: {0}</translation>
    </message>
    <message>
        <source>Cannot reach the server at {0}. Check the address and the network.</source>
        <translation>Cannot reach the server at {0}. Check the address and the network.</translation>
    </message>
    <message>
        <source>Sign-in failed: {0}</source>
        <translation>Sign-in failed: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Clinic Inbox — {0} · {1}</source>
        <extracomment>a desktop notification was handed to the desktop: (title, message) the window was closed by the user</extracomment>
        <translation>Clinic Inbox — {0} · {1}</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Connect to the server to unlock.</source>
        <translation>Too many wrong passwords. Connect to the server to unlock.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong passwords. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many wrong passwords. Try again in %n second.</numerusform>
            <numerusform>Too many wrong passwords. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>Wrong password.</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Signing out…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) could not be sent; you are still signed in.</source>
        <translation>
            <numerusform>%n action could not be sent; you are still signed in.</numerusform>
            <numerusform>%n actions could not be sent; you are still signed in.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Account</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>&amp;Lock now</translation>
    </message>
    <message>
        <source>&amp;Sign out…</source>
        <translation>&amp;Sign out…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Keyboard shortcuts</translation>
    </message>
    <message>
        <source>&amp;Diagnostics</source>
        <translation>&amp;Diagnostics</translation>
    </message>
    <message>
        <source>&amp;About Clinic Inbox</source>
        <translation>&amp;About Clinic Inbox</translation>
    </message>
    <message>
        <source>Preferences not saved</source>
        <translation>Preferences not saved</translation>
    </message>
</context>
<context>
    <name>MetricsWindow</name>
    <message>
        <source>list</source>
        <translation>list</translation>
    </message>
    <message>
        <source>detail</source>
        <translation>detail</translation>
    </message>
    <message>
        <source>session</source>
        <translation>session</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>patient</translation>
    </message>
    <message>
        <source>This computer&apos;s cache, per kind</source>
        <translation>This computer&apos;s cache, per kind</translation>
    </message>
    <message>
        <source>Server cache (/api/metrics), per kind</source>
        <translation>Server cache (/api/metrics), per kind</translation>
    </message>
    <message>
        <source>Hit rate over time</source>
        <translation>Hit rate over time</translation>
    </message>
    <message>
        <source>This computer&apos;s cache</source>
        <translation>This computer&apos;s cache</translation>
    </message>
    <message>
        <source>Hits: what this computer already had and showed at once, without waiting for the server (when older than its time to live it was shown and checked again in the background). Misses: what had to be fetched from the server first.</source>
        <translation>Hits: what this computer already had and showed at once, without waiting for the server (when older than its time to live it was shown and checked again in the background). Misses: what had to be fetched from the server first.</translation>
    </message>
    <message>
        <source>Server cache</source>
        <translation>Server cache</translation>
    </message>
    <message>
        <source>The same on the clinic&apos;s server, which keeps recent answers in Redis: a hit answers from there, a miss reads the database.</source>
        <translation>The same on the clinic&apos;s server, which keeps recent answers in Redis: a hit answers from there, a miss reads the database.</translation>
    </message>
    <message>
        <source>list, detail, session, patient</source>
        <translation>list, detail, session, patient</translation>
    </message>
    <message>
        <source>The kinds of data: the conversation list, one open conversation, who is signed in, a patient&apos;s card.</source>
        <translation>The kinds of data: the conversation list, one open conversation, who is signed in, a patient&apos;s card.</translation>
    </message>
    <message>
        <source>Hits out of every read since this window opened, from 0 to 1: higher is faster. A gap in the server&apos;s line means it did not answer.</source>
        <translation>Hits out of every read since this window opened, from 0 to 1: higher is faster. A gap in the server&apos;s line means it did not answer.</translation>
    </message>
    <message>
        <source>Requests and p95</source>
        <translation>Requests and p95</translation>
    </message>
    <message>
        <source>How many requests the server answered since it started, and the time within which 95 of every 100 of them were answered.</source>
        <translation>How many requests the server answered since it started, and the time within which 95 of every 100 of them were answered.</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>seconds</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>this computer</translation>
    </message>
    <message>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <source>Server metrics not available: {0}</source>
        <translation>Server metrics not available: {0}</translation>
    </message>
    <message>
        <source>Server: {0} requests, p95 {1} ms</source>
        <translation>Server: {0} requests, p95 {1} ms</translation>
    </message>
    <message>
        <source>hits</source>
        <translation>hits</translation>
    </message>
    <message>
        <source>misses</source>
        <translation>misses</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>New message</source>
        <translation>New message</translation>
    </message>
    <message>
        <source>New message from {0}</source>
        <translation>New message from {0}</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection</source>
        <extracomment>the toast&apos;s one button (&quot;Undo&quot;), when it offers one</extracomment>
        <translation>No connection</translation>
    </message>
    <message>
        <source>No connection — showing data from {0}</source>
        <translation>No connection — showing data from {0}</translation>
    </message>
    <message>
        <source>trying to reconnect…</source>
        <translation>trying to reconnect…</translation>
    </message>
</context>
<context>
    <name>PatientCard</name>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Private</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Never</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <extracomment>&quot;Sign out…&quot; beside the server: signing out is how to change it</extracomment>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>As the system (Portuguese on a Portuguese system)</source>
        <translation>As the system (Portuguese on a Portuguese system)</translation>
    </message>
    <message>
        <source>Applies the next time the app opens.</source>
        <translation>Applies the next time the app opens.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>The patient and what they wrote</source>
        <translation>The patient and what they wrote</translation>
    </message>
    <message>
        <source>The patient only</source>
        <translation>The patient only</translation>
    </message>
    <message>
        <source>Only “New message”</source>
        <translation>Only “New message”</translation>
    </message>
    <message>
        <source>A notification is seen by anyone passing by and stays in the desktop&apos;s list.</source>
        <translation>A notification is seen by anyone passing by and stays in the desktop&apos;s list.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>Sign out…</translation>
    </message>
    <message>
        <source>To use another server, sign out and sign in there.</source>
        <translation>To use another server, sign out and sign in there.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>Lock after &amp;idle:</source>
        <translation>Lock after &amp;idle:</translation>
    </message>
    <message>
        <source>&amp;Notifications show:</source>
        <translation>&amp;Notifications show:</translation>
    </message>
    <message>
        <source>&amp;Offline, show data up to:</source>
        <translation>&amp;Offline, show data up to:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Lock after idle, in minutes</source>
        <translation>Lock after idle, in minutes</translation>
    </message>
    <message>
        <source>What notifications show</source>
        <translation>What notifications show</translation>
    </message>
    <message>
        <source>Offline, show data up to this many days old</source>
        <translation>Offline, show data up to this many days old</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
</context>
<context>
    <name>ResignInDialog</name>
    <message>
        <source>Sign in again</source>
        <extracomment>the user chose to sign out instead</extracomment>
        <translation>Sign in again</translation>
    </message>
    <message>
        <source>Your session ended (it expired, or you were signed out on the server). Type the password of {0} ({1}) to go on where you were.</source>
        <translation>Your session ended (it expired, or you were signed out on the server). Type the password of {0} ({1}) to go on where you were.</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) wait and go out once you are signed in.</source>
        <translation>
            <numerusform>%n action waits and goes out once you are signed in.</numerusform>
            <numerusform>%n actions wait and go out once you are signed in.</numerusform>
        </translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>Sign out…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong passwords. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many wrong passwords. Try again in %n second.</numerusform>
            <numerusform>Too many wrong passwords. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot be reached: {0}</source>
        <translation>The server cannot be reached: {0}</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>Wrong password.</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Search name, phone or message</source>
        <translation>Search name, phone or message</translation>
    </message>
    <message>
        <source>Previous or next conversation</source>
        <translation>Previous or next conversation</translation>
    </message>
    <message>
        <source>Archive or unarchive</source>
        <translation>Archive or unarchive</translation>
    </message>
    <message>
        <source>Mark as read or unread</source>
        <translation>Mark as read or unread</translation>
    </message>
    <message>
        <source>Priority: urgent, high, normal, low</source>
        <translation>Priority: urgent, high, normal, low</translation>
    </message>
    <message>
        <source>Leave the search (twice: clear it)</source>
        <translation>Leave the search (twice: clear it)</translation>
    </message>
    <message>
        <source>Undo the last action</source>
        <translation>Undo the last action</translation>
    </message>
    <message>
        <source>Send the note or reply</source>
        <translation>Send the note or reply</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>Lock now</translation>
    </message>
    <message>
        <source>Diagnostics (cache figures)</source>
        <translation>Diagnostics (cache figures)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>What they do</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Signed out by the server</source>
        <translation>Signed out by the server</translation>
    </message>
    <message>
        <source>Everything sent</source>
        <translation>Everything sent</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting: sent after you sign in again</source>
        <translation>
            <numerusform>%n action waiting: sent after you sign in again</numerusform>
            <numerusform>%n actions waiting: sent after you sign in again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting: sent when the connection is back</source>
        <translation>
            <numerusform>%n action waiting: sent when the connection is back</numerusform>
            <numerusform>%n actions waiting: sent when the connection is back</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n action waiting to be sent</numerusform>
            <numerusform>%n actions waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not sent: open the conversation to retry</source>
        <translation>
            <numerusform>%n not sent: open the conversation to retry</numerusform>
            <numerusform>%n not sent: open the conversation to retry</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Thread</name>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation>Loading older messages…</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Open Clinic Inbox</source>
        <extracomment>the tray&apos;s own message was clicked: the conversation it was about</extracomment>
        <translation>&amp;Open Clinic Inbox</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Lock</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message numerus="yes">
        <source>Clinic Inbox — %n conversation(s) unread</source>
        <translation>
            <numerusform>Clinic Inbox — %n conversation unread</numerusform>
            <numerusform>Clinic Inbox — %n conversations unread</numerusform>
        </translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Unarchived</source>
        <translation>Unarchived</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Marked as read</source>
        <translation>Marked as read</translation>
    </message>
    <message>
        <source>Marked as unread</source>
        <translation>Marked as unread</translation>
    </message>
    <message>
        <source>Priority: {0}</source>
        <translation>Priority: {0}</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Undo</translation>
    </message>
</context>
<context>
    <name>UnsentDialog</name>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) not sent yet.</source>
        <translation>
            <numerusform>%n action not sent yet.</numerusform>
            <numerusform>%n actions not sent yet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Signing out deletes everything this app keeps on this computer for you.</source>
        <translation>Signing out deletes everything this app keeps on this computer for you.</translation>
    </message>
    <message>
        <source>Send, then sign out</source>
        <translation>Send, then sign out</translation>
    </message>
    <message>
        <source>Discard them and sign out</source>
        <translation>Discard them and sign out</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Stay signed in</translation>
    </message>
</context>
</TS>
