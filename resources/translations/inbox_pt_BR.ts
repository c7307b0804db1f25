<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Clinic Inbox</source>
        <translation>Sobre a Caixa da Clínica</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the key is kept in a file only your user account can read ({0}).</source>
        <translation>Este computador não tem chaveiro do sistema: a chave fica num arquivo que só a sua conta de usuário pode ler ({0}).</translation>
    </message>
    <message>
        <source>The key is kept in the system keyring.</source>
        <translation>A chave fica no chaveiro do sistema.</translation>
    </message>
    <message>
        <source>Server: {0}</source>
        <translation>Servidor: {0}</translation>
    </message>
    <message>
        <source>Connection: plain HTTP, not encrypted (you confirmed this for this server)</source>
        <translation>Conexão: HTTP simples, sem criptografia (você confirmou isso para este servidor)</translation>
    </message>
    <message>
        <source>Signed in as {0} ({1})</source>
        <translation>Conectado como {0} ({1})</translation>
    </message>
    <message>
        <source>Data kept on this computer is encrypted (AES-256-GCM) with a key of your own.</source>
        <translation>Os dados guardados neste computador são criptografados (AES-256-GCM) com uma chave só sua.</translation>
    </message>
    <message>
        <source>Log file: {0}</source>
        <translation>Arquivo de log: {0}</translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Caixa da Clínica</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Sobre o &amp;Qt</translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <source>Internal note</source>
        <translation>Nota interna</translation>
    </message>
    <message>
        <source>Not sent: {0}</source>
        <translation>Não enviado: {0}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>erro desconhecido</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falhou</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Aguardando envio</translation>
    </message>
