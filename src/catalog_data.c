/*
 * catalog_data.c - the cause and fix catalog of libsmtpdoc, as data.
 *
 * One row per cause: a stable id, the Sisimai reason it belongs to, a short
 * title, a plain explanation, and three ordered lists of steps: for the
 * person who sent the mail, for the recipient (or their mail host), and for
 * a mail administrator (logs to search, commands to run, files to check).
 *
 * Rules for the rows (checked by tests/unit/test_catalog.c):
 *   - ids are unique and never change once released;
 *   - the FIRST row of a reason is that reason's default cause;
 *   - every reason Sisimai knows has at least one row;
 *   - doc/causes.md lists every row.
 * Placeholders in admin steps are written <address>, <domain>, <user>,
 * <box> (the part before the @), <ip>, <host> and <message-id>.
 *
 * The table is read-only and needs no initialisation; catalog.c looks
 * rows up.
 */
#include <stddef.h>

#include "smtpdoc/smtpdoc.h"

extern const smtpdoc_cause sd_catalog[];
extern const size_t sd_catalog_len;

/* A NULL-terminated list of steps; file-scope compound literals have static
 * storage (C11 6.5.2.5), so the rows below are plain constant data. */
#define STEPS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Admin steps that several causes share. */
#define LOG_GREP_ADDR                                                          \
	"Find the delivery attempt in the mail log: grep \"<address>\" "      \
	"/var/log/exim_mainlog (cPanel/Exim), /var/log/maillog (Red Hat "     \
	"family) or /var/log/mail.log (Debian/Ubuntu), and read the full "    \
	"reply the remote server gave."
#define LOG_GREP_SENDER                                                        \
	"Find the attempt in the mail log by sender: grep \"<sender "         \
	"address>\" /var/log/exim_mainlog, /var/log/maillog or "              \
	"/var/log/mail.log, and note the remote host and its exact reply."

