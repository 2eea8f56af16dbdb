import { END, mixedCase, rx, START, type SecretRule } from '../SecretRule.js';

/** A Discord bot token's first part is a user id (digits) in base64: checking it keeps look-alikes out. */
function discordUserId(secret: string): boolean {
	const [first = '', , last = ''] = secret.split('.');
	if (/^\d{15,21}$/.test(Buffer.from(first, 'base64').toString('latin1'))) return true;
	// Synthetic tokens (scanners' fixtures) need not decode: accept random-looking outer parts.
	return mixedCase(first) && mixedCase(last);
}

/** Chat, webhooks, e-mail and payments. */
export const MESSAGING_RULES: readonly SecretRule[] = [
	{
		id: 'slack-token',
		provider: 'Slack',
		pattern:
			/(?<![A-Za-z0-9_.])(?:xox[abposer]-[A-Za-z0-9-]{10,}|xoxe\.xox[bp]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g,
		needles: ['xox', 'xapp-'],
		examples: [
			'xoxb-{d:12}-{d:13}-{a:24}',
			'xoxp-{d:12}-{d:12}-{d:13}-{h:32}',
			'xapp-1-A{U:10}-{d:13}-{h:64}',
			'xoxe.xoxp-1-{a:150}',
		],
		docs: 'bot, user, app-level, configuration and refresh tokens (`xoxb-…`, `xoxp-…`, `xapp-…`, `xoxe.…`)',
	},
	{
		id: 'slack-webhook',
		provider: 'Slack',
		pattern: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g,
		needles: ['hooks.slack.com'],
		examples: [
			'https://hooks.slack.com/services/T{U:8}/B{U:10}/{a:24}',
			'http://hooks.slack.com/workflows/T{U:8}/A{U:10}/{d:18}/{a:24}',
		],
		docs: 'incoming webhooks and workflow triggers, over https or http',
	},
	{
		id: 'discord-webhook',
		provider: 'Discord',
		pattern:
			/https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api(?:\/v\d{1,2})?\/webhooks\/\d{5,30}\/[A-Za-z0-9_-]{20,}/g,
		needles: ['discord'],
		examples: ['https://discord.com/api/webhooks/{d:19}/{u:68}', 'https://discordapp.com/api/webhooks/{d:18}/{u:68}'],
		docs: 'webhook URLs (`discord.com/api/webhooks/…`)',
	},
	{
		id: 'discord-bot-token',
		provider: 'Discord',
		pattern: rx(`${START}[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}${END}`),
		needles: [],
		minLength: 59,
		confirm: discordUserId,
		examples: ['{id64}.{u:6}.{u:38}', 'M{x:25}.{u:6}.{x:27}'],
		docs: 'bot tokens (base64 user id, timestamp, HMAC)',
	},
	{
		id: 'teams-webhook',
		provider: 'Microsoft Teams',
		pattern:
			/https?:\/\/(?:[A-Za-z0-9-]{1,63}\.webhook\.office\.com|outlook\.office(?:365)?\.com)\/webhook(?:b2)?\/[A-Za-z0-9@/_-]{20,}/g,
		needles: ['.webhook.office.com', 'outlook.office'],
		examples: [
			'https://contoso.webhook.office.com/webhookb2/{uuid}@{uuid}/IncomingWebhook/{h:32}/{uuid}/V2{u:40}',
			'https://outlook.office.com/webhook/{uuid}@{uuid}/IncomingWebhook/{h:32}/{uuid}',
		],
		docs: 'incoming webhook URLs (`*.webhook.office.com/webhookb2/…`); Workflows URLs by their `sig=`',
	},
	{
		id: 'telegram-bot-token',
		provider: 'Telegram',
		pattern: rx(`(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}${END}`),
		needles: [':aa'],
		examples: ['{d:10}:AA{u:33}', 'https://api.telegram.org/bot«{d:9}:AA{u:33}»/getMe'],
		docs: 'bot tokens (`123456789:AA…`), alone or in `api.telegram.org/bot…` URLs',
	},
	{
		id: 'twilio',
		provider: 'Twilio',
		pattern: rx(`${START}SK[0-9a-f]{32}${END}`),
		needles: ['sk'],
		examples: ['SK{h:32}'],
		docs: 'API key SIDs (`SK…`); auth tokens by name (`TWILIO_AUTH_TOKEN`)',
	},
	{
		id: 'sendgrid',
		provider: 'SendGrid',
		pattern: rx(`${START}SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}`),
		needles: ['sg.'],
		examples: ['SG.{u:22}.{u:43}'],
		docs: 'API keys (`SG.….…`)',
	},
	{
		id: 'mailgun',
		provider: 'Mailgun',
		pattern: rx(`${START}(?:(?:pub)?key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})${END}`),
		needles: ['-'],
		minLength: 36,
		examples: ['key-{h:32}', 'pubkey-{h:32}', '{h:32}-{h:8}-{h:8}'],
		docs: 'private API keys, legacy (`key-…`) and current (`<32 hex>-<8 hex>-<8 hex>`)',
	},
	{
		id: 'mailchimp',
		provider: 'Mailchimp',
		pattern: rx(`${START}[a-f0-9]{32}-us[0-9]{1,2}${END}`),
		needles: ['-us'],
		examples: ['{h:32}-us21'],
		docs: 'API keys (`<32 hex>-us<n>`)',
	},
	{
		id: 'stripe',
		provider: 'Stripe',
		pattern: rx(`${START}(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})`),
		needles: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'],
		examples: ['sk_live_{a:99}', 'sk_test_{a:24}', 'rk_live_{a:24}', 'whsec_{a:32}'],
		docs: 'secret and restricted keys, webhook signing secrets (`sk_live_…`, `rk_live_…`, `whsec_…`)',
	},
	{
		id: 'square',
		provider: 'Square',
		pattern: rx(`${START}(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})${END}`),
		needles: ['eaaa', 'sq0atp-', 'sq0csp-'],
		examples: ['EAAA{u:60}', 'sq0atp-{u:22}', 'sq0csp-{u:43}'],
		docs: 'access tokens and OAuth secrets (`EAAA…`, `sq0atp-…`, `sq0csp-…`)',
	},
	{
		id: 'braintree',
		provider: 'PayPal / Braintree',
		pattern: /access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}/g,
		needles: ['access_token$'],
		examples: ['access_token$production${L:16}${h:32}'],
		docs: 'access tokens (`access_token$production$…`)',
	},
];