</context>
<context>
    <name>ClientBridge</name>
    <message>
        <source>Conversations not available</source>
        <extracomment>the list was (re)loaded: its snapshot (stale, fetched_at, offline) the open conversation: a Snapshot[DetailView] the open conversation could not be loaded: (conversation id, message) the patient of the open conversation: (Patient | None, note) &quot;online&quot; | &quot;reconnecting&quot; | &quot;offline&quot; something pending changed (status bar): number of pending actions a rollback or a failure to tell: (title, reason) a patient wrote: (conversation id, patient name, preview) an older page of the open conversation: (conversation id, [Message], more older ones) the older page could not be loaded: (conversation id, what to say) the session ended on the server: the user must sign in again every Change handled (tests wait on it) the open conversation shows only its summary and queued items (not on this computer)</extracomment>
        <translation>Conversas indisponíveis</translation>
    </message>
    <message>
        <source>Older messages are not on this computer.</source>
        <translation>As mensagens mais antigas não estão neste computador.</translation>
    </message>
    <message>
        <source>Not available offline: never opened on this computer.</source>
        <translation>Indisponível sem conexão: nunca foi aberta neste computador.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Carregando…</translation>
    </message>
    <message>
        <source>Not available offline</source>
        <translation>Indisponível sem conexão</translation>
    </message>
    <message>
        <source>data from {0}</source>
        <translation>dados de {0}</translation>
    </message>
    <message>
        <source>{0} undone: {1}</source>
        <translation>Desfeito: {0} ({1})</translation>
    </message>
    <message>
        <source>{0} not sent: {1}</source>
        <translation>Não enviada: {0} ({1})</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Reply to patient</source>
        <translation>Responder ao paciente</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Nota interna</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Enviar (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Write an internal note (only the team sees it)…</source>
        <translation>Escreva uma nota interna (só a equipe vê)…</translation>
    </message>
    <message>
        <source>Write a reply to the patient…</source>
        <translation>Escreva uma resposta ao paciente…</translation>
    </message>
    <message>
        <source>Too long: at most {0} characters</source>
        <translation>Longo demais: no máximo {0} caracteres</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Search</source>
        <extracomment>The user moved to another conversation (its id).</extracomment>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Search name, phone or message</source>
        <translation>Buscar nome, telefone ou mensagem</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Buscar conversas</translation>
    </message>
    <message>
        <source>Clear search</source>
        <translation>Limpar busca</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abertas</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Arquivadas</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Não lidas</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Urgentes</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversas</translation>
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
            <numerusform>%n mensagem não lida</numerusform>
            <numerusform>%n mensagens não lidas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>Saving…</source>
        <extracomment>(action, argument): &quot;toggle_read&quot;, &quot;toggle_archive&quot;, (&quot;priority&quot;, Priority) (kind &quot;reply&quot; | &quot;note&quot;, text) the patient card button: show (True) or collapse (False) the card</extracomment>
        <translation>Salvando…</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioridade</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Show or hide the patient card</source>
        <translation>Mostrar ou esconder a ficha do paciente</translation>
    </message>
    <message>
        <source>Choose a conversation on the left</source>
        <translation>Escolha uma conversa à esquerda</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Carregando…</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Arquivada</translation>
    </message>
    <message>
        <source>data from {0}</source>
        <translation>dados de {0}</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Marcar como lida</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Marcar como não lida</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>Desarquivar</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Arquivar</translation>
    </message>
    <message>
        <source>Older messages are not available offline.</source>
        <translation>As mensagens anteriores não estão disponíveis sem conexão.</translation>
    </message>
    <message>
        <source>The conversation that was open is no longer available.</source>
        <translation>A conversa que estava aberta não está mais disponível.</translation>
    </message>
</context>
<context>
    <name>EmptyNotice</name>
    <message>
        <source>Nothing found</source>
        <translation>Nada encontrado</translation>
    </message>
</context>
<context>
    <name>FailedDelivery</name>
    <message>
        <source>Not delivered: {0}</source>
        <translation>Não entregue: {0}</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Tentar de novo</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Urgent</source>
        <translation>Urgente</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alta</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Baixa</translation>
    </message>
    <message>
        <source>Urgent priority</source>
        <translation>Prioridade urgente</translation>
    </message>
    <message>
        <source>High priority</source>
        <translation>Prioridade alta</translation>
    </message>
    <message>
        <source>Normal priority</source>
        <translation>Prioridade normal</translation>
    </message>
    <message>
        <source>Low priority</source>
        <translation>Prioridade baixa</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>salvando</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>não enviada</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>arquivada</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <extracomment>Keyboard 1-4 -&gt; priority, in the order of the chips.</extracomment>
        <translation>Marcar como lida</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Marcar como não lida</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Arquivar</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>Desarquivar</translation>
    </message>
    <message>
        <source>Change priority</source>
        <translation>Mudar prioridade</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Nota interna</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Resposta</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Reenvio</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Ação</translation>
    </message>
    <message>
        <source>WhatsApp only takes a reply up to 24 hours after the patient&apos;s last message. Ask the patient to write again, or call them.</source>
        <translation>O WhatsApp só aceita respostas até 24 horas depois da última mensagem do paciente. Peça para o paciente escrever de novo ou ligue para ele.</translation>
    </message>
    <message>
        <source>the server refused it</source>
        <translation>o servidor recusou</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Aguardando envio</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviada</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregue</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lida</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Não entregue</translation>
    </message>
    <message>
        <source>unknown reason</source>
        <translation>motivo desconhecido</translation>
    </message>
    <message>
        <source>Open</source>
        <extracomment>The channels with an icon of their own (``channel-&lt;name&gt;.svg``); others get a plain bubble.</extracomment>
        <translation>Abertas</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Arquivadas</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sem conexão</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Clinic Inbox is locked</source>
        <extracomment>the thread&apos;s scroll position; None when it showed the newest message</extracomment>
        <translation>A Caixa da Clínica está bloqueada</translation>
    </message>
    <message>
        <source>Signed in as {0}. Type your password to continue.</source>
        <translation>Conectado como {0}. Digite sua senha para continuar.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Verificando…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Clinic Inbox — sign in</source>
        <extracomment>QSettings key: the servers the user agreed to reach over plain HTTP</extracomment>
        <translation>Caixa da Clínica — entrar</translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Caixa da Clínica</translation>
    </message>
    <message>
        <source>Send the password and patients&apos; messages unencrypted to this server</source>
        <translation>Enviar a senha e as mensagens dos pacientes sem criptografia para este servidor</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Fill in the server, e-mail and password.</source>
        <translation>Preencha o servidor, o e-mail e a senha.</translation>
    </message>
    <message>
        <source>{0} is not encrypted: anyone on the network could read the password and patients&apos; messages. Use https://, or confirm below.</source>
        <translation>{0} não é criptografado: qualquer pessoa na rede poderia ler a senha e as mensagens dos pacientes. Use https:// ou confirme abaixo.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Entrando…</translation>
    </message>
    <message>
        <source>Wrong e-mail or password.</source>
        <translation>E-mail ou senha incorretos.</translation>
    </message>
    <message>
        <source>The server refused: {0}</source>
        <translation>O servidor recusou: {0}</translation>
    </message>
    <message>
        <source>The server&apos;s certificate could not be verified, so nothing was sent: {0}</source>
        <translation>Não foi possível verificar o certificado do servidor, então nada foi enviado: {0}</translation>
    </message>
    <message>
        <source>Cannot reach the server at {0}. Check the address and the network.</source>
        <translation>Não foi possível falar com o servidor em {0}. Confira o endereço e a rede.</translation>
    </message>
    <message>
        <source>Sign-in failed: {0}</source>
        <translation>Falha ao entrar: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Clinic Inbox — {0} · {1}</source>
        <extracomment>a desktop notification was handed to the desktop: (title, message) the window was closed by the user</extracomment>
        <translation>Caixa da Clínica — {0} · {1}</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Connect to the server to unlock.</source>
        <translation>Senhas incorretas demais. Conecte-se ao servidor para desbloquear.</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong passwords. Try again in %n second(s).</source>
        <translation>
            <numerusform>Senhas incorretas demais. Tente de novo em %n segundo.</numerusform>
            <numerusform>Senhas incorretas demais. Tente de novo em %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>Senha incorreta.</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Saindo…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sair</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) could not be sent; you are still signed in.</source>
        <translation>
            <numerusform>%n ação não pôde ser enviada; você continua conectado.</numerusform>
            <numerusform>%n ações não puderam ser enviadas; você continua conectado.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Conta</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferências…</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>&amp;Bloquear agora</translation>
    </message>
    <message>
        <source>&amp;Sign out…</source>
        <translation>&amp;Sair…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atalhos de teclado</translation>
    </message>
    <message>
        <source>&amp;Diagnostics</source>
        <translation>&amp;Diagnóstico</translation>
    </message>
    <message>
        <source>&amp;About Clinic Inbox</source>
        <translation>&amp;Sobre a Caixa da Clínica</translation>
    </message>
    <message>
        <source>Preferences not saved</source>
        <translation>Preferências não salvas</translation>
    </message>