const smtpdoc_cause sd_catalog[] = {
	/* ---- userunknown ------------------------------------------------ */
	{
		.id = "mailbox.unknown",
		.reason = "userunknown",
		.title = "The recipient's address does not exist",
		.explanation =
			"The receiving mail server has no mailbox with the name "
			"before the @. Usually the address was typed wrongly, "
			"or the person has left and their mailbox was deleted. "
			"Sending again will not help until the address is "
			"corrected or the mailbox is created.",
		.fix_sender = STEPS(
			"Compare the address letter by letter with one you "
			"know is right, such as the address on an email they "
			"sent you.",
			"Correct any typo and remove stray spaces or "
			"characters, then send the message again.",
			"If the address looks right, ask the person by phone "
			"or another channel which address they use now.",
			"Remove the address from your contacts and mailing "
			"lists if it is no longer in use."),
		.fix_recipient = STEPS(
			"Check in your mail hosting panel (cPanel Email "
			"Accounts, Plesk Mail, Google Workspace or Microsoft "
			"365 admin) that the mailbox exists.",
			"Create the mailbox, or add a forwarder or alias if "
			"mail for this address should reach someone else.",
			"Check that mail for your domain is routed to the "
			"place where your mailboxes really are (your host, or "
			"Google, Microsoft or another provider).",
			"Tell the sender the right address once it works."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Ask the server how it routes the address: exim -bt "
			"<address> must end at a local mailbox, alias or "
			"forwarder, not \"Unrouteable address\" (Postfix: "
			"postmap -q <address> on the virtual maps).",
			"Check that the mailbox directory exists: ls -ld "
			"/home/<user>/mail/<domain>/<box>/.",
			"Look for an alias or forwarder in /etc/aliases and "
			"/etc/valiases/<domain>; run newaliases after editing "
			"/etc/aliases.",
			"Run dig MX <domain> +short and make sure the MX hosts "
			"are the server that holds the mailboxes; after a "
			"migration old MX records often point at a server that "
			"no longer knows the user.",
			"Set the domain to Local Mail Exchanger in cPanel Email "
			"Routing (or local mail in Plesk) only when the "
			"mailboxes live on this server, Remote otherwise."),
		.hard = 1,
	},
	{
		.id = "mailbox.invalid-recipient",
		.reason = "userunknown",
		.title = "The recipient's address was rejected as invalid",
		.explanation =
			"The receiving server refused the address itself. It "
			"may be written wrongly (a missing letter, the wrong "
			"domain, an extra character), or the server does not "
			"accept it as one of its users. The refusal is "
			"permanent for the address as written.",
		.fix_sender = STEPS(
			"Check the whole address for typos, especially the "
			"part after the @.",
			"Remove spaces, quotes, angle brackets or a trailing "
			"dot that were copied along with the address.",
			"Confirm the exact address with the recipient by "
			"another channel and send again.",
			"Remove wrong or outdated addresses from your address "
			"book and mailing lists."),
		.fix_recipient = STEPS(
			"Confirm the exact spelling of your address and give "
			"it to the sender.",
			"Check in your mail hosting panel that a mailbox, alias "
			"or forwarder exists for the address.",
			"If your organisation changed its domain name, forward "
			"the old addresses to the new ones."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Test the route with exim -bt <address> (Postfix: "
			"postmap -q <address> on the virtual alias and mailbox "
			"maps).",
			"Check /etc/aliases and /etc/valiases/<domain> for a "
			"misspelt entry or a :fail: line for this address.",
			"If a valid address is refused, review the recipient "
			"checks: the Exim RCPT ACL, or smtpd_recipient_"
			"restrictions in Postfix (postconf -n).",
			"Check dig MX <domain> +short points at the server that "
			"really hosts the domain."),
		.hard = 1,
	},
	{
		.id = "mailbox.unavailable",
		.reason = "userunknown",
		.title = "The recipient's mailbox is not available",
		.explanation =
			"The receiving server would not deliver to this "
			"mailbox. Most often the mailbox was removed, switched "
			"off, or never set up; sometimes the server could not "
			"reach its own list of users.",
		.fix_sender = STEPS(
			"Check the address for typos and correct them.",
			"Ask the recipient by phone or another address whether "
			"this mailbox still exists.",
			"If they say it works, wait a few hours and send once "
			"more.",
			"Stop using the address if they have moved to a new "
			"one."),
		.fix_recipient = STEPS(
			"Sign in to your hosting panel and check the mailbox is "
			"listed and not suspended.",
			"Create the mailbox if it is missing, or turn it back "
			"on if it was disabled.",
			"Ask your provider whether your account or domain has "
			"been suspended."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Run exim -bt <address> to see where the server tries "
			"to deliver it.",
			"Check the mailbox directory exists and belongs to the "
			"account user: ls -ld /home/<user>/mail/<domain>/<box>/.",
			"Check in WHM (List Suspended Accounts) or Plesk that "
			"the account and its mail service are active.",
			"Confirm with dig MX <domain> +short that mail goes to "
			"this server at all."),
		.hard = 1,
	},
	{
		.id = "address.syntax",
		.reason = "userunknown",
		.title = "The address is not a valid email address",
		.explanation =
			"The address is not written the way an email address "
			"must be: a name, one @, and a domain such as "
			"example.com, with no spaces or stray characters. No "
			"mail server can deliver to it as it stands.",
		.fix_sender = STEPS(
			"Look at the address as written for spaces, a missing "
			"or doubled @, commas, or a missing part after the @.",
			"Correct it, or ask the person for their address again."),
		.fix_recipient = STEPS(
			"Give the sender your address again, written out in "
			"full."),
		.fix_admin = STEPS(
			"Validate addresses where they are entered (a signup "
			"form, an import) so that such addresses never reach a "
			"mailing list."),
		.hard = 1,
	},
	{
		.id = "domain.mx-elsewhere",
		.reason = "userunknown",
		.title = "A server keeps mail for a domain whose mail goes "
			 "elsewhere",
		.explanation =
			"The server that sent this message is set up to deliver "
			"mail for the recipient's domain itself, but the "
			"domain's MX records send everyone else's mail to "
			"another server (for example Google or Microsoft 365). "
			"Mail sent from that server, such as website forms, "
			"never leaves it: it is refused as an unknown user or "
			"lands in an old mailbox nobody reads.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever runs your website or "
			"hosting account; the fix is a setting on that server.",
			"Until it is fixed, send to this address from an "
			"ordinary mail account rather than from the website "
			"or the hosting server."),
		.fix_recipient = STEPS(
			"Tell your hosting provider that your mail is handled "
			"elsewhere, so their server stops treating your domain "
			"as local.",
			"In cPanel, set Email Routing to \"Remote Mail "
			"Exchanger\" for the domain; in Plesk, switch off the "
			"mail service for the domain."),
		.fix_admin = STEPS(
			"Compare dig MX <domain> +short with this server's own "
			"names and addresses.",
			"cPanel/Exim: move the domain from /etc/localdomains "
			"to /etc/remotedomains (Email Routing: Remote Mail "
			"Exchanger).",
			"Postfix: remove the domain from mydestination, "
			"virtual_mailbox_domains and virtual_alias_domains.",
			"Check with exim -bt <address> or sendmail -bv "
			"<address> that the address now routes to the MX "
			"hosts."),
		.hard = 0,
	},

	/* ---- mailboxfull ----------------------------------------------- */
	{
		.id = "mailbox.full",
		.reason = "mailboxfull",
		.title = "The recipient's mailbox is full",
		.explanation =
			"The person you wrote to has used all the storage space "
			"their mailbox is allowed. The address is fine, but "
			"nothing new can be stored until they delete old mail "
			"or get more space.",
		.fix_sender = STEPS(
			"Tell the recipient by phone, chat or another address "
			"that their mailbox is full.",
			"Wait a day or two, then send the message again.",
			"Share large attachments as a download link so the "
			"message takes up less room."),
		.fix_recipient = STEPS(
			"Delete old messages, starting with the ones that have "
			"large attachments.",
			"Empty the Trash and Junk folders; they count towards "
			"the limit.",
			"Ask your provider or administrator to raise your "
			"mailbox quota, or move to a bigger plan.",
			"Ask the sender to send the message again."),
		.fix_admin = STEPS(
			"Confirm in the log: grep \"<address>\" "
			"/var/log/exim_mainlog (or /var/log/maillog, "
			"/var/log/mail.log) and look for \"quota exceeded\" or "
			"\"mailbox is full\".",
			"Measure the mailbox: du -sh "
			"/home/<user>/mail/<domain>/<box>/.",
			"Raise the quota in cPanel (Email Accounts, Manage) or "
			"Plesk mailbox settings.",
			"If the usage shown looks wrong, rebuild the quota "
			"file (cPanel: /scripts/generate_maildirsize).",
			"Retry mail still waiting in the queue: exim -qff "
			"(Postfix: postqueue -f)."),
		.hard = 0,
	},

	/* ---- norelaying ------------------------------------------------ */
	{
		.id = "relay.denied",
		.reason = "norelaying",
		.title = "A server refused to pass the message on",
		.explanation =
			"Your message reached a mail server that is not "
			"responsible for the recipient's domain, and that "
			"server will not forward it for you. Usually your mail "
			"program sends through a server it has not signed in "
			"to, or the recipient's domain points at the wrong "
			"server.",
		.fix_sender = STEPS(
			"Open your mail program's outgoing (SMTP) server "
			"settings and check the server name is the one your "
			"provider gave you.",
			"Turn on \"outgoing server requires authentication\" and "
			"use your full email address and password.",
			"Check the domain part of the recipient's address for "
			"mistakes.",
			"Send the message again."),
		.fix_recipient = STEPS(
			"If mail to you bounces this way, check that your "
			"domain's MX records point at your current mail host.",
			"Ask your mail host to confirm that your domain is set "
			"up on their servers."),
		.fix_admin = STEPS(
			"grep \"<address>\" /var/log/exim_mainlog (or "
			"/var/log/maillog, /var/log/mail.log) for \"relay not "
			"permitted\" or \"Relay access denied\"; note the client "
			"IP and whether it signed in (A= in Exim, "
			"sasl_username in Postfix).",
			"Check whether the domain is local: /etc/localdomains "
			"and /etc/remotedomains on cPanel, mydestination and "
			"virtual_mailbox_domains in Postfix (postconf -n).",
			"Review who may relay: relay_from_hosts in Exim, "
			"mynetworks and smtpd_relay_restrictions in Postfix; "
			"never open them to the whole internet.",
			"Run dig MX <domain> +short to see which server should "
			"receive the domain's mail."),
		.hard = 0,
	},
	{
		.id = "relay.auth-required",
		.reason = "norelaying",
		.title = "Your mail program did not sign in to its outgoing "
			 "server",
		.explanation =
			"The server you send through only passes mail on for "
			"users who sign in first. Your mail program connected "
			"without a username and password, so the server "
			"treated it as a stranger and refused to send the "
			"message onwards.",
		.fix_sender = STEPS(
			"Open the account settings in your mail program and "
			"find the outgoing (SMTP) server.",
			"Turn on authentication (\"my outgoing server requires "
			"authentication\") with your full email address and "
			"mailbox password.",
			"Set the port to 587 with STARTTLS, or 465 with "
			"SSL/TLS, instead of 25.",
			"Save the settings and send the message again."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender's mail "
			"program settings need fixing.",
			"If the sender asks, tell them to turn on SMTP "
			"authentication in their mail program."),
		.fix_admin = STEPS(
			LOG_GREP_SENDER,
			"Look for failed logins: grep \"authenticator failed\" "
			"/var/log/exim_mainlog, or grep \"SASL\" "
			"/var/log/maillog (/var/log/mail.log).",
			"Check that port 587 offers AUTH after STARTTLS: "
			"openssl s_client -starttls smtp -connect <host>:587, "
			"then type EHLO test.",
			"Check the mailbox exists and is not suspended; reset "
			"its password in cPanel or Plesk if the user is unsure "
			"of it."),
		.hard = 0,
	},
	{
		.id = "domain.not-hosted",
		.reason = "norelaying",
		.title = "The receiving server does not handle that domain",
		.explanation =
			"The server that got your message says it is not "
			"responsible for the domain in the recipient's "
			"address. Either the part after the @ is wrong, or the "
			"domain's mail settings still point at an old server, "
			"which often happens just after a move to a new host.",
		.fix_sender = STEPS(
			"Check the part of the address after the @ for typos.",
			"Confirm the address with the recipient by another "
			"channel.",
			"Tell the recipient about the bounce; their domain's "
			"mail settings may need fixing.",
			"Send again once they confirm it is fixed."),
		.fix_recipient = STEPS(
			"Check with whoever manages your domain that its MX "
			"records point at your current mail host.",
			"If you moved to a new host recently, update the MX "
			"records there and allow up to a day or two for the "
			"change to spread.",
			"In cPanel Email Routing or Plesk, choose local when "
			"your mail is on that server, remote when it is at "
			"Google Workspace, Microsoft 365 or another provider."),
		.fix_admin = STEPS(
			"Run dig MX <domain> +short, then dig A <mx host> "
			"+short for each answer, and compare with the IP of the "
			"server that should receive the mail.",
			"On cPanel, check the domain appears in "
			"/etc/localdomains (mail stays here) or "
			"/etc/remotedomains (mail goes elsewhere); change it "
			"through Email Routing, not by hand.",
			"On Postfix, check the domain is in mydestination, "
			"virtual_mailbox_domains or relay_domains: postconf -n "
			"| grep domains.",
			"grep \"<domain>\" /var/log/exim_mainlog (or "
			"/var/log/maillog, /var/log/mail.log) on the old server "
			"to see whether mail still arrives there.",
			"During a migration keep the old server accepting the "
			"domain until the new MX records have spread."),
		.hard = 0,
	},

	/* ---- hostunknown ----------------------------------------------- */
	{
		.id = "domain.unknown",
		.reason = "hostunknown",
		.title = "The recipient's domain does not exist",
		.explanation =
			"The part of the address after the @ could not be found "
			"on the internet: there is no such domain, or it has no "
			"mail server. This is very often a spelling mistake, "
			"such as gmial.com for gmail.com, or a domain whose "
			"registration has run out.",
		.fix_sender = STEPS(
			"Check the spelling of the domain after the @, "
			"including the ending (.com, .net, .co.uk).",
			"Correct the address and send the message again.",
			"If the spelling is right, ask the recipient by another "
			"channel for their current address.",
			"Remove the address from your lists if the domain is "
			"gone for good."),
		.fix_recipient = STEPS(
			"Check that your domain registration has not expired, "
			"and renew it if it has.",
			"Check that your domain has MX records pointing at your "
			"mail host.",
			"Check that the name servers set at your registrar are "
			"the ones that hold your DNS records."),
		.fix_admin = STEPS(
			"Look the domain up: dig MX <domain> +short, dig A "
			"<domain> +short and dig NS <domain> +short.",
			"Check the registration with whois <domain> (status and "
			"expiry date).",
			"Rule out a local resolver fault by asking another one: "
			"dig @1.1.1.1 MX <domain>.",
			LOG_GREP_ADDR),
		.hard = 1,
	},

	/* ---- blocked --------------------------------------------------- */
	{
		.id = "sender.blocked",
		.reason = "blocked",
		.title = "The receiving side is blocking you",
		.explanation =
			"The recipient's mail server, or the recipient "
			"personally, has chosen to refuse mail from your "
			"address, your domain or the server you send through. "
			"The message never reached their inbox.",
		.fix_sender = STEPS(
			"Read the bounce for a reason or a link that explains "
			"the block.",
			"Contact the recipient another way and ask them to "
			"unblock you or add you to their safe senders.",
			"Send a short test from a different email account to "
			"see whether the block is on your address or on your "
			"provider.",
			"If the bounce names your provider's server, forward "
			"the bounce to your provider's support."),
		.fix_recipient = STEPS(
			"Look in your mail settings for a blocked senders list "
			"and remove the sender from it.",
			"Add the sender to your safe or allowed senders.",
			"If your organisation filters mail centrally, ask your "
			"IT team to allow the sender."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Check that outgoing mail leaves from the IP you expect "
			"(cPanel: /etc/mailips; Postfix: smtp_bind_address) and "
			"that this IP is not listed as blocked in the reply.",
			"Follow the removal link in the rejection text, or "
			"write to postmaster@<domain> with the full rejection "
			"line.",
			"Make sure no account is sending spam: exim -bp | "
			"exiqsumm (Postfix: postqueue -p) should not show a "
			"large or odd queue."),
		.hard = 0,
	},
	{
		.id = "sender.blocklisted",
		.reason = "blocked",
		.title = "Your sending server is on a spam blocklist",
		.explanation =
			"Many mail servers check public lists of addresses known "
			"for sending spam, such as Spamhaus, Barracuda or "
			"SpamCop. The server your mail came from, or your "
			"domain, is on one of these lists, so the message was "
			"refused. On shared servers someone else often caused "
			"the listing.",
		.fix_sender = STEPS(
			"Forward the bounce to your email provider or IT "
			"support; they need to get the server off the list.",
			"Scan your computer for viruses and change your email "
			"password in case your account was used for spam.",
			"Until it is fixed, send important messages from "
			"another email account."),
		.fix_recipient = STEPS(
			"Tell the sender, by another channel, that their mail "
			"is being refused.",
			"If you trust the sender, ask your mail administrator "
			"to let their mail through."),
		.fix_admin = STEPS(
			"Find the list named in the rejection text and look up "
			"your sending IP on its own page (check.spamhaus.org, "
			"barracudacentral.org/lookups, spamcop.net/bl.shtml).",
			"Query a list directly with the IP written backwards: "
			"dig +short 4.3.2.1.zen.spamhaus.org for 1.2.3.4 (any "
			"127.0.0.x answer means listed).",
			"Find the source of the spam: exim -bp | exiqsumm or "
			"postqueue -p for a swollen queue, and grep the log for "
			"the accounts or scripts sending the most mail.",
			"Fix the cause (stolen password, infected script, open "
			"relay), then ask for removal through the list's form."),
		.hard = 0,
	},

	/* ---- rejected -------------------------------------------------- */
	{
		.id = "sender.rejected",
		.reason = "rejected",
		.title = "Your sender address was refused",
		.explanation =
			"The receiving server did not accept the address the "
			"message came from. It may have checked that your "
			"address can receive replies and found it could not, or "
			"it refuses this sender for reasons of its own.",
		.fix_sender = STEPS(
			"Check that the From address set in your mail program "
			"is your real address, with no typo.",
			"Send a test to your own address from another account "
			"to make sure your address can receive mail.",
			"If the mail comes from a website or app, make sure it "
			"sends from a real address at your own domain.",
			"Ask the recipient by another channel whether they "
			"block your address."),
		.fix_recipient = STEPS(
			"Check your mail filters and blocked senders for a rule "
			"that matches the sender.",
			"Ask your mail administrator why the sender was "
			"refused; the mail log shows the reason."),
		.fix_admin = STEPS(
			LOG_GREP_SENDER,
			"Look for \"sender verify failed\" or \"Sender address "
			"rejected\" in that log line.",
			"Check the sender domain resolves: dig MX <sender "
			"domain> +short and dig A <sender domain> +short.",
			"For mail sent by scripts, set a real envelope sender "
			"(sendmail -f <address>) instead of the default "
			"user@hostname."),
		.hard = 0,
	},
	{
		.id = "sender.dns-records",
		.reason = "rejected",
		.title = "Your domain's DNS records are missing or wrong",
		.explanation =
			"Before accepting mail, many servers check that the "
			"sender's domain is set up properly on the internet, "
			"for example that it has a mail server (MX) or an "
			"address (A) record. Your domain failed that check, so "
			"the message was not trusted.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever manages your domain or "
			"website.",
			"Ask them to check your domain's MX and A records and "
			"that the domain has not expired.",
			"Send the message again after they confirm the fix; "
			"DNS changes can take a few hours to spread."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender's "
			"domain settings need fixing.",
			"Let the sender know by another channel that their "
			"mail is bouncing."),
		.fix_admin = STEPS(
			"Run dig MX <domain> +short; every MX must be a host "
			"name (not an IP address or a CNAME) with an A or AAAA "
			"record: dig A <mx host> +short.",
			"Check delegation and expiry: dig NS <domain> +short "
			"and whois <domain>.",
			"Make sure the sending server's own name resolves: dig "
			"A $(hostname -f) +short.",
			"After fixing, check the change is seen from outside: "
			"dig @8.8.8.8 MX <domain>."),
		.hard = 0,
	},

	/* ---- authfailure ----------------------------------------------- */
	{
		.id = "sender.auth-failed",
		.reason = "authfailure",
		.title = "Your message failed the sender checks (SPF, DKIM or "
			 "DMARC)",
		.explanation =
			"Receiving servers check that a message really comes "
			"from the domain it claims. SPF lists the servers that "
			"may send for a domain, DKIM adds a signature, and DMARC "
			"says what to do when they fail. Your message did not "
			"pass, so it looked forged and was refused.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever manages your domain or "
			"email; the fix is in your domain's DNS settings.",
			"Tell them about every service that sends mail as you "
			"(newsletter tool, website, shop, another provider) so "
			"all of them can be allowed.",
			"Send the message again once they confirm the records "
			"are fixed."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; tell the sender "
			"their domain's settings need fixing.",
			"If the message is urgent and you trust the sender, ask "
			"your administrator to let it through for now."),
		.fix_admin = STEPS(
			"Check SPF: dig TXT <domain> +short | grep spf1; there "
			"must be exactly one record and it must include every "
			"server and service that sends for the domain.",
			"Check DKIM: dig TXT <selector>._domainkey.<domain> "
			"+short (the selector is the s= tag of the "
			"DKIM-Signature header); turn DKIM on in cPanel Email "
			"Deliverability or Plesk if it is missing.",
			"Check DMARC: dig TXT _dmarc.<domain> +short; use p=none "
			"while SPF and DKIM are being fixed.",
			"Send a test to an outside mailbox and read its "
			"Authentication-Results header to see which check "
			"failed.",
			LOG_GREP_SENDER),
		.hard = 0,
	},

	{
		.id = "sender.no-dmarc",
		.reason = "authfailure",
		.title = "Your domain has no DMARC policy",
		.explanation =
			"DMARC is a DNS record that tells receiving servers how "
			"to check that mail really comes from your domain and "
			"what to do when it does not. Gmail and Yahoo require "
			"one from anyone who sends them more than a few "
			"thousand messages a day, and many servers trust mail "
			"from a domain without one less. Your domain has no "
			"usable DMARC record, so your mail was refused or "
			"treated as suspect.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever manages your domain's "
			"DNS.",
			"Ask them to publish a DMARC record (a TXT record at "
			"_dmarc.<domain>), starting with the policy p=none "
			"while SPF and DKIM are checked.",
			"Send the message again once the record is in place."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender's "
			"domain needs a DMARC record."),
		.fix_admin = STEPS(
			"Check what is published: dig TXT _dmarc.<domain> "
			"+short; there must be exactly one record starting "
			"with v=DMARC1.",
			"Publish: _dmarc.<domain> TXT \"v=DMARC1; p=none; "
			"rua=mailto:dmarc-reports@<domain>\".",
			"Make sure SPF and DKIM pass and align with the From "
			"domain, then read the aggregate reports and move to "
			"p=quarantine and p=reject."),
		.hard = 0,
	},
	{
		.id = "sender.dkim-key",
		.reason = "authfailure",
		.title = "Your domain's DKIM key is missing, revoked or too weak",
		.explanation =
			"Your mail is signed with DKIM, and receiving servers "
			"check the signature against a public key published in "
			"your domain's DNS. That key could not be used: it is "
			"not there under the name the signature gives, it was "
			"revoked, it cannot be read, or it is too short to be "
			"trusted. The signature then counts as failed.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever manages your domain or "
			"email service.",
			"Ask them to check that the DKIM key your mail service "
			"signs with is published in your DNS, and is at least "
			"2048 bits long.",
			"Send the message again once they confirm the fix."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender's "
			"DKIM key needs fixing."),
		.fix_admin = STEPS(
			"Take the selector (s=) and domain (d=) from the "
			"DKIM-Signature header of a message you sent and run "
			"dig TXT <selector>._domainkey.<domain> +short.",
			"The record must hold v=DKIM1, k=rsa (or ed25519) and "
			"a non-empty p= with the key your server signs with.",
			"Generate a 2048-bit key in your mail service (cPanel "
			"Email Deliverability, Plesk, opendkim-genkey -b 2048) "
			"and publish its record before signing with it.",
			"Remove t=y once signatures verify."),
		.hard = 0,
	},

	/* ---- badreputation --------------------------------------------- */
	{
		.id = "sender.reputation",
		.reason = "badreputation",
		.title = "Your domain or server has a poor reputation",
		.explanation =
			"Large mail providers score senders by their history: "
			"spam complaints, mail to addresses that do not exist, "
			"sudden bursts of mail. Your domain or the server you "
			"send through scored too low, so your mail was refused "
			"or slowed down.",
		.fix_sender = STEPS(
			"Pause any bulk or newsletter sending until the cause "
			"is found.",
			"Remove addresses that bounce, and people who never "
			"asked for your mail, from your lists.",
			"Make sure every newsletter has a working unsubscribe "
			"link.",
			"Forward the bounce to your email provider and ask them "
			"to check their server's reputation."),
		.fix_recipient = STEPS(
			"Tell the sender by another channel that their mail is "
			"being refused.",
			"If their mail lands in Junk, mark it as not spam."),
		.fix_admin = STEPS(
			"Check the sending IP and domain with Google Postmaster "
			"Tools, Microsoft SNDS and talosintelligence.com.",
			"Check the IP on the blocklists too (for example "
			"check.spamhaus.org).",
			"Look for stolen accounts or abused scripts: exim -bp | "
			"exiqsumm or postqueue -p, and grep the log for the "
			"senders with the most messages.",
			"Make sure SPF, DKIM, DMARC and reverse DNS are all in "
			"place for the sending domain and IP.",
			"Raise volume on new IPs slowly and keep sending "
			"steady."),
		.hard = 0,
	},

	/* ---- requireptr ------------------------------------------------ */
	{
		.id = "sender.no-ptr",
		.reason = "requireptr",
		.title = "Your sending server has no proper reverse DNS name",
		.explanation =
			"Receiving servers look up the name that belongs to the "
			"sending server's IP address (its reverse DNS, or PTR "
			"record). The server that sent your mail has no such "
			"name, or the name does not lead back to the same "
			"address, which is typical of spam sources.",
		.fix_sender = STEPS(
			"Forward the bounce to your email provider or IT team; "
			"only whoever runs the sending server can fix this.",
			"If you send straight from a home or office connection, "
			"send through your provider's mail server instead.",
			"Send the message again once they confirm the fix."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; tell the sender "
			"their mail server needs a reverse DNS name."),
		.fix_admin = STEPS(
			"Take the sending IP from the bounce or the log and "
			"look up its name: dig -x <ip> +short.",
			"Check that this name points back to the same IP: dig "
			"A <name> +short.",
			"Ask whoever owns the IP (hosting company or ISP) to "
			"set the PTR record; it cannot be set in your own "
			"domain's zone.",
			"Give the server the same name in its greeting (Postfix "
			"myhostname, Exim primary_hostname or the cPanel "
			"hostname)."),
		.hard = 0,
	},

	/* ---- mesgtoobig ------------------------------------------------ */
	{
		.id = "message.too-large",
		.reason = "mesgtoobig",
		.title = "The message is too large",
		.explanation =
			"The message, with its attachments, is bigger than the "
			"receiving server accepts. Attachments grow by about a "
			"third when they are sent by email, so a file that "
			"seems small enough on your computer can still be over "
			"the limit.",
		.fix_sender = STEPS(
			"Remove large attachments and share them through a "
			"download link (for example a cloud storage service).",
			"Shrink what you must attach: zip files, reduce photo "
			"sizes, save documents as PDF.",
			"If needed, split the attachments over several "
			"messages.",
			"Send the message again."),
		.fix_recipient = STEPS(
			"Tell the sender the largest message you can receive, "
			"or ask for a download link instead.",
			"Ask your provider whether the limit for incoming "
			"messages can be raised."),
		.fix_admin = STEPS(
			"grep \"<address>\" /var/log/exim_mainlog (or "
			"/var/log/maillog, /var/log/mail.log) for \"message too "
			"big\" or \"size exceeds\".",
			"Check your own limit: exim -bP message_size_limit, or "
			"postconf message_size_limit mailbox_size_limit.",
			"Check the remote limit: the SIZE value in its reply to "
			"EHLO (openssl s_client -starttls smtp -connect "
			"<host>:25, then EHLO test).",
			"Raise your limit if it is too small (WHM Exim "
			"Configuration Manager, or main.cf), then reload the "
			"mail server."),
		.hard = 0,
	},

	/* ---- exceedlimit ----------------------------------------------- */
	{
		.id = "message.exceeds-limit",
		.reason = "exceedlimit",
		.title = "The message went over a sending limit",
		.explanation =
			"The message broke a limit set by a mail server, such "
			"as too many recipients in one message, too many "
			"messages in an hour or a day, or a size quota for the "
			"account. The address itself is fine.",
		.fix_sender = STEPS(
			"Send to fewer people at once, for example in groups of "
			"50 using Bcc.",
			"Use a mailing list or newsletter service for large "
			"mailings.",
			"Wait an hour, or until the next day, then send the "
			"rest.",
			"Ask your provider which limits apply to your account."),
		.fix_recipient = STEPS(
			"Tell the sender which limit applies, if you know it.",
			"Check your own mailbox quota and free space if the "
			"limit was on your side."),
		.fix_admin = STEPS(
			"grep the log for \"too many recipients\", \"max "
			"recipients\" or \"max emails per hour\" next to "
			"<address>.",
			"Check the limits: exim -bP recipients_max, or postconf "
			"smtpd_recipient_limit.",
			"On cPanel, review \"Max hourly emails per domain\" in "
			"WHM Tweak Settings and the domain's own setting.",
			"See what is waiting: exim -bp (Postfix: postqueue -p)."),
		.hard = 0,
	},

	/* ---- policyviolation ------------------------------------------- */
	{
		.id = "policy.violation",
		.reason = "policyviolation",
		.title = "The message broke the receiving side's rules",
		.explanation =
			"The receiving organisation has rules about what mail "
			"it takes, such as no attachments of certain types, or "
			"mail only from approved partners. Your message broke "
			"one of them.",
		.fix_sender = STEPS(
			"Read the bounce for the rule that was broken.",
			"Remove attachments of blocked types (programs, "
			"scripts, documents with macros) and share them as a "
			"link or PDF.",
			"Ask the recipient whether their organisation limits "
			"mail from outside.",
			"Send the message again once the problem is removed."),
		.fix_recipient = STEPS(
			"Ask your IT team which rule stopped the message.",
			"Ask them to allow the sender or the file type if it is "
			"needed for your work."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Find the rule: Exim ACLs (acl_smtp_rcpt, "
			"acl_smtp_data), or Postfix header_checks, body_checks "
			"and smtpd_*_restrictions (postconf -n).",
			"Check the content filter's own log (SpamAssassin, "
			"Rspamd, MailScanner) for the same message.",
			"If the rule is on the remote side, send the full "
			"rejection line to postmaster@<domain>."),
		.hard = 0,
	},

	/* ---- spamdetected ---------------------------------------------- */
	{
		.id = "content.spam",
		.reason = "spamdetected",
		.title = "The message was taken for spam",
		.explanation =
			"The receiving server's spam filter judged your message "
			"to be junk. Common triggers are many links, link "
			"shorteners, a subject in capitals, an image with little "
			"text, or a domain without SPF and DKIM.",
		.fix_sender = STEPS(
			"Rewrite the message more plainly, with fewer links and "
			"no link shorteners.",
			"Send a short plain reply without attachments to check "
			"that mail from you gets through at all.",
			"Ask the recipient to add you to their contacts or safe "
			"senders.",
			"Ask whoever manages your domain to check SPF and DKIM "
			"are set up."),
		.fix_recipient = STEPS(
			"Look in your Junk folder or quarantine and mark the "
			"message as not spam.",
			"Add the sender to your contacts or safe senders."),
		.fix_admin = STEPS(
			"grep \"<address>\" /var/log/exim_mainlog (or "
			"/var/log/maillog, /var/log/mail.log) and read the spam "
			"score and rules that fired.",
			"Score a saved copy locally: spamassassin -t < "
			"message.eml, or rspamc < message.eml.",
			"Check SPF, DKIM, DMARC and reverse DNS for the sending "
			"domain and IP.",
			"Check the links' domains against URI blocklists such "
			"as dbl.spamhaus.org."),
		.hard = 0,
	},

	/* ---- virusdetected --------------------------------------------- */
	{
		.id = "content.virus",
		.reason = "virusdetected",
		.title = "A virus was found in the message",
		.explanation =
			"The receiving server's virus scanner found something "
			"harmful, or something that looks harmful, in the "
			"message or its attachments. It can be a real infection "
			"or a false alarm, for example on office documents with "
			"macros or on compressed files.",
		.fix_sender = STEPS(
			"Do not send the same attachment again.",
			"Scan your computer with up-to-date antivirus "
			"software.",
			"If you are sure the file is safe, share it as a link "
			"or save it as a PDF.",
			"If you did not send this message, change your email "
			"password at once."),
		.fix_recipient = STEPS(
			"Ask the sender for the file in another form, such as a "
			"PDF or a download link.",
			"If you are sure the file is safe, ask your IT team to "
			"check the quarantine."),
		.fix_admin = STEPS(
			"grep \"<address>\" in the mail log for the virus name "
			"the scanner reported (ClamAV lines end in FOUND).",
			"Scan a saved copy by hand: clamscan message.eml.",
			"Update the signatures: freshclam.",
			"If the virus came from one of your users, look for "
			"more of the same in the queue: exim -bp, or postqueue "
			"-p."),
		.hard = 0,
	},

	/* ---- suspend --------------------------------------------------- */
	{
		.id = "mailbox.disabled",
		.reason = "suspend",
		.title = "The recipient's mailbox is switched off",
		.explanation =
			"The address exists, but the mailbox is disabled, "
			"suspended or not fully set up yet. This happens when "
			"an account has not been used for a long time, when a "
			"bill was not paid, or when a new mailbox has not been "
			"activated.",
		.fix_sender = STEPS(
			"Contact the recipient another way and tell them their "
			"mailbox refuses mail.",
			"Ask whether they have a new address.",
			"Send the message again once they say the mailbox is "
			"back on."),
		.fix_recipient = STEPS(
			"Sign in to your webmail; some providers turn an "
			"inactive mailbox back on when you sign in.",
			"Ask your provider or administrator whether the account "
			"was suspended, and why.",
			"If the mailbox is new, finish setting it up."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"In cPanel (Email Accounts, Manage) check that "
			"receiving is not suspended for the mailbox; in WHM "
			"check List Suspended Accounts.",
			"In Plesk check that mail service is on for the domain "
			"and the mailbox.",
			"Check the mailbox directory and its owner: ls -ld "
			"/home/<user>/mail/<domain>/<box>/."),
		.hard = 0,
	},

	/* ---- expired --------------------------------------------------- */
	{
		.id = "delivery.expired",
		.reason = "expired",
		.title = "Delivery gave up after trying for too long",
		.explanation =
			"The sending server tried again and again, usually for "
			"several days, but never got through: the recipient's "
			"mail server was down, unreachable, or kept answering "
			"\"try later\". In the end it stopped trying and sent "
			"the message back.",
		.fix_sender = STEPS(
			"Check that the domain after the @ is spelled "
			"correctly.",
			"Send the message again; it will go through if their "
			"server is working now.",
			"Let the recipient know another way that their mail "
			"server may have a problem."),
		.fix_recipient = STEPS(
			"Ask your mail provider whether their server was down.",
			"Check that your domain's MX records point at a server "
			"that is working."),
		.fix_admin = STEPS(
			"grep \"<address>\" /var/log/exim_mainlog (or "
			"/var/log/maillog, /var/log/mail.log) to see the "
			"reason given at each retry.",
			"Read the message's own log: exim -Mvl <message-id> "
			"(Postfix: postqueue -p, then postcat -q <queue-id>).",
			"Check the destination: dig MX <domain> +short, then nc "
			"-vz <mx host> 25.",
			"Make sure your server can connect out on port 25 at "
			"all (a firewall or the provider may block it).",
			"Review how long retries last: Exim retry rules, or "
			"maximal_queue_lifetime in Postfix."),
		.hard = 0,
	},

	/* ---- filtered -------------------------------------------------- */
	{
		.id = "recipient.filtered",
		.reason = "filtered",
		.title = "The recipient's own settings refused the message",
		.explanation =
			"The address is valid, but the recipient's mailbox has "
			"a rule that turned your message away: a blocked "
			"senders list, a filter that only takes mail from known "
			"people, or a setting that refuses mail from outside "
			"their organisation.",
		.fix_sender = STEPS(
			"Contact the recipient another way and ask them to "
			"allow your address.",
			"Make sure you send from the address they know you by.",
			"Send the message again once they have changed the "
			"setting."),
		.fix_recipient = STEPS(
			"Check your mail filters or rules and your blocked "
			"senders list.",
			"Add the sender to your allowed senders.",
			"Check settings that accept mail only from contacts or "
			"from inside your organisation (group and list settings "
			"too)."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"On cPanel, read the mailbox's filters in "
			"/home/<user>/etc/<domain>/<box>/filter and the domain "
			"filters in /etc/vfilters/<domain>.",
			"Check /etc/valiases/<domain> for a :fail: or "
			":blackhole: entry for the address.",
			"Run exim -bt <address> to see the final route."),
		.hard = 0,
	},

	/* ---- hasmoved -------------------------------------------------- */
	{
		.id = "mailbox.moved",
		.reason = "hasmoved",
		.title = "The recipient has moved to a new address",
		.explanation =
			"The receiving server says this person no longer uses "
			"this address. The bounce often gives their new "
			"address.",
		.fix_sender = STEPS(
			"Look in the bounce for the new address.",
			"Update your contacts and mailing lists.",
			"Send the message again to the new address."),
		.fix_recipient = STEPS(
			"Tell your contacts your new address.",
			"Forward mail from the old address to the new one for "
			"a while, if your provider allows it."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Check /etc/aliases and /etc/valiases/<domain> for the "
			":fail: line that names the new address.",
			"On Postfix, check the relocated table: postconf "
			"relocated_maps, then postmap -q <address> on it."),
		.hard = 1,
	},

	/* ---- systemerror ----------------------------------------------- */
	{
		.id = "server.system-error",
		.reason = "systemerror",
		.title = "The receiving mail server had an internal error",
		.explanation =
			"Something went wrong inside the recipient's mail "
			"server while it handled the message: a crash, a disk "
			"or database fault, or a setup mistake. The problem is "
			"on their side, not in your message.",
		.fix_sender = STEPS(
			"Wait a few hours and send the message again.",
			"If it keeps failing, forward the bounce to the "
			"recipient by another channel so their IT team can fix "
			"it."),
		.fix_recipient = STEPS(
			"Forward the bounce to your mail provider or IT team.",
			"Ask the sender to try again once they confirm the "
			"fix."),
		.fix_admin = STEPS(
			"Search the logs around the time of the bounce: "
			"/var/log/exim_paniclog and /var/log/exim_mainlog, or "
			"grep -i -E \"fatal|panic|error\" /var/log/maillog "
			"(/var/log/mail.log).",
			"Check the mail services are running: systemctl status "
			"exim (or postfix) and dovecot.",
			"Check free disk space and inodes: df -h; df -i.",
			"Inspect the message itself: exim -Mvl <message-id> "
			"(Postfix: postcat -q <queue-id>)."),
		.hard = 0,
	},

	/* ---- systemfull ------------------------------------------------ */
	{
		.id = "server.system-full",
		.reason = "systemfull",
		.title = "The receiving mail server is out of space",
		.explanation =
			"The recipient's mail server has run out of disk space "
			"or another resource, so it cannot store new mail right "
			"now. This is a temporary problem on their side.",
		.fix_sender = STEPS(
			"Wait a few hours and send the message again.",
			"Let the recipient know another way that their mail "
			"server is full."),
		.fix_recipient = STEPS(
			"Tell your mail provider or IT team that the server is "
			"full.",
			"Ask the sender to send again once it is fixed."),
		.fix_admin = STEPS(
			"Check space and inodes: df -h; df -i (spool, /var and "
			"/home).",
			"Find what grew: du -sh /var/spool/exim "
			"/var/spool/postfix /var/log /home/*/mail.",
			"Clear old logs and stuck queue entries (exim -bp | "
			"exiqsumm; postqueue -p).",
			"Review the spool space guard: check_spool_space in "
			"Exim, queue_minfree in Postfix."),
		.hard = 0,
	},

	/* ---- networkerror ---------------------------------------------- */
	{
		.id = "network.unreachable",
		.reason = "networkerror",
		.title = "The recipient's mail server could not be reached",
		.explanation =
			"The sending side could not get in touch with the "
			"recipient's mail server: the connection was refused "
			"or timed out, the server's name could not be looked "
			"up, or the message went round in circles between "
			"servers. Usually that server was down or set up "
			"wrongly for a while.",
		.fix_sender = STEPS(
			"Check the domain after the @ for typos.",
			"Wait a few hours and send the message again.",
			"Let the recipient know another way that their mail "
			"server could not be reached."),
		.fix_recipient = STEPS(
			"Ask your mail provider whether their server was down.",
			"Check your domain's MX records point at a working mail "
			"server."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Look up the destination: dig MX <domain> +short and "
			"dig A <mx host> +short.",
			"Test the connection: nc -vz <mx host> 25 (or telnet "
			"<mx host> 25) from the sending server.",
			"For \"too many hops\" or loop errors, read the Received "
			"headers and exim -bt <address> to find the two servers "
			"(or forwarders) that pass the mail back and forth."),
		.hard = 0,
	},
	{
		.id = "network.port-blocked",
		.reason = "networkerror",
		.title = "Your internet provider blocks outgoing mail on "
			 "port 25",
		.explanation =
			"Many home and mobile internet providers stop their "
			"customers from sending mail directly on port 25, to "
			"limit spam. If your mail program or server uses that "
			"port, its messages never get out.",
		.fix_sender = STEPS(
			"Open your mail program's outgoing (SMTP) server "
			"settings.",
			"Change the port to 587 with STARTTLS, or 465 with "
			"SSL/TLS.",
			"Turn on authentication with your email address and "
			"password.",
			"Send the message again."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender's "
			"connection is the problem."),
		.fix_admin = STEPS(
			"From the sending machine compare nc -vz <mx host> 25 "
			"with nc -vz <host> 587; only 25 failing points to a "
			"port block.",
			"Send through an authenticated relay: relayhost = "
			"[<host>]:587 with SASL in Postfix, or a smarthost "
			"router in Exim.",
			"Ask the ISP to lift the block (often possible on "
			"business lines).",
			"grep \"Connection timed out\" in /var/log/exim_mainlog "
			"or /var/log/maillog to confirm every outgoing "
			"connection fails."),
		.hard = 0,
	},
	{
		.id = "verify.dns-failed",
		.reason = "networkerror",
		.title = "The domain's mail servers could not be looked up",
		.explanation =
			"Asking the DNS for the domain's mail servers failed "
			"just now (no answer in time, or a server failure). "
			"This says nothing about the address: the same lookup "
			"often works a little later.",
		.fix_sender = STEPS(
			"Try the check again in a few minutes.",
			"If it keeps failing, the recipient's domain may have "
			"a broken DNS setup: tell the recipient another way."),
		.fix_recipient = STEPS(
			"Ask whoever runs your domain's DNS to check that its "
			"name servers answer for the domain."),
		.fix_admin = STEPS(
			"Query the domain's MX yourself: dig MX <domain> and "
			"dig +trace MX <domain>; look for name servers that do "
			"not answer or answer SERVFAIL.",
			"Check that this host's resolver works: dig MX "
			"gmail.com."),
		.hard = 0,
	},

	/* ---- notaccept ------------------------------------------------- */
	{
		.id = "domain.not-accepting",
		.reason = "notaccept",
		.title = "The recipient's domain does not accept email",
		.explanation =
			"The domain in the address says that it receives no "
			"email at all (a \"null MX\" record), or its server "
			"turns all mail away. No address at this domain can "
			"get messages.",
		.fix_sender = STEPS(
			"Check the domain after the @; it may be a website "
			"domain rather than the one used for email.",
			"Ask the recipient for an address that receives mail.",
			"Remove the address from your lists."),
		.fix_recipient = STEPS(
			"If you want mail at this domain, set up MX records for "
			"your mail host.",
			"Remove the null MX record (\"MX 0 .\") when you do."),
		.fix_admin = STEPS(
			"Run dig MX <domain> +short; an answer of \"0 .\" is a "
			"null MX (RFC 7505): the domain takes no mail.",
			"Without any MX, check dig A <domain> +short; that "
			"host may run no mail server.",
			LOG_GREP_ADDR),
		.hard = 1,
	},

	/* ---- notcompliantrfc ------------------------------------------- */
	{
		.id = "content.not-compliant",
		.reason = "notcompliantrfc",
		.title = "The message is not correctly formatted",
		.explanation =
			"Email messages must follow a standard layout (RFC "
			"5322). Yours broke it, for example by having a header "
			"line twice or a missing or malformed Date or From. "
			"This usually comes from the program or website that "
			"created the message, not from what you wrote.",
		.fix_sender = STEPS(
			"Send the message again from an ordinary mail program "
			"or webmail.",
			"Update your mail program to its latest version.",
			"If a website or app sent it, report the bounce to its "
			"developer."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; tell the sender "
			"their software creates broken messages."),
		.fix_admin = STEPS(
			"Look at the headers of the rejected message for "
			"duplicates (From, Date, Subject, Message-ID, To).",
			"Check for lines over 998 characters and 8-bit text "
			"without MIME headers.",
			"Fix the script that builds the message (PHP mail(), a "
			"form plugin) or switch it to a mail library.",
			LOG_GREP_ADDR),
		.hard = 0,
	},

	/* ---- securityerror --------------------------------------------- */
	{
		.id = "security.error",
		.reason = "securityerror",
		.title = "A security requirement was not met",
		.explanation =
			"The connection or the sign-in was not secure enough, "
			"or it failed. For example, the server insists on an "
			"encrypted connection that was not used, a certificate "
			"had expired or did not match, or the username and "
			"password for the outgoing server were refused.",
		.fix_sender = STEPS(
			"Re-enter the username and password of your outgoing "
			"server in your mail program.",
			"Turn on encryption: port 587 with STARTTLS, or 465 "
			"with SSL/TLS.",
			"Use the exact server name your provider gives, so it "
			"matches their certificate.",
			"Send the message again."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side unless your mail "
			"host says their certificate or settings are at fault.",
			"Forward the bounce to your mail provider if many "
			"senders see it."),
		.fix_admin = STEPS(
			"grep the log for \"TLS error\", \"certificate\" or "
			"\"authenticator failed\" near <address>.",
			"Check the certificate and chain: openssl s_client "
			"-starttls smtp -connect <host>:25 -servername <host>.",
			"Renew an expired certificate (cPanel AutoSSL, certbot) "
			"and reload the mail server.",
			"Review TLS settings: smtp_tls_security_level and "
			"smtpd_tls_* in Postfix, tls_* options in Exim."),
		.hard = 0,
	},

	/* ---- syntaxerror ----------------------------------------------- */
	{
		.id = "protocol.syntax",
		.reason = "syntaxerror",
		.title = "The mail servers did not understand each other",
		.explanation =
			"While the servers were talking, one side sent a "
			"command the other thought was wrong or unknown. This "
			"is a fault in a mail server, a firewall or an app that "
			"sends mail, not something you wrote.",
		.fix_sender = STEPS(
			"Send the message again.",
			"If it fails again, try from webmail or another mail "
			"program.",
			"Forward the bounce to your provider or IT team."),
		.fix_recipient = STEPS(
			"Forward the bounce to your mail provider or IT team if "
			"the sender keeps getting it."),
		.fix_admin = STEPS(
			"grep the log for \"syntax error\" or \"command "
			"unrecognized\" and note which command was refused.",
			"Check firewalls or SMTP proxies that rewrite mail "
			"traffic (for example SMTP inspection on a firewall).",
			"Try the exchange by hand: openssl s_client -starttls "
			"smtp -connect <host>:25, then EHLO, MAIL FROM:<...>.",
			"Check that scripts put addresses in angle brackets in "
			"MAIL FROM and RCPT TO."),
		.hard = 0,
	},

	/* ---- toomanyconn ----------------------------------------------- */
	{
		.id = "rate.too-many-connections",
		.reason = "toomanyconn",
		.title = "Too many connections at once",
		.explanation =
			"The receiving server limits how many connections one "
			"sender may have open at the same time, and the "
			"sending server went over it. This is temporary; the "
			"message usually goes through a little later.",
		.fix_sender = STEPS(
			"Wait a while and send the message again.",
			"If you are sending a large mailing, pause it and send "
			"in smaller batches."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the mail will "
			"usually arrive on a later try."),
		.fix_admin = STEPS(
			"grep the log for \"too many connections\" near "
			"<address> and note the remote host.",
			"Lower the parallel connections: "
			"default_destination_concurrency_limit in Postfix, "
			"remote_max_parallel in Exim.",
			"On a receiving server, review smtp_accept_max_per_host "
			"(Exim) or smtpd_client_connection_count_limit "
			"(Postfix).",
			"Watch the queue drain: exim -bp, or postqueue -p."),
		.hard = 0,
	},

	/* ---- speeding -------------------------------------------------- */
	{
		.id = "rate.speeding",
		.reason = "speeding",
		.title = "Mail was sent too fast",
		.explanation =
			"The receiving server, or your own provider, limits how "
			"many messages may be sent in a given time. That limit "
			"was passed, so more mail is refused or held back for a "
			"while.",
		.fix_sender = STEPS(
			"Stop sending for an hour or so, then send the message "
			"again.",
			"Spread large mailings over a longer time.",
			"Use a newsletter service for mail to many people."),
		.fix_recipient = STEPS(
			"Nothing needs changing on your side; the sender must "
			"send more slowly."),
		.fix_admin = STEPS(
			"grep the log for \"rate limit\" or \"ratelimit\" next "
			"to <address> or the sender.",
			"Slow down delivery to that destination "
			"(default_destination_rate_delay in Postfix, or an Exim "
			"ratelimit ACL on your own users).",
			"On cPanel, check \"Max hourly emails per domain\" in "
			"WHM Tweak Settings.",
			"Check that no account is sending far more than usual: "
			"exim -bp | exiqsumm, or postqueue -p."),
		.hard = 0,
	},

	/* ---- contenterror ---------------------------------------------- */
	{
		.id = "content.error",
		.reason = "contenterror",
		.title = "The message content could not be handled",
		.explanation =
			"The receiving server could not process the content of "
			"the message, for example a broken attachment, a wrong "
			"character set, or a damaged message structure.",
		.fix_sender = STEPS(
			"Attach the files again, or send without them to see "
			"whether they cause the problem.",
			"Send the message as plain text.",
			"Update your mail program, then send again."),
		.fix_recipient = STEPS(
			"Tell the sender about the problem by another channel."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Look at the raw message: exim -Mvh and -Mvb "
			"<message-id>, or postcat -q <queue-id>.",
			"Check the MIME boundaries, Content-Transfer-Encoding "
			"and charset headers."),
		.hard = 0,
	},

	/* ---- mailererror ----------------------------------------------- */
	{
		.id = "mailer.error",
		.reason = "mailererror",
		.title = "A delivery program on the receiving server failed",
		.explanation =
			"The recipient's server took the message, then handed "
			"it to another program for the last step (a filter, a "
			"mailing list program, a script), and that program "
			"failed. The problem is on the receiving side.",
		.fix_sender = STEPS(
			"Wait a while and send the message again.",
			"Let the recipient know another way that delivery "
			"failed on their server."),
		.fix_recipient = STEPS(
			"Forward the bounce to your mail administrator.",
			"If your address forwards mail to an app or script, "
			"check that it still works."),
		.fix_admin = STEPS(
			"grep the log for the address and \"Child process\" or "
			"\"pipe\" (Exim), or \"Command died with status\" "
			"(Postfix).",
			"Check entries that pipe mail to a program "
			"(\"|/path/to/script\") in /etc/aliases and "
			"/etc/valiases/<domain>; the program must exist and be "
			"executable.",
			"Run the program by hand with a saved message on "
			"standard input and read its error.",
			"Run exim -bt <address> to see which transport is "
			"used."),
		.hard = 0,
	},

	/* ---- onhold ---------------------------------------------------- */
	{
		.id = "delivery.onhold",
		.reason = "onhold",
		.title = "The server gave a reason smtpdoc does not recognise",
		.explanation =
			"The message was not delivered, and the receiving server "
			"said why in its own words, but those words match none "
			"of the causes smtpdoc knows. Until someone reads them, "
			"the failure is on hold: it may be about the address, "
			"the message or the sending server.",
		.fix_sender = STEPS(
			"Read the server's words quoted above; they usually name "
			"the problem even when the wording is unusual.",
			"Send again once, later; if it fails the same way, ask "
			"the recipient by another channel whether the address "
			"still works.",
			"Forward the whole bounce to your mail provider's "
			"support (smtpdoc explain --support-report makes a "
			"ready-to-send copy)."),
		.fix_recipient = STEPS(
			"Ask your mail provider what the quoted reply means for "
			"your mailbox."),
		.fix_admin = STEPS(
			"Find the delivery attempt: grep the recipient in "
			"/var/log/exim_mainlog (** or == lines) or "
			"/var/log/maillog (status=bounced or deferred).",
			"Look the reply text and code up in the remote "
			"provider's postmaster pages.",
			"If the message is still queued, read why: exim -Mvl "
			"<message-id>, or postcat -q <queue-id>."),
		.hard = 0,
	},

	/* ---- undefined ------------------------------------------------- */
	{
		.id = "unknown",
		.reason = "undefined",
		.title = "The cause could not be determined",
		.explanation =
			"The bounce did not say clearly why delivery failed, so "
			"no specific cause could be found. The general checks "
			"below solve most cases.",
		.fix_sender = STEPS(
			"Check the recipient's address for typos.",
			"Read the bounce text for the receiving server's own "
			"explanation.",
			"Send the message once more later.",
			"If it fails again, forward the whole bounce to your "
			"email provider with the time and both addresses."),
		.fix_recipient = STEPS(
			"Check that your mailbox works by sending yourself a "
			"message from another account.",
			"Forward the bounce to your mail provider if the sender "
			"keeps getting it."),
		.fix_admin = STEPS(
			LOG_GREP_ADDR,
			"Read the message's history: exim -Mvl <message-id>, or "
			"postqueue -p and postcat -q <queue-id>.",
			"Check where the mail should go: dig MX <domain> "
			"+short and exim -bt <address>."),
		.hard = 0,
	},
	{
		.id = "verify.not-probed",
		.reason = "undefined",
		.title = "The mailbox itself was not checked",
		.explanation =
			"The address is well formed and its domain can receive "
			"mail, but its mail server was not asked whether this "
			"mailbox exists, so nothing more can be said about it.",
		.fix_sender = STEPS(
			"Run the check again without --no-smtp to ask the "
			"recipient's server, from a network that allows "
			"outgoing connections on port 25.",
			"Until then, treat the address as unconfirmed."),
		.fix_recipient = STEPS("Nothing to do."),
		.fix_admin = STEPS(
			"Run smtpdoc verify from a host whose outgoing port 25 "
			"is open (a mail server, not a home connection)."),
		.hard = 0,
	},

	/* ---- vacation -------------------------------------------------- */
	{
		.id = "autoreply.vacation",
		.reason = "vacation",
		.title = "This is an automatic reply, not a failure",
		.explanation =
			"Your message was delivered. The recipient has set up "
			"an automatic answer, such as an out-of-office notice, "
			"to say they are away or will reply later.",
		.fix_sender = STEPS(
			"Nothing needs fixing: your message arrived.",
			"Read the reply for a return date or another person to "
			"contact.",
			"If the matter is urgent, use the other contact it "
			"gives."),
		.fix_recipient = STEPS(
			"Turn off the automatic reply when you are back."),
		.fix_admin = STEPS(
			"Find the autoresponder: cPanel Autoresponders (files "
			"in /home/<user>/.autorespond/) or a Sieve vacation "
			"rule.",
			"Make sure it does not answer mailing lists or bulk "
			"mail (it should honour Auto-Submitted and Precedence "
			"headers, RFC 3834)."),
		.hard = 0,
	},

	/* ---- delivered ------------------------------------------------- */
	{
		.id = "delivery.success",
		.reason = "delivered",
		.title = "The message was delivered",
		.explanation =
			"This notice confirms that the message reached the "
			"recipient's mail server. Nothing went wrong.",
		.fix_sender = STEPS(
			"Nothing needs fixing.",
			"If the recipient cannot find the message, ask them to "
			"look in Junk and in their filters."),
		.fix_recipient = STEPS(
			"If you cannot find the message, look in Junk, "
			"archives and any filter folders."),
		.fix_admin = STEPS(
			"Confirm the final delivery line: grep \"<address>\" "
			"/var/log/exim_mainlog (a => line) or /var/log/maillog "
			"(status=sent).",
			"If the user still cannot see it, check their filters "
			"and forwarders."),
		.hard = 0,
	},
	{
		.id = "verify.accepted",
		.reason = "delivered",
		.title = "The recipient's server accepts this address",
		.explanation =
			"The recipient's mail server was asked about this "
			"address and said it will take mail for it, while it "
			"refuses made-up addresses at the same domain. Mail to "
			"it should be delivered.",
		.fix_sender = STEPS(
			"Nothing needs fixing.",
			"A server can still refuse a message later for its "
			"content or size; if that happens, smtpdoc explain "
			"reads the bounce."),
		.fix_recipient = STEPS("Nothing to do."),
		.fix_admin = STEPS("Nothing to do."),
		.hard = 0,
	},
	{
		.id = "verify.accept-all",
		.reason = "delivered",
		.title = "The server accepts every address at this domain",
		.explanation =
			"The recipient's mail server says yes to any address at "
			"this domain, even one made up for the test, or it is a "
			"provider known to accept every address first and "
			"bounce unknown ones later. Its yes does not prove that "
			"this mailbox exists.",
		.fix_sender = STEPS(
			"Treat the address as unconfirmed: send to it only if "
			"the person gave it to you themselves.",
			"Watch for a bounce after the first message and remove "
			"the address if one comes."),
		.fix_recipient = STEPS(
			"Nothing to do, unless you want mail to unknown "
			"addresses refused at once: then turn off the catch-all "
			"(accept-all) setting of your domain."),
		.fix_admin = STEPS(
			"A catch-all domain collects spam and hides typing "
			"mistakes; consider refusing unknown local parts at RCPT "
			"TO (Postfix: remove the @<domain> virtual alias; cPanel: "
			"set the default address to fail)."),
		.hard = 0,
	},

	/* ---- feedback -------------------------------------------------- */
	{
		.id = "feedback.report",
		.reason = "feedback",
		.title = "Someone reported your message as spam",
		.explanation =
			"This is a report from a mail provider: one of its users "
			"marked a message from you as spam (or fraud, or a "
			"virus). Your message was delivered; the report is a "
			"warning that many complaints will stop your mail from "
			"getting through.",
		.fix_sender = STEPS(
			"Stop sending to the person who complained and remove "
			"them from your lists.",
			"Send mailings only to people who asked for them, with "
			"a clear unsubscribe link.",
			"If you did not send the message, change your email "
			"password."),
		.fix_recipient = STEPS(
			"Nothing to do, unless the report was made by mistake; "
			"then mark the sender as not spam."),
		.fix_admin = STEPS(
			"Take the original Message-ID from the report and grep "
			"it in /var/log/exim_mainlog or /var/log/maillog to find "
			"the sending account.",
			"Suppress complaining addresses automatically in your "
			"list software.",
			"Sign up for providers' feedback loops and Google "
			"Postmaster Tools to see complaint rates.",
			"If volume from the account is unusual, treat it as "
			"stolen: reset the password and check the queue."),
		.hard = 0,
	},

	/* ---- mail server configuration (smtpdoc audit, smtpdoc route) --- */
	{
		.id = "config.alias-loop",
		.reason = "networkerror",
		.title = "Forwarders or aliases send mail round in a circle",
		.explanation =
			"The receiving server passes mail for this address to "
			"another address through a forwarder or alias, and that "
			"one (directly or after more steps) passes it back. The "
			"server notices the circle and returns the message "
			"instead of delivering it anywhere.",
		.fix_sender = STEPS(
			"Forward the bounce to the recipient's mail "
			"administrator; nothing you change will help.",
			"Until it is fixed, reach the person another way, or "
			"at another address they give you."),
		.fix_recipient = STEPS(
			"Look at the forwarders of your domain (cPanel: "
			"Forwarders) and make sure each chain ends at a real "
			"mailbox.",
			"Remove the forwarder that points back to an address "
			"earlier in the chain."),
		.fix_admin = STEPS(
			"Run smtpdoc route <address> (or exim -bt <address>, "
			"postmap -q <address> on the virtual maps) to see the "
			"chain.",
			"Edit /etc/valiases/<domain>, /etc/aliases or the "
			"Postfix virtual table so the chain ends at a mailbox; "
			"run newaliases or postmap after editing."),
		.hard = 0,
	},
	{
		.id = "config.mx-loop",
		.reason = "networkerror",
		.title = "A server sends a domain's mail to itself",
		.explanation =
			"The server treats the domain as remote and passes its "
			"mail to the domain's MX, but the MX is this same "
			"server. The mail would go round in a circle, so the "
			"server refuses it.",
		.fix_sender = STEPS(
			"Forward the bounce to whoever runs the recipient's "
			"domain or hosting; the fix is on their server.",
			"Send again once they say it is fixed."),
		.fix_recipient = STEPS(
			"Tell your hosting provider that the server your MX "
			"records name does not accept your domain as local.",
			"In cPanel, set Email Routing to \"Local Mail "
			"Exchanger\" if your mailboxes are on this server."),
		.fix_admin = STEPS(
			"Compare dig MX <domain> +short with this server's "
			"names and addresses.",
			"cPanel/Exim: move the domain from /etc/remotedomains "
			"to /etc/localdomains; Postfix: add it to "
			"mydestination or virtual_mailbox_domains.",
			"Or, if another server holds the mailboxes, point the "
			"MX records at it."),
		.hard = 0,
	},
	{
		.id = "config.mailbox-dir",
		.reason = "systemerror",
		.title = "A mailbox exists in the settings but its folder is missing",
		.explanation =
			"The server has the mailbox in its list, but the folder "
			"on disk where its mail is stored is missing or cannot "
			"be opened. Delivery then fails on the server; the mail "
			"waits in the queue and bounces when it gives up.",
		.fix_sender = STEPS(
			"Try again later; the server may deliver it once the "
			"folder is repaired.",
			"If it keeps failing, tell the recipient by another "
			"channel."),
		.fix_recipient = STEPS(
			"Ask your hosting provider to repair the mailbox, or "
			"delete and create it again in your control panel."),
		.fix_admin = STEPS(
			"Check the directory: ls -ld <the mailbox directory> "
			"and its cur, new and tmp folders, owner and mode.",
			"Restore it from a backup or create it as the account's "
			"user (cPanel: /scripts/mailperm can fix ownership).",
			"Read the delivery errors: grep \"<address>\" "
			"/var/log/exim_mainlog or /var/log/maillog."),
		.hard = 0,
	},
	{
		.id = "config.routing-conflict",
		.reason = "systemerror",
		.title = "A domain is set up as both local and remote",
		.explanation =
			"The server's settings list the domain in two places "
			"that contradict each other, for example both as a "
			"domain delivered here and as one sent elsewhere. Which "
			"one wins depends on the order the server checks them, "
			"so mail may go to a place nobody expects.",
		.fix_sender = STEPS(
			"Forward the bounce to the recipient's mail "
			"administrator.",
			"Send again once they say it is fixed."),
		.fix_recipient = STEPS(
			"Ask your hosting provider to set Email Routing for the "
			"domain to the one right choice."),
		.fix_admin = STEPS(
			"cPanel/Exim: keep the domain in only one of "
			"/etc/localdomains and /etc/remotedomains (Email "
			"Routing does this).",
			"Postfix: list a domain in only one of mydestination, "
			"virtual_alias_domains and virtual_mailbox_domains."),
		.hard = 0,
	},
};

const size_t sd_catalog_len = sizeof(sd_catalog) / sizeof(sd_catalog[0]);
