"""The WhatsApp Business Cloud API channel (issue 17): Meta's webhooks in, replies out.

- ``settings``: the Graph API address and the delivery worker's pacing, from ``INBOX_*``;
- ``channels``: each clinic's phone number id and secrets (``inbox-server whatsapp``);
- ``notifications``: Meta's webhook payload read into messages and statuses, and the typed
  placeholders of messages that are not text;
- ``inbound``: notifications applied (messages through the inbound write path, statuses);
- ``outbound``: the 24-hour window and the durable queue, in the reply's transaction;
- ``graph``: the Graph API client and what its errors mean;
- ``worker``: the delivery worker that claims, sends, retries and records.
"""