</context>
<context>
    <name>MetricsWindow</name>
    <message>
        <source>list</source>
        <translation>lista</translation>
    </message>
    <message>
        <source>detail</source>
        <translation>conversa</translation>
    </message>
    <message>
        <source>session</source>
        <translation>sessão</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>paciente</translation>
    </message>
    <message>
        <source>This computer&apos;s cache, per kind</source>
        <translation>Cache deste computador, por tipo</translation>
    </message>
    <message>
        <source>Server cache (/api/metrics), per kind</source>
        <translation>Cache do servidor (/api/metrics), por tipo</translation>
    </message>
    <message>
        <source>Hit rate over time</source>
        <translation>Taxa de acertos ao longo do tempo</translation>
    </message>
    <message>
        <source>This computer&apos;s cache</source>
        <translation>Cache deste computador</translation>
    </message>
    <message>
        <source>Hits: what this computer already had and showed at once, without waiting for the server (when older than its time to live it was shown and checked again in the background). Misses: what had to be fetched from the server first.</source>
        <translation>Acertos: o que este computador já tinha e mostrou na hora, sem esperar o servidor (quando passou do prazo de validade, foi mostrado e conferido de novo em segundo plano). Falhas: o que precisou ser buscado no servidor antes.</translation>
    </message>
    <message>
        <source>Server cache</source>
        <translation>Cache do servidor</translation>
    </message>
    <message>
        <source>The same on the clinic&apos;s server, which keeps recent answers in Redis: a hit answers from there, a miss reads the database.</source>
        <translation>O mesmo no servidor da clínica, que guarda as respostas recentes no Redis: um acerto responde dali, uma falha lê o banco de dados.</translation>
    </message>
    <message>
        <source>list, detail, session, patient</source>
        <translation>lista, conversa, sessão, paciente</translation>
    </message>
    <message>
        <source>The kinds of data: the conversation list, one open conversation, who is signed in, a patient&apos;s card.</source>
        <translation>Os tipos de dado: a lista de conversas, uma conversa aberta, quem está conectado, a ficha de um paciente.</translation>
    </message>
    <message>
        <source>Hits out of every read since this window opened, from 0 to 1: higher is faster. A gap in the server&apos;s line means it did not answer.</source>
        <translation>Acertos entre todas as leituras desde que esta janela abriu, de 0 a 1: quanto maior, mais rápido. Um buraco na linha do servidor quer dizer que ele não respondeu.</translation>
    </message>
    <message>
        <source>Requests and p95</source>
        <translation>Requisições e p95</translation>
    </message>
    <message>
        <source>How many requests the server answered since it started, and the time within which 95 of every 100 of them were answered.</source>
        <translation>Quantas requisições o servidor atendeu desde que começou, e o tempo em que 95 de cada 100 delas foram respondidas.</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>segundos</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>este computador</translation>
    </message>
    <message>
        <source>server</source>
        <translation>servidor</translation>
    </message>
    <message>
        <source>Server metrics not available: {0}</source>
        <translation>Métricas do servidor indisponíveis: {0}</translation>
    </message>
    <message>
        <source>Server: {0} requests, p95 {1} ms</source>
        <translation>Servidor: {0} requisições, p95 {1} ms</translation>
    </message>
    <message>
        <source>hits</source>
        <translation>acertos</translation>
    </message>
    <message>
        <source>misses</source>
        <translation>faltas</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>New message</source>
        <translation>Nova mensagem</translation>
    </message>
    <message>
        <source>New message from {0}</source>
        <translation>Nova mensagem de {0}</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>No connection</source>
        <extracomment>the toast&apos;s one button (&quot;Undo&quot;), when it offers one</extracomment>
        <translation>Sem conexão</translation>
    </message>
    <message>
        <source>No connection — showing data from {0}</source>
        <translation>Sem conexão — mostrando dados de {0}</translation>
    </message>
    <message>
        <source>trying to reconnect…</source>
        <translation>tentando reconectar…</translation>
    </message>
