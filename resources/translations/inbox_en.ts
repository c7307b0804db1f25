<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="196"/>
        <source>About Clinic Inbox</source>
        <translation>About Clinic Inbox</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="200"/>
        <source>This computer has no system keyring: the key is kept in a file only your user account can read ({0}).</source>
        <translation>This computer has no system keyring: the key is kept in a file only your user account can read ({0}).</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="203"/>
        <source>The key is kept in the system keyring.</source>
        <translation>The key is kept in the system keyring.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="206"/>
        <source>Server: {0}</source>
        <translation>Server: {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="207"/>
        <source>Signed in as {0} ({1})</source>
        <translation>Signed in as {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="209"/>
        <source>Data kept on this computer is encrypted (AES-256-GCM) with a key of your own.</source>
        <translation>Data kept on this computer is encrypted (AES-256-GCM) with a key of your own.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="212"/>
        <source>Log file: {0}</source>
        <translation>Log file: {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="215"/>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="109"/>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="149"/>
        <source>Not sent: {0}</source>
        <translation>Not sent: {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="149"/>
        <source>unknown error</source>
        <translation>unknown error</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="156"/>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="159"/>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="172"/>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="174"/>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/thread.py" line="175"/>
        <source>Waiting to send</source>
        <translation>Waiting to send</translation>
    </message>
</context>
<context>
    <name>ClientBridge</name>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="116"/>
        <source>Conversations not available</source>
        <extracomment>the list was (re)loaded: its snapshot (stale, fetched_at, offline) the open conversation: a Snapshot[DetailView] the open conversation could not be loaded: (conversation id, message) the patient of the open conversation: (Patient | None, note) &quot;online&quot; | &quot;reconnecting&quot; | &quot;offline&quot; something pending changed (status bar): number of pending actions a rollback or a failure to tell: (title, reason) a patient wrote: (conversation id, patient name, preview) the session ended on the server: the user must sign in again every Change handled (tests wait on it)</extracomment>
        <translation>Conversations not available</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="137"/>
        <source>Not available offline: never opened on this computer.</source>
        <translation>Not available offline: never opened on this computer.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="151"/>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="155"/>
        <source>Not available offline</source>
        <translation>Not available offline</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="163"/>
        <source>data from {0}</source>
        <translation>data from {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="228"/>
        <source>{0} undone: {1}</source>
        <translation>{0} undone: {1}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="229"/>
        <source>the server refused it</source>
        <translation>the server refused it</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/bridge.py" line="235"/>
        <source>{0} not sent: {1}</source>
        <translation>{0} not sent: {1}</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="32"/>
        <source>Reply to patient</source>
        <translation>Reply to patient</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="33"/>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="46"/>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="48"/>
        <location filename="../../inbox_app/ui/composer.py" line="114"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="99"/>
        <source>Write an internal note (only the team sees it)…</source>
        <translation>Write an internal note (only the team sees it)…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="101"/>
        <source>Write a reply to the patient…</source>
        <translation>Write a reply to the patient…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/composer.py" line="111"/>
        <source>Too long: at most {0} characters</source>
        <translation>Too long: at most {0} characters</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../inbox_app/ui/conversation_list.py" line="49"/>
        <source>Search name, phone or message</source>
        <extracomment>The user moved to another conversation (its id).</extracomment>
        <translation>Search name, phone or message</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_list.py" line="62"/>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_list.py" line="63"/>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_list.py" line="64"/>
        <source>Unread</source>
        <translation>Unread</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_list.py" line="65"/>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="65"/>
        <source>Saving…</source>
        <extracomment>(action, argument): &quot;toggle_read&quot;, &quot;toggle_archive&quot;, (&quot;priority&quot;, Priority) (kind &quot;reply&quot; | &quot;note&quot;, text)</extracomment>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="116"/>
        <source>Choose a conversation on the left</source>
        <translation>Choose a conversation on the left</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="128"/>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="147"/>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="149"/>
        <source>data from {0}</source>
        <translation>data from {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="153"/>
        <source>Mark as read</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="153"/>
        <source>Mark as unread</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="157"/>
        <source>Unarchive</source>
        <translation>Unarchive</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/conversation_pane.py" line="157"/>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="21"/>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="22"/>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="23"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="24"/>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="45"/>
        <source>Mark as read</source>
        <extracomment>(text colour, background) of each priority chip. Keyboard 1-4 -&gt; priority, in the order of the chips.</extracomment>
        <translation>Mark as read</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="46"/>
        <source>Mark as unread</source>
        <translation>Mark as unread</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="47"/>
        <source>Archive</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="48"/>
        <source>Unarchive</source>
        <translation>Unarchive</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="49"/>
        <source>Change priority</source>
        <translation>Change priority</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="50"/>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="51"/>
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="52"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="62"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="63"/>
        <source>Reconnecting…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/labels.py" line="64"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="111"/>
        <source>Clinic Inbox is locked</source>
        <translation>Clinic Inbox is locked</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="114"/>
        <source>Signed in as {0}. Type your password to continue.</source>
        <translation>Signed in as {0}. Type your password to continue.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="121"/>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="124"/>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="140"/>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="45"/>
        <source>Clinic Inbox — sign in</source>
        <translation>Clinic Inbox — sign in</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="52"/>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="66"/>
        <location filename="../../inbox_app/ui/login_dialog.py" line="121"/>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="72"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="73"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="74"/>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="92"/>
        <source>Fill in the server, e-mail and password.</source>
        <translation>Fill in the server, e-mail and password.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="100"/>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="105"/>
        <source>Wrong e-mail or password.</source>
        <translation>Wrong e-mail or password.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="107"/>
        <source>The server refused: {0}</source>
        <translation>The server refused: {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="109"/>
        <source>Cannot reach the server at {0}. Check the address and the network.</source>
        <translation>Cannot reach the server at {0}. Check the address and the network.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/login_dialog.py" line="113"/>
        <source>Sign-in failed: {0}</source>
        <translation>Sign-in failed: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="57"/>
        <source>Clinic Inbox — {0} · {1}</source>
        <extracomment>a desktop notification was raised: (title, message) the window was closed by the user</extracomment>
        <translation>Clinic Inbox — {0} · {1}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="103"/>
        <source>Clinic Inbox</source>
        <translation>Clinic Inbox</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="129"/>
        <source>Session expired</source>
        <translation>Session expired</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="129"/>
        <source>Close the app and sign in again.</source>
        <translation>Close the app and sign in again.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="154"/>
        <source>&amp;Account</source>
        <translation>&amp;Account</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="155"/>
        <source>&amp;Lock now</source>
        <translation>&amp;Lock now</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="158"/>
        <source>&amp;Sign out…</source>
        <translation>&amp;Sign out…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="161"/>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="162"/>
        <source>&amp;About Clinic Inbox</source>
        <translation>&amp;About Clinic Inbox</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="197"/>
        <source>Wrong password.</source>
        <translation>Wrong password.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="221"/>
        <source>Signing out…</source>
        <translation>Signing out…</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="226"/>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message numerus="yes">
        <location filename="../../inbox_app/ui/main_window.py" line="227"/>
        <source>%n action(s) could not be sent; you are still signed in.</source>
        <translation>
            <numerusform>%n action could not be sent; you are still signed in.</numerusform>
            <numerusform>%n actions could not be sent; you are still signed in.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/main_window.py" line="292"/>
        <source>New message from {0}</source>
        <translation>New message from {0}</translation>
    </message>
</context>
<context>
    <name>MetricsWindow</name>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="33"/>
        <source>list</source>
        <translation>list</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="34"/>
        <source>detail</source>
        <translation>detail</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="35"/>
        <source>session</source>
        <translation>session</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="36"/>
        <source>patient</source>
        <translation>patient</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="58"/>
        <source>Cache metrics</source>
        <translation>Cache metrics</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="62"/>
        <source>This computer&apos;s cache, per kind</source>
        <translation>This computer&apos;s cache, per kind</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="63"/>
        <source>Server cache (/api/metrics), per kind</source>
        <translation>Server cache (/api/metrics), per kind</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="64"/>
        <source>Hit rate over time</source>
        <translation>Hit rate over time</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="71"/>
        <source>seconds</source>
        <translation>seconds</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="73"/>
        <source>this computer</source>
        <translation>this computer</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="75"/>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="110"/>
        <source>Server metrics not available: {0}</source>
        <translation>Server metrics not available: {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="117"/>
        <source>Server: {0} requests, p95 {1} ms</source>
        <translation>Server: {0} requests, p95 {1} ms</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="134"/>
        <source>hits</source>
        <translation>hits</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/metrics_window.py" line="136"/>
        <source>misses</source>
        <translation>misses</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <location filename="../../inbox_app/ui/feedback.py" line="100"/>
        <source>No connection</source>
        <translation>No connection</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/feedback.py" line="102"/>
        <source>No connection — showing data from {0}</source>
        <translation>No connection — showing data from {0}</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/feedback.py" line="106"/>
        <source>trying to reconnect…</source>
        <translation>trying to reconnect…</translation>
    </message>
</context>
<context>
    <name>PatientCard</name>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="33"/>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="34"/>
        <source>Birth date</source>
        <translation>Birth date</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="35"/>
        <source>Insurance</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="36"/>
        <source>Last visit</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="60"/>
        <source>Private</source>
        <translation>Private</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/patient_card.py" line="62"/>
        <source>Never</source>
        <translation>Never</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../inbox_app/ui/status_bar.py" line="29"/>
        <source>Cache metrics</source>
        <translation>Cache metrics</translation>
    </message>
    <message numerus="yes">
        <location filename="../../inbox_app/ui/status_bar.py" line="47"/>
        <source>%n action(s) waiting</source>
        <translation>
            <numerusform>%n action waiting</numerusform>
            <numerusform>%n actions waiting</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/status_bar.py" line="49"/>
        <source>Everything saved</source>
        <translation>Everything saved</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/status_bar.py" line="53"/>
        <source>Local cache: —</source>
        <translation>Local cache: —</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/status_bar.py" line="55"/>
        <source>Local cache: {0}% hits</source>
        <translation>Local cache: {0}% hits</translation>
    </message>
</context>
<context>
    <name>UnsentDialog</name>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="163"/>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message numerus="yes">
        <location filename="../../inbox_app/ui/privacy.py" line="164"/>
        <source>%n action(s) not sent yet.</source>
        <translation>
            <numerusform>%n action not sent yet.</numerusform>
            <numerusform>%n actions not sent yet.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="166"/>
        <source>Signing out deletes everything this app keeps on this computer for you.</source>
        <translation>Signing out deletes everything this app keeps on this computer for you.</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="167"/>
        <source>Send, then sign out</source>
        <translation>Send, then sign out</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="169"/>
        <source>Discard them and sign out</source>
        <translation>Discard them and sign out</translation>
    </message>
    <message>
        <location filename="../../inbox_app/ui/privacy.py" line="171"/>
        <source>Stay signed in</source>
        <translation>Stay signed in</translation>
    </message>
</context>
</TS>