</context>
<context>
    <name>PatientCard</name>
    <message>
        <source>Phone</source>
        <translation>Telefone</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Nascimento</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>Convênio</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Última consulta</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Particular</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nunca</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <extracomment>&quot;Sign out…&quot; beside the server: signing out is how to change it</extracomment>
        <translation>Preferências</translation>
    </message>
    <message>
        <source>As the system (Portuguese on a Portuguese system)</source>
        <translation>Como o sistema (português num sistema em português)</translation>
    </message>
    <message>
        <source>Applies the next time the app opens.</source>
        <translation>Vale a partir da próxima vez que o app abrir.</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>The patient and what they wrote</source>
        <translation>O paciente e o que escreveu</translation>
    </message>
    <message>
        <source>The patient only</source>
        <translation>Só o paciente</translation>
    </message>
    <message>
        <source>Only “New message”</source>
        <translation>Só “Nova mensagem”</translation>
    </message>
    <message>
        <source>A notification is seen by anyone passing by and stays in the desktop&apos;s list.</source>
        <translation>Uma notificação é vista por quem passar e fica na lista de notificações do computador.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dias</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>Sair da conta…</translation>
    </message>
    <message>
        <source>To use another server, sign out and sign in there.</source>
        <translation>Para usar outro servidor, saia da conta e entre nele.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>Lock after &amp;idle:</source>
        <translation>Bloquear sem &amp;uso após:</translation>
    </message>
    <message>
        <source>&amp;Notifications show:</source>
        <translation>&amp;Notificações mostram:</translation>
    </message>
    <message>
        <source>&amp;Offline, show data up to:</source>
        <translation>Sem c&amp;onexão, mostrar dados de até:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Servidor:</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Lock after idle, in minutes</source>
        <translation>Bloquear sem uso após, em minutos</translation>
    </message>
    <message>
        <source>What notifications show</source>
        <translation>O que as notificações mostram</translation>
    </message>
    <message>
        <source>Offline, show data up to this many days old</source>
        <translation>Sem conexão, mostrar dados de até tantos dias</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
</context>
<context>
    <name>ResignInDialog</name>
    <message>
        <source>Sign in again</source>
        <extracomment>the user chose to sign out instead</extracomment>
        <translation>Entrar de novo</translation>
    </message>
    <message>
        <source>Your session ended (it expired, or you were signed out on the server). Type the password of {0} ({1}) to go on where you were.</source>
        <translation>Sua sessão terminou (expirou, ou foi encerrada no servidor). Digite a senha de {0} ({1}) para continuar de onde parou.</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) wait and go out once you are signed in.</source>
        <translation>
            <numerusform>%n ação aguarda e vai assim que você entrar.</numerusform>
            <numerusform>%n ações aguardam e vão assim que você entrar.</numerusform>
        </translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>Sair da conta…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Verificando…</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong passwords. Try again in %n second(s).</source>
        <translation>
            <numerusform>Senhas incorretas demais. Tente de novo em %n segundo.</numerusform>
            <numerusform>Senhas incorretas demais. Tente de novo em %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot be reached: {0}</source>
        <translation>Não foi possível falar com o servidor: {0}</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>Senha incorreta.</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Search name, phone or message</source>
        <translation>Buscar nome, telefone ou mensagem</translation>
    </message>
    <message>
        <source>Previous or next conversation</source>
        <translation>Conversa anterior ou seguinte</translation>
    </message>
    <message>
        <source>Archive or unarchive</source>
        <translation>Arquivar ou desarquivar</translation>
    </message>
    <message>
        <source>Mark as read or unread</source>
        <translation>Marcar como lida ou não lida</translation>
    </message>
    <message>
        <source>Priority: urgent, high, normal, low</source>
        <translation>Prioridade: urgente, alta, normal, baixa</translation>
    </message>
    <message>
        <source>Leave the search (twice: clear it)</source>
        <translation>Sair da busca (duas vezes: limpá-la)</translation>
    </message>
    <message>
        <source>Undo the last action</source>
        <translation>Desfazer a última ação</translation>
    </message>
    <message>
        <source>Send the note or reply</source>
        <translation>Enviar a nota ou a resposta</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>Bloquear agora</translation>
    </message>
    <message>
        <source>Diagnostics (cache figures)</source>
        <translation>Diagnóstico (números do cache)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atalhos de teclado</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>O que fazem</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Signed out by the server</source>
        <translation>Sessão encerrada pelo servidor</translation>
    </message>
    <message>
        <source>Everything sent</source>
        <translation>Tudo enviado</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting: sent after you sign in again</source>
        <translation>
            <numerusform>%n ação aguardando: vai depois que você entrar de novo</numerusform>
            <numerusform>%n ações aguardando: vão depois que você entrar de novo</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting: sent when the connection is back</source>
        <translation>
            <numerusform>%n ação aguardando: vai quando a conexão voltar</numerusform>
            <numerusform>%n ações aguardando: vão quando a conexão voltar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n ação aguardando envio</numerusform>
            <numerusform>%n ações aguardando envio</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not sent: open the conversation to retry</source>
        <translation>
            <numerusform>%n não enviada: abra a conversa para tentar de novo</numerusform>
            <numerusform>%n não enviadas: abra a conversa para tentar de novo</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Thread</name>
    <message>
        <source>Messages</source>
        <translation>Mensagens</translation>
    </message>
    <message>
        <source>Loading older messages…</source>
        <translation>Carregando mensagens mais antigas…</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>&amp;Open Clinic Inbox</source>
        <extracomment>the tray&apos;s own message was clicked: the conversation it was about</extracomment>
        <translation>&amp;Abrir a Caixa da Clínica</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Bloquear</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message numerus="yes">
        <source>Clinic Inbox — %n conversation(s) unread</source>
        <translation>
            <numerusform>Caixa da Clínica — %n conversa não lida</numerusform>
            <numerusform>Caixa da Clínica — %n conversas não lidas</numerusform>
        </translation>
    </message>
    <message>
        <source>Clinic Inbox</source>
        <translation>Caixa da Clínica</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Unarchived</source>
        <translation>Desarquivada</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Arquivada</translation>
    </message>
    <message>
        <source>Marked as read</source>
        <translation>Marcada como lida</translation>
    </message>
    <message>
        <source>Marked as unread</source>
        <translation>Marcada como não lida</translation>
    </message>
    <message>
        <source>Priority: {0}</source>
        <translation>Prioridade: {0}</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Desfazer</translation>
    </message>
</context>
<context>
    <name>UnsentDialog</name>
    <message>
        <source>Sign out</source>
        <translation>Sair</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) not sent yet.</source>
        <translation>
            <numerusform>%n ação ainda não enviada.</numerusform>
            <numerusform>%n ações ainda não enviadas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Signing out deletes everything this app keeps on this computer for you.</source>
        <translation>Sair apaga tudo o que este aplicativo guarda neste computador para você.</translation>
    </message>
    <message>
        <source>Send, then sign out</source>
        <translation>Enviar e depois sair</translation>
    </message>
    <message>
        <source>Discard them and sign out</source>
        <translation>Descartar e sair</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Continuar conectado</translation>
    </message>
</context>
</TS>
